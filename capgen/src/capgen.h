/*
 * capgen: turns system.cap.yaml into the spec Alpha executes. The stages are
 *   yaml.c   bytes -> a small tree of YAML nodes with positions (no aliases, bounded)
 *   parse.c  YAML tree -> the model (keys, types, ranges)
 *   check.c  cross references, slots, overlaps, conflicts, priorities
 *   plan.c   the kernel objects Alpha creates and the memory they need
 *   emit.c   spec C file, per-process headers, report; tree.c the capability tree
 * Everything is allocated from one arena and freed at once; no stage keeps global state,
 * so the fuzzer can run the whole pipeline over and over.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <a9n/abi.h>

/* --- Limits (documented in docs/chapters/declare.typ) -------------------------------- */
/* Those of the kernel and Alpha come from a9n/limits.h (through a9n/abi.h): one source. */

#define CAPGEN_MAX_FILE_BYTES   (1u << 20) /* the YAML file */
#define CAPGEN_MAX_DEPTH        16         /* nested mappings/sequences */
#define CAPGEN_MAX_NODES        100000     /* YAML nodes in the file */
#define CAPGEN_MAX_SCALAR       1024       /* bytes in one scalar */
#define CAPGEN_MAX_NAME         63         /* bytes in a name */
#define CAPGEN_MAX_PROCESSES    ALPHA_MAX_PROCESSES
#define CAPGEN_MAX_OBJECTS      1024                           /* declared shared objects */
#define CAPGEN_MAX_CAPS         4096                           /* capabilities of one process */
#define CAPGEN_MAX_MAPS         256                            /* maps of one process */
#define CAPGEN_MAX_FILES        64                             /* packed files of one process */
#define CAPGEN_MAX_FILE_NAME    63                             /* bytes in a packed file's name */
#define CAPGEN_MAX_PACKED_BYTES (32ull << 20)                  /* bytes in one packed file */
#define CAPGEN_MAX_SPEC_OBJECTS ALPHA_MAX_OBJECTS              /* kernel objects Alpha creates */
#define CAPGEN_MAX_IMAGES       A9N_BOOT_INFO_MODULE_MAX       /* distinct images: boot modules */
#define CAPGEN_MAX_IMAGE_NAME   (A9N_BOOT_MODULE_NAME_MAX - 5) /* "<image>.elf" and NUL */
#define CAPGEN_MAX_ERRORS       50                             /* then stop */
#define CAPGEN_MAX_STACK        (1ull << 20)
#define CAPGEN_MAX_MEMORY       (1ull << 40)
#define CAPGEN_MAX_REGION       (1ull << 30)
#define CAPGEN_MAX_SLAB_COUNT   65536
#define CAPGEN_DEFAULT_STACK    (16ull << 10)
#define CAPGEN_DEFAULT_PRIORITY 100
#define CAPGEN_PRIORITY_MAX     254 /* 255 is Alpha's */
#define CAPGEN_IRQ_MAX          (A9N_LIMIT_IRQ_LINES - 1)
#define CAPGEN_IRQ_CASCADE      2
#define CAPGEN_COM2_FIRST       0x2f8 /* system.inspect: Alpha's, with its interrupt line */
#define CAPGEN_COM2_LAST        0x2ff
#define CAPGEN_COM2_IRQ         3
#define CAPGEN_IRQ_DEVICE_LINES (A9N_LIMIT_IRQ_LINES - 1) /* all lines but the cascade */
/* asid_pool capabilities: the kernel's directory less the boot pool and Alpha's own. */
#define CAPGEN_MAX_ASID_POOLS   (A9N_LIMIT_ASID_POOLS - 1 - ALPHA_ASID_POOLS)
#define CAPGEN_PAGE             4096ull

/* --- Arena --------------------------------------------------------------------------- */

struct arena {
    struct arena_block *head;
};

void *arena_alloc(struct arena *a, size_t bytes); /* zeroed; aborts only on host OOM */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* A growable array of pointers. */
struct vec {
    void **items;
    size_t count, cap;
};
void vec_push(struct arena *a, struct vec *v, void *item);

/* --- Diagnostics --------------------------------------------------------------------- */

struct pos {
    uint32_t line, col; /* 1-based; 0 = unknown */
};

struct diag {
    const char *file; /* as printed */
    FILE *out;        /* where the lines go (stderr; the fuzzer passes /dev/null) */
    unsigned errors, warnings;
    bool stopped; /* too many errors */
};

void diag_error(struct diag *d, struct pos p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct pos p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* `text` with every byte that could break a line or fool a terminal written as \xNN (for
 * diagnostics and anything printed from the file). */
const char *escape_text(struct arena *a, const char *text);
/* `text` safe inside a generated C comment and a C string: '\\' and '"' escaped, controls,
 * non-ASCII bytes, the '/' of "*" "/" and the second '?' of "??" as octal escapes. */
const char *escape_c(struct arena *a, const char *text);

/* The closest of `count` candidates within a small edit distance, or NULL. */
const char *closest_name(const char *word, const char *const *candidates, size_t count);

/* --- YAML tree ----------------------------------------------------------------------- */

enum ynode_type { Y_SCALAR, Y_MAPPING, Y_SEQUENCE };

struct ynode;
struct ypair {
    struct ynode *key, *value;
};

struct ynode {
    enum ynode_type type;
    struct pos pos;
    const char *text; /* scalar: NUL-terminated (a scalar with a NUL byte is refused) */
    size_t length;
    bool plain; /* scalar written without quotes */
    struct ypair *pairs;
    struct ynode **items;
    size_t count; /* pairs or items */
};

/* Parses `size` bytes; NULL after reporting an error. */
struct ynode *yaml_load(struct arena *a, struct diag *d, const char *data, size_t size);

/* --- The model ----------------------------------------------------------------------- */

enum object_kind { OBJECT_IPC_PORT, OBJECT_NOTIFICATION_PORT, OBJECT_MEMORY };

struct object {
    const char *name;
    struct pos pos; /* of its name */
    enum object_kind kind;
    uint64_t size; /* memory: bytes, a multiple of the page */
    unsigned page_bits;
    uint32_t pages;
    bool used;
    struct vec readers;  /* processes holding it with READ (each once) */
    uint32_t spec_index; /* its first entry in the plan */
};

enum cap_kind {
    CAP_OBJECT,
    CAP_IO_PORT,
    CAP_IRQ,
    CAP_DEBUG,
    CAP_POOL,
    CAP_SELF,       /* the process's own node, process or address_space (`self:`) */
    CAP_IRQ_REGION, /* the Interrupt Region (`interrupt_region: true`) */
    CAP_IMAGE,      /* the frames of the process's own image (`image_frames: true`) */
    CAP_ASID_POOL,  /* an ASID Pool of its own, made by Alpha (`asid_pool: true`) */
};

/* What `self:` names, and how many slots `image_frames` reserves (a 1 MiB image). */
enum self_kind { SELF_NODE, SELF_PROCESS, SELF_ADDRESS_SPACE };
#define CAPGEN_IMAGE_SLOTS 256

/* ULMM quota kinds: the slab types in the order of koito_ulmm.h's ULMM_CACHE_*, then the
 * Buddy's bytes (quota.c). */
#define CAPGEN_QUOTA_KINDS       10
#define CAPGEN_QUOTA_BUDDY       8
#define CAPGEN_QUOTA_BUDDY_LARGE 9  /* 2 MiB frames the Buddy server sets aside for a client */
#define ULMM_CLIENTS_MAX         64 /* client badges 1..64 (servers/ulmm/core/buddy.h) */
extern const char *const capgen_quota_keys[CAPGEN_QUOTA_KINDS];
struct cap {
    const char *name;
    struct pos pos;
    struct process *owner;
    enum cap_kind kind;
    const char *object_name;
    struct pos object_pos;
    struct object *object;
    unsigned rights;
    struct pos rights_pos;
    bool has_badge;
    uint64_t badge;
    struct pos badge_pos;
    uint16_t io_first, io_last;
    struct pos io_pos;
    uint8_t irq;
    struct pos irq_pos;
    const char *notification_name;
    struct pos notification_pos;
    struct object *notification;
    bool has_slot;
    uint32_t slot;
    struct pos slot_pos;
    uint32_t count; /* slots it fills: the pages of a memory region, else 1 */
    enum self_kind self;
    struct pool *pool;
    /* `quota:` on a client's capability to a memory server's port (quota.c) */
    bool has_quota;
    struct pos quota_pos;
    uint64_t quota[CAPGEN_QUOTA_KINDS]; /* objects per slab type, buddy bytes, 2 MiB frames */
    struct process *quota_server;       /* the process that receives on that port */
};

struct map {
    struct pos pos;
    const char *object_name;
    struct pos object_pos;
    struct object *object;
    uint64_t address;
    struct pos address_pos;
    unsigned attributes; /* A9N_MAP_* */
    struct pos rights_pos;
};

/* A ULMM slab cache or buddy pool: one Generic handed to the process. */
struct pool {
    const char *key; /* "frame", ..., "buddy" */
    const char *cap_name;
    const char *object_name; /* "<process>.slab_frame" */
    struct pos pos;
    enum a9n_object_type type; /* slab object type; GENERIC for the buddy pool */
    unsigned specific_bits;
    uint64_t count;
    uint64_t bytes; /* what the cache needs */
    unsigned bits;  /* the Generic: the next power of two */
    uint32_t spec_index;
};

struct segment {
    uint64_t vaddr, memsz;
    unsigned flags; /* PF_X 1, PF_W 2, PF_R 4 */
};

/* A file of the host packed into a process's image (files.c). */
struct packed_file {
    const char *name; /* as the program opens it */
    const char *path; /* on the host */
    struct pos pos;
    uint64_t size, hash;
};

struct process {
    const char *name;
    struct pos pos;
    uint32_t order; /* in the file */
    const char *image;
    struct pos image_pos;
    unsigned priority;
    struct pos priority_pos;
    uint64_t stack;
    struct pos stack_pos;
    bool has_radix;
    unsigned radix;
    struct pos radix_pos;
    const char *resolver_name;
    struct pos resolver_pos;
    struct object *resolver;
    /* `fault:` what Alpha, the supervisor, does when it faults and has no resolver of its
     * own (enum alpha_fault_policy: stop, restart, halt) */
    unsigned fault_policy;
    bool has_fault_policy;
    struct pos fault_pos;
    /* `exit_notice:`: a memory server's notification_port, told when the process ends */
    const char *exit_notice_name;
    struct pos exit_notice_pos;
    struct object *exit_notice;
    uint64_t exit_notice_identifier; /* 1 << (client badge - 1) (quota.c) */
    struct vec caps;                 /* struct cap *, in file order, then the pool caps */
    struct vec maps;                 /* struct map * */
    struct vec pools;                /* struct pool * */
    struct vec files;                /* struct packed_file * */
    struct pos files_pos;
    struct pos caps_pos;
    /* filled by the plan */
    bool image_known;
    struct segment *segments;
    size_t segment_count;
    uint64_t entry; /* the image's entry point (when image_known) */
    uint64_t image_pages, page_tables;
    uint32_t spec_node, spec_process, spec_address_space, spec_ipc_buffer, spec_stack;
};

struct system {
    const char *file;
    const char *name;
    struct pos name_pos;
    uint64_t memory;
    struct pos memory_pos;
    bool inspect; /* system.inspect: Alpha serves inspection on COM2 (servers/alpha/inspect.c) */
    struct pos inspect_pos;
    struct vec objects;   /* struct object *, in file order */
    struct vec processes; /* struct process *, in start order after check */
    const char *images_dir;
    /* the plan */
    struct vec plan; /* struct plan_object * in creation order */
    uint64_t plan_bytes;
    uint64_t object_bytes, image_bytes, table_bytes, pool_bytes;
    unsigned scratch_bits; /* Alpha's Generic for page tables: 2^bits bytes */
    bool images_counted;
    /* Alpha's limits as the system uses them (plan.c, check_alpha) */
    uint64_t alpha_slots, alpha_records, alpha_image_pages;
    uint64_t alpha_tables; /* root slots of Alpha's working tables (alpha_table_slots) */
    /* the kernel's limits as the system uses them (plan.c) */
    unsigned asid_pools, images, irq_lines;
};

/* Kernel objects Alpha creates, one entry per CONVERT'd object. */
enum plan_role {
    ROLE_DECLARED,
    ROLE_NODE,
    ROLE_PROCESS,
    ROLE_ADDRESS_SPACE,
    ROLE_IPC_BUFFER,
    ROLE_STACK,
    ROLE_POOL,
};

struct plan_object {
    const char *name;
    enum plan_role role;
    enum a9n_object_type type;
    unsigned specific_bits, size_bits;
    uint32_t group_index, group_count; /* page i of n for regions and stacks */
    struct object *object;             /* ROLE_DECLARED */
    struct pool *pool;                 /* ROLE_POOL */
    struct process *process;
};

/* --- Stages -------------------------------------------------------------------------- */

/* parse.c: the model from the YAML tree; false after errors. */
bool system_parse(struct arena *a, struct diag *d, struct ynode *root, struct system *sys);
/* check.c: names, slots, conflicts; sorts processes into start order. */
bool system_check(struct arena *a, struct diag *d, struct system *sys);
/* elf.c: PT_LOAD segments of <dir>/<image>.elf; false after an error at `image_pos`. */
bool elf_read_segments(struct arena *a, struct diag *d, struct process *p, const char *dir);
/* plan.c: image checks (when images are known), the object list and the memory fit. */
bool system_plan(struct arena *a, struct diag *d, struct system *sys);

/* Parses and checks `data` (the contents of sys->file): the whole front end. */
bool capgen_load(struct arena *a, struct diag *d, const char *data, size_t size,
                 const char *images_dir, struct system *sys);

/* emit.c */
/* files.c: the read-only file store. */
bool files_parse(struct arena *a, struct diag *d, struct process *p, const struct ynode *n);
bool files_check(struct diag *d, const struct system *sys);
void files_emit(FILE *out, const struct system *sys, const struct process *p);

void emit_spec(FILE *out, const struct system *sys);
void emit_caps_header(FILE *out, const struct system *sys, const struct process *p, bool image);
void emit_report(FILE *out, const struct system *sys);

/* tree.c */
void tree_text(FILE *out, const struct system *sys);
void tree_dot(FILE *out, const struct system *sys);
void tree_json(FILE *out, const struct system *sys);
/* state.c: the complete expected state, process by process (docs/chapters/alpha.typ). It
 * ends the text tree, and the spec carries it for Alpha to compare with the live state. With
 * the images unknown, what depends on them is a placeholder line that Alpha expands from the
 * image it loads (and capgen expands when it knows the image). */
void state_text(FILE *out, const struct system *sys);

/* What the tree's first line counts: object lines (declared objects and pools) and
 * capability lines (one per declared capability, pools included). */
uint64_t tree_object_count(const struct system *sys);
uint64_t tree_capability_count(const struct system *sys);

/* Helpers shared by the emitters. */
const char *object_kind_name(enum object_kind k);
void format_size(char *buf, size_t len, uint64_t bytes); /* 16K, 2M, 4097 */
void format_rights(char *buf, unsigned rights);          /* "rw", "-" */
static inline uint64_t plan_bytes_of(const struct plan_object *o)
{
    return a9n_object_bytes(o->size_bits, 1);
}

/* ULMM quotas (quota.c): each client's quota fits its server's caches and pool, all at
 * once; and the table the server's caps header carries. */
void check_quotas(struct arena *a, struct diag *d, struct system *sys);
/* `exit_notice:` of each process: read by a memory server that reaches all its quotas. */
void check_exit_notices(struct diag *d, struct system *sys);
void emit_quota_table(FILE *out, const struct system *sys, const struct process *server);

/* The word for an object type in capgen's outputs; a Frame is `frame` ("frame" in the
 * report, "memory" in the tree and the expected state, as the system file says it). */
const char *capgen_type_word(unsigned type, const char *frame);
