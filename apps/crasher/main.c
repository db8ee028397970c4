/*
 * The crasher: a program that faults on purpose, for the fault-policy tests. Each run counts
 * itself in a page of declared shared memory (CAP_runs, mapped at RUNS_ADDRESS), which a
 * restart leaves alone, and in a variable of its own data, which a restart loads again from
 * the image. Its first CRASHES runs write through a null pointer; the next one says it
 * survived.
 */
#include <caps/crasher.h>
#include <koito.h>
#include <koito_console.h>

#define RUNS_ADDRESS 0x50000000ul
#define CRASHES      2

static int data_runs = 40; /* back to 40 after each restart */

int main(void)
{
    volatile unsigned long *runs = (volatile unsigned long *)RUNS_ADDRESS;
    unsigned long run = ++*runs;
    data_runs++;
    char line[96];
    int n = snprintf(line, sizeof line, "crasher: run %lu, data %d\n", run, data_runs);
    koito_console_print(CAP_console, line, (size_t)n);
    if (run <= CRASHES)
        *(volatile int *)0 = 1; /* the fault line names this line */
    koito_console_print(CAP_console, "crasher: survived\n", 18);
    return 0;
}
