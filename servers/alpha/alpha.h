/* Alpha, the first process: builds the declared system (alpha_spec.h) and starts it. */
#pragma once

#include <alpha_spec.h>
#include <koito.h>
#include <koito_spawn.h>
#include <liba9n.h>

/* Alpha's root slots: the objects of the spec from OBJECT_SLOT_BASE on (objects[i] in slot
 * OBJECT_SLOT_BASE + i), its own scratch objects after them. */
enum {
    OBJECT_SLOT_BASE = 1024,
    SCRATCH_SLOT_END = 4096,
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
/* Reads the live capability tree from the kernel and prints it in capgen's text format into
 * `out` (NUL-terminated); false if it does not fit. */
bool alpha_live_tree(char *out, size_t size, unsigned *objects, unsigned *caps);
/* Converts from the boot Generics (first that has room) into Alpha's root slot `slot`. */
bool alpha_convert(unsigned type, unsigned specific_bits, unsigned slot);
