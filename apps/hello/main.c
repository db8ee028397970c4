/* The hello app: prints through the console server, then asks it to stop the machine. */
#include <caps/hello.h>
#include <koito.h>
#include <koito_console.h>
#include <string.h>

static void say(const char *s)
{
    koito_console_print(CAP_console, s, strlen(s));
}

int main(void)
{
    say("hello: hello from KOITO, through the console server's IPC port\n");
    say("hello: this process holds one capability: a send right to the console\n");
    koito_console_shutdown(CAP_console, true);
    return 0;
}
