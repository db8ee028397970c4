/*
 * The traps test program: the two silent traps of a first program. It is declared with no
 * capability at all, so its printf has no Debug to write through and returning from main
 * finds no Process capability to stop itself with. Both reach its supervisor, which says so
 * (koito_supervisor.h); before, the line was lost in silence and the exit yielded for ever,
 * starving every lower priority.
 */
#include <koito.h>

int main(void)
{
    printf("traps: this line has no Debug capability to go through\n");
    printf("traps: nor this one (the supervisor says so once)\n");
    return 3;
}
