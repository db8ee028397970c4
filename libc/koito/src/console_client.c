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

/* One READ: up to `len` (at most a chunk) bytes of the first complete line; *end tells
 * whether they end it. */
static long read_piece(a9n_word port, char *buf, size_t len, bool *end)
{
    struct a9n_message m = {.info = 2, .word = {KOITO_CONSOLE_READ, len}};
    a9n_error e = a9n_ipc_port_call(port, &m);
    if (e != A9N_SUCCESS)
        return -(long)e;
    if (m.word[0] != 0)
        return -(long)m.word[0];
    *end = (m.word[1] & KOITO_CONSOLE_LINE_END) != 0;
    size_t n = m.word[1] & ~(a9n_word)KOITO_CONSOLE_LINE_END;
    if (n > len)
        return -(long)A9N_ERROR_INVALID_ARGUMENT; /* never from a well-behaved console */
    memcpy(buf, &m.word[2], n);
    return (long)n;
}

long koito_console_read_line(a9n_word port, a9n_word wait, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        size_t want = len - got < KOITO_CONSOLE_CHUNK ? len - got : KOITO_CONSOLE_CHUNK;
        bool end = false;
        long n = read_piece(port, buf + got, want, &end);
        if (n == -KOITO_CONSOLE_NO_LINE && got == 0 && wait != 0) {
            /* Spurious wake-ups are harmless: the loop just asks again. */
            a9n_word bits;
            a9n_error e = a9n_notification_port_wait(wait, &bits);
            if (e != A9N_SUCCESS)
                return -(long)e;
            continue;
        }
        if (n < 0)
            return got > 0 ? (long)got : n;
        got += (size_t)n;
        if (end || n == 0)
            break;
    }
    return (long)got;
}
