/*
 * Alpha's working tables (the records verification reads back, their index, hash and sort,
 * the image frames' slots): each has a window of addresses of its own, and pages are mapped
 * into it as it grows, so a table is as large as the system being built needs. Sized for
 * the limits (a9n/limits.h) as .bss they came to 7.7 MiB, which the kernel cleared and
 * mapped page by page at every boot and every read-back of the records walked again: most
 * of a small system's boot.
 *
 * The pages are Frames converted from the boot Generics (the kernel hands them out zeroed),
 * and the windows' page tables come from there too. Both live in the root slots after the
 * scratch, to the end of the root Node (alpha.h): Alpha's own, like its image, so never part
 * of the verified state (verify.c, keep_record). capgen counts the most they take while
 * Alpha builds and verifies (alpha_table_slots) and asks the kernel for a Node with room for
 * them; what the Node's power of two leaves over is room to grow while the system runs
 * (inspection reads the records again). A table at its limit takes no more pages (nor slots)
 * than its .bss did.
 */
#include "alpha.h"

#define TABLE_BASE   0x0000400000000000ull
#define TABLE_WINDOW 0x0000000001000000ull /* 16 MiB: more than any table at the limits */
#define PAGE         4096u

_Static_assert(ALPHA_MAX_RECORDS * sizeof(struct a9n_introspect_record) <= TABLE_WINDOW,
               "the largest table fits its window");

static size_t mapped[ALPHA_TABLE_COUNT];
static unsigned next_slot;

/* The next free slot of the tables' range (from the end of the scratch to the end of the
 * root Node), or 0. */
static unsigned table_slot(void)
{
    if (next_slot == 0)
        next_slot = SCRATCH_SLOT_END;
    if (next_slot < (1u << alpha_root_radix))
        return next_slot++;
    printf("alpha: no root slot left for a working table (%u slots from slot %u)\n",
           (1u << alpha_root_radix) - SCRATCH_SLOT_END, SCRATCH_SLOT_END);
    return 0;
}

/* A zeroed page at `va` in Alpha's own Address Space, with the page tables it lacks. */
static bool map_page(a9n_word va)
{
    a9n_word space = alpha_root(A9N_ROOT_SLOT_ADDRESS_SPACE);
    unsigned frame = table_slot();
    if (frame == 0 || !alpha_convert(A9N_OBJECT_FRAME, 12, frame))
        return false;
    /* At most three tables can be missing below the root. */
    for (int tries = 0; tries < 4; tries++) {
        a9n_error e = a9n_address_space_map(space, alpha_root(frame), va, A9N_MAP_WRITE, NULL);
        if (e != A9N_ERROR_MISSING_TABLE)
            return e == A9N_SUCCESS;
        unsigned table = table_slot();
        if (table == 0 || !alpha_convert(A9N_OBJECT_PAGE_TABLE, 0, table) ||
            a9n_address_space_map(space, alpha_root(table), va, 0, NULL) != A9N_SUCCESS)
            return false;
    }
    return false;
}

void *alpha_table(enum alpha_table_id t, size_t bytes)
{
    a9n_word base = TABLE_BASE + (a9n_word)t * TABLE_WINDOW;
    if (bytes > TABLE_WINDOW)
        return NULL;
    while (mapped[t] < bytes) {
        if (!map_page(base + mapped[t])) {
            printf("alpha: no memory left for a working table (%zu bytes)\n", bytes);
            return NULL;
        }
        mapped[t] += PAGE;
    }
    return (void *)base;
}

unsigned alpha_table_slots_taken(void)
{
    return next_slot != 0 ? next_slot - SCRATCH_SLOT_END : 0;
}
