/*
 * The HAL for address spaces: the arch's page-table format behind arch-neutral calls.
 * Tables are kernel objects (Address Space = root table, Page Table = inner table), made
 * from Generic memory by the core and passed here by their kernel virtual address.
 *
 * Levels count down to the leaves: the root is level HAL_VSPACE_ROOT_LEVEL, a Page Table
 * object serves one of the levels below it, and Frames are mapped by entries of level 0
 * tables (4 KiB) or level 1 tables (2 MiB).
 */
#pragma once

#include <hal/hal.h>

enum {
    HAL_VSPACE_ROOT_LEVEL = 3, /* x86_64: PML4 = 3, PDPT = 2, PD = 1, PT = 0 */
};

enum hal_vspace_result {
    HAL_VSPACE_OK = 0,
    HAL_VSPACE_MISSING,     /* a table on the way is not mapped: see *missing_level */
    HAL_VSPACE_OCCUPIED,    /* the entry is already in use, or a large page covers it */
    HAL_VSPACE_BAD_ADDRESS, /* not a user address, or not aligned for the request */
    HAL_VSPACE_NOT_MAPPED,  /* unmap: the entry does not map what the caller names */
};

enum hal_vspace_rights {
    HAL_MAP_READ = 1 << 0,
    HAL_MAP_WRITE = 1 << 1,
    HAL_MAP_EXECUTE = 1 << 2,
};

/* Whether `va` may hold a user mapping (the lower canonical half, page aligned or not). */
bool hal_vspace_user_address(uint64_t va);

/* A new root: no user mappings, the kernel's half shared (never user-accessible). */
void hal_vspace_init_root(void *root);

/* Maps the table at physical `table` so that it serves `level` for `va`. Every table above
 * `level` must be present; the entry for it must be free. */
enum hal_vspace_result hal_vspace_map_table(void *root, uint64_t va, unsigned level, paddr_t table,
                                            unsigned *missing_level);

/* Maps a frame of 2^bits bytes (12 or 21) at `va` with `rights` (READ is implied). */
enum hal_vspace_result hal_vspace_map_frame(void *root, uint64_t va, unsigned bits, paddr_t frame,
                                            unsigned rights, unsigned *missing_level);

/* Removes the mapping of `frame` at `va` if that is what the entry maps; flushes the TLB
 * entry when `root` is the active address space. */
enum hal_vspace_result hal_vspace_unmap_frame(void *root, uint64_t va, unsigned bits,
                                              paddr_t frame);

/* Removes the table at physical `table` serving `level` for `va`, if that is what the entry
 * holds; flushes the TLB. The caller clears the table first (hal_vspace_clear). */
enum hal_vspace_result hal_vspace_unmap_table(void *root, uint64_t va, unsigned level,
                                              paddr_t table);

/* Whether the entry for `va` maps exactly `frame` of 2^bits bytes (a mapping record is true
 * only if the tables still say so). */
bool hal_vspace_has_frame(void *root, uint64_t va, unsigned bits, paddr_t frame);

/* Whether the entry above `level` for `va` links exactly the table at physical `table`. */
bool hal_vspace_has_table(void *root, uint64_t va, unsigned level, paddr_t table);

/* Clears everything the table `table` (kernel address) of `level` maps, depth first: frame
 * entries are zeroed, and every table below is cleared the same way and then unlinked, so
 * no table is ever unlinked with entries in it. `table` itself stays linked where it is
 * (for the root, only the user half is touched). Each empty entry looked at costs one unit of
 * `*budget`, each present one HAL_VSPACE_CLEAR_PRESENT_COST; returns false if the budget ran
 * out first (call again: cleared entries stay clear, so it resumes, passing over them; a
 * budget above HAL_VSPACE_CLEAR_MIN_BUDGET always makes progress). Flushes the TLB
 * when `root` is active. */
#define HAL_VSPACE_CLEAR_PRESENT_COST 8u
#define HAL_VSPACE_CLEAR_MIN_BUDGET                                                                \
    (4u * 512u + 4u * HAL_VSPACE_CLEAR_PRESENT_COST) /* the way down to where it stopped */
bool hal_vspace_clear(void *root, void *table, unsigned level, uint64_t *budget);

/* One entry of a table, arch-neutral (for the invariant checker). */
struct hal_vspace_entry {
    paddr_t address;     /* the frame or table it points to */
    unsigned frame_bits; /* 12 or 21 for a frame; 0 for a table */
    bool user;           /* user-accessible */
};

/* Reads entry `index` of a table of `level`; false if it is not present (or, in the root,
 * is in the kernel half). */
bool hal_vspace_read_entry(const void *table, unsigned level, unsigned index,
                           struct hal_vspace_entry *out);

/* Whether every user entry of the table is zero. */
bool hal_vspace_table_empty(const void *table, unsigned level);

/* The level of the highest missing table on the way to a 4 KiB mapping of `va`, or -1 if
 * every table down to level 0 is present. (GET_UNSET_DEPTH.) */
int hal_vspace_missing_level(void *root, uint64_t va);

/* Looks `va` up: the physical address it maps to, or false if unmapped. */
bool hal_vspace_lookup(void *root, uint64_t va, paddr_t *pa);

/* For introspection, in one walk: whether the entry for `va` maps exactly `frame` of 2^bits
 * bytes (as hal_vspace_has_frame) with every entry on the way user-accessible, and then the
 * access those entries allow (HAL_MAP_*). */
bool hal_vspace_frame_access(void *root, uint64_t va, unsigned bits, paddr_t frame,
                             unsigned *rights);

/* Switches the CPU to the address space with this root (no-op if already active). */
void hal_vspace_activate(void *root);

/* Switches the CPU to the address space with this root, which the caller knows is not the
 * active one (the scheduler tracks it): no read of the active root first. Loading the
 * active one again would only flush the TLB, so a wrong guess costs time, never safety.
 * The root is physical: the scheduler has it so from the Address Space capability. */
void hal_vspace_load(paddr_t root);

/* The Address Space with this root is going away: if it is active, switch to the kernel's
 * own tables. */
void hal_vspace_deactivate(void *root);
