/*
 * libctest: koito-libc checked in KOITO. newlib's printf and scanf families, strtol and strtod
 * on 10^5 generated cases each, compared with the host's glibc (hashes per 1,000 cases,
 * libctest-gen); libm against glibc within a bound in ulps; malloc under a random load, its
 * heap from the Buddy server and given back; setjmp/longjmp; and the system layer's refusals.
 * TAP lines, then "N passed, M failed"; main returns and exit() (atexit) stops the machine.
 */
#define _DEFAULT_SOURCE /* newlib: kill, sbrk, malloc_trim */
#include <alpha_spec.h>
#include <caps/libctest.h>
#include <errno.h>
#include <fcntl.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_heap.h>
#include <koito_program.h>
#include <malloc.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"

/* libctest-gen's tables (build/libctest/vectors.c). */
extern const uint64_t libc_expected[FAMILIES][LIBC_BLOCKS];
extern const uint64_t libm_expected[][LIBC_MATH_POINTS];

#define HEAP_PAGES 1024 /* 4 MiB: the Buddy quota in libc.cap.yaml */

static unsigned tests, failures;

static void check(bool ok, const char *name)
{
    tests++;
    if (!ok)
        failures++;
    printf("%sok %u - %s\n", ok ? "" : "not ", tests, name);
}

KOITO_STANDARD_SETUP(HEAP_PAGES)

static void check_family(enum libc_family family)
{
    unsigned bad = 0, first = 0;
    for (uint32_t b = 0; b < LIBC_BLOCKS; b++) {
        if (libc_block_hash(family, b) != libc_expected[family][b]) {
            if (bad++ == 0)
                first = b;
        }
    }
    if (bad != 0) {
        static char out[2048], in[256];
        libc_case(family, first * LIBC_BLOCK, out, sizeof out, in, sizeof in);
        printf("# %s: %u of %u blocks differ from glibc; the first is %u, whose first case "
               "is [%s] -> [%.200s]\n",
               libc_family_names[family], bad, LIBC_BLOCKS, first, in, out);
    }
    char name[80];
    snprintf(name, sizeof name, "%s: %u cases as glibc makes them", libc_family_names[family],
             LIBC_CASES);
    check(bad == 0, name);
}

/* The distance in ulps between two doubles (of one sign; else a large number). */
static uint64_t ulps(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b) ? 0 : UINT64_MAX;
    int64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    if (x < 0)
        x = INT64_MIN - x;
    if (y < 0)
        y = INT64_MIN - y;
    return x > y ? (uint64_t)(x - y) : (uint64_t)(y - x);
}

static void check_libm(void)
{
    for (unsigned f = 0; f < libm_function_count; f++) {
        uint64_t worst = 0;
        unsigned worst_k = 0;
        for (unsigned k = 0; k < LIBC_MATH_POINTS; k++) {
            double want;
            memcpy(&want, &libm_expected[f][k], sizeof want);
            uint64_t d = ulps(libm_call(f, k), want);
            if (d > worst) {
                worst = d;
                worst_k = k;
            }
        }
        const struct libm_function *m = &libm_functions[f];
        char name[120];
        snprintf(name, sizeof name, "libm %s: %u inputs within %u ulp of glibc (worst %llu)",
                 m->name, LIBC_MATH_POINTS, m->bound, (unsigned long long)worst);
        if (worst > m->bound) {
            double x, y;
            libm_input(f, worst_k, &x, &y);
            printf("# %s(%a, %a) = %a here\n", m->name, x, y, libm_call(f, worst_k));
        }
        check(worst <= m->bound, name);
    }
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned char pattern(unsigned slot, size_t k)
{
    return (unsigned char)(slot * 31 + k * 7 + 1);
}

/* The Buddy's account of this client: bytes it holds now. */
static a9n_word buddy_bytes(void)
{
    struct koito_ulmm pages = {CAP_pages, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                               CAPS_NODE_RADIX};
    a9n_word stats[ULMM_REPLY_MAX - 1] = {0};
    if (koito_ulmm_stats(&pages, ULMM_OP_STATS_CLIENT, ULMM_STATS_BUDDY, stats) != 0)
        return (a9n_word)-1;
    return stats[0];
}

static void check_malloc(void)
{
    enum { SLOTS = 256, ROUNDS = 20000 };
    static unsigned char *block[SLOTS];
    static size_t size[SLOTS];
    a9n_word before = buddy_bytes();
    unsigned corrupt = 0, refused = 0, peak_pages = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        unsigned s = (unsigned)(next() % SLOTS);
        if (block[s] != NULL) {
            for (size_t k = 0; k < size[s]; k += 1 + size[s] / 64)
                corrupt += block[s][k] != pattern(s, k);
            free(block[s]);
            block[s] = NULL;
            continue;
        }
        /* 16 B to 64 KiB, mostly small, some 256 KiB. */
        size_t n = next() % 8 == 0 ? 16 + next() % 65520 : 16 + next() % 512;
        if (next() % 500 == 0)
            n = 256 * 1024;
        block[s] = (next() & 1) ? malloc(n) : calloc(1, n);
        if (block[s] == NULL) {
            refused++;
            continue;
        }
        size[s] = n;
        for (size_t k = 0; k < n; k += 1 + n / 64)
            block[s][k] = pattern(s, k);
        if (koito_heap_pages() > peak_pages)
            peak_pages = koito_heap_pages();
    }
    for (unsigned s = 0; s < SLOTS; s++) {
        if (block[s] != NULL) {
            for (size_t k = 0; k < size[s]; k += 1 + size[s] / 64)
                corrupt += block[s][k] != pattern(s, k);
        }
        free(block[s]);
        block[s] = NULL;
    }
    check(corrupt == 0 && refused == 0, "malloc: 20,000 random mallocs, callocs and frees keep "
                                        "every byte");
    printf("# malloc: the heap grew to %u pages from the Buddy server\n", peak_pages);
    malloc_trim(0);
    a9n_word after = buddy_bytes();
    printf("# malloc: after free and malloc_trim: %u pages mapped, the Buddy counts %lu bytes "
           "(before: %lu)\n",
           koito_heap_pages(), (unsigned long)after, (unsigned long)before);
    check(peak_pages > 64 && koito_heap_pages() < peak_pages / 4 &&
              after == (a9n_word)koito_heap_pages() * 4096,
          "malloc: the heap grew through the Buddy server and went back to it");

    /* calloc of trimmed-and-regrown memory is zero. */
    unsigned char *p = calloc(1, 300000);
    bool zero = p != NULL;
    for (size_t k = 0; zero && k < 300000; k++)
        zero = p[k] == 0;
    free(p);
    check(zero, "calloc: memory given back and taken again is zero");

    errno = 0;
    void *huge = malloc((size_t)8 << 20); /* twice the quota */
    check(huge == NULL && errno == ENOMEM, "malloc: past the Buddy quota, NULL and ENOMEM");
    void *again = malloc(1000);
    check(again != NULL, "malloc: still serves after a refusal");
    free(again);
}

static jmp_buf outer, inner;
static int depth_reached;

static void dive(int depth)
{
    volatile char frame[64];
    frame[0] = (char)depth;
    depth_reached = depth;
    if (depth == 50)
        longjmp(outer, depth + frame[0]);
    dive(depth + 1);
}

static void check_setjmp(void)
{
    volatile int counter = 0;
    int v = setjmp(outer);
    if (v == 0) {
        counter = 1;
        dive(0);
    }
    check(v == 100 && counter == 1 && depth_reached == 50,
          "setjmp/longjmp: out of 50 nested calls with the value and locals kept");

    /* Counted, so that a longjmp that makes setjmp return 0 fails here and does not loop. */
    volatile int jumps = 0;
    v = setjmp(inner);
    if (jumps++ == 0)
        longjmp(inner, 0);
    check(v == 1 && jumps == 2, "longjmp(env, 0) makes setjmp return 1");

    /* Callee-saved registers survive: a computation across a longjmp. */
    volatile double acc = 1.5;
    volatile long total = 0;
    for (int round = 0; round < 3; round++) {
        if (setjmp(inner) == 0) {
            total += round;
            acc *= 2;
            longjmp(inner, round + 1);
        }
    }
    check(total == 3 && acc == 12.0, "setjmp in a loop: three jumps, state kept");
}

static void check_refusals(void)
{
    errno = 0;
    check(open("/etc/passwd", O_RDONLY) == -1 && errno == ENOENT,
          "open: no file store yet, ENOENT");
    errno = 0;
    check(fopen("data.txt", "r") == NULL && errno == ENOENT, "fopen: ENOENT");
    char c;
    errno = 0;
    check(read(STDIN_FILENO, &c, 1) == -1 && errno == ENOSYS, "read(stdin): ENOSYS, no hang");
    errno = 0;
    check(read(STDOUT_FILENO, &c, 1) == -1 && errno == EBADF, "read(stdout): EBADF");
    errno = 0;
    check(read(7, &c, 1) == -1 && errno == EBADF, "read(7): EBADF");
    errno = 0;
    check(write(STDIN_FILENO, "x", 1) == -1 && errno == EBADF, "write(stdin): EBADF");
    errno = 0;
    check(lseek(STDOUT_FILENO, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek(stdout): ESPIPE");
    check(isatty(STDOUT_FILENO) == 1 && isatty(9) == 0, "isatty: the console only");
    errno = 0;
    check(kill(42, SIGTERM) == -1 && errno == ESRCH, "kill(another process): ESRCH");
    errno = 0;
    check(kill(getpid(), 99) == -1 && errno == EINVAL, "kill(self, bad signal): EINVAL");
    errno = 0;
    check(unlink("x") == -1 && errno == EROFS, "unlink: EROFS");
    errno = 0;
    check(getchar() == EOF && ferror(stdin), "getchar: EOF with the error set, no hang");
    errno = 0;
    check(sbrk((ptrdiff_t)64 << 20) == (void *)-1 && errno == ENOMEM,
          "sbrk past the heap's limit: ENOMEM");
}

static void check_time(void)
{
    struct timeval a, b;
    bool ok = gettimeofday(&a, NULL) == 0;
    volatile double x = 0;
    for (int k = 0; k < 100000; k++)
        x += k;
    ok = ok && x > 0 && gettimeofday(&b, NULL) == 0;
    time_t now = time(NULL);
    struct tm *tm = gmtime(&now);
    printf("# time: %04d-%02d-%02d %02d:%02d:%02d from the RTC, TSC at %llu Hz\n",
           tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
           (unsigned long long)koito_tsc_hz());
    check(ok && tm->tm_year + 1900 >= 2020 &&
              (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_usec >= a.tv_usec)),
          "gettimeofday/time: the RTC's date, then forward with the TSC");
    clock_t c0 = clock();
    for (int k = 0; k < 200000; k++)
        x += k;
    clock_t c1 = clock();
    check(c0 >= 0 && c1 > c0 && x > 0, "clock: CPU time moves forward");
}

static void finish(void)
{
    printf("%u passed, %u failed\n", tests - failures, failures);
    fflush(stdout);
    koito_console_shutdown(CAP_console, failures == 0);
}

int main(void)
{
    printf("libctest: koito-libc (newlib) in KOITO\n");
    /* Returning from main is exit(): the atexit function reports and stops the machine. */
    atexit(finish);
    check_refusals();
    check_setjmp();
    check_time();
    check_malloc();
    check_libm();
    for (unsigned f = 0; f < FAMILIES; f++)
        check_family((enum libc_family)f);
    return 0;
}
