/* A small printf engine shared by the console (kprintf) and buffers (ksnprintf). */
#include <kernel/kprintf.h>

#include <hal/hal.h>
#include <stdbool.h>
#include <stdint.h>

/* Where formatted characters go: one at a time, or a run of them (literal text, a field;
 * one call a run instead of one a character: the boot log's cost was mostly these calls). */
struct sink {
    void (*put)(struct sink *s, char c);
    void (*run)(struct sink *s, const char *text, size_t n);
    char *buf;
    size_t size;
    size_t len; /* characters produced so far, whether stored or not */
};

static void emit_repeat(struct sink *s, char c, int n)
{
    for (; n > 0; n--)
        s->put(s, c);
}

static void emit_field(struct sink *s, const char *text, int len, int width, bool left, char pad)
{
    if (!left)
        emit_repeat(s, pad, width - len);
    s->run(s, text, (size_t)len);
    if (left)
        emit_repeat(s, ' ', width - len);
}

static int format_unsigned(char *out, uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            const char *text = p;
            while (p[1] != '%' && p[1] != '\0')
                p++;
            s->run(s, text, (size_t)(p - text) + 1);
            continue;
        }
        const char *spec = p++;
        bool left = false;
        char pad = ' ';
        for (;; p++) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                pad = '0';
            else
                break;
        }
        int width = 0;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        int longs = 0;
        bool size_t_arg = false;
        for (;; p++) {
            if (*p == 'l')
                longs++;
            else if (*p == 'z')
                size_t_arg = true;
            else
                break;
        }
        bool wide = longs > 0 || size_t_arg;
        char num[32];
        int n;
        switch (*p) {
        case 'c':
            num[0] = (char)va_arg(ap, int);
            emit_field(s, num, 1, width, left, ' ');
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (str == NULL)
                str = "(null)";
            int len = 0;
            while (str[len] != '\0')
                len++;
            emit_field(s, str, len, width, left, ' ');
            break;
        }
        case 'd':
        case 'i': {
            int64_t v = wide ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            if (v < 0 && pad == '0' && !left) { /* the sign goes before the zeros */
                s->put(s, '-');
                width--;
                v = 0;
            }
            n = 0;
            if (v < 0)
                num[n++] = '-';
            n += format_unsigned(num + n, mag, 10, false);
            emit_field(s, num, n, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            n = format_unsigned(num, v, *p == 'u' ? 10 : 16, *p == 'X');
            emit_field(s, num, n, width, left, pad);
            break;
        }
        case 'p':
            num[0] = '0';
            num[1] = 'x';
            n = 2 + format_unsigned(num + 2, (uintptr_t)va_arg(ap, void *), 16, false);
            emit_field(s, num, n, width, left, ' ');
            break;
        case '%':
            s->put(s, '%');
            break;
        default: /* unknown conversion: print it as written */
            for (const char *q = spec; q <= p && *q != '\0'; q++)
                s->put(s, *q);
            if (*p == '\0')
                return;
            break;
        }
    }
}

static void put_buffer(struct sink *s, char c)
{
    if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

static void run_buffer(struct sink *s, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_buffer(s, text[i]);
}

size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = {.put = put_buffer, .run = run_buffer, .buf = buf, .size = size};
    format(&s, fmt, ap);
    if (size > 0)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return s.len;
}

size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Console output is batched so each line reaches the UART in one call. */
enum { CONSOLE_CHUNK = 128 };

static void put_console(struct sink *s, char c)
{
    s->buf[s->len++] = c;
    if (s->len == CONSOLE_CHUNK || c == '\n') {
        hal_console_write(s->buf, s->len);
        s->len = 0;
    }
}

static void run_console(struct sink *s, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        s->buf[s->len++] = c;
        if (s->len == CONSOLE_CHUNK || c == '\n') {
            hal_console_write(s->buf, s->len);
            s->len = 0;
        }
    }
}

void kvprintf(const char *fmt, va_list ap)
{
    char chunk[CONSOLE_CHUNK];
    struct sink s = {.put = put_console, .run = run_console, .buf = chunk, .size = sizeof chunk};
    format(&s, fmt, ap);
    if (s.len > 0)
        hal_console_write(chunk, s.len);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
