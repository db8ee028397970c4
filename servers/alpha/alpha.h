/* Alpha, the first process: builds the declared system (alpha_spec.h) and starts it. */
#pragma once

#include <alpha_spec.h>
#include <koito.h>
#include <koito_spawn.h>
#include <liba9n.h>

/* Alpha's root slots (a9n/limits.h, chapter Alpha): the kernel's boot capabilities, then
 * ALPHA_ASID_POOLS slots for its pools, the objects of the spec from alpha_object_base on
 * (objects[i] in slot alpha_object_base + i), its own scratch objects after them up to
 * SCRATCH_SLOT_END, its working tables' pages from there to the end of the Node. The base
 * follows the boot capabilities, so it depends on the machine (set once, in main.c). */
extern unsigned alpha_object_base;
#define OBJECT_SLOT_BASE alpha_object_base
#define ASID_POOL_SLOT_FIRST                                                                       \
    (alpha_object_base - ALPHA_ASID_POOLS) /* pools beyond the boot one                            \
                                            */

/* The radix of Alpha's root Node (the boot info's: capgen's note sizes it, a9n/boot.h). */
extern unsigned alpha_root_radix;

/* The descriptor of Alpha's root slot `index`. */
static inline a9n_word alpha_root(a9n_word index)
{
    return a9n_descriptor_root(index, alpha_root_radix);
}

#define ALPHA_ROOT alpha_root(A9N_ROOT_SLOT_NODE)

extern const struct a9n_boot_info *boot;
/* One past Alpha's last scratch slot (main.c): its working tables' pages follow, up to the
 * end of the root Node (2^root_node_radix slots). */
extern unsigned alpha_scratch_end;
#define SCRATCH_SLOT_END alpha_scratch_end
/* Alpha's own objects (page tables, copies, interrupt ports, IO ranges). */
extern struct koito_pool scratch;

static inline unsigned object_slot(uint32_t index)
{
    return OBJECT_SLOT_BASE + index;
}

/* table.c: Alpha's working tables, each in a window of addresses of its own that grows by
 * zeroed pages as the system being built needs. */
enum alpha_table_id {
    ALPHA_TABLE_RECORDS,    /* verify.c: the records read back */
    ALPHA_TABLE_ROOT_INDEX, /* verify.c: root slot -> record */
    ALPHA_TABLE_OBJECTS,    /* verify.c: per spec object: address, owner, role */
    ALPHA_TABLE_HASH,       /* verify.c: physical address -> identity */
    ALPHA_TABLE_ENTRIES,    /* verify.c: the placed records, and the sort's other half */
    ALPHA_TABLE_SORTED,
    ALPHA_TABLE_RECORD_OWNER, /* verify.c: record -> process */
    ALPHA_TABLE_SORT_COUNT,   /* verify.c: the radix sort's counters */
    ALPHA_TABLE_IMAGE_SLOTS,  /* build.c: alpha_image_slots */
    ALPHA_TABLE_COUNT,
};
/* Table `t`, made at least `bytes` long (what it held stays; new bytes are zero); NULL if
 * memory or root slots ran out (it says so). Its address never changes. */
void *alpha_table(enum alpha_table_id t, size_t bytes);
/* Root slots the tables have taken so far (pages and page tables). */
unsigned alpha_table_slots_taken(void);

/* Makes every object of the spec, largest first, from the boot Generics. */
bool alpha_create_objects(void);
/* Builds process `i`: image, stack, IPC buffer, maps, Node contents, configuration. */
bool alpha_build_process(uint32_t i);
/* The boot module "<image>.elf", or NULL. */
const struct a9n_boot_module *alpha_find_module(const char *image);
/* Process p's image frames: root slots alpha_image_slots[alpha_image_first[p] ..
 * alpha_image_first[p + 1]), in load order. */
extern uint32_t *alpha_image_slots; /* ALPHA_MAX_IMAGE_PAGES at most (a table) */
extern uint32_t alpha_image_first[ALPHA_MAX_PROCESSES + 1];
/* The ASID Pools made for `asid_pool` capabilities: pool K (alpha_cap.object) in root slot
 * alpha_asid_pool_slots[K] (0: not made). */
extern uint32_t alpha_asid_pool_slots[A9N_LIMIT_ASID_POOLS];

/* Right after the objects are made: learns where each object lives (its physical address,
 * from the kernel's records), for verification to recognise it wherever it moves. */
bool alpha_learn_objects(void);
/* The physical address of what Alpha's root slot `slot` holds, from the last read-back (0:
 * nothing there). */
a9n_word alpha_root_object(unsigned slot);
/* options.c: whether the machine asks for the verified state to be printed (QEMU's fw_cfg
 * file "opt/koito/state"); `buffer_pa`: Alpha's IPC buffer, where the directory is read. */
bool alpha_option_print_state(a9n_word buffer_pa);
/* Set from it before verification; the state is printed only then. */
extern bool alpha_print_state;
/* Reads the whole live state back from the kernel (Debug INTROSPECT), prints it in the
 * form of `capgen tree`'s state part and compares it with the expected state, line by line.
 * Returns true if they are equal; otherwise it has named the first difference. */
bool alpha_verify(unsigned *slots, unsigned *maps);
/* The capability records the last read-back found (ALPHA_MAX_RECORDS at most). */
uint32_t alpha_record_total(void);
/* Converts from the boot Generics (first that has room) into Alpha's root slot `slot`. */
bool alpha_convert(unsigned type, unsigned specific_bits, unsigned slot);
/* `count` objects into slots slot .. slot + count - 1, in one CONVERT where a Generic has room. */
bool alpha_convert_many(unsigned type, unsigned specific_bits, unsigned slot, unsigned count);

/* ---- after the build: Alpha as the supervisor (supervise.c) ---- */

/* Fills the Frame in root slot `frame` with `len` bytes from `src`, the rest zero. */
bool alpha_fill_frame(unsigned frame, const void *src, size_t len);
/* Writes process i's image into its frames again, as loaded at boot; its entry point. */
bool alpha_reload_image(uint32_t i, uint64_t *entry);
/* Installs declared capability `c` of process i again (IO Port ranges pass through
 * `pass_slot`, which is empty again afterwards). */
bool alpha_reinstall_cap(uint32_t i, const struct alpha_cap *c, unsigned pass_slot);

/* Makes the supervisor's IPC Port (before any process is built). */
bool alpha_supervisor_create(void);
/* A root slot holding the resolver capability for process i: the supervisor's port with
 * identifier i + 1. Remove it once the process is configured (the slot is reused). */
unsigned alpha_supervisor_capability(uint32_t i);
/* The root slot of the supervisor's port (verification names the object). */
unsigned alpha_supervisor_slot(void);
/* Serves faults of the processes without a resolver of their own, by their declared policy,
 * for ever (and inspection requests: inspect.c). */
_Noreturn void alpha_supervise(void);
/* Faults and restarts of process i so far. */
uint32_t alpha_fault_count(uint32_t i);
uint32_t alpha_restart_count(uint32_t i);

/* format.c: snprintf for %s, %u, %lu and %lx only, at a fraction of its cost (verify.c
 * formats every line of the state it compares). Returns the length written. */
int alpha_format(char *buf, size_t len, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* lines.c: "file:line (function)" of `ip` in `image`, from the line table the build put
 * into the image's ELF (section .koito_lines); false if there is none or no line. */
bool alpha_source_line(const char *image, uint64_t ip, char *out, size_t len);

/* ---- inspection of the running system (inspect.c over verify.c's reading) ---- */

/* Prints the live state of process `process` (all: -1) in the form of the expected state,
 * each slot labelled with its declared name, line by line to `sink`; `beyond`: records in
 * Nodes and Address Spaces the processes made themselves (not printed). */
bool alpha_live_state(int32_t process, void (*sink)(const char *line), unsigned *beyond);
/* Reads the live records again (for alpha_live_process). */
bool alpha_live_read(void);
struct alpha_live_process {
    unsigned priority, state; /* enum a9n_introspect_process_state */
    a9n_word ip;
};
bool alpha_live_process(uint32_t p, struct alpha_live_process *out);
/* Memory per pool (each declared Generic: its size, the bytes of the objects made from it)
 * and per process (the bytes of those objects whose first capability its Node holds;
 * process == alpha_spec.process_count: Alpha or a Node no process declared). */
bool alpha_live_memory(void (*pool)(uint32_t object, uint64_t bytes, uint64_t used),
                       void (*client)(uint32_t object, uint32_t process, uint64_t bytes));
/* Sets up COM2 for inspection if the system declares it (before verification: its objects
 * are counted like every other). */
bool alpha_inspect_start(void);
/* COM2 has input (a notification of Alpha's): reads it and answers whole lines. */
void alpha_inspect_serve(void);