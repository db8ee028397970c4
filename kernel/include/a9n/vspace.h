/*
 * A9N ABI: address spaces, page tables and frames.
 *
 * ADDRESS_SPACE MAP        MR2 descriptor of a Page Table or Frame, MR3 virtual address,
 *                          MR4 attributes (frames: A9N_MAP_*; page tables: 0)
 *   A Page Table becomes the table of the highest missing level on the way to MR3; a Frame
 *   is mapped at MR3 (aligned to its size) once every table above it exists, else the call
 *   fails with MISSING_TABLE and MR2 = the missing level (what GET_UNSET_DEPTH answers).
 *   Each Frame or Page Table capability maps at most once; COPY it to map it again.
 *   Rights: WRITE on the Address Space; READ on a Frame to map it at all, WRITE on it to
 *   map it writable.
 * ADDRESS_SPACE UNMAP      MR2 descriptor of a Frame or Page Table mapped in this space.
 *   A Page Table is emptied first (everything below it, recursively), then unlinked: a table
 *   that is not linked is always all zero, so nothing it mapped comes back if it is mapped
 *   again, at any level. NOT_MAPPED if the tables do not hold it here (for instance, a
 *   table above it was unmapped before). Deleting a mapped capability unmaps it too.
 * ADDRESS_SPACE GET_UNSET_DEPTH  MR2 virtual address -> MR2 the missing level (2, 1 or 0
 *   on x86_64), or A9N_DEPTH_NONE when every table down to level 0 exists.
 * FRAME GET_ADDRESS        -> MR2 physical address (READ right).
 *
 * An Address Space made by CONVERT has no ASID: every operation on it fails with NO_ASID
 * (and RESUME of a Process in it with ILLEGAL_OPERATION) until ASID_POOL ASSIGN gives it
 * one. ASID Pools are made by ASID_CONTROL MAKE_POOL from a Generic; only the first process
 * has ASID Control (a9n/boot.h), so it decides who may make Address Spaces, and how many
 * (256 per pool).
 *
 * User addresses are [0, A9N_USER_TOP). Levels count from the leaves: 0 maps 4 KiB pages,
 * 1 maps 2 MiB pages and level-0 tables, ..., A9N_ROOT_LEVEL is the Address Space itself.
 */
#pragma once

#include <a9n/types.h>

enum a9n_map_attributes {
    A9N_MAP_READ = 1u << 0, /* implied */
    A9N_MAP_WRITE = 1u << 1,
    A9N_MAP_EXECUTE = 1u << 2,
};

#define A9N_ROOT_LEVEL 3
#define A9N_DEPTH_NONE ((a9n_word)~0ull)
#define A9N_USER_TOP   0x00007FFFFFFFF000ull
