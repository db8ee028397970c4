/*
 * A9N ABI: what the first process (Alpha) finds at boot. Its root Node has
 * 2^root_node_radix slots (the boot info says how many: A9N_ROOT_NODE_RADIX unless the
 * process's image says how many it needs, struct a9n_root_note); the fixed slots below are always
 * filled as listed, and the variable ranges (page tables, then the image's frames followed by its
 * stack's frames, then the other boot modules' frames, then Generics) follow from slot
 * A9N_ROOT_SLOT_VARIABLE on, in that order, described by the boot info frame.
 */
#pragma once

#include <a9n/limits.h>
#include <a9n/types.h>

enum a9n_root_slot {
    A9N_ROOT_SLOT_NULL = 0,             /* always empty: a zero descriptor names nothing */
    A9N_ROOT_SLOT_NODE = 1,             /* the root Node itself */
    A9N_ROOT_SLOT_PROCESS = 2,          /* Alpha's Process */
    A9N_ROOT_SLOT_ADDRESS_SPACE = 3,    /* Alpha's Address Space */
    A9N_ROOT_SLOT_IPC_BUFFER = 4,       /* the Frame of Alpha's IPC buffer */
    A9N_ROOT_SLOT_BOOT_INFO = 5,        /* the Frame holding struct a9n_boot_info (READ only) */
    A9N_ROOT_SLOT_INTERRUPT_REGION = 6, /* the Interrupt Region */
    A9N_ROOT_SLOT_IO_PORT = 7,          /* the whole I/O port range 0..0xffff */
    A9N_ROOT_SLOT_DEBUG = 8,            /* Debug */
    A9N_ROOT_SLOT_ASID_CONTROL = 14,    /* ASID Control: makes ASID Pools */
    A9N_ROOT_SLOT_ASID_POOL = 15,       /* an ASID Pool; the first process's ASID is one of it */
    A9N_ROOT_SLOT_VARIABLE = 16,        /* first slot of the variable ranges */
};

#define A9N_BOOT_INFO_MAGIC   0x6f666e49746f6f42ull /* "BootInfo" */
#define A9N_BOOT_INFO_VERSION 1

/* Where the other boot modules (process images) are mapped, read-only, in the first
 * process: one after the other from here, each page aligned. */
#define A9N_BOOT_MODULES_ADDRESS 0x0000600000000000ull

/* One initial Generic: base (aligned to 2^bits) and flags. */
struct a9n_boot_generic {
    a9n_word base;
    a9n_word bits_flags; /* bits 7..0: size bits; bit 8: device memory */
};

#define A9N_BOOT_GENERIC_BITS_MASK 0xffull
#define A9N_BOOT_GENERIC_DEVICE    (1ull << 8)

/* A boot module other than the first process's own image: its bytes are mapped read-only
 * at `address`, and its frames (READ only) are in root slots [frame_first, +frame_count).
 * The modules are described in a table of their own (the boot info frame has no room for
 * A9N_BOOT_INFO_MODULE_MAX of them): read-only pages at A9N_BOOT_MODULE_TABLE_ADDRESS, whose
 * Frames come right before the modules' own in the variable slots. */
struct a9n_boot_module {
    a9n_word address;
    a9n_word size;
    a9n_word frame_first;
    a9n_word frame_count;
    char name[A9N_BOOT_MODULE_NAME_MAX]; /* the module's command line (its file name) */
};

/* The boot info frame (4 KiB, mapped read-only into Alpha). */
struct a9n_boot_info {
    a9n_word magic;   /* A9N_BOOT_INFO_MAGIC */
    a9n_word version; /* A9N_BOOT_INFO_VERSION */
    a9n_word root_node_radix;
    a9n_word generic_first; /* slot of the first Generic */
    a9n_word generic_count; /* generics[0..count) describe them, in slot order */
    a9n_word image_frame_first;
    a9n_word image_frame_count;
    a9n_word page_table_first;
    a9n_word page_table_count;
    a9n_word ipc_buffer_address;     /* where the IPC buffer is mapped in Alpha */
    a9n_word boot_info_address;      /* where this frame is mapped in Alpha */
    a9n_word module_count;           /* entries of the module table */
    a9n_word kernel_entry_timestamp; /* the timestamp counter at kernel entry */
    a9n_word module_table_address;   /* where the module table is mapped in Alpha */
    a9n_word reserved[2];
    struct a9n_boot_generic generics[A9N_BOOT_INFO_GENERIC_MAX];
    a9n_word unused[96];
};

/*
 * The root Node a first process needs, when it knows: an ELF note in a PT_NOTE segment of
 * its image, owner "A9N", type A9N_NOTE_ROOT_SLOTS, one word: how many slots it needs after
 * the kernel's boot capabilities (the variable ranges end at generic_first + generic_count).
 * Only the kernel knows how many those are (the first process's own size, the modules', the
 * memory map), so it adds its bound of them (at most A9N_BOOT_INFO_GENERIC_MAX Generics) and
 * makes the smallest Node of at least A9N_ROOT_NODE_RADIX_MIN that holds both. It clears the
 * whole Node at boot (4 MiB at A9N_ROOT_NODE_RADIX: most of a small system's boot), so capgen
 * asks for what the declared system needs (servers/alpha, chapter Alpha). No note, or more
 * than A9N_ROOT_NODE_RADIX holds: A9N_ROOT_NODE_RADIX.
 */
#define A9N_NOTE_OWNER      "A9N"
#define A9N_NOTE_ROOT_SLOTS 2
struct a9n_root_note {
    uint32_t name_size, desc_size, type; /* 4, 8, A9N_NOTE_ROOT_SLOTS */
    char name[4];                        /* A9N_NOTE_OWNER */
    uint64_t slots;
};
_Static_assert(sizeof(struct a9n_root_note) == 24, "an ELF note with a 4-byte name, one word");

/* The module table: struct a9n_boot_module[module_count], read-only, in whole pages. */
#define A9N_BOOT_MODULE_TABLE_ADDRESS (A9N_BOOT_MODULES_ADDRESS - 0x10000ull)
#define A9N_BOOT_MODULE_TABLE_PAGES                                                                \
    ((A9N_BOOT_INFO_MODULE_MAX * sizeof(struct a9n_boot_module) + 4095) / 4096)

static inline const struct a9n_boot_module *a9n_boot_modules(const struct a9n_boot_info *info)
{
    return (const struct a9n_boot_module *)info->module_table_address;
}

_Static_assert(sizeof(struct a9n_boot_info) == 4096, "the boot info is exactly one page");
_Static_assert(A9N_ROOT_SLOT_VARIABLE + A9N_BOOT_INFO_GENERIC_MAX < (1u << A9N_ROOT_NODE_RADIX_MIN),
               "every initial Generic has a root slot in the smallest Node");
