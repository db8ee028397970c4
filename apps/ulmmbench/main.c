/*
 * The ULMM benchmarks (bench/ulmm.cap.yaml, run by `./koito bench` after the A9N ones):
 * allocation through the servers next to the kernel operations they are made of. Same
 * method as apps/bench: serialised TSC around each operation, WARMUP unmeasured runs,
 * median, p1 and p99, net of the timing overhead; under -icount, guest instructions.
 */
#include "../bench/stats.h"

#include <alpha_spec.h>
#include <caps/ulmmbench.h>
#include <koito.h>
#include <koito_ulmm.h>
#include <liba9n.h>

#define SLOT(i)     a9n_descriptor_root((i), CAPS_NODE_RADIX)
#define OBJECT_SLOT 600 /* where each allocated object or frame lands */
#define PAGE_VA     0x40000000ull
#define LARGE_VA    0x40200000ull

enum { WARMUP = 1000, ITERATIONS = 10000, LARGE_WARMUP = 20, LARGE_ITERATIONS = 200 };

static uint64_t samples[WARMUP + ITERATIONS];
static uint64_t halves[WARMUP + ITERATIONS]; /* a second sample per iteration */
static uint64_t overhead;
static unsigned failures;

static void report(const char *name, unsigned warmup, unsigned n)
{
    uint64_t *s = samples + warmup;
    for (unsigned i = 0; i < n; i++)
        s[i] = s[i] > overhead ? s[i] - overhead : 0;
    struct summary r = stats_summarize(s, n);
    printf("bench: %s median %lu p1 %lu p99 %lu iterations %u unit tsc\n", name, r.median, r.p1,
           r.p99, n);
}

static struct koito_ulmm client(a9n_word port)
{
    return (struct koito_ulmm){port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                               CAPS_NODE_RADIX};
}

static void measure_overhead(void)
{
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    overhead = stats_summarize(samples + WARMUP, ITERATIONS).median;
}

/* A request that allocates nothing: one IPC round trip to ULMM plus its decoding. Its
 * reply (4 words) fits the registers, as a free's does, so both ways take the kernel's
 * fast path. The cache statistics (7 words) do not: the second row is that request, whose
 * reply goes the kernel's full path (about 300 instructions more). */
static void bench_null_request(void)
{
    struct koito_ulmm c = client(CAP_ulmm);
    a9n_word out[ULMM_REPLY_MAX - 1];
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        failures += koito_ulmm_stats(&c, ULMM_OP_STATS_CLIENT, ULMM_CACHE_IPC_PORT, out) != 0;
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    report("ulmm_null_request", WARMUP, ITERATIONS);
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        failures += koito_ulmm_stats(&c, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, out) != 0;
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    report("ulmm_stats_cache_request", WARMUP, ITERATIONS);
}

/* The cycle, and each of its two requests on its own (the allocation's reply carries the
 * capability, so it takes the kernel's full IPC path; the free's does not). */
static void bench_slab_port(void)
{
    struct koito_ulmm c = client(CAP_ulmm);
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        a9n_word index = 0;
        uint64_t t0 = tsc_begin();
        failures += koito_ulmm_slab_alloc(&c, ULMM_CACHE_IPC_PORT, OBJECT_SLOT, &index) != 0;
        failures += koito_ulmm_slab_free(&c, ULMM_CACHE_IPC_PORT, index) != 0;
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    report("slab_port_cycle", WARMUP, ITERATIONS);
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        a9n_word index = 0;
        uint64_t t0 = tsc_begin();
        failures += koito_ulmm_slab_alloc(&c, ULMM_CACHE_IPC_PORT, OBJECT_SLOT, &index) != 0;
        uint64_t t1 = tsc_end();
        failures += koito_ulmm_slab_free(&c, ULMM_CACHE_IPC_PORT, index) != 0;
        uint64_t t2 = tsc_end();
        samples[i] = t1 - t0;
        halves[i] = t2 - t1;
    }
    report("slab_port_alloc", WARMUP, ITERATIONS);
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++)
        samples[i] = halves[i];
    report("slab_port_free", WARMUP, ITERATIONS);
}

/* What the slab cycle is made of, done directly on a Generic of our own. */
static void bench_convert_revoke(void)
{
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        failures += a9n_generic_convert(CAP_buddy, A9N_OBJECT_IPC_PORT, 0, 1, CAP_node,
                                        OBJECT_SLOT) != A9N_SUCCESS;
        failures += a9n_node_revoke(CAP_node, CAP_buddy_SLOT) != A9N_SUCCESS;
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    report("convert_revoke_port", WARMUP, ITERATIONS);
}

/* Allocate + map + touch + unmap + free of one frame of 2^order bytes at va. */
static void bench_frame_cycle(const char *name, a9n_word port, unsigned order, a9n_word va,
                              unsigned warmup, unsigned n)
{
    struct koito_ulmm pages = client(port), tables = client(CAP_ulmm);
    /* The page tables above va are made once, outside the measurement. */
    a9n_word handle = 0;
    failures += koito_ulmm_frame_alloc(&pages, order, OBJECT_SLOT, &handle) != 0;
    failures += koito_ulmm_map(&tables, CAP_address_space, OBJECT_SLOT, va, NULL) != 0;
    failures += koito_ulmm_frame_free(&pages, handle) != 0;
    volatile uint64_t *p = (volatile uint64_t *)va;
    for (unsigned i = 0; i < warmup + n; i++) {
        uint64_t t0 = tsc_begin();
        failures += koito_ulmm_frame_alloc(&pages, order, OBJECT_SLOT, &handle) != 0;
        failures += a9n_address_space_map(CAP_address_space, SLOT(OBJECT_SLOT), va,
                                          A9N_MAP_READ | A9N_MAP_WRITE, NULL) != A9N_SUCCESS;
        p[0] = i;
        failures += a9n_address_space_unmap(CAP_address_space, SLOT(OBJECT_SLOT)) != A9N_SUCCESS;
        failures += koito_ulmm_frame_free(&pages, handle) != 0;
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    report(name, warmup, n);
}

int main(void)
{
    koito_debug_cap = CAP_debug;
    printf("bench: ULMM benchmarks, %u iterations after %u warm-up (2 MiB: %u after %u)\n",
           ITERATIONS, WARMUP, LARGE_ITERATIONS, LARGE_WARMUP);
    measure_overhead();
    bench_null_request();
    bench_slab_port();
    bench_convert_revoke();
    bench_frame_cycle("buddy_4k_cycle", CAP_pages, 12, PAGE_VA, WARMUP, ITERATIONS);
    bench_frame_cycle("buddy_4k_cycle_pool_1m", CAP_pages1, 12, PAGE_VA + 0x2000, WARMUP,
                      ITERATIONS);
    bench_frame_cycle("buddy_4k_cycle_pool_64m", CAP_pages64, 12, PAGE_VA + 0x1000, WARMUP,
                      ITERATIONS);
    bench_frame_cycle("buddy_4k_cycle_pool_1g", CAP_pages1g, 12, PAGE_VA + 0x3000, WARMUP,
                      ITERATIONS);
    bench_frame_cycle("buddy_2m_cycle", CAP_pages, 21, LARGE_VA, LARGE_WARMUP, LARGE_ITERATIONS);
    if (failures != 0)
        printf("bench: ulmm: %u operations failed\n", failures);
    printf("bench: ulmm done\n");
    koito_qemu_exit(CAP_io, failures == 0);
}
