/*
 * Verification: the whole live state, read back from the kernel, against the expected state
 * capgen made from the declared system (alpha_expect). Linear in the number of records:
 *
 *   1. one Debug INTROSPECT walk reads every capability record of the system;
 *   2. each record is placed by a hash of physical addresses: a slot of some process's Node,
 *      a slot of its Process (its configuration), or a page mapped in its Address Space;
 *   3. the placed records are sorted by (process, kind, slot or address) with a radix sort;
 *   4. each process's block is printed as `capgen tree` prints its state part and compared
 *      line by line with the expected text; the first difference stops the system.
 *
 * Every name printed comes from alpha_expect (never from the build tables), and every fact
 * from the kernel's records: a build table that says something else shows as a difference.
 */
#include "alpha.h"

#include <elf_reader.h>
#include <stdio.h>
#include <string.h>

/* The tables below are Alpha's working tables (table.c): as large as the system needs. */
static struct a9n_introspect_record *records; /* ALPHA_MAX_RECORDS at most */
static uint32_t record_count, record_room;

/* ---- reading ---- */

/* Alpha's root Node (physical address; 0 until the first read-back has found it). */
static a9n_word root_pa;

/* The kernel's boot capabilities in root slots 16 .. OBJECT_SLOT_BASE - 1 (Alpha's image,
 * the modules' frames, the Generics, Alpha's ASID Pools) and Alpha's working tables' pages
 * from SCRATCH_SLOT_END on are Alpha's own and never compared: once Alpha knows where its
 * root Node is they are not kept, so the records it keeps are what capgen counts exactly (the
 * fixed slots 0 .. 15, Alpha's configuration, the root slots of the objects and the scratch
 * and every process's slots), whatever the machine's memory map and Alpha's size make of the
 * boot slots. */
static bool keep_record(const struct a9n_introspect_record *r)
{
    /* Most records lie outside the root Node (below it the offset wraps): one compare. */
    a9n_word offset = r->slot - root_pa;
    if (root_pa == 0 || offset >= ((a9n_word)1 << (alpha_root_radix + A9N_SLOT_BITS)))
        return true;
    a9n_word slot = offset >> A9N_SLOT_BITS;
    return slot < A9N_ROOT_SLOT_VARIABLE || (slot >= OBJECT_SLOT_BASE && slot < SCRATCH_SLOT_END);
}

uint32_t alpha_record_total(void)
{
    return record_count;
}

/* Alpha's root Node: the boot capability (depth 0) that lives in slot 1 of itself. */
static bool is_root_node(const struct a9n_introspect_record *r)
{
    return a9n_introspect_type(r->kind) == A9N_OBJECT_NODE && a9n_introspect_depth(r->kind) == 0 &&
           r->slot == r->object + ((a9n_word)A9N_ROOT_SLOT_NODE << A9N_SLOT_BITS);
}

/* The boot range keep_record leaves out, as root slots [first, first + count): the kernel
 * leaves their records out of the walk too (a9n/debug.h), so they cost neither a record nor
 * a page-table walk for each of Alpha's own mapped frames. keep_record still checks every
 * record (the working tables' pages after the scratch are passed over there). */
static void boot_range(a9n_word *first, a9n_word *count)
{
    *first = A9N_ROOT_SLOT_VARIABLE;
    *count = OBJECT_SLOT_BASE > *first ? OBJECT_SLOT_BASE - *first : 0;
}

static bool read_records(void)
{
    const struct a9n_introspect_record *batch =
        (const struct a9n_introspect_record *)&((struct a9n_ipc_buffer *)boot->ipc_buffer_address)
            ->message[A9N_MR_REGISTER_COUNT];
    a9n_word cursor = 0, skip_first, skip_count;
    boot_range(&skip_first, &skip_count);
    record_count = 0;
    bool found_root = false;
    do {
        a9n_word n, next;
        if (a9n_debug_introspect_except(alpha_root(A9N_ROOT_SLOT_DEBUG), cursor, ALPHA_ROOT,
                                        skip_first, skip_count, &n, &next) != A9N_SUCCESS) {
            printf("alpha: Debug INTROSPECT failed\n");
            return false;
        }
        for (a9n_word k = 0; k < n; k++) {
            /* The first read-back finds the root Node as it goes (the kernel made it first, so
             * it comes first) and from then on leaves the boot capabilities out too. */
            if (root_pa == 0 && is_root_node(&batch[k])) {
                root_pa = batch[k].object;
                found_root = true;
            }
            if (!keep_record(&batch[k]))
                continue;
            if (record_count == ALPHA_MAX_RECORDS) {
                printf("alpha: more than %u capabilities in the system\n", ALPHA_MAX_RECORDS);
                return false;
            }
            if (record_count == record_room) {
                size_t bytes =
                    ((size_t)(record_count + 1) * sizeof *records + 4095) & ~(size_t)4095;
                records = alpha_table(ALPHA_TABLE_RECORDS, bytes);
                if (records == NULL)
                    return false;
                record_room = (uint32_t)(bytes / sizeof *records);
            }
            records[record_count++] = batch[k];
        }
        cursor = next;
    } while (cursor != 0);
    if (found_root) { /* what came before it */
        uint32_t kept = 0;
        for (uint32_t i = 0; i < record_count; i++)
            if (keep_record(&records[i]))
                records[kept++] = records[i];
        record_count = kept;
    }
    return true;
}

#define ROOT_SLOTS SCRATCH_SLOT_END
static uint32_t *root_record; /* record index + 1, 0: empty; by root_position */
static uint32_t root_indexed;

/* Where root slot `slot` is in root_record: the fixed slots, then the slots from
 * OBJECT_SLOT_BASE to SCRATCH_SLOT_END (the boot range and the tables' slots are never kept,
 * keep_record); -1 for any other slot. */
static int64_t root_position(a9n_word slot)
{
    if (slot < A9N_ROOT_SLOT_VARIABLE)
        return (int64_t)slot;
    if (slot < OBJECT_SLOT_BASE || slot >= SCRATCH_SLOT_END)
        return -1;
    return (int64_t)(slot - OBJECT_SLOT_BASE + A9N_ROOT_SLOT_VARIABLE);
}

static bool index_root(void)
{
    root_pa = 0;
    for (uint32_t i = 0; i < record_count && root_pa == 0; i++)
        if (is_root_node(&records[i]))
            root_pa = records[i].object;
    if (root_pa == 0)
        return false;
    /* Indexed up to the highest root slot in use, not the whole Node, and without the boot
     * range (8,176 slots that are never kept). */
    uint32_t top = 0;
    for (uint32_t i = 0; i < record_count; i++) {
        a9n_word s = records[i].slot;
        int64_t at = s >= root_pa && s < root_pa + ((a9n_word)ROOT_SLOTS << A9N_SLOT_BITS)
                         ? root_position((s - root_pa) >> A9N_SLOT_BITS)
                         : -1;
        if (at >= (int64_t)top)
            top = (uint32_t)at + 1;
    }
    uint32_t *index = alpha_table(ALPHA_TABLE_ROOT_INDEX, (size_t)top * sizeof *index);
    if (index == NULL)
        return false;
    root_record = index;
    root_indexed = top;
    memset(root_record, 0, (size_t)top * sizeof *root_record);
    for (uint32_t i = 0; i < record_count; i++) {
        a9n_word s = records[i].slot;
        int64_t at = s >= root_pa && s < root_pa + ((a9n_word)ROOT_SLOTS << A9N_SLOT_BITS)
                         ? root_position((s - root_pa) >> A9N_SLOT_BITS)
                         : -1;
        if (at >= 0)
            root_record[at] = i + 1;
    }
    return true;
}

static const struct a9n_introspect_record *root_slot(unsigned slot)
{
    int64_t at = root_position(slot);
    return at >= 0 && at < root_indexed && root_record[at] != 0 ? &records[root_record[at] - 1]
                                                                : NULL;
}

a9n_word alpha_root_object(unsigned slot)
{
    const struct a9n_introspect_record *r = root_slot(slot);
    return r != NULL ? r->object : 0;
}

bool alpha_print_state;

/* Where each spec object lives, learned right after it was made (a pool's Generic moves to
 * its process later). */
static a9n_word *object_pa;
/* Role of each spec object for the process that owns it (from the build tables: a wrong
 * table only makes the live state print differently). */
enum { ROLE_OTHER, ROLE_NODE, ROLE_PROCESS, ROLE_ADDRESS_SPACE };
static uint32_t *object_owner;
static uint8_t *object_role;

bool alpha_learn_objects(void)
{
    /* One table for the three arrays of ALPHA_MAX_OBJECTS at most. */
    size_t n = alpha_spec.object_count;
    uint8_t *t = alpha_table(ALPHA_TABLE_OBJECTS,
                             n * (sizeof *object_pa + sizeof *object_owner + sizeof *object_role));
    if (t == NULL)
        return false;
    object_pa = (a9n_word *)t;
    object_owner = (uint32_t *)(t + n * sizeof *object_pa);
    object_role = t + n * (sizeof *object_pa + sizeof *object_owner);
    if (!read_records() || !index_root())
        return false;
    for (uint32_t i = 0; i < alpha_spec.object_count; i++) {
        const struct a9n_introspect_record *r = root_slot(object_slot(i));
        if (r == NULL)
            return false;
        object_pa[i] = r->object;
    }
    return true;
}

/* ---- identities: physical address -> what it is ---- */

enum {
    HASH_BITS_MIN = 8,
    TAG_IMAGE = 1u << 30,      /* | index into alpha_image_slots */
    TAG_ALPHA = 1u << 29,      /* Alpha's own Process, Address Space */
    TAG_POOL = 1u << 28,       /* | index of an ASID Pool Alpha made (alpha_asid_pool_slots) */
    TAG_SUPERVISOR = 1u << 27, /* the supervisor's port (supervise.c) */
    TAG_NONE = 0xffffffffu,
};
/* Open addressing, at most half full: 2^hash_bits slots for the keys place_records puts
 * (2^17 at the limits). */
static a9n_word *hash_key;
static uint32_t *hash_value;
static unsigned hash_bits;
static uint32_t hash_mask;

static bool hash_make(uint32_t keys)
{
    unsigned bits = HASH_BITS_MIN;
    while ((1u << bits) < 2 * keys)
        bits++;
    size_t size = (size_t)1 << bits;
    uint8_t *t = alpha_table(ALPHA_TABLE_HASH, size * (sizeof *hash_key + sizeof *hash_value));
    if (t == NULL)
        return false;
    hash_key = (a9n_word *)t;
    hash_value = (uint32_t *)(t + size * sizeof *hash_key);
    hash_bits = bits;
    hash_mask = (uint32_t)size - 1;
    memset(hash_key, 0, size * sizeof *hash_key);
    return true;
}

static uint32_t hash_slot(a9n_word key)
{
    return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - hash_bits));
}

static void hash_put(a9n_word key, uint32_t value)
{
    if (key == 0)
        return;
    uint32_t h = hash_slot(key);
    while (hash_key[h] != 0 && hash_key[h] != key)
        h = (h + 1) & hash_mask;
    hash_key[h] = key;
    hash_value[h] = value;
}

static uint32_t hash_get(a9n_word key)
{
    if (key == 0)
        return TAG_NONE;
    for (uint32_t h = hash_slot(key); hash_key[h] != 0; h = (h + 1) & hash_mask)
        if (hash_key[h] == key)
            return hash_value[h];
    return TAG_NONE;
}

/* Which process an image page belongs to: alpha_image_first is increasing. */
static uint32_t image_owner(uint32_t g)
{
    uint32_t lo = 0, hi = alpha_spec.process_count;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (alpha_image_first[mid] <= g)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The declared name of what `pa` is. */
static void name_of(char *buf, size_t len, a9n_word pa)
{
    uint32_t v = hash_get(pa);
    if (v == TAG_NONE) {
        alpha_format(buf, len, "unknown@0x%lx", pa);
    } else if (v & TAG_IMAGE) {
        uint32_t g = v & ~TAG_IMAGE, p = image_owner(g);
        alpha_format(buf, len, "%s.image+%u", alpha_expect.process_names[p],
                     g - alpha_image_first[p]);
    } else if (v & TAG_ALPHA) {
        alpha_format(buf, len, "alpha");
    } else if (v == TAG_SUPERVISOR) {
        alpha_format(buf, len, "alpha.supervisor");
    } else if (v & TAG_POOL) {
        uint32_t k = v & ~TAG_POOL;
        if (k < alpha_expect.asid_pool_count)
            alpha_format(buf, len, "%s", alpha_expect.asid_pool_names[k]);
        else
            alpha_format(buf, len, "unknown@0x%lx", pa);
    } else if (v < alpha_expect.object_count) {
        const struct alpha_expect_object *o = &alpha_expect.objects[v];
        if (o->group_count > 1)
            alpha_format(buf, len, "%s+%u", o->name, o->group_index);
        else
            alpha_format(buf, len, "%s", o->name);
    } else {
        alpha_format(buf, len, "unknown@0x%lx", pa);
    }
}

/* ---- placing the records ---- */

enum { GROUP_CONFIG = 0, GROUP_SLOT = 1, GROUP_IMAGE = 2, GROUP_MAP = 3 };

struct entry {
    uint64_t key; /* process << 40 | group << 36 | slot or page number */
    uint32_t record;
};
/* capgen sizes the tables' root slots by these (alpha_spec.h, alpha_table_slots). */
_Static_assert(sizeof(struct entry) == ALPHA_TABLE_ENTRY_BYTES &&
                   sizeof(struct a9n_introspect_record) == ALPHA_TABLE_RECORD_BYTES &&
                   ALPHA_TABLE_COUNT == ALPHA_TABLE_COUNT_ALL,
               "the table sizes capgen counts");

static struct entry *entries; /* ALPHA_MAX_RECORDS at most */
static uint32_t entry_count, entry_room;
/* Inspection (inspect.c) reads a running system: processes have made objects and Nodes of
 * their own, so records outside the declared Nodes are counted instead of refused. */
static bool tolerant;
static uint32_t outside;
/* The process whose Node holds each record (placed slots only; ALPHA_NONE otherwise). */
enum { ALPHA_NONE = 0xffffffffu };
static uint32_t *record_owner; /* by record */

static bool add_entry(uint32_t process, unsigned group, uint64_t sub, uint32_t record)
{
    if (entry_count == ALPHA_MAX_RECORDS)
        return false;
    if (entry_count == entry_room) {
        size_t bytes = ((size_t)(entry_count + 1) * sizeof *entries + 4095) & ~(size_t)4095;
        struct entry *t = alpha_table(ALPHA_TABLE_ENTRIES, bytes);
        if (t == NULL)
            return false;
        entries = t;
        entry_room = (uint32_t)(bytes / sizeof *entries);
    }
    if (group == 1 /* GROUP_SLOT */)
        record_owner[record] = process;
    entries[entry_count++] =
        (struct entry){((uint64_t)process << 40) | ((uint64_t)group << 36) | sub, record};
    return true;
}

/* LSD radix sort on the 56-bit keys: linear. Digits of 14 bits (4 passes over 16,384
 * counters) for many entries; for a few thousand, the counters would cost more than the
 * entries, so 8 bits (7 passes over 256). */
static bool sort_entries(void)
{
    unsigned bits = entry_count >= 4096 ? 14 : 8;
    uint32_t digits = 1u << bits, mask = digits - 1;
    _Static_assert(56 % 14 == 0 && 56 % 8 == 0, "whole passes");
    struct entry *sorted = alpha_table(ALPHA_TABLE_SORTED, (size_t)entry_count * sizeof *sorted);
    uint32_t *count = alpha_table(ALPHA_TABLE_SORT_COUNT, (size_t)digits * sizeof *count);
    if (sorted == NULL || count == NULL)
        return false;
    /* A digit that is the same in every key orders nothing: its pass is left out. */
    uint64_t any = 0, all = ~0ull;
    for (uint32_t i = 0; i < entry_count; i++) {
        any |= entries[i].key;
        all &= entries[i].key;
    }
    struct entry *from = entries, *to = sorted;
    for (unsigned shift = 0; shift < 56; shift += bits) {
        if ((((any ^ all) >> shift) & mask) == 0)
            continue;
        memset(count, 0, (size_t)digits * sizeof *count);
        for (uint32_t i = 0; i < entry_count; i++)
            count[(from[i].key >> shift) & mask]++;
        uint32_t sum = 0;
        for (uint32_t d = 0; d < digits; d++) {
            uint32_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (uint32_t i = 0; i < entry_count; i++)
            to[count[(from[i].key >> shift) & mask]++] = from[i];
        struct entry *t = from;
        from = to;
        to = t;
    }
    /* An odd number of passes ends in `sorted`. */
    if (from != entries)
        memcpy(entries, from, (size_t)entry_count * sizeof *entries);
    return true;
}

static bool place_records(void)
{
    /* Every key put below: the objects, the image pages, the pools, the supervisor, Alpha. */
    if (!hash_make(alpha_spec.object_count + alpha_image_first[alpha_spec.process_count] +
                   A9N_LIMIT_ASID_POOLS + 3))
        return false;
    for (uint32_t i = 0; i < alpha_spec.object_count; i++) {
        hash_put(object_pa[i], i);
        object_role[i] = ROLE_OTHER;
    }
    for (uint32_t g = 0; g < alpha_image_first[alpha_spec.process_count]; g++) {
        const struct a9n_introspect_record *r = root_slot(alpha_image_slots[g]);
        if (r != NULL)
            hash_put(r->object, TAG_IMAGE | g);
    }
    const struct a9n_introspect_record *own_process = root_slot(A9N_ROOT_SLOT_PROCESS),
                                       *own_space = root_slot(A9N_ROOT_SLOT_ADDRESS_SPACE);
    if (own_process == NULL || own_space == NULL)
        return false;
    for (uint32_t k = 0; k < A9N_LIMIT_ASID_POOLS; k++) {
        const struct a9n_introspect_record *r =
            alpha_asid_pool_slots[k] != 0 ? root_slot(alpha_asid_pool_slots[k]) : NULL;
        if (r != NULL)
            hash_put(r->object, TAG_POOL | k);
    }
    const struct a9n_introspect_record *supervisor = root_slot(alpha_supervisor_slot());
    if (supervisor != NULL)
        hash_put(supervisor->object, TAG_SUPERVISOR);
    hash_put(own_process->object, TAG_ALPHA);
    hash_put(own_space->object, TAG_ALPHA);

    /* The Node sizes in use (live radix of each process's Node). */
    unsigned radixes[64], radix_count = 0;
    for (uint32_t p = 0; p < alpha_spec.process_count; p++) {
        const struct alpha_process *pr = &alpha_spec.processes[p];
        object_role[pr->node] = ROLE_NODE;
        object_role[pr->process] = ROLE_PROCESS;
        object_role[pr->address_space] = ROLE_ADDRESS_SPACE;
        object_owner[pr->node] = object_owner[pr->process] = object_owner[pr->address_space] = p;
        const struct a9n_introspect_record *n = root_slot(object_slot(pr->node));
        unsigned radix = n != NULL ? (unsigned)n->data[0] : 0;
        bool known = false;
        for (unsigned k = 0; k < radix_count; k++)
            known |= radixes[k] == radix;
        if (!known && radix_count < 64 && radix > 0 && radix < 40)
            radixes[radix_count++] = radix;
    }

    entry_count = 0;
    outside = 0;
    uint32_t *owner = alpha_table(ALPHA_TABLE_RECORD_OWNER, (size_t)record_count * sizeof *owner);
    if (owner == NULL)
        return false;
    record_owner = owner;
    for (uint32_t i = 0; i < record_count; i++)
        record_owner[i] = ALPHA_NONE;
    for (uint32_t i = 0; i < record_count; i++) {
        const struct a9n_introspect_record *r = &records[i];
        unsigned type = a9n_introspect_type(r->kind);
        /* A mapped page: whose Address Space, where. */
        if (type == A9N_OBJECT_FRAME && r->data[2] != 0) {
            uint32_t as = hash_get(r->data[2] & ~A9N_INTROSPECT_MAP_RIGHTS_MASK);
            if (as == TAG_ALPHA) {
                /* Alpha's own mappings */
            } else if (as < alpha_spec.object_count && object_role[as] == ROLE_ADDRESS_SPACE) {
                unsigned group =
                    (hash_get(r->object) & TAG_IMAGE) && hash_get(r->object) != TAG_NONE
                        ? GROUP_IMAGE
                        : GROUP_MAP;
                if (!add_entry(object_owner[as], group, (r->data[0] >> 12) & 0xfffffffffull, i))
                    return false;
            } else if (tolerant) {
                outside++; /* a process made an Address Space of its own */
            } else {
                printf("alpha: a page is mapped in an Address Space that was not declared\n");
                return false;
            }
        }
        a9n_word s = r->slot;
        if (s >= root_pa && s < root_pa + ((a9n_word)ROOT_SLOTS << A9N_SLOT_BITS))
            continue; /* Alpha's own: the authority it keeps */
        bool placed = false;
        for (unsigned k = 0; k < radix_count && !placed; k++) {
            a9n_word size = (a9n_word)1 << (radixes[k] + A9N_SLOT_BITS);
            uint32_t o = hash_get(s & ~(size - 1));
            if (o < alpha_spec.object_count && object_role[o] == ROLE_NODE &&
                root_slot(object_slot(o)) != NULL &&
                root_slot(object_slot(o))->data[0] == radixes[k]) {
                placed =
                    add_entry(object_owner[o], GROUP_SLOT, (s & (size - 1)) >> A9N_SLOT_BITS, i);
                if (!placed)
                    return false;
            }
        }
        if (placed)
            continue;
        uint32_t o = hash_get(s & ~(((a9n_word)1 << A9N_PROCESS_BITS) - 1));
        if (o == TAG_ALPHA)
            continue; /* Alpha's Process's own slots */
        if (o < alpha_spec.object_count && object_role[o] == ROLE_PROCESS) {
            /* Keyed by where in the Process it lives: its slots lie A9N_SLOT_BITS apart in
             * the order of a9n/process.h, so the offset tells the role. */
            a9n_word offset = (s & (((a9n_word)1 << A9N_PROCESS_BITS) - 1)) >> A9N_SLOT_BITS;
            if (!add_entry(object_owner[o], GROUP_CONFIG, offset, i))
                return false;
            continue;
        }
        if (tolerant) {
            outside++; /* in a Node a process made */
            continue;
        }
        char name[96];
        name_of(name, sizeof name, r->object);
        printf("alpha: a capability (type %u, %s) lives outside every declared Node\n", type, name);
        return false;
    }
    return sort_entries();
}

/* ---- the text ---- */

static const char *type_word(unsigned type)
{
    static const char *const names[] = {
        [A9N_OBJECT_NODE] = "node",
        [A9N_OBJECT_GENERIC] = "generic",
        [A9N_OBJECT_ADDRESS_SPACE] = "address_space",
        [A9N_OBJECT_PAGE_TABLE] = "page_table",
        [A9N_OBJECT_FRAME] = "memory",
        [A9N_OBJECT_PROCESS] = "process",
        [A9N_OBJECT_IPC_PORT] = "ipc_port",
        [A9N_OBJECT_NOTIFICATION_PORT] = "notification_port",
        [A9N_OBJECT_INTERRUPT_REGION] = "interrupt_region",
        [A9N_OBJECT_INTERRUPT_PORT] = "interrupt",
        [A9N_OBJECT_IO_PORT] = "io_port",
        [A9N_OBJECT_DEBUG] = "debug",
        [A9N_OBJECT_ASID_POOL] = "asid_pool",
    };
    return type < sizeof names / sizeof names[0] && names[type] != NULL ? names[type] : "?";
}

static void rights_word(char *buf, unsigned rights)
{
    static const char letters[] = "rwcm";
    unsigned n = 0;
    for (unsigned b = 0; b < 4; b++)
        if (rights & (1u << b))
            buf[n++] = letters[b];
    if (n == 0)
        buf[n++] = '-';
    buf[n] = '\0';
}

static void map_word(char *buf, unsigned attributes)
{
    buf[0] = 'r';
    buf[1] = (attributes & A9N_MAP_WRITE) ? 'w' : '-';
    buf[2] = (attributes & A9N_MAP_EXECUTE) ? 'x' : '-';
    buf[3] = '\0';
}

enum { LINE = 256 };

/* A large system's state is verified in full but not printed (it would take longer to print
 * than to verify): `capgen tree` shows it. */
enum { PRINT_MAX = 64 * 1024 };
static bool printing;

/* The printed state goes out in pieces of a few KiB. */
static char out_buffer[4096];
static size_t out_used;

static void out_flush(void)
{
    if (!printing)
        return;
    koito_console_write(out_buffer, out_used);
    out_used = 0;
}

static void out_line(const char *line)
{
    if (!printing)
        return;
    size_t n = strlen(line);
    if (out_used + n + 1 > sizeof out_buffer)
        out_flush();
    memcpy(out_buffer + out_used, line, n);
    out_buffer[out_used + n] = '\n';
    out_used += n + 1;
}

/* ---- the expected text, with the image placeholders expanded ---- */

struct expected {
    const char *next; /* the next raw line of alpha_expect.state_text */
    const char *end;
    /* an expansion in progress */
    unsigned mode; /* 0 none, 1 image pages, 2 image frame slots */
    uint32_t process;
    unsigned k, count, slot;
    char rights[80]; /* "RIGHTS (NAME)" */
    struct elf_image image;
};

static const char *find(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (; (text = strchr(text, word[0])) != NULL; text++)
        if (strncmp(text, word, n) == 0)
            return text;
    return NULL;
}

static bool starts(const char *line, const char *prefix)
{
    while (*prefix != '\0')
        if (*line++ != *prefix++)
            return false;
    return true;
}

/* The ELF of `name` ("<image>.elf" in the placeholder), parsed as the loader parses it. */
static bool placeholder_image(const char *name, size_t len, struct elf_image *img)
{
    char image[A9N_BOOT_MODULE_NAME_MAX];
    if (len < 5 || len - 4 >= sizeof image)
        return false;
    memcpy(image, name, len - 4);
    image[len - 4] = '\0';
    const struct a9n_boot_module *m = alpha_find_module(image);
    return m != NULL && elf_parse((const uint8_t *)m->address, m->size, 0x1000,
                                  ALPHA_STACK_TOP - 0x10000000ull, img) == ELF_OK;
}

static unsigned image_page_count(const struct elf_image *img)
{
    unsigned n = 0;
    for (unsigned i = 0; i < img->count; i++) {
        const struct elf_segment *s = &img->segments[i];
        n += (unsigned)(((s->vaddr + s->memsz + 4095) >> 12) - (s->vaddr >> 12));
    }
    return n;
}

/* Page k of the image in load order: its address and rights. */
static void image_page(const struct elf_image *img, unsigned k, uint64_t *va, unsigned *attr)
{
    for (unsigned i = 0; i < img->count; i++) {
        const struct elf_segment *s = &img->segments[i];
        unsigned n = (unsigned)(((s->vaddr + s->memsz + 4095) >> 12) - (s->vaddr >> 12));
        if (k < n) {
            *va = (s->vaddr & ~0xfffull) + (uint64_t)k * 4096;
            *attr = A9N_MAP_READ | ((s->flags & ELF_SEGMENT_W) ? A9N_MAP_WRITE : 0) |
                    ((s->flags & ELF_SEGMENT_X) ? A9N_MAP_EXECUTE : 0);
            return;
        }
        k -= n;
    }
}

/* The next expected line into `line`; false at the end. `process` is the block being
 * compared (expansions name its image). */
static bool expected_next(struct expected *e, char *line)
{
    for (;;) {
        if (e->mode != 0 && e->k < e->count) {
            const char *who = alpha_expect.process_names[e->process];
            if (e->mode == 1) {
                uint64_t va;
                unsigned attr;
                char m[4];
                image_page(&e->image, e->k, &va, &attr);
                map_word(m, attr);
                alpha_format(line, LINE, "  image 0x%lx %s %s.image+%u", va, m, who, e->k);
            } else {
                alpha_format(line, LINE, "  slot %u memory %s.image+%u %s", e->slot + e->k, who,
                             e->k, e->rights);
            }
            e->k++;
            return true;
        }
        e->mode = 0;
        if (e->next >= e->end)
            return false;
        const char *nl = memchr(e->next, '\n', (size_t)(e->end - e->next));
        size_t len = nl != NULL ? (size_t)(nl - e->next) : (size_t)(e->end - e->next);
        if (len >= LINE)
            len = LINE - 1;
        memcpy(line, e->next, len);
        line[len] = '\0';
        e->next = nl != NULL ? nl + 1 : e->end;
        /* Placeholders: "  entry of X.elf", "  image X.elf", "  slot N frames of X.elf R". */
        if (starts(line, "  entry of ")) {
            struct elf_image img;
            if (!placeholder_image(line + 11, strlen(line + 11), &img))
                return true; /* no such image: the line stays, and differs */
            alpha_format(line, LINE, "  entry 0x%lx", img.entry);
            return true;
        }
        if (starts(line, "  image ") && strchr(line + 8, ' ') == NULL) {
            if (placeholder_image(line + 8, strlen(line + 8), &e->image)) {
                e->mode = 1;
                e->k = 0;
                e->count = image_page_count(&e->image);
            }
            if (e->mode == 0)
                return true;
            continue;
        }
        const char *of = starts(line, "  slot ") ? find(line, " frames of ") : NULL;
        if (of != NULL) {
            const char *name = of + 11, *sp = strchr(name, ' ');
            if (sp != NULL && placeholder_image(name, (size_t)(sp - name), &e->image)) {
                e->mode = 2;
                e->k = 0;
                e->count = image_page_count(&e->image);
                e->slot = 0;
                for (const char *d = line + 7; *d >= '0' && *d <= '9'; d++)
                    e->slot = e->slot * 10 + (unsigned)(*d - '0');
                alpha_format(e->rights, sizeof e->rights, "%s", sp + 1);
                continue;
            }
            return true;
        }
        return true;
    }
}

/* When the next expected line is page k of the block's image ("  image 0x%lx %s %s.image+%u",
 * an expansion of a "  image X.elf" placeholder): its address and rights, and the line is
 * taken. Otherwise false, and nothing is taken (expected_next reads it). */
static bool expected_image_page(struct expected *e, uint64_t *va, unsigned *attr, unsigned *k)
{
    if (e->mode == 0 && e->next < e->end && starts(e->next, "  image ")) {
        const char *name = e->next + 8, *nl = memchr(name, '\n', (size_t)(e->end - name));
        const char *stop = nl != NULL ? nl : e->end;
        const char *space = memchr(name, ' ', (size_t)(stop - name));
        if (space != NULL || stop - e->next >= LINE ||
            !placeholder_image(name, (size_t)(stop - name), &e->image))
            return false;
        e->mode = 1;
        e->k = 0;
        e->count = image_page_count(&e->image);
        e->next = nl != NULL ? nl + 1 : e->end;
    }
    if (e->mode != 1 || e->k >= e->count)
        return false;
    image_page(&e->image, e->k, va, attr);
    *k = e->k++;
    return true;
}

/* ---- the live text ---- */

static void slot_text(char *line, const struct a9n_introspect_record *r, uint64_t slot)
{
    char name[96], rights[8];
    unsigned type = a9n_introspect_type(r->kind);
    rights_word(rights, a9n_introspect_rights(r->kind));
    switch (type) {
    case A9N_OBJECT_IO_PORT:
        alpha_format(line, LINE, "  slot %lu io_port 0x%lx-0x%lx %s", slot, r->data[0], r->data[1],
                     rights);
        return;
    case A9N_OBJECT_INTERRUPT_PORT:
        if (r->data[0] != 0) {
            name_of(name, sizeof name, r->data[0]);
            alpha_format(line, LINE, "  slot %lu interrupt %lu -> %s %s", slot, r->object, name,
                         rights);
        } else {
            alpha_format(line, LINE, "  slot %lu interrupt %lu %s", slot, r->object, rights);
        }
        return;
    case A9N_OBJECT_DEBUG:
    case A9N_OBJECT_INTERRUPT_REGION:
        alpha_format(line, LINE, "  slot %lu %s %s %s", slot, type_word(type), type_word(type),
                     rights);
        return;
    default:
        name_of(name, sizeof name, r->object);
        if ((type == A9N_OBJECT_IPC_PORT || type == A9N_OBJECT_NOTIFICATION_PORT) &&
            r->data[0] != 0)
            alpha_format(line, LINE, "  slot %lu %s %s %s badge %lu", slot, type_word(type), name,
                         rights, r->data[0]);
        else
            alpha_format(line, LINE, "  slot %lu %s %s %s", slot, type_word(type), name, rights);
        return;
    }
}

/* The configuration lines, in the order capgen prints them: which of the Process's own slots
 * each is (a9n/process.h), and the type the kernel lets it hold. An exit notice is printed
 * only when there is one (most processes have none). */
static const struct {
    const char *word;
    unsigned type, slot;
    bool optional;
} config_roles[] = {
    {"node", A9N_OBJECT_NODE, A9N_PROCESS_SLOT_ROOT_NODE, false},
    {"address_space", A9N_OBJECT_ADDRESS_SPACE, A9N_PROCESS_SLOT_ADDRESS_SPACE, false},
    {"ipc_buffer", A9N_OBJECT_FRAME, A9N_PROCESS_SLOT_IPC_BUFFER, false},
    {"resolver", A9N_OBJECT_IPC_PORT, A9N_PROCESS_SLOT_RESOLVER, false},
    {"notification", A9N_OBJECT_NOTIFICATION_PORT, A9N_PROCESS_SLOT_NOTIFICATION, false},
    {"exit_notice", A9N_OBJECT_NOTIFICATION_PORT, A9N_PROCESS_SLOT_EXIT_NOTICE, true},
};

struct compare {
    struct expected expected;
    const char *process; /* the block being compared */
    uint32_t index;      /* its index */
    unsigned slots, maps;
    bool failed;
    void (*sink)(const char *line); /* inspection: print only, to here, compare nothing */
};

/* The declared name of slot `slot` of process p (" (NAME)" as the expected lines have it),
 * from its capability table: inspection labels a running system, where the expected text
 * no longer lines up. */
static void declared_label(char *buf, size_t len, uint32_t p, long slot)
{
    buf[0] = '\0';
    const struct alpha_process *pr = &alpha_spec.processes[p];
    for (uint32_t k = 0; k < pr->cap_count && slot >= 0; k++) {
        const struct alpha_cap *c = &pr->caps[k];
        uint32_t n = c->count > 0 ? c->count : 1;
        if ((uint32_t)slot >= c->slot && (uint32_t)slot < c->slot + n) {
            if (n > 1)
                alpha_format(buf, len, " (%s+%lu)", c->name, (unsigned long)(slot - c->slot));
            else
                alpha_format(buf, len, " (%s)", c->name);
            return;
        }
    }
}

/* The slot number of a slot line, or -1. */
static long slot_number(const char *line)
{
    if (!starts(line, "  slot "))
        return -1;
    long n = 0;
    for (const char *d = line + 7; *d >= '0' && *d <= '9'; d++)
        n = n * 10 + (*d - '0');
    return n;
}

/* One live line: compared with the next expected one, then printed. A slot line gets the
 * declared name of the slot (" (NAME)") from the expected line of the same slot number: it
 * only labels the slot number, which is compared. */
static void compare_line(struct compare *c, const char *text, const char *want, bool have);

static void live_line(struct compare *c, const char *text)
{
    char want[LINE], line[LINE];
    if (c->failed)
        return;
    if (c->sink != NULL) {
        char label[80];
        declared_label(label, sizeof label, c->index, slot_number(text));
        alpha_format(line, LINE, "%s%s", text, label);
        c->sink(line);
        return;
    }
    bool have = expected_next(&c->expected, want);
    compare_line(c, text, want, have);
}

/* The live line `text` against the expected line `want` (`have`: there is one): printed,
 * counted, or the first difference named. */
static void compare_line(struct compare *c, const char *text, const char *want, bool have)
{
    char line[LINE];
    /* The line as `text " " NAME`, at most LINE - 1 characters, copied rather than formatted
     * (a few passes over each line of the state is most of what verification costs). */
    size_t n = strlen(text);
    n = n < LINE - 1 ? n : LINE - 1;
    memcpy(line, text, n);
    const char *name = have && starts(text, "  slot ") ? strrchr(want, '(') : NULL;
    if (name != NULL && slot_number(text) == slot_number(want) && n < LINE - 1) {
        size_t m = strlen(name);
        line[n++] = ' ';
        m = m < LINE - 1 - n ? m : LINE - 1 - n;
        memcpy(line + n, name, m);
        n += m;
    }
    line[n] = '\0';
    out_line(line);
    if (have && strcmp(want, line) == 0) {
        c->slots += starts(line, "  slot ");
        c->maps += starts(line, "  map ") || starts(line, "  image ");
        return;
    }
    out_flush();
    printf("alpha: the live state differs from the declared one (process %s):\n", c->process);
    printf("alpha:   declared: %s\n", have ? want : "(nothing more)");
    printf("alpha:   live:     %s\n", line);
    c->failed = true;
}

/* A page of the process's own image, against the expected image page, compared as numbers:
 * the address, the rights `map_word` prints (write, execute) and the identity, which prints
 * as "<process>.image+<k>" exactly when it is page first[p] + k of the image frames (process
 * names are unique). A match is formatted once, to be printed; a difference goes the text
 * path's way, both lines formatted and the first difference named. */
static bool image_line_matches(struct compare *c, uint32_t p, const struct a9n_introspect_record *r,
                               uint64_t sub)
{
    uint64_t va;
    unsigned attr, k;
    if (!expected_image_page(&c->expected, &va, &attr, &k))
        return false;
    unsigned live = (unsigned)(r->data[2] & A9N_INTROSPECT_MAP_RIGHTS_MASK);
    uint32_t v = hash_get(r->object), g = alpha_image_first[p] + k;
    bool same = (sub << 12) == va && ((live ^ attr) & (A9N_MAP_WRITE | A9N_MAP_EXECUTE)) == 0 &&
                v != TAG_NONE && (v & TAG_IMAGE) && (v & ~TAG_IMAGE) == g &&
                g < alpha_image_first[p + 1];
    char want[LINE], line[LINE], m[4], name[96];
    if (same) {
        /* The line is the expected one, character for character: printed as it, once. */
        if (printing) {
            map_word(m, attr);
            alpha_format(line, LINE, "  image 0x%lx %s %s.image+%u", va, m,
                         alpha_expect.process_names[p], k);
            out_line(line);
        }
        c->maps++;
        return true;
    }
    map_word(m, attr);
    alpha_format(want, LINE, "  image 0x%lx %s %s.image+%u", va, m,
                 alpha_expect.process_names[c->expected.process], k);
    map_word(m, live);
    name_of(name, sizeof name, r->object);
    alpha_format(line, LINE, "  image 0x%lx %s %s", sub << 12, m, name);
    compare_line(c, line, want, true);
    return true;
}

static void process_block(struct compare *c, uint32_t p, uint32_t *at)
{
    char line[LINE], name[96];
    c->process = alpha_expect.process_names[p];
    c->index = p;
    const struct a9n_introspect_record *pr =
        root_slot(object_slot(alpha_spec.processes[p].process));
    if (pr == NULL || a9n_introspect_type(pr->kind) != A9N_OBJECT_PROCESS) {
        live_line(c, "process (no Process object)");
        return;
    }
    alpha_format(line, LINE, "process %s priority %u stack_pointer 0x%lx", c->process,
                 a9n_introspect_priority(pr->data[2]), pr->data[1]);
    live_line(c, line);
    alpha_format(line, LINE, "  entry 0x%lx", pr->data[0]);
    live_line(c, line);
    /* Configuration: the Process's own slots, by type. */
    uint32_t first = *at;
    while (*at < entry_count && (entries[*at].key >> 40) == p &&
           ((entries[*at].key >> 36) & 0xf) == GROUP_CONFIG)
        (*at)++;
    /* The root Node's slot (the only one that holds a Node) anchors the others. */
    uint64_t base = UINT64_MAX;
    for (uint32_t e = first; e < *at; e++)
        if (a9n_introspect_type(records[entries[e].record].kind) == A9N_OBJECT_NODE)
            base = (entries[e].key & 0xfffffffffull) - A9N_PROCESS_SLOT_ROOT_NODE;
    unsigned placed = 0;
    for (unsigned k = 0; k < sizeof config_roles / sizeof config_roles[0]; k++) {
        const struct a9n_introspect_record *r = NULL;
        for (uint32_t e = first; e < *at; e++)
            if ((entries[e].key & 0xfffffffffull) == base + config_roles[k].slot &&
                a9n_introspect_type(records[entries[e].record].kind) == config_roles[k].type)
                r = &records[entries[e].record];
        if (r == NULL && config_roles[k].optional)
            continue;
        placed += r != NULL;
        if (r == NULL) {
            alpha_format(line, LINE, "  %s -", config_roles[k].word);
        } else {
            name_of(name, sizeof name, r->object);
            if (config_roles[k].type == A9N_OBJECT_NODE)
                alpha_format(line, LINE, "  %s %s radix %lu", config_roles[k].word, name,
                             r->data[0]);
            else if (config_roles[k].optional)
                alpha_format(line, LINE, "  %s %s badge %lu", config_roles[k].word, name,
                             r->data[0]);
            else
                alpha_format(line, LINE, "  %s %s", config_roles[k].word, name);
        }
        live_line(c, line);
    }
    if (placed != *at - first)
        live_line(c, "  (a capability in a slot of the Process that has no role)");
    for (; *at < entry_count && (entries[*at].key >> 40) == p; (*at)++) {
        const struct entry *e = &entries[*at];
        const struct a9n_introspect_record *r = &records[e->record];
        unsigned group = (unsigned)((e->key >> 36) & 0xf);
        uint64_t sub = e->key & 0xfffffffffull;
        if (group == GROUP_IMAGE && c->sink == NULL && !c->failed &&
            image_line_matches(c, p, r, sub))
            continue;
        if (group == GROUP_SLOT) {
            slot_text(line, r, sub);
        } else {
            char m[4];
            map_word(m, (unsigned)(r->data[2] & A9N_INTROSPECT_MAP_RIGHTS_MASK));
            name_of(name, sizeof name, r->object);
            alpha_format(line, LINE, "  %s 0x%lx %s %s", group == GROUP_IMAGE ? "image" : "map",
                         sub << 12, m, name);
        }
        live_line(c, line);
    }
}

bool alpha_verify(unsigned *slots, unsigned *maps)
{
    if (!read_records() || !index_root() || !place_records())
        return false;
    if (alpha_expect.process_count != alpha_spec.process_count ||
        alpha_expect.object_count != alpha_spec.object_count) {
        printf("alpha: the spec builds %u processes and %u objects, %u and %u were declared\n",
               alpha_spec.process_count, alpha_spec.object_count, alpha_expect.process_count,
               alpha_expect.object_count);
        return false;
    }
    struct compare c = {
        .expected = {.next = alpha_expect.state_text,
                     .end = alpha_expect.state_text + alpha_expect.state_bytes},
        .process = "-",
    };
    char line[LINE];
    printing = alpha_print_state && alpha_expect.state_bytes <= PRINT_MAX;
    if (printing)
        printf("--- state begin ---\n");
    alpha_format(line, LINE, "state %s: %u processes", alpha_spec.system_name,
                 alpha_spec.process_count);
    live_line(&c, line);
    uint32_t at = 0;
    for (uint32_t p = 0; p < alpha_spec.process_count && !c.failed; p++) {
        c.expected.process = p;
        process_block(&c, p, &at);
    }
    if (!c.failed && expected_next(&c.expected, line)) {
        out_flush();
        printf("alpha: the live state lacks what was declared:\nalpha:   declared: %s\n", line);
        return false;
    }
    if (c.failed)
        return false;
    out_flush();
    if (printing)
        printf("--- state end ---\n");
    else /* not asked for (options.c), or too large */
        printf("alpha: the expected state has %lu bytes: verified, not printed\n",
               alpha_expect.state_bytes);
    *slots = c.slots;
    *maps = c.maps;
    return true;
}

/* ---- inspection (inspect.c) ---- */

static bool read_running(void)
{
    tolerant = true;
    bool ok = read_records() && index_root() && place_records();
    tolerant = false;
    return ok;
}

bool alpha_live_state(int32_t process, void (*sink)(const char *line), unsigned *beyond)
{
    if (!read_running())
        return false;
    struct compare c = {.process = "-", .sink = sink};
    uint32_t at = 0;
    for (uint32_t p = 0; p < alpha_spec.process_count; p++) {
        if (process < 0 || (uint32_t)process == p)
            process_block(&c, p, &at);
        else
            while (at < entry_count && (entries[at].key >> 40) == p)
                at++;
    }
    *beyond = outside;
    return true;
}

bool alpha_live_process(uint32_t p, struct alpha_live_process *out)
{
    const struct a9n_introspect_record *r =
        p < alpha_spec.process_count ? root_slot(object_slot(alpha_spec.processes[p].process))
                                     : NULL;
    if (r == NULL || a9n_introspect_type(r->kind) != A9N_OBJECT_PROCESS)
        return false;
    out->priority = a9n_introspect_priority(r->data[2]);
    out->state = a9n_introspect_process_state(r->data[2]);
    out->ip = r->data[0];
    return true;
}

bool alpha_live_read(void)
{
    return read_running();
}

/* The size of the object a record names. */
static uint64_t object_size(const struct a9n_introspect_record *r)
{
    unsigned type = a9n_introspect_type(r->kind), specific = 0;
    if (type == A9N_OBJECT_NODE)
        specific = (unsigned)r->data[0];
    else if (type == A9N_OBJECT_FRAME)
        specific = (unsigned)(r->data[0] & 0x3f);
    else if (type == A9N_OBJECT_GENERIC)
        specific = (unsigned)(r->data[1] & 0xff);
    unsigned bits = a9n_object_bits(type, specific);
    return bits != 0 ? 1ull << bits : 0;
}

bool alpha_live_memory(void (*pool)(uint32_t object, uint64_t bytes, uint64_t used),
                       void (*client)(uint32_t object, uint32_t process, uint64_t bytes))
{
    if (!read_running())
        return false;
    static uint64_t held[ALPHA_MAX_PROCESSES + 1]; /* by process; the last: Alpha or none */
    for (uint32_t i = 0; i < alpha_spec.object_count; i++) {
        if (alpha_spec.objects[i].type != A9N_OBJECT_GENERIC)
            continue;
        /* The pool's capability: the shallowest Generic record of its address. */
        uint32_t at = record_count;
        for (uint32_t k = 0; k < record_count; k++)
            if (a9n_introspect_type(records[k].kind) == A9N_OBJECT_GENERIC &&
                records[k].object == object_pa[i] &&
                (at == record_count ||
                 a9n_introspect_depth(records[k].kind) < a9n_introspect_depth(records[at].kind)))
                at = k;
        if (at == record_count)
            continue;
        /* Its subtree follows it (pre-order). An object made from a Generic of the subtree
         * is a child record of that Generic: it counts once, for the process whose Node
         * holds that first capability. */
        memset(held, 0, sizeof(uint64_t) * (alpha_spec.process_count + 1));
        static bool generic_at[256];
        unsigned top = a9n_introspect_depth(records[at].kind);
        generic_at[top & 0xff] = true;
        uint64_t used = 0;
        for (uint32_t k = at + 1; k < record_count; k++) {
            unsigned d = a9n_introspect_depth(records[k].kind);
            if (d <= top || d - top >= 255)
                break;
            unsigned type = a9n_introspect_type(records[k].kind);
            generic_at[d & 0xff] = type == A9N_OBJECT_GENERIC;
            if (type == A9N_OBJECT_GENERIC || !generic_at[(d - 1) & 0xff])
                continue;
            uint64_t size = object_size(&records[k]);
            uint32_t owner = record_owner[k] < alpha_spec.process_count ? record_owner[k]
                                                                        : alpha_spec.process_count;
            held[owner] += size;
            used += size;
        }
        pool(i, object_size(&records[at]), used);
        for (uint32_t p = 0; p <= alpha_spec.process_count; p++)
            if (held[p] != 0)
                client(i, p, held[p]);
    }
    return true;
}
