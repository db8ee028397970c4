/* The Linux half of the side-by-side IPC benchmark: runs as /init (PID 1) in a tiny initramfs
 * under the same QEMU setup as KOITO, prints `bench:` lines on the serial console and powers off.
 *
 * Time is read with `lfence; rdtsc` before and `rdtscp; lfence` after the measured code (the
 * same pairing as KOITO's apps/bench), so neither earlier nor later instructions leak into the
 * interval. Under QEMU -icount shift=0 the guest TSC advances one tick per guest instruction,
 * so every figure is a deterministic instruction count; on hardware it would be cycles.
 *
 * Each benchmark warms up for WARMUP iterations, then times ITERATIONS single operations and
 * reports median, p1 and p99 of the sorted samples. Every figure except timing_overhead is net
 * of the timing_overhead median (clamped at zero), so it is the cost of the operation alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcbench.h" /* apps/libcbench: the malloc mix and Lua, the same C as on KOITO */

#define WARMUP     1000
#define ITERATIONS 10000

static uint64_t samples[ITERATIONS];
static uint64_t overhead;

static inline uint64_t tsc_begin(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_end(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi)::"rcx", "memory");
    return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts the samples and prints one line; returns the median for later subtraction. */
static uint64_t report(const char *name)
{
    qsort(samples, ITERATIONS, sizeof samples[0], cmp_u64);
    uint64_t median = samples[ITERATIONS / 2];
    printf("bench: %s median %llu p1 %llu p99 %llu iterations %d unit instructions\n", name,
           (unsigned long long)median, (unsigned long long)samples[ITERATIONS / 100],
           (unsigned long long)samples[ITERATIONS * 99 / 100], ITERATIONS);
    fflush(stdout);
    return median;
}

static uint64_t net(uint64_t t0, uint64_t t1)
{
    uint64_t d = t1 - t0;
    return d > overhead ? d - overhead : 0;
}

static void die(const char *what)
{
    printf("linuxbench: %s failed: %s\n", what, strerror(errno));
    fflush(stdout);
    reboot(RB_POWER_OFF);
    _exit(1);
}

static void bench_overhead(void)
{
    for (int i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        uint64_t t1 = tsc_end();
        if (i >= WARMUP)
            samples[i - WARMUP] = t1 - t0;
    }
    overhead = report("timing_overhead");
}

static void bench_getppid(void)
{
    for (int i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        getppid(); /* glibc issues the syscall every time: no vDSO or caching for getppid */
        uint64_t t1 = tsc_end();
        if (i >= WARMUP)
            samples[i - WARMUP] = net(t0, t1);
    }
    report("getppid");
}

/* One round trip = parent writes a byte to pipe A, child reads it and answers on pipe B, parent
 * reads the answer: two context switches and four pipe calls, as in `perf bench sched pipe`. */
static void bench_pipe(void)
{
    int a[2], b[2];
    char c = 'x';
    if (pipe(a) < 0 || pipe(b) < 0)
        die("pipe");
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        while (read(a[0], &c, 1) == 1)
            if (write(b[1], &c, 1) != 1)
                _exit(1);
        _exit(0); /* EOF on A: the parent is done */
    }
    close(a[0]);
    close(b[1]);
    for (int i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
            die("pipe round trip");
        uint64_t t1 = tsc_end();
        if (i >= WARMUP)
            samples[i - WARMUP] = net(t0, t1);
    }
    close(a[1]);
    close(b[0]);
    waitpid(pid, NULL, 0); /* PID 1 reaps its child so none is left runnable for the next test */
    report("pipe_roundtrip");
}

/* With nothing else runnable this is a syscall plus one pass through the scheduler. */
static void bench_sched_yield(void)
{
    for (int i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        sched_yield();
        uint64_t t1 = tsc_end();
        if (i >= WARMUP)
            samples[i - WARMUP] = net(t0, t1);
    }
    report("sched_yield");
}

/* The counterpart of KOITO's Buddy cycles: map anonymous memory, touch its first and last
 * word (page faults allocate and clear the pages: for 2 MiB two 4 KiB pages, unless a
 * transparent huge page backs it), unmap it. */
static void bench_mmap(const char *name, size_t size)
{
    for (int i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        volatile uint64_t *p =
            mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap");
        p[0] = 1;
        p[size / 8 - 1] = 2;
        if (munmap((void *)p, size) != 0)
            die("munmap");
        uint64_t t1 = tsc_end();
        if (i >= WARMUP)
            samples[i - WARMUP] = net(t0, t1);
    }
    report(name);
}

/* The libc rows in a child of their own: a fresh heap, as KOITO's libcbench process has. */
static void bench_libc(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        bool ok = libcbench_malloc_mix("instructions");
#ifdef LIBCBENCH_LUA
        ok = libcbench_lua("/cpu.lua", "instructions") && ok;
#else
        printf("bench: skipped lua_cpu_script (Debian's lua5.4 source was not fetched)\n");
#endif
        fflush(stdout);
        _exit(ok ? 0 : 1);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        printf("linuxbench: the libc benchmarks failed\n");
}

/* What KOITO's 2 MiB cycle gives, done Linux's way: 2 MiB mapped, every 4 KiB page of it
 * touched (each fault allocates and clears one page: 2 MiB cleared in all, as KOITO's
 * CONVERT clears its frame), unmapped. Millions of instructions a cycle: fewer samples. */
enum { ALL_WARMUP = 20, ALL_ITERATIONS = 200 };
static void bench_mmap_2m_touch_all(void)
{
    const size_t size = 2u << 20;
    for (int i = 0; i < ALL_WARMUP + ALL_ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        volatile uint64_t *p =
            mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap");
        for (size_t o = 0; o < size / 8; o += 4096 / 8)
            p[o] = o;
        if (munmap((void *)p, size) != 0)
            die("munmap");
        uint64_t t1 = tsc_end();
        if (i >= ALL_WARMUP)
            samples[i - ALL_WARMUP] = net(t0, t1);
    }
    qsort(samples, ALL_ITERATIONS, sizeof samples[0], cmp_u64);
    printf("bench: mmap_2m_touch_all_cycle median %llu p1 %llu p99 %llu iterations %d unit "
           "instructions\n",
           (unsigned long long)samples[ALL_ITERATIONS / 2],
           (unsigned long long)samples[ALL_ITERATIONS / 100],
           (unsigned long long)samples[ALL_ITERATIONS * 99 / 100], ALL_ITERATIONS);
    fflush(stdout);
}

int main(void)
{
    /* The kernel opens /dev/console as fds 0-2 only if the initramfs has that node; the runner
     * builds the archive unprivileged without device nodes, so fall back to devtmpfs. */
    if (fcntl(1, F_GETFD) < 0) {
        mkdir("/dev", 0755);
        if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) == 0) {
            int fd = open("/dev/console", O_RDWR);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    bench_overhead();
    bench_getppid();
    bench_pipe();
    bench_sched_yield();
    bench_mmap("mmap_4k_cycle", 4096);
    bench_mmap("mmap_2m_cycle", 2u << 20);
    bench_mmap_2m_touch_all();
    bench_libc();
    printf("bench: done\n");
    fflush(stdout);

    sync();
    reboot(RB_POWER_OFF);
    return 1; /* only if power-off failed; PID 1 exiting panics and panic=-1 ends QEMU */
}
