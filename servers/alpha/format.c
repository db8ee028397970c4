/*
 * The formatting verification does for every line of the state it compares: %s, %u, %lu
 * and %lx (the compiler checks the arguments against the format), as snprintf would write
 * them. newlib's snprintf handles every conversion, locale and stream on each call: more than
 * a thousand instructions a line, most of what a small system's verification cost.
 */
#include "alpha.h"

#include <stdarg.h>
#include <string.h>

struct out {
    char *at, *end; /* end: where the NUL must go at the latest */
};

/* `n` bytes, as many as fit: `rep movsb`, one step a byte (QEMU counts each as one
 * instruction, where a loop that checks the room before every byte took six). */
static void put_bytes(struct out *o, const char *s, size_t n)
{
    size_t room = (size_t)(o->end - o->at);
    if (n > room)
        n = room;
    __asm__ volatile("rep movsb" : "+D"(o->at), "+S"(s), "+c"(n) : : "memory");
}

static void put(struct out *o, char c)
{
    if (o->at < o->end)
        *o->at++ = c;
}

static void put_unsigned(struct out *o, unsigned long v, unsigned base)
{
    char digits[24];
    unsigned n = sizeof digits;
    if (base == 16) {
        do {
            digits[--n] = "0123456789abcdef"[v & 15];
            v >>= 4;
        } while (v != 0);
    } else {
        do {
            digits[--n] = (char)('0' + v % 10);
            v /= 10;
        } while (v != 0);
    }
    put_bytes(o, digits + n, sizeof digits - n);
}

int alpha_format(char *buf, size_t len, const char *format, ...)
{
    if (len == 0)
        return 0;
    struct out o = {buf, buf + len - 1};
    va_list args;
    va_start(args, format);
    for (const char *f = format; *f != '\0'; f++) {
        if (*f != '%') {
            /* The literal run up to the next conversion, at once. */
            const char *run = f;
            while (f[1] != '%' && f[1] != '\0')
                f++;
            put_bytes(&o, run, (size_t)(f - run) + 1);
            continue;
        }
        f++;
        bool is_long = *f == 'l';
        if (is_long)
            f++;
        switch (*f) {
        case 's': {
            const char *s = va_arg(args, const char *);
            put_bytes(&o, s, strlen(s));
            break;
        }
        case 'u':
            put_unsigned(&o, is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned), 10);
            break;
        case 'x':
            put_unsigned(&o, is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned), 16);
            break;
        case '%':
            put(&o, '%');
            break;
        default: /* not one of the above: a mistake, shown as such */
            put(&o, '?');
            if (*f == '\0')
                f--;
            break;
        }
    }
    va_end(args);
    *o.at = '\0';
    return (int)(o.at - buf);
}
