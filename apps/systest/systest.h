/*
 * The in-system test suite: runs as the first process with every capability, and prints
 * TAP-like lines ("ok 3 - node_copy", "not ok 4 - ...") and a final "N passed, M failed".
 * Each test gets a fresh Generic to make objects from and a fresh range of root slots;
 * afterwards both are revoked, so no test sees another's objects.
 */
#pragma once

#include <koito.h>
#include <koito_spawn.h>
#include <liba9n.h>
#include <stdbool.h>

struct systest {
    const char *name;
    void (*run)(void);
};

#define TEST(fn)                                                                                   \
    static void fn(void);                                                                          \
    __attribute__((used, section("systests"),                                                      \
                   aligned(8))) static const struct systest fn##_entry = {#fn, fn};                \
    static void fn(void)

void systest_fail(const char *file, int line, const char *what, long got, long want);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            systest_fail(__FILE__, __LINE__, #cond, 0, 0);                                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(expr, want)                                                                       \
    do {                                                                                           \
        long got_ = (long)(expr), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                       \
            systest_fail(__FILE__, __LINE__, #expr, got_, want_);                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_OK(expr) CHECK_EQ(expr, A9N_SUCCESS)

/* ---- the environment ---- */

/*
 * Where the suite finds its capabilities: as the first process (the root slot layout of
 * a9n/boot.h, apps/systest) or as a declared process built by Alpha (SYSTEST_DECLARED:
 * capgen's caps/systest.h, test/systems/systest.cap.yaml).
 */
#ifdef SYSTEST_DECLARED
#include <alpha_spec.h>
#include <caps/systest.h>
#define ROOT_RADIX            CAPS_NODE_RADIX
#define SLOT_NODE             CAP_node_SLOT
#define SLOT_PROCESS          CAP_process_SLOT
#define SLOT_ADDRESS_SPACE    CAP_address_space_SLOT
#define SLOT_IO_PORT          CAP_io_SLOT
#define SLOT_INTERRUPT_REGION CAP_irq_region_SLOT
#define SLOT_DEBUG            CAP_debug_SLOT
#define SLOT_ASID_POOL        CAP_asid_pool_SLOT
#define IPC_BUFFER_ADDRESS    ALPHA_IPC_BUFFER
#define TOP_PRIORITY          CAPS_PRIORITY
#else
#define ROOT_RADIX            A9N_ROOT_NODE_RADIX
#define SLOT_NODE             A9N_ROOT_SLOT_NODE
#define SLOT_PROCESS          A9N_ROOT_SLOT_PROCESS
#define SLOT_ADDRESS_SPACE    A9N_ROOT_SLOT_ADDRESS_SPACE
#define SLOT_IO_PORT          A9N_ROOT_SLOT_IO_PORT
#define SLOT_INTERRUPT_REGION A9N_ROOT_SLOT_INTERRUPT_REGION
#define SLOT_DEBUG            A9N_ROOT_SLOT_DEBUG
#define SLOT_ASID_POOL        A9N_ROOT_SLOT_ASID_POOL
#define IPC_BUFFER_ADDRESS    (boot_info->ipc_buffer_address)
#define TOP_PRIORITY          255
#endif

/* The descriptor of root slot `index`. */
static inline a9n_word D(a9n_word index)
{
    return a9n_descriptor_root(index, ROOT_RADIX);
}

extern const struct a9n_boot_info *boot_info; /* NULL when declared */
/* Our image frames and IPC buffer, for making children. */
extern struct koito_image self_image;

/* Slots of the current test (freed after it). */
unsigned slot_alloc(void);
/* Per-test setup of the environment (after the test's Generic exists). */
void env_begin_test(void);
/* The Generic every test's Generic comes from (16 MiB): a test that needs more memory
 * than its own Generic converts a Generic from it into one of its slots, and revokes what
 * it made itself. */
enum { SYSTEST_POOL_SLOT = 9 };
extern unsigned pool_generic;
/* The current test's Generic (2 MiB). */
extern unsigned test_generic;
/* A new object made from the test's Generic, in a new slot; 0 if CONVERT failed. An
 * Address Space also gets an ASID from our ASID Pool (SLOT_ASID_POOL). */
unsigned make(unsigned type, unsigned specific_bits);

/* Child processes: they share this program's image (its code, constants and data, so
 * globals are shared memory) in an Address Space of their own, with their own stack, and
 * start in `entry(arg)`. */
struct child {
    unsigned process, as, node, stack, ipc_buffer;
};
enum child_flags {
    CHILD_SHARE_ROOT = KOITO_CHILD_SHARE_ROOT, /* its root Node is ours; else its own */
    CHILD_NO_DATA = KOITO_CHILD_NO_DATA,       /* do not map our data pages */
};
bool child_create(struct child *c, void (*entry)(a9n_word), a9n_word arg, unsigned priority,
                  unsigned resolver_slot, unsigned flags);

/* Returns once no child of priority above 1 can run (all blocked, parked or suspended):
 * a child at priority 1 wakes us, and it runs only then. */
void settle(void);

/* Blocks the calling child for good (until the test's cleanup destroys it). */
_Noreturn void park(void);

/* A port the test can block on. */
unsigned make_port(void);

/* Blocks in RECEIVE on `port` and returns the message (CHECK the error). */
a9n_error receive(unsigned port, struct a9n_message *m);

/* The test's slots and Generic. */
extern struct koito_pool test_pool;

/* The stack top and shared-data address a child uses. */
#define CHILD_STACK_ADDRESS KOITO_CHILD_STACK
#define SCRATCH_ADDRESS     0x20000000ull
