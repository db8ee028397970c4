/* The client side of the console protocol (koito_console.h). */
#include <koito_console.h>
#include <liba9n.h>
#include <string.h>

a9n_error koito_console_print(a9n_word port, const char *s, size_t len)
{
    while (len > 0) {
        size_t n = len < KOITO_CONSOLE_CHUNK ? len : KOITO_CONSOLE_CHUNK;
        struct a9n_message m = {.info = 5, .word = {KOITO_CONSOLE_WRITE, n}};
        memcpy(&m.word[2], s, n);
        a9n_error e = a9n_ipc_port_call(port, &m);
        if (e != A9N_SUCCESS)
            return e;
        s += n;
        len -= n;
    }
    return A9N_SUCCESS;
}

_Noreturn void koito_console_park(a9n_word port)
{
    for (;;) {
        struct a9n_message m = {.info = 1, .word = {KOITO_CONSOLE_PARK}};
        a9n_ipc_port_call(port, &m);
    }
}

a9n_error koito_console_shutdown(a9n_word port, bool success)
{
    struct a9n_message m = {.info = 2, .word = {KOITO_CONSOLE_SHUTDOWN, success ? 0 : 1}};
    return a9n_ipc_port_call(port, &m);
}
