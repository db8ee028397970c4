/* A worker for test systems: says who it is through the console, then parks for good. */
#include <caps/worker.h>
#include <koito.h>
#include <koito_console.h>
#include <string.h>

int main(void)
{
    const char *line = "worker: running, one capability, then parked\n";
    koito_console_print(CAP_console, line, strlen(line));
    koito_console_park(CAP_console);
}
