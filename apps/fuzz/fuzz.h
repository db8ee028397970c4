/*
 * The in-system adversary (apps/fuzz): a supervisor runs rounds; in each round it builds a
 * few unprivileged worker processes out of one Generic, lets them make random and
 * type-guided calls on every kind of object, then destroys everything and checks that the
 * kernel gave every resource back and that no process's memory was touched by another.
 *
 * Workers and their children share no writable memory with anyone: they run this image's
 * code and constants only (no .data, no .bss), and keep their state in pages of their own
 * at the addresses below. Code that runs in a worker or child must therefore never use a
 * global variable; it reaches its state through WORKER_STATE.
 */
#pragma once

#include <a9n/abi.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- the PRNG (splitmix64: one word of state, every seed is good) ---- */

static inline uint64_t fuzz_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A number in [0, n) (n > 0). */
static inline uint64_t fuzz_below(uint64_t *state, uint64_t n)
{
    return fuzz_next(state) % n;
}

/* One word of a canary pattern: a function of the seed, the owner and the position only. */
static inline uint64_t fuzz_canary(uint64_t seed, uint64_t owner, uint64_t index)
{
    uint64_t s = seed ^ (owner << 48) ^ (index * 0x2545f4914f6cdd1dull);
    return fuzz_next(&s);
}

/* ---- operation classes (the mask on the command line; all on by default) ---- */

enum fuzz_class {
    FUZZ_NODE = 1u << 0,     /* copy, move, mint, demote, remove, revoke; bursts (wide, deep) */
    FUZZ_CONVERT = 1u << 1,  /* Generic CONVERT of every type, random sizes and counts */
    FUZZ_VSPACE = 1u << 2,   /* Address Space MAP/UNMAP/GET_UNSET_DEPTH, Frame GET_ADDRESS, COPY */
    FUZZ_PROCESS = 1u << 3,  /* CONFIGURE, READ/WRITE_REGISTER, RESUME, SUSPEND */
    FUZZ_IPC = 1u << 4,      /* IPC Port calls that cannot block, IDENTIFY */
    FUZZ_NOTIFY = 1u << 5,   /* Notification Port NOTIFY, POLL, IDENTIFY */
    FUZZ_IRQ = 1u << 6,      /* Interrupt Region MAKE_PORT, Interrupt Port BIND/UNBIND/ACK */
    FUZZ_IO = 1u << 7,       /* IO Port READ/WRITE/MINT */
    FUZZ_DEBUG = 1u << 8,    /* Debug INTROSPECT (with ranges left out); WRITE (refused) */
    FUZZ_SPAWN = 1u << 9,    /* children that run random calls, block, fault and are killed */
    FUZZ_GARBAGE = 1u << 10, /* random descriptors, operations and arguments */
    FUZZ_TOUCH = 1u << 11,   /* map a Frame into ourselves, write and read it back */
    FUZZ_BLOCK = 1u << 12,   /* the worker itself makes blocking calls (SEND, CALL, WAIT) */
    FUZZ_PROBE = 1u << 13,   /* a Frame unmapped or deleted must be unreachable at once */
    FUZZ_TLS = 1u << 14,     /* children load FS selectors; workers check their TLS base */
    FUZZ_ALL = (1u << 15) - 1,
};

/* ---- worker layout ---- */

#define WORKERS           3
#define WORKER_PRIORITY   100
#define WORKER_RADIX      A9N_ROOT_NODE_RADIX /* libc's spawn helpers work in a worker */
#define WORKER_SLOTS      (1u << WORKER_RADIX)
#define WORKER_GEN_BITS   22            /* the Generic each worker converts from */
#define WORKER_STACK      0x10000000ull /* 4 pages; the top is WORKER_STACK + 0x4000 */
#define WORKER_STACK_PGS  4
#define WORKER_IPC        0x10010000ull
#define WORKER_STATE      0x20000000ull /* struct worker_state, private */
#define WORKER_STATE_PGS  20
#define WORKER_REPORT     0x21000000ull /* struct fuzz_report, shared with the supervisor */
#define WORKER_CANARY     0x30000000ull /* canary pages, private (the supervisor reads them) */
#define WORKER_CANARY_PGS 2
#define WORKER_SCRATCH    0x40000000ull     /* where FUZZ_TOUCH maps its frames */
#define WORKER_PROBE      0x600000000000ull /* FUZZ_PROBE's own addresses (nothing else's) */

/* Slots of a worker's root Node. */
enum worker_slot {
    WS_NODE = 1,     /* the Node itself */
    WS_GENERIC = 2,  /* its Generic */
    WS_AS = 3,       /* its own Address Space (all rights: it may map into itself) */
    WS_PROCESS = 4,  /* its own Process, READ only */
    WS_DEBUG = 5,    /* Debug, READ only */
    WS_IO = 6,       /* IO ports 0x80..0x8f */
    WS_IRQ = 7,      /* the Interrupt Region (WRITE) */
    WS_RESOLVER = 8, /* the port its children fault to */
    WS_SHARED = 9,   /* objects every worker holds; worker 0 holds the originals */
    WS_SHARED_COUNT = 7,
    WS_IMAGE = 16,      /* this image's code and constant Frames, READ|COPY */
    WS_ASID_POOL = 255, /* its own ASID Pool (READ, WRITE) */
    WS_FREE = 256,      /* first slot for what it makes */
    WS_SPAWN = 3072,    /* slots 3072.. are for its children's objects */
};

/* The page the worker and the supervisor share: the supervisor writes the parameters before
 * the worker starts; the worker counts as it goes. */
struct fuzz_report {
    uint64_t magic; /* first: the worker's TLS base is this page, so %fs:0 reads it */
    uint64_t seed;  /* this worker's seed for this round */
    uint64_t ops;   /* how many operations to make */
    uint64_t mask;  /* enum fuzz_class */
    uint64_t id;    /* worker number */
    uint64_t canary_seed;
    uint64_t image_frames; /* code and constant Frames at WS_IMAGE */
    /* written by the worker */
    uint64_t invocations;   /* system calls made */
    uint64_t done;          /* set just before it stops (by a deliberate #UD) */
    uint64_t canary_bad;    /* canary or private words found changed */
    uint64_t touch_bad;     /* a mapped Frame that did not read back what was written */
    uint64_t spawned;       /* children started */
    uint64_t probe_address; /* the worker reads here and expects a page fault */
    uint64_t probes;        /* probes made (each one fault the supervisor turned back) */
    uint64_t stale;         /* probes that read memory instead of faulting */
    uint64_t stale_how;     /* how the first of them came about (worker.c, op_probe) */
    uint64_t tls_bad;       /* %fs:0 did not read this page's magic */
    uint64_t errors[A9N_ERROR_COUNT + 1]; /* results by error code (last: unknown codes) */
    uint64_t last_op;                     /* what it was doing when it stopped (for reports) */
};

#define FUZZ_REPORT_MAGIC 0x6b6f69746f66757aull

/* The worker's entry (no globals: everything through its state pages). */
void worker_main(a9n_word unused);

/* fuzz_probe_read(address): one load from `address`. If it faults, the supervisor sets RAX
 * to FUZZ_PROBE_FAULTED and resumes at fuzz_probe_resume (worker.c). */
uint64_t fuzz_probe_read(a9n_word address);
extern char fuzz_probe_load[], fuzz_probe_resume[];
#define FUZZ_PROBE_FAULTED 0xfa017ed0fa017ed0ull
