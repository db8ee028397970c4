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
/* The smallest root Node the kernel makes for a first process that says what it needs (its
 * ELF note, a9n/boot.h): room for the fixed slots and every initial Generic. */
#define A9N_ROOT_NODE_RADIX_MIN   9
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

/* Alpha's root slots, in order (chapter Alpha): the kernel's boot capabilities (fixed slots
 * 0 .. 15, then the variable ranges up to generic_first + generic_count), ALPHA_ASID_POOLS
 * slots for Alpha's ASID Pools, the declared objects (from that base, per machine), Alpha's
 * working objects (capgen counts them exactly) and ALPHA_RUNTIME_SLOTS more, then Alpha's
 * working tables' pages up to the end of the Node. capgen's note asks the kernel for all but
 * the boot capabilities (a9n/boot.h), which only the kernel can count. */
/* Root slots Alpha may take while the system runs, beyond those capgen counts (inspection's
 * and the supervisor's). */
#define ALPHA_RUNTIME_SLOTS   64
/* Slots of the largest root Node left for the kernel's boot capabilities, Alpha's ASID Pools
 * and its working tables: capgen refuses a system whose objects and working objects need more
 * than the rest (ALPHA_SCRATCH_SLOTS). */
#define ALPHA_BOOT_RESERVE    8192
/* Kernel objects a system may declare, implicit ones (each process's Node, Process,
 * Address Space, IPC buffer and stack frames, pools) included. */
#define ALPHA_MAX_OBJECTS     16384
/* Root slots Alpha needs for its own objects, per process: a copy per image page, page
 * tables, one slot per mapped page and per IO or interrupt capability (capgen sums them). */
#define ALPHA_SCRATCH_SLOTS   ((1u << A9N_ROOT_NODE_RADIX) - ALPHA_BOOT_RESERVE)
/* ASID Pools Alpha makes for the declared Address Spaces when the boot pool (root slot 15)
 * runs out, in the root slots right after the kernel's boot capabilities. */
#define ALPHA_ASID_POOLS      8
/* Processes: each needs an Address Space (with an ASID from Alpha's pools: 9 x 256 is more
 * than enough), and Alpha keeps one. */
#define ALPHA_MAX_PROCESSES   1023
/* Introspection records Alpha reads back (every capability in the system once built). */
#define ALPHA_MAX_RECORDS     65536
/* Pages of all images together (Alpha loads a private copy for each process). */
#define ALPHA_MAX_IMAGE_PAGES 16384
