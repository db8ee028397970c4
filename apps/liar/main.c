/*
 * The liar test program: a supervisor call (koito_supervisor.h) that asks to go on at a
 * kernel address. The supervisor must not resume it there (the kernel refuses such an IP),
 * and must say so and stop it instead of retrying or hanging.
 */
#include <koito_supervisor.h>

int main(void)
{
    __asm__ volatile("mov %0, %%rdi\n\t"
                     "jmp *%1"
                     :
                     : "r"(0xffff800000000000ul), "r"(KOITO_SUPERVISOR_NO_CONSOLE), "S"(0ul)
                     : "rdi", "memory");
    return 0;
}
