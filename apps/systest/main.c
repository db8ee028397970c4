/* The systest driver: sets up each test's resources, runs it, tears them down, reports. */
#include "systest.h"

#include <string.h>

extern const struct systest __start_systests[], __stop_systests[];

const struct a9n_boot_info *boot_info;
struct koito_image self_image;
unsigned test_generic;

enum {
    POOL_SLOT = SYSTEST_POOL_SLOT, /* the Generic every test's Generic comes from */
    TEST_GENERIC_SLOT = 10,
    TEST_SLOTS_FIRST = 2048,
    TEST_SLOTS_END = 4096,
    TEST_GENERIC_BITS = 21,
    POOL_BITS = 24,
};

struct koito_pool test_pool;
unsigned pool_generic = POOL_SLOT;
static bool current_failed;
static int passed, failed;

unsigned slot_alloc(void)
{
    return koito_slot(&test_pool);
}

unsigned make(unsigned type, unsigned specific_bits)
{
    test_pool.generic = test_generic;
    /* An Address Space is of use only with an ASID: it gets one from our pool. */
    if (type == A9N_OBJECT_ADDRESS_SPACE)
        return koito_make_address_space(&test_pool);
    return koito_make(&test_pool, type, specific_bits);
}

void systest_fail(const char *file, int line, const char *what, long got, long want)
{
    if (got != want)
        printf("#   %s:%d: %s is %ld, expected %ld\n", file, line, what, got, want);
    else
        printf("#   %s:%d: %s\n", file, line, what);
    current_failed = true;
}

/* Takes POOL_BITS for the tests: from our pool Generic when declared, else from the largest
 * boot Generic. */
static bool make_pool(void)
{
#ifdef SYSTEST_DECLARED
    return a9n_generic_convert(D(CAP_buddy_SLOT), A9N_OBJECT_GENERIC, POOL_BITS, 1, D(SLOT_NODE),
                               POOL_SLOT) == A9N_SUCCESS;
#endif
    unsigned best = 0, best_bits = 0;
    for (unsigned i = 0; i < boot_info->generic_count; i++) {
        unsigned bits = boot_info->generics[i].bits_flags & A9N_BOOT_GENERIC_BITS_MASK;
        if (bits > best_bits) {
            best_bits = bits;
            best = (unsigned)boot_info->generic_first + i;
        }
    }
    if (best_bits < POOL_BITS)
        return false;
    return a9n_generic_convert(D(best), A9N_OBJECT_GENERIC, POOL_BITS, 1, D(SLOT_NODE),
                               POOL_SLOT) == A9N_SUCCESS;
}

static void cleanup(void)
{
    /* Everything made from the test's Generic goes with it; what the test copied from
     * elsewhere into its slots is removed one by one. */
    a9n_node_revoke(D(SLOT_NODE), TEST_GENERIC_SLOT);
    a9n_node_remove(D(SLOT_NODE), TEST_GENERIC_SLOT);
    for (unsigned s = TEST_SLOTS_FIRST; s < test_pool.next; s++)
        a9n_node_remove(D(SLOT_NODE), s);
}

static void run(const struct systest *t, int number)
{
    test_pool =
        (struct koito_pool){TEST_GENERIC_SLOT, TEST_SLOTS_FIRST, TEST_SLOTS_END, SLOT_ASID_POOL, 0};
    current_failed = false;
    test_generic = TEST_GENERIC_SLOT;
    if (a9n_generic_convert(D(POOL_SLOT), A9N_OBJECT_GENERIC, TEST_GENERIC_BITS, 1, D(SLOT_NODE),
                            TEST_GENERIC_SLOT) != A9N_SUCCESS) {
        printf("#   could not make the test's Generic\n");
        current_failed = true;
    } else {
        env_begin_test();
        t->run();
    }
    cleanup();
    if (current_failed) {
        failed++;
        printf("not ok %d - %s\n", number, t->name);
    } else {
        passed++;
        printf("ok %d - %s\n", number, t->name);
    }
}

static _Noreturn void leave(bool success)
{
    koito_qemu_exit(D(SLOT_IO_PORT), success);
}

int main(void)
{
#ifdef SYSTEST_DECLARED
    /* A process of a declared system: our capabilities are where capgen put them. */
    koito_debug_cap = D(SLOT_DEBUG);
    koito_process_cap = D(SLOT_PROCESS);
    self_image = (struct koito_image){CAP_image_SLOT, ALPHA_IPC_BUFFER};
    bool boot_ok = true;
#else
    boot_info = (const struct a9n_boot_info *)koito_start_argument;
    self_image = koito_image_of_boot(boot_info);
    bool boot_ok = boot_info->magic == A9N_BOOT_INFO_MAGIC;
#endif
    printf("systest: A9N in-system tests\n");
    if (!boot_ok || !make_pool()) {
        printf("systest: bad boot info or no memory for the tests\n");
        leave(false);
    }
    int count = (int)(__stop_systests - __start_systests);
    printf("1..%d\n", count);
    for (int i = 0; i < count; i++)
        run(&__start_systests[i], i + 1);
    printf("%d passed, %d failed\n", passed, failed);
    leave(failed == 0);
}
