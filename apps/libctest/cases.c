/* The libc checks' cases (cases.h): the same code on the host (glibc) and in KOITO. */
#include "cases.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const libc_family_names[FAMILIES] = {"printf_integers", "printf_doubles", "sscanf",
                                                 "strtol", "strtod"};

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The generator of case i of a family: its own seed, so any case can be made alone. */
static uint64_t seed(unsigned family, uint32_t i)
{
    uint64_t s = 0x9e3779b97f4a7c15ull * (family + 1) ^ ((uint64_t)i * 0xbf58476d1ce4e5b9ull);
    for (int k = 0; k < 4; k++)
        next(&s);
    return s | 1;
}

/* A value of varied magnitude: all 64 bits, or fewer, with either sign. */
static int64_t some_integer(uint64_t *s)
{
    uint64_t v = next(s) >> (next(s) % 64);
    return (next(s) & 1) ? -(int64_t)v : (int64_t)v;
}

/* A double: random bits (every exponent, subnormals, infinities; no NaN with its sign bit
 * set: glibc prints "-nan", which C leaves to the library), or a short decimal. */
static double some_double(uint64_t *s)
{
    switch (next(s) % 4) {
    case 0: {
        uint64_t bits = next(s);
        double d;
        memcpy(&d, &bits, sizeof d);
        if (isnan(d))
            d = (bits & 1) ? NAN : INFINITY;
        return d;
    }
    case 1: /* ties and short decimals: 0.125, 2.5, 1e-3 ... */
        return (double)(int64_t)(next(s) % 2000001 - 1000000) / (double)(1u << (next(s) % 12));
    case 2: {
        /* Exact powers of ten only (10^0..10^22 are doubles): no libm in an input. */
        double p = 1;
        for (unsigned k = (unsigned)(next(s) % 21); k > 0; k--)
            p *= 10;
        double n = (double)(int64_t)(next(s) % 20001 - 10000);
        return next(s) & 1 ? n * p : n / p;
    }
    default: {
        double m = (double)(next(s) >> 11) / 9007199254740992.0;
        return ldexp(m, (int)(next(s) % 200) - 100);
    }
    }
}

static void print_int(uint64_t *s, char *out, size_t size, char *in, size_t in_size)
{
    static const char *const formats[] = {
        "%d",   "%i",    "%7d|",   "%-7d|",   "%+d",  "% d",  "%05d", "%.3d", "%x",
        "%#x",  "%X",    "%#o",    "%u",      "%ld",  "%lld", "%lu",  "%lx",  "%#lx",
        "%hd",  "%hhd",  "%hu",    "%zu",     "%jd",  "%td",  "%c",   "%*d|", "%-*.*d|",
        "%.0d", "%#.3o", "%+.2ld", "%10.4lx", "%%%d", "%s",   "%.3s", "%8s|", "%-8.2s|"};
    unsigned n = sizeof formats / sizeof formats[0];
    unsigned k = (unsigned)(next(s) % n);
    const char *f = formats[k];
    int64_t v = some_integer(s);
    int w = (int)(next(s) % 30) - 5, p = (int)(next(s) % 25) - 3;
    static const char *const words[] = {"", "a", "koito", "newlib on A9N", "x y z"};
    const char *word = words[next(s) % 5];
    snprintf(in, in_size, "%s with %lld", f, (long long)v);
    if (strchr(f, 's') != NULL) {
        snprintf(out, size, f, word);
        snprintf(in, in_size, "%s with \"%s\"", f, word);
    } else if (strstr(f, "ll") != NULL) {
        snprintf(out, size, f, (long long)v);
    } else if (strchr(f, 'l') != NULL) {
        snprintf(out, size, f, (long)v);
    } else if (strchr(f, 'z') != NULL) {
        snprintf(out, size, f, (size_t)v);
    } else if (strchr(f, 'j') != NULL) {
        snprintf(out, size, f, (intmax_t)v);
    } else if (strchr(f, 't') != NULL) {
        snprintf(out, size, f, (ptrdiff_t)v);
    } else if (strcmp(f, "%c") == 0) {
        snprintf(out, size, f, 32 + (int)((uint64_t)v % 95));
    } else if (strcmp(f, "%*d|") == 0) {
        snprintf(out, size, f, w, (int)v);
    } else if (strcmp(f, "%-*.*d|") == 0) {
        snprintf(out, size, f, w, p, (int)v);
    } else {
        snprintf(out, size, f, (int)v);
    }
}

static void print_double(uint64_t *s, char *out, size_t size, char *in, size_t in_size)
{
    static const char *const formats[] = {"%.17g",  "%g",       "%e",     "%.0e",  "%.3f",  "%f",
                                          "%10.4f", "%-12.5e|", "%+.10g", "%#g",   "%#.0f", "%G",
                                          "%E",     "%.25g",    "%.1f",   "%.40f", "%12g|", "%.0f"};
    unsigned k = (unsigned)(next(s) % (sizeof formats / sizeof formats[0]));
    double d = some_double(s);
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    snprintf(in, in_size, "%s with 0x%016llx", formats[k], (unsigned long long)bits);
    snprintf(out, size, formats[k], d);
}

static void scan(uint64_t *s, char *out, size_t size, char *in, size_t in_size)
{
    long a = (long)some_integer(s);
    unsigned long b = (unsigned long)some_integer(s);
    double c = some_double(s);
    if (isnan(c))
        c = 1.5;
    int head = snprintf(in, in_size, "%ld %lo ", a, b);
    snprintf(in + head, in_size - (size_t)head, "%.17g word%u %c", c, (unsigned)(next(s) % 1000),
             'A' + (int)(next(s) % 26));
    /* Sometimes a character of the integers replaced by junk: sscanf must stop where glibc
     * stops. Not in the double: a broken exponent ("1e+x") is where the two libraries (and
     * C's one-character pushback) part ways; so the second integer is octal (no "e" among its
     * digits to end up under %lf) and the junk has no "e". Nor any "x": no hexadecimal float
     * comes under %lf, which newlib 3.3's scanf does not read as C99 says (porting chapter,
     * not supported). */
    if (next(s) % 4 == 0)
        in[next(s) % (uint64_t)head] = "-+.9"[next(s) % 4];
    long ra = 0;
    unsigned long rb = 0;
    double rc = 0;
    char rw[16] = "";
    char rch = 0;
    int n = -1;
    int got = sscanf(in, "%ld %lo %lf %15s %c%n", &ra, &rb, &rc, rw, &rch, &n);
    uint64_t bits;
    memcpy(&bits, &rc, sizeof bits);
    snprintf(out, size, "%d|%ld|%lx|%016llx|%s|%d|%d", got, ra, rb, (unsigned long long)bits, rw,
             rch, n);
}

static void to_long(uint64_t *s, char *out, size_t size, char *in, size_t in_size)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const int bases[] = {0, 0, 2, 8, 10, 10, 16, 16, 36, 3, 7, 20};
    int base = bases[next(s) % (sizeof bases / sizeof bases[0])];
    size_t len = 0;
    unsigned spaces = (unsigned)(next(s) % 3);
    while (spaces-- > 0 && len + 1 < in_size)
        in[len++] = " \t\n"[next(s) % 3];
    if (next(s) % 3 == 0)
        in[len++] = next(s) & 1 ? '-' : '+';
    if ((base == 16 || base == 0) && next(s) % 2 == 0) {
        in[len++] = '0';
        in[len++] = 'x';
    } else if (base == 0 && next(s) % 3 == 0) {
        in[len++] = '0';
    }
    unsigned count = (unsigned)(next(s) % 24);
    int range = base == 0 ? 10 : base;
    while (count-- > 0 && len + 3 < in_size) {
        unsigned d = (unsigned)(next(s) % (unsigned)range);
        in[len++] = (d >= 10 && next(s) % 2) ? (char)('A' + d - 10) : digits[d];
    }
    if (next(s) % 3 == 0)
        in[len++] = digits[next(s) % 62]; /* junk or one more digit */
    in[len] = '\0';
    char *end;
    errno = 0;
    long v = strtol(in, &end, base);
    int e1 = errno == ERANGE;
    char *end2;
    errno = 0;
    unsigned long long u = strtoull(in, &end2, base);
    int e2 = errno == ERANGE;
    snprintf(out, size, "%d|%ld|%d|%d|%llu|%d|%d", base, v, (int)(end - in), e1, u,
             (int)(end2 - in), e2);
}

static void to_double(uint64_t *s, char *out, size_t size, char *in, size_t in_size)
{
    switch (next(s) % 5) {
    case 0:
    case 1: { /* a round trip: the shortest exact text of a double back to the same bits */
        double d = some_double(s);
        snprintf(in, in_size, "%.17g", d);
        break;
    }
    case 2: { /* many digits, any exponent: must round correctly, overflow and underflow */
        size_t len = 0;
        if (next(s) & 1)
            in[len++] = '-';
        unsigned count = 1 + (unsigned)(next(s) % 30);
        for (unsigned k = 0; k < count; k++) {
            in[len++] = (char)('0' + next(s) % 10);
            if (k == 0 && next(s) % 2)
                in[len++] = '.';
        }
        snprintf(in + len, in_size - len, "e%d", (int)(next(s) % 700) - 350);
        break;
    }
    case 3: { /* hexadecimal (C99) */
        snprintf(in, in_size, "0x%llx.%llxp%d", (unsigned long long)(next(s) >> 40),
                 (unsigned long long)(next(s) >> 44), (int)(next(s) % 2200) - 1100);
        break;
    }
    default: {
        static const char *const special[] = {"inf",
                                              "-Infinity",
                                              "nan",
                                              "  -0",
                                              "1e",
                                              "+.5",
                                              ".",
                                              "0x",
                                              "1e+",
                                              "-1.5e-5x",
                                              "4.9e-324",
                                              "2.4703282292062328e-324",
                                              "1.7976931348623158e308",
                                              "1.7976931348623159e308",
                                              "0.1e-400",
                                              "00012.50"};
        snprintf(in, in_size, "%s", special[next(s) % (sizeof special / sizeof special[0])]);
        break;
    }
    }
    char *end;
    errno = 0;
    double d = strtod(in, &end);
    /* Whether an underflow (a result below DBL_MIN) sets ERANGE is the library's choice
     * (C11 7.22.1.3). */
    int range = fabs(d) < DBL_MIN ? -1 : errno == ERANGE;
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    if (isnan(d))
        bits = 0x7ff8000000000000ull; /* which NaN is the library's */
    snprintf(out, size, "%016llx|%d|%d", (unsigned long long)bits, (int)(end - in), range);
}

void libc_case(enum libc_family family, uint32_t i, char *out, size_t size, char *in,
               size_t in_size)
{
    uint64_t s = seed(family, i);
    in[0] = '\0';
    switch (family) {
    case FAMILY_PRINTF_INT:
        print_int(&s, out, size, in, in_size);
        break;
    case FAMILY_PRINTF_DOUBLE:
        print_double(&s, out, size, in, in_size);
        break;
    case FAMILY_SCANF:
        scan(&s, out, size, in, in_size);
        break;
    case FAMILY_STRTOL:
        to_long(&s, out, size, in, in_size);
        break;
    default:
        to_double(&s, out, size, in, in_size);
        break;
    }
}

uint64_t libc_block_hash(enum libc_family family, uint32_t b)
{
    static char out[2048], in[256];
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t i = b * LIBC_BLOCK; i < (b + 1) * LIBC_BLOCK; i++) {
        libc_case(family, i, out, sizeof out, in, sizeof in);
        for (const char *p = out;; p++) {
            h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
            if (*p == '\0')
                break;
        }
    }
    return h;
}

/* fdlibm (newlib) documents errors below 1 ulp for these; glibc's x86_64 figures (its
 * manual's table) are at most 1 or 2 ulps: the bound is the sum. Exact functions: 0. */
static double hypot2(double x, double y)
{
    return hypot(x, y);
}

const struct libm_function libm_functions[] = {
    {"sqrt", sqrt, NULL, 0, 1e300, 0},
    {"floor", floor, NULL, -1e6, 1e6, 0},
    {"ceil", ceil, NULL, -1e6, 1e6, 0},
    {"trunc", trunc, NULL, -1e6, 1e6, 0},
    {"round", round, NULL, -1e6, 1e6, 0},
    {"fmod", NULL, fmod, -1e6, 1e6, 0},
    {"sin", sin, NULL, -100, 100, 2},
    {"cos", cos, NULL, -100, 100, 2},
    {"tan", tan, NULL, -1.5, 1.5, 2},
    {"asin", asin, NULL, -1, 1, 2},
    {"acos", acos, NULL, -1, 1, 2},
    {"atan", atan, NULL, -1e3, 1e3, 2},
    {"atan2", NULL, atan2, -10, 10, 2},
    {"sinh", sinh, NULL, -20, 20, 3},
    {"cosh", cosh, NULL, -20, 20, 3},
    {"tanh", tanh, NULL, -5, 5, 3},
    {"exp", exp, NULL, -700, 700, 2},
    {"expm1", expm1, NULL, -5, 5, 2},
    {"log", log, NULL, 1e-300, 1e300, 2},
    {"log10", log10, NULL, 1e-300, 1e300, 3},
    {"log2", log2, NULL, 1e-300, 1e300, 3},
    {"log1p", log1p, NULL, -0.9, 10, 2},
    {"pow", NULL, pow, 0.01, 30, 2},
    {"cbrt", cbrt, NULL, -1e9, 1e9, 2},
    {"hypot", NULL, hypot2, -1e150, 1e150, 2},
};
const unsigned libm_function_count = sizeof libm_functions / sizeof libm_functions[0];

void libm_input(unsigned f, unsigned k, double *x, double *y)
{
    uint64_t s = seed(100 + f, k);
    const struct libm_function *m = &libm_functions[f];
    double u = (double)(next(&s) >> 11) / 9007199254740992.0;
    double v = (double)(next(&s) >> 11) / 9007199254740992.0;
    if (m->lo > 0 && m->hi / m->lo > 1e6) {
        /* A wide positive range: uniform exponents (ldexp and frexp are exact, so both
         * libraries see the same inputs). */
        int elo, ehi;
        frexp(m->lo, &elo);
        frexp(m->hi, &ehi);
        *x = ldexp(1 + u, elo + (int)(next(&s) % (uint64_t)(ehi - elo)));
    } else {
        *x = m->lo + u * (m->hi - m->lo);
    }
    *y = m->lo + v * (m->hi - m->lo);
    if (m->f2 == pow)
        *y = v * 40 - 20;
    if (m->f2 == fmod && *y == 0)
        *y = 1;
}

double libm_call(unsigned f, unsigned k)
{
    double x, y;
    libm_input(f, k, &x, &y);
    const struct libm_function *m = &libm_functions[f];
    return m->f1 != NULL ? m->f1(x) : m->f2(x, y);
}
