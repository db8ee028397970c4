/*
 * The formatting verification does for every line of the state it compares: %s, %u, %lu
 * and %lx (the compiler checks the arguments against the format), as snprintf would write
 * them. newlib's snprintf handles every conversion, locale and stream on each call: more than
 * a thousand instructions a line, most of what a small system's verification cost.
 */
#include "alpha.h"

#include <stdarg.h>

struct out {
    char *at, *end; /* end: where the NUL must go at the latest */
};

static void put(struct out *o, char c)
{
    if (o->at < o->end)
        *o->at++ = c;
}

static void put_unsigned(struct out *o, unsigned long v, unsigned base)
{
    char digits[24];
    unsigned n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    while (n > 0)
        put(o, digits[--n]);
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
            if (o.at < o.end)
                *o.at++ = *f;
            continue;
        }
        f++;
        bool is_long = *f == 'l';
        if (is_long)
            f++;
        switch (*f) {
        case 's': {
            const char *s = va_arg(args, const char *);
            while (*s != '\0' && o.at < o.end)
                *o.at++ = *s++;
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
