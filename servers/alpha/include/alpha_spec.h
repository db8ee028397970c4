/*
 * The spec Alpha executes: what capgen emits from system.cap.yaml (as C tables, in a
 * generated alpha_spec_data.c that defines `const struct alpha_spec alpha_spec`), and what
 * Alpha, the first process, turns into a running system. Everything is by index into the
 * tables; names are kept for messages and for the capability tree Alpha prints.
 */
#pragma once

#include <a9n/abi.h>
#include <stdint.h>

/* A kernel object made by CONVERT. */
struct alpha_object {
    const char *name;      /* the YAML name (or "<process>.<role>" for implicit ones) */
    uint8_t type;          /* enum a9n_object_type */
    uint8_t specific_bits; /* as CONVERT takes it: Node radix, Generic bits, Frame 12/21 */
    uint8_t size_bits;     /* a9n_object_bits(type, specific_bits) */
    /* Appended for capgen: a memory region or a stack is one entry per frame, in page order
     * and contiguous in objects[]; every entry of such a group carries the group's size. */
    uint32_t group_count; /* entries in its group (1 for a single object) */
    uint32_t group_index; /* this entry's place in its group, from 0 */
    uint8_t listed;       /* 1: the capability tree has a line for it (on group_index 0):
                             declared objects and ULMM pools, not per-process objects */
};

/* What a capability slot refers to. */
enum alpha_cap_kind {
    ALPHA_CAP_OBJECT = 0,     /* objects[object] */
    ALPHA_CAP_IO_PORT = 1,    /* an IO Port range [io_first, io_last] minted from Alpha's */
    ALPHA_CAP_IRQ = 2,        /* the Interrupt Port of line `irq` */
    ALPHA_CAP_DEBUG = 3,      /* a copy of Debug */
    ALPHA_CAP_IRQ_REGION = 4, /* a copy of the Interrupt Region */
    ALPHA_CAP_IMAGE = 5,      /* the frames of the process's own image, from `slot` */
    ALPHA_CAP_SELF_NODE = 6,  /* the process's own Node, Process, Address Space */
    ALPHA_CAP_SELF_PROCESS = 7,
    ALPHA_CAP_SELF_ADDRESS_SPACE = 8,
    ALPHA_CAP_ASID_POOL = 9, /* a new ASID Pool, made by Alpha from its own memory */
};

/* One capability in a process's Node. */
struct alpha_cap {
    const char *name; /* the slot's name (code says CAP_<name>) */
    uint16_t slot;    /* index in the process's Node */
    uint8_t kind;     /* enum alpha_cap_kind */
    uint8_t rights;   /* enum a9n_rights */
    uint32_t object;  /* ALPHA_CAP_OBJECT: index into alpha_spec.objects;
                         ALPHA_CAP_ASID_POOL: which pool (alpha_expect.asid_pool_names) */
    a9n_word badge;   /* identifier (ports only; 0 = none) */
    uint16_t io_first, io_last;
    uint8_t irq;
    int32_t irq_notification; /* ALPHA_CAP_IRQ: objects[] index of the Notification Port the
                                 line is bound to, or -1 */
    /* Appended for capgen: a capability to a memory region fills one slot per page,
     * slots slot..slot+count-1 <- objects[object..object+count-1]; 1 otherwise. */
    uint32_t count;
};

/* A memory map: `pages` fresh Frames (or a declared shared region's frames) at `vaddr`. */
struct alpha_map {
    a9n_word vaddr;
    uint32_t region; /* index into alpha_spec.objects of the first Frame of the region */
    uint32_t pages;
    uint8_t attributes; /* A9N_MAP_* */
};

/* What Alpha, the supervisor, does when a process without a resolver of its own faults
 * (servers/alpha/supervise.c). */
enum alpha_fault_policy {
    ALPHA_FAULT_STOP = 0,    /* log it with the process's name and leave it suspended */
    ALPHA_FAULT_RESTART = 1, /* rebuild it from its image and declared capabilities */
    ALPHA_FAULT_HALT = 2,    /* stop the whole system with the failure verdict */
};

struct alpha_process {
    const char *name;
    const char *image; /* the program: boot module "<image>.elf" (e.g. "hello") */
    uint8_t priority;
    uint8_t node_radix; /* its root Node */
    uint16_t stack_pages;
    uint32_t node;    /* objects[] indices of its Node, Process, Address Space, */
    uint32_t process; /* IPC buffer Frame and first stack Frame */
    uint32_t address_space;
    uint32_t ipc_buffer;
    uint32_t stack;
    int32_t resolver;                /* objects[] index of its resolver IPC Port, or -1 */
    uint32_t exit_notice;            /* objects[] index of its exit notice Notification Port, */
    uint64_t exit_notice_identifier; /* with this identifier (0: it has none) */
    const struct alpha_cap *caps;
    uint32_t cap_count;
    const struct alpha_map *maps;
    uint32_t map_count;
    uint8_t fault_policy; /* enum alpha_fault_policy (used only when resolver is -1) */
};

struct alpha_spec {
    const char *system_name;
    uint64_t memory_bytes;              /* system.memory */
    const struct alpha_object *objects; /* in creation order: largest first */
    uint32_t object_count;
    const struct alpha_process *processes; /* in start order: highest priority first */
    uint32_t process_count;
    uint8_t scratch_bits; /* Alpha's own Generic (page tables and the like): 2^bits bytes */
    uint8_t inspect;      /* system.inspect: Alpha serves inspection on COM2 (inspect.c) */
};

extern const struct alpha_spec alpha_spec;

/*
 * The expected state: what the live system must be once Alpha has built it, made by capgen
 * from the declared system and kept apart from the tables above (which say how to build
 * it). Alpha never names anything from the tables above: every name it prints comes from
 * here, so a build table that says something else cannot pass for the declared system.
 */
struct alpha_expect_object {
    const char *name;     /* the declared name ("<process>.<role>" for implicit ones) */
    uint32_t group_index; /* page K of a region or stack: printed as name+K */
    uint32_t group_count;
};

struct alpha_expect {
    const struct alpha_expect_object *objects; /* by alpha_spec.objects index */
    uint32_t object_count;
    const char *const *process_names; /* by alpha_spec.processes index */
    uint32_t process_count;
    /* The ASID Pools Alpha makes, one per `asid_pool` capability, by the index the build
     * tables give it (alpha_cap.object): "PROCESS.CAPABILITY". */
    const char *const *asid_pool_names;
    uint32_t asid_pool_count;
    /* `capgen tree`'s state part (capgen/src/state.c): the live state must print exactly
     * this, after Alpha expands the image placeholders from the images it loaded. */
    const char *state_text;
    uint64_t state_bytes;
};

extern const struct alpha_expect alpha_expect;

/* Where every process finds things (fixed by capgen's plan). */
#define ALPHA_STACK_TOP  0x00007FFFFFE00000ull
#define ALPHA_IPC_BUFFER 0x00007FFFFFE01000ull

/*
 * Alpha's root slots after the kernel's boot capabilities (limits.h, chapter Alpha): its
 * ASID Pools, the declared objects and its working objects (`working` slots from the
 * objects' base, ALPHA_RUNTIME_SLOTS included), then its working tables' pages (`tables` at
 * most while it builds and verifies). capgen counts both with the images known and puts them
 * into the generated alpha_root_note.c, with the note that asks the kernel for them all; an
 * Alpha linked without it (both 0) runs in the largest Node and leaves the tables its last
 * ALPHA_TABLE_RESERVE slots.
 */
struct alpha_layout {
    uint32_t working, tables;
};
extern const struct alpha_layout alpha_layout;
enum { ALPHA_TABLE_RESERVE = 4096 };

/* The bytes Alpha's working tables (servers/alpha/table.c) hold at most for a system of
 * `records` capability records, `objects` objects, `image_pages` image pages and
 * `root_positions` root slots indexed (16 + `working`): verify.c asserts the sizes it uses
 * are these. */
enum {
    ALPHA_TABLE_RECORD_BYTES = 48,   /* struct a9n_introspect_record */
    ALPHA_TABLE_ENTRY_BYTES = 16,    /* verify.c's struct entry, twice (the sort's halves) */
    ALPHA_TABLE_OBJECT_BYTES = 13,   /* address, owner, role */
    ALPHA_TABLE_HASH_BYTES = 12,     /* key, value; 2^bits >= 2 keys, at least 2^8 */
    ALPHA_TABLE_HASH_EXTRA_KEYS = 3, /* + A9N_LIMIT_ASID_POOLS: pools, supervisor, Alpha */
    ALPHA_TABLE_WINDOW_PAGES = 4096, /* each table in a 16 MiB window of its own */
    ALPHA_TABLE_COUNT_ALL = 9,
};

static inline uint64_t alpha_table_pages(uint64_t bytes)
{
    return (bytes + 4095) / 4096;
}

/* Root slots the working tables take: their pages and the page tables that map them (one a
 * 2 MiB of each window, and the two above them: all windows lie in one GiB). */
static inline uint64_t alpha_table_slots(uint64_t records, uint64_t objects, uint64_t image_pages,
                                         uint64_t root_positions)
{
    uint64_t keys = objects + image_pages + A9N_LIMIT_ASID_POOLS + ALPHA_TABLE_HASH_EXTRA_KEYS;
    uint64_t hash = 1u << 8;
    while (hash < 2 * keys)
        hash <<= 1;
    uint64_t pages[ALPHA_TABLE_COUNT_ALL] = {
        alpha_table_pages(records * ALPHA_TABLE_RECORD_BYTES),
        alpha_table_pages(root_positions * 4),
        alpha_table_pages(objects * ALPHA_TABLE_OBJECT_BYTES),
        alpha_table_pages(hash * ALPHA_TABLE_HASH_BYTES),
        alpha_table_pages(records * ALPHA_TABLE_ENTRY_BYTES),
        alpha_table_pages(records * ALPHA_TABLE_ENTRY_BYTES),
        alpha_table_pages(records * 4),
        alpha_table_pages((records >= 4096 ? 1u << 14 : 1u << 8) * 4),
        alpha_table_pages((image_pages + 1) * 4),
    };
    uint64_t slots = 2;
    for (unsigned t = 0; t < ALPHA_TABLE_COUNT_ALL; t++)
        slots += pages[t] + (pages[t] + 511) / 512;
    return slots;
}
