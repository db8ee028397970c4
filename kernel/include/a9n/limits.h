/*
 * Every limit of the kernel and of Alpha (the first process) that a declared system can
 * reach, in one place: the kernel and Alpha are built with these values, and capgen reads
 * this header to refuse, at `capgen check`, a system that could not boot
 * (docs/chapters/declare.typ lists them). Nothing else may repeat a number from here.
 */
#pragma once

/* ---- The kernel ---- */

/* Alpha's root Node: 2^radix slots. Alpha keeps the declared objects and its own working
 * objects (image frames, page tables, mapping copies) in it. */
#define A9N_ROOT_NODE_RADIX       16
/* The smallest root Node a first process may ask for (its ELF note, a9n/boot.h): room for
 * Alpha's boot range below ALPHA_OBJECT_SLOT_BASE and its objects after it. */
#define A9N_ROOT_NODE_RADIX_MIN   14
/* Initial Generics and boot modules the boot info frame can describe. */
#define A9N_BOOT_INFO_GENERIC_MAX 200
#define A9N_BOOT_INFO_MODULE_MAX  128 /* modules besides Alpha: distinct program images */
#define A9N_BOOT_MODULE_NAME_MAX  32  /* "<image>.elf" and its NUL */
/* ASID Pools the kernel's directory holds (each of A9N_ASID_POOL_ENTRIES, object.h): so at
 * most 128 * 256 Address Spaces have an ASID at once. */
#define A9N_LIMIT_ASID_POOLS      128
/* Interrupt lines (the legacy PIC's, cascade line 2 excluded). */
#define A9N_LIMIT_IRQ_LINES       24

/* ---- Alpha ---- */

/* Alpha's root slots: the kernel's boot capabilities below ALPHA_OBJECT_SLOT_BASE (Alpha's
 * own image and tables, the modules' frames, the Generics: Alpha checks at boot that they end
 * before it), the declared objects from it on, Alpha's working objects after them up to the
 * end of its root Node. */
#define ALPHA_OBJECT_SLOT_BASE 8192
/* Root slots Alpha may take while the system runs, beyond those capgen counts (inspection's
 * and the supervisor's): capgen asks for a root Node with this many more. */
#define ALPHA_RUNTIME_SLOTS    64
/* Kernel objects a system may declare, implicit ones (each process's Node, Process,
 * Address Space, IPC buffer and stack frames, pools) included. */
#define ALPHA_MAX_OBJECTS      16384
/* Root slots Alpha needs for its own objects, per process: a copy per image page, page
 * tables, one slot per mapped page and per IO or interrupt capability (capgen sums them). */
#define ALPHA_SCRATCH_SLOTS    ((1u << A9N_ROOT_NODE_RADIX) - ALPHA_OBJECT_SLOT_BASE)
/* ASID Pools Alpha makes for the declared Address Spaces when the boot pool (root slot 15)
 * runs out, in root slots ALPHA_OBJECT_SLOT_BASE - ALPHA_ASID_POOLS .. - 1. */
#define ALPHA_ASID_POOLS       8
/* Processes: each needs an Address Space (with an ASID from Alpha's pools: 9 x 256 is more
 * than enough), and Alpha keeps one. */
#define ALPHA_MAX_PROCESSES    1023
/* Introspection records Alpha reads back (every capability in the system once built). */
#define ALPHA_MAX_RECORDS      65536
/* Pages of all images together (Alpha loads a private copy for each process). */
#define ALPHA_MAX_IMAGE_PAGES  16384
