/* Console output and input: the console server's IPC port when the program has one,
 * otherwise Debug WRITE (first processes and servers that hold Debug). */
#include <errno.h>
#include <koito.h>
#include <koito_supervisor.h>
#include <koito_console.h>
#include <liba9n.h>
#include <string.h>

a9n_word koito_debug_cap =
    ((a9n_word)A9N_ROOT_NODE_RADIX << A9N_DESCRIPTOR_DEPTH_SHIFT) |
    ((a9n_word)A9N_ROOT_SLOT_DEBUG << (A9N_DESCRIPTOR_INDEX_BITS - A9N_ROOT_NODE_RADIX));
a9n_word koito_console_port;
a9n_word koito_console_input;
struct a9n_ipc_buffer *koito_debug_buffer;

/* Debug WRITE carries up to 6 words (48 bytes) in registers MR3..MR8, and the bytes after
 * them in the IPC buffer from MR9 on (a9n/debug.h). */
enum {
    CHUNK = 6 * sizeof(a9n_word),
    BUFFER_CHUNK = (A9N_MR_COUNT - A9N_MR_REGISTER_COUNT) * sizeof(a9n_word),
};

static void debug_write(const char *s, size_t len)
{
    while (len > 0) {
        size_t n = len < CHUNK ? len : CHUNK;
        struct a9n_regs r = {{koito_debug_cap, A9N_DEBUG_WRITE, n}};
        memcpy(&r.mr[3], s, n);
        if (koito_debug_buffer != NULL && len > CHUNK) {
            size_t more = len - CHUNK < BUFFER_CHUNK ? len - CHUNK : BUFFER_CHUNK;
            memcpy(&koito_debug_buffer->message[A9N_MR_REGISTER_COUNT], s + CHUNK, more);
            n += more;
            r.mr[2] = n;
        }
        a9n_error e = a9n_capability_call(&r);
        /* No Debug in its slot: printing would lose every word in silence, so the supervisor
         * says so, once (koito_supervisor.h). */
        static bool said;
        if (e != A9N_SUCCESS && !said) {
            said = true;
            koito_supervisor_call(KOITO_SUPERVISOR_NO_CONSOLE, e);
        }
        s += n;
        len -= n;
    }
}

void koito_console_write(const char *s, size_t len)
{
    if (koito_console_port != 0)
        koito_console_print(koito_console_port, s, len);
    else
        debug_write(s, len);
}

/* One line at most (the console's READ, koito_console.h), waiting on the console's input
 * Notification Port while none is there; without that port, EAGAIN instead of waiting. */
long koito_console_read(char *buf, size_t len)
{
    if (koito_console_port == 0)
        return -ENOSYS;
    long n = koito_console_read_line(koito_console_port, koito_console_input, buf, len);
    if (n == -KOITO_CONSOLE_NO_LINE)
        return -EAGAIN;
    if (n == -A9N_ERROR_ILLEGAL_OPERATION)
        return -ENOSYS; /* a console the system gave no input */
    return n < 0 ? -EIO : n;
}
