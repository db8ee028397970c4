/* From crt0 to main and back: the program's setup hook, main's arguments, and exit(). */
#include <koito.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/times.h>

extern int main(int argc, char **argv, char **envp);
extern char **environ;

static char program_name[] = "program";
static char *default_argv[] = {program_name, NULL};
int koito_argc = 1;
char **koito_argv = default_argv;

/* stdout is line buffered in a buffer of its own, so printing needs no heap; stderr stays
 * unbuffered (newlib's default). */
static char stdout_buffer[256];

__attribute__((weak)) void koito_setup(void) {}

_Noreturn void koito_start(void)
{
    times(NULL);                                                  /* clock() counts from here */
    setvbuf(stdout, stdout_buffer, _IOLBF, sizeof stdout_buffer); /* before any output */
    koito_setup();
    /* Returning from main is exit(status): stdio is flushed, atexit functions run. */
    exit(main(koito_argc, koito_argv, environ));
}
