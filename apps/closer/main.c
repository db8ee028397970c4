/* Runs at the lowest priority, so only once everything else is blocked: it ends the test
 * system with the success verdict. */
#include <caps/closer.h>
#include <koito.h>
#include <koito_console.h>
#include <string.h>

int main(void)
{
    const char *line = "closer: every other process is done\n";
    koito_console_print(CAP_console, line, strlen(line));
    koito_console_shutdown(CAP_console, true);
    koito_console_park(CAP_console);
}
