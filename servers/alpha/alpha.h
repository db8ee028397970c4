/* Alpha, the first process: builds the declared system (alpha_spec.h) and starts it. */
#pragma once

#include <alpha_spec.h>
#include <koito.h>
#include <koito_spawn.h>
#include <liba9n.h>

/* Alpha's root slots: the objects of the spec from OBJECT_SLOT_BASE on (objects[i] in slot
 * OBJECT_SLOT_BASE + i), its own scratch objects after them. */
enum {
    OBJECT_SLOT_BASE = ALPHA_OBJECT_SLOT_BASE,
    SCRATCH_SLOT_END = 1u << A9N_ROOT_NODE_RADIX,
    ASID_POOL_SLOT_FIRST = OBJECT_SLOT_BASE - ALPHA_ASID_POOLS, /* pools beyond the boot one */
};

#define ALPHA_ROOT koito_root(A9N_ROOT_SLOT_NODE)

extern const struct a9n_boot_info *boot;
/* Alpha's own objects (page tables, copies, interrupt ports, IO ranges). */
extern struct koito_pool scratch;

static inline unsigned object_slot(uint32_t index)
{
    return OBJECT_SLOT_BASE + index;
}

/* Makes every object of the spec, largest first, from the boot Generics. */
bool alpha_create_objects(void);
/* Builds process `i`: image, stack, IPC buffer, maps, Node contents, configuration. */
bool alpha_build_process(uint32_t i);
/* The boot module "<image>.elf", or NULL. */
const struct a9n_boot_module *alpha_find_module(const char *image);
/* Process p's image frames: root slots alpha_image_slots[alpha_image_first[p] ..
 * alpha_image_first[p + 1]), in load order. */
extern uint32_t alpha_image_slots[ALPHA_MAX_IMAGE_PAGES];
extern uint32_t alpha_image_first[ALPHA_MAX_PROCESSES + 1];
/* The ASID Pools made for `asid_pool` capabilities: pool K (alpha_cap.object) in root slot
 * alpha_asid_pool_slots[K] (0: not made). */
extern uint32_t alpha_asid_pool_slots[A9N_LIMIT_ASID_POOLS];

/* Right after the objects are made: learns where each object lives (its physical address,
 * from the kernel's records), for verification to recognise it wherever it moves. */
bool alpha_learn_objects(void);
/* Reads the whole live state back from the kernel (Debug INTROSPECT), prints it in the
 * form of `capgen tree`'s state part and compares it with the expected state, line by line.
 * Returns true if they are equal; otherwise it has named the first difference. */
bool alpha_verify(unsigned *slots, unsigned *maps);
/* The capability records the last read-back found (ALPHA_MAX_RECORDS at most). */
uint32_t alpha_record_total(void);
/* Converts from the boot Generics (first that has room) into Alpha's root slot `slot`. */
bool alpha_convert(unsigned type, unsigned specific_bits, unsigned slot);
