/* Calls to the supervisor through a fault (koito_supervisor.h). */
#include <koito_supervisor.h>

void koito_supervisor_call(a9n_word address, a9n_word word)
{
    /* The supervisor resumes at label 1 (RDI), if at all, changing no other register.
     * "a": not RDI or RSI, which the call uses. */
    __asm__ volatile("lea 1f(%%rip), %%rdi\n\t"
                     "jmp *%0\n"
                     "1:"
                     :
                     : "a"(address), "S"(word)
                     : "rdi", "memory");
}
