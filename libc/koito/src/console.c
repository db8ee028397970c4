/* Console output and printf. The formatting engine is the kernel's own (kernel/lib/
 * kprintf.c, compiled into programs too); its output hook sends text to Debug WRITE. */
#include <hal/hal.h>
#include <kernel/kprintf.h>
#include <koito.h>
#include <koito_supervisor.h>
#include <liba9n.h>
#include <string.h>

a9n_word koito_debug_cap =
    ((a9n_word)A9N_ROOT_NODE_RADIX << A9N_DESCRIPTOR_DEPTH_SHIFT) |
    ((a9n_word)A9N_ROOT_SLOT_DEBUG << (A9N_DESCRIPTOR_INDEX_BITS - A9N_ROOT_NODE_RADIX));

/* Debug WRITE carries up to 6 words (48 bytes) in registers MR3..MR8. */
enum { CHUNK = 6 * sizeof(a9n_word) };

void koito_console_write(const char *s, size_t len)
{
    while (len > 0) {
        size_t n = len < CHUNK ? len : CHUNK;
        struct a9n_regs r = {{koito_debug_cap, A9N_DEBUG_WRITE, n}};
        memcpy(&r.mr[3], s, n);
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

/* The engine's output hook (kprintf.c calls it with whole lines where it can). */
void hal_console_write(const char *s, size_t len)
{
    koito_console_write(s, len);
}

int vprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    size_t n = kvsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    kvprintf(fmt, ap);
    return (int)n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return (int)n;
}

int puts(const char *s)
{
    koito_console_write(s, strlen(s));
    koito_console_write("\n", 1);
    return 0;
}
