/*
 * x86_64 four-level paging for user address spaces (see hal/hal_vspace.h). The table logic
 * here touches no CPU register; the few things that do (CR3, INVLPG) are vspace_hw_*
 * (paging.c), so the host unit tests build this file against a stand-in.
 */
#include "layout.h"
#include "vspace_hw.h"

#include <hal/hal_vspace.h>
#include <string.h>

enum {
    PTE_PRESENT = 1 << 0,
    PTE_WRITE = 1 << 1,
    PTE_USER = 1 << 2,
    PTE_LARGE = 1 << 7,
    KERNEL_HALF_FIRST = 256,
};
#define PTE_NX        (1ull << 63)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull

typedef uint64_t pte_t;

static pte_t *table_at(pte_t entry)
{
    return hal_phys_to_virt(entry & PTE_ADDR_MASK);
}

static unsigned index_of(uint64_t va, unsigned level)
{
    return (va >> (12 + 9 * level)) & 511;
}

bool hal_vspace_user_address(uint64_t va)
{
    return va < USER_TOP;
}

void hal_vspace_init_root(void *root)
{
    pte_t *r = root;
    const pte_t *kernel = hal_phys_to_virt(vspace_hw_kernel_root());
    memset(r, 0, KERNEL_HALF_FIRST * sizeof(pte_t));
    /* The kernel half's top-level entries never change after boot, so a copy stays valid. */
    memcpy(r + KERNEL_HALF_FIRST, kernel + KERNEL_HALF_FIRST, KERNEL_HALF_FIRST * sizeof(pte_t));
}

/* Walks from the root down to the table of `level`. NULL if a table above it is absent (then
 * *missing_level is the highest missing level) or a large page covers `va` (*blocked). */
static pte_t *walk_to_checked(void *root, uint64_t va, unsigned level, unsigned *missing_level,
                              bool *blocked)
{
    pte_t *t = root;
    for (unsigned l = HAL_VSPACE_ROOT_LEVEL; l > level; l--) {
        pte_t e = t[index_of(va, l)];
        if (e & PTE_LARGE) {
            if (blocked != NULL)
                *blocked = true;
            return NULL;
        }
        if (!(e & PTE_PRESENT)) {
            if (missing_level != NULL)
                *missing_level = l - 1;
            return NULL;
        }
        t = table_at(e);
    }
    return t;
}

static pte_t *walk_to(void *root, uint64_t va, unsigned level, unsigned *missing_level)
{
    return walk_to_checked(root, va, level, missing_level, NULL);
}

enum hal_vspace_result hal_vspace_map_table(void *root, uint64_t va, unsigned level, paddr_t table,
                                            unsigned *missing_level)
{
    if (!hal_vspace_user_address(va) || level >= HAL_VSPACE_ROOT_LEVEL)
        return HAL_VSPACE_BAD_ADDRESS;
    pte_t *parent = walk_to(root, va, level + 1, missing_level);
    if (parent == NULL)
        return HAL_VSPACE_MISSING;
    pte_t *e = &parent[index_of(va, level + 1)];
    if (*e & PTE_PRESENT)
        return HAL_VSPACE_OCCUPIED;
    /* Inner entries allow everything; the leaf decides what user code may do. */
    *e = table | PTE_PRESENT | PTE_WRITE | PTE_USER;
    return HAL_VSPACE_OK;
}

static bool is_active(void *root)
{
    return vspace_hw_active() == hal_virt_to_phys(root);
}

static void flush(void *root, uint64_t va)
{
    if (is_active(root))
        vspace_hw_flush_page(va);
}

enum hal_vspace_result hal_vspace_map_frame(void *root, uint64_t va, unsigned bits, paddr_t frame,
                                            unsigned rights, unsigned *missing_level)
{
    if (bits != 12 && bits != 21)
        return HAL_VSPACE_BAD_ADDRESS;
    uint64_t size = 1ull << bits;
    if (!hal_vspace_user_address(va) || !hal_vspace_user_address(va + size - 1) ||
        (va & (size - 1)) != 0)
        return HAL_VSPACE_BAD_ADDRESS;
    unsigned level = bits == 12 ? 0 : 1;
    bool blocked = false;
    pte_t *t = walk_to_checked(root, va, level, missing_level, &blocked);
    if (blocked)
        return HAL_VSPACE_OCCUPIED; /* a 2 MiB page already covers `va` */
    if (t == NULL)
        return HAL_VSPACE_MISSING;
    pte_t *e = &t[index_of(va, level)];
    if (*e & PTE_PRESENT)
        return HAL_VSPACE_OCCUPIED;
    pte_t pte = frame | PTE_PRESENT | PTE_USER;
    if (rights & HAL_MAP_WRITE)
        pte |= PTE_WRITE;
    if (!(rights & HAL_MAP_EXECUTE))
        pte |= PTE_NX;
    if (level == 1)
        pte |= PTE_LARGE;
    *e = pte;
    return HAL_VSPACE_OK;
}

enum hal_vspace_result hal_vspace_unmap_frame(void *root, uint64_t va, unsigned bits, paddr_t frame)
{
    unsigned level = bits == 12 ? 0 : 1;
    if (!hal_vspace_user_address(va))
        return HAL_VSPACE_BAD_ADDRESS;
    pte_t *t = walk_to(root, va, level, NULL);
    if (t == NULL)
        return HAL_VSPACE_NOT_MAPPED;
    pte_t *e = &t[index_of(va, level)];
    if (!(*e & PTE_PRESENT) || (*e & PTE_ADDR_MASK) != frame || (level == 1 && !(*e & PTE_LARGE)))
        return HAL_VSPACE_NOT_MAPPED;
    *e = 0;
    flush(root, va);
    return HAL_VSPACE_OK;
}

enum hal_vspace_result hal_vspace_unmap_table(void *root, uint64_t va, unsigned level,
                                              paddr_t table)
{
    if (!hal_vspace_user_address(va) || level >= HAL_VSPACE_ROOT_LEVEL)
        return HAL_VSPACE_BAD_ADDRESS;
    pte_t *parent = walk_to(root, va, level + 1, NULL);
    if (parent == NULL)
        return HAL_VSPACE_NOT_MAPPED;
    pte_t *e = &parent[index_of(va, level + 1)];
    if (!(*e & PTE_PRESENT) || (*e & PTE_LARGE) || (*e & PTE_ADDR_MASK) != table)
        return HAL_VSPACE_NOT_MAPPED;
    *e = 0;
    /* Everything under the table goes: flush the whole address space if it is active. */
    if (is_active(root))
        vspace_hw_load(hal_virt_to_phys(root));
    return HAL_VSPACE_OK;
}

/* The entry that maps `frame` of 2^bits bytes at `va`, or NULL if there is none. */
static pte_t *frame_entry(void *root, uint64_t va, unsigned bits, paddr_t frame)
{
    if (!hal_vspace_user_address(va) || (bits != 12 && bits != 21))
        return NULL;
    unsigned level = bits == 12 ? 0 : 1;
    pte_t *t = walk_to(root, va, level, NULL);
    if (t == NULL)
        return NULL;
    pte_t *e = &t[index_of(va, level)];
    if (!(*e & PTE_PRESENT) || (*e & PTE_ADDR_MASK) != frame || (level == 1) != !!(*e & PTE_LARGE))
        return NULL;
    return e;
}

bool hal_vspace_has_frame(void *root, uint64_t va, unsigned bits, paddr_t frame)
{
    return frame_entry(root, va, bits, frame) != NULL;
}

bool hal_vspace_has_table(void *root, uint64_t va, unsigned level, paddr_t table)
{
    if (!hal_vspace_user_address(va) || level >= HAL_VSPACE_ROOT_LEVEL)
        return false;
    pte_t *parent = walk_to(root, va, level + 1, NULL);
    if (parent == NULL)
        return false;
    pte_t e = parent[index_of(va, level + 1)];
    return (e & PTE_PRESENT) && !(e & PTE_LARGE) && (e & PTE_ADDR_MASK) == table;
}

/* The user part of a table: the root's lower half, or all of an inner table. */
static unsigned user_entries(unsigned level)
{
    return level == HAL_VSPACE_ROOT_LEVEL ? KERNEL_HALF_FIRST : 512;
}

bool hal_vspace_clear(void *root, void *table, unsigned level, uint64_t *budget)
{
    /* An explicit cursor instead of recursion: at most four tables deep (root to level 0).
     * Progress lives in the tables themselves (cleared entries stay clear), so a call that
     * ran out of budget simply starts again from the top and skips what is already zero. */
    struct {
        pte_t *t;
        unsigned level, i;
    } stack[HAL_VSPACE_ROOT_LEVEL + 1];
    int top = 0;
    bool done = true;
    stack[0].t = table;
    stack[0].level = level;
    stack[0].i = 0;
    while (top >= 0) {
        if (stack[top].i == user_entries(stack[top].level)) {
            /* This table is all zero now: unlink it from its parent (the top stays). */
            if (--top >= 0)
                stack[top].t[stack[top].i++] = 0;
            continue;
        }
        /* A run of empty entries is passed over in a tight loop, one unit each (a
         * restarted call passes over what earlier calls cleared, at most 4 * 512 entries on
         * its way down); a present entry costs more, so that the budget stays near the
         * instructions spent. */
        const pte_t *t = stack[top].t;
        unsigned i = stack[top].i, end = user_entries(stack[top].level);
        unsigned limit = *budget < end - i ? i + (unsigned)*budget : end;
        unsigned from = i;
        while (i < limit && !(t[i] & PTE_PRESENT))
            i++;
        *budget -= i - from;
        stack[top].i = i;
        if (i == end)
            continue;
        if (*budget < HAL_VSPACE_CLEAR_PRESENT_COST) {
            done = false;
            break;
        }
        *budget -= HAL_VSPACE_CLEAR_PRESENT_COST;
        pte_t e = t[i];
        if (stack[top].level == 0 || (e & PTE_LARGE)) {
            stack[top].t[stack[top].i++] = 0; /* a frame: its capability's record goes stale */
        } else {
            top++;
            stack[top].t = table_at(e);
            stack[top].level = stack[top - 1].level - 1;
            stack[top].i = 0;
        }
    }
    /* Whatever was cleared may still be in the TLB. */
    if (is_active(root))
        vspace_hw_load(hal_virt_to_phys(root));
    return done;
}

bool hal_vspace_read_entry(const void *table, unsigned level, unsigned index,
                           struct hal_vspace_entry *out)
{
    const pte_t *t = table;
    pte_t e = t[index];
    *out = (struct hal_vspace_entry){0};
    if (index >= user_entries(level) || !(e & PTE_PRESENT))
        return false;
    out->address = e & PTE_ADDR_MASK;
    out->user = (e & PTE_USER) != 0;
    if (level == 0 || (e & PTE_LARGE))
        out->frame_bits = 12 + 9 * level;
    return true;
}

bool hal_vspace_table_empty(const void *table, unsigned level)
{
    const pte_t *t = table;
    for (unsigned i = 0; i < user_entries(level); i++)
        if (t[i] != 0)
            return false;
    return true;
}

int hal_vspace_missing_level(void *root, uint64_t va)
{
    pte_t *t = root;
    for (unsigned l = HAL_VSPACE_ROOT_LEVEL; l > 0; l--) {
        pte_t e = t[index_of(va, l)];
        if (!(e & PTE_PRESENT))
            return (int)l - 1;
        if (e & PTE_LARGE)
            return -1; /* a large page covers `va`: no table can go below it */
        t = table_at(e);
    }
    return -1;
}

bool hal_vspace_lookup(void *root, uint64_t va, paddr_t *pa)
{
    pte_t *t = root;
    for (int l = HAL_VSPACE_ROOT_LEVEL; l >= 0; l--) {
        pte_t e = t[index_of(va, (unsigned)l)];
        if (!(e & PTE_PRESENT))
            return false;
        if (l == 0 || (e & PTE_LARGE)) {
            uint64_t offset_mask = (1ull << (12 + 9 * l)) - 1;
            *pa = (e & PTE_ADDR_MASK & ~offset_mask) | (va & offset_mask);
            return true;
        }
        t = table_at(e);
    }
    return false;
}

bool hal_vspace_frame_access(void *root, uint64_t va, unsigned bits, paddr_t frame,
                             unsigned *rights)
{
    if (!hal_vspace_user_address(va) || (bits != 12 && bits != 21))
        return false;
    unsigned level = bits == 12 ? 0 : 1;
    pte_t *t = root;
    unsigned r = HAL_MAP_READ | HAL_MAP_WRITE | HAL_MAP_EXECUTE;
    for (unsigned l = HAL_VSPACE_ROOT_LEVEL;; l--) {
        pte_t e = t[index_of(va, l)];
        if (!(e & PTE_PRESENT) || !(e & PTE_USER))
            return false;
        /* The access is what every level on the way allows. */
        if (!(e & PTE_WRITE))
            r &= ~(unsigned)HAL_MAP_WRITE;
        if (e & PTE_NX)
            r &= ~(unsigned)HAL_MAP_EXECUTE;
        if (l == level) {
            /* Exactly this frame, of this size (a 2 MiB entry is a large one). */
            if ((e & PTE_ADDR_MASK) != frame || (level == 1) != !!(e & PTE_LARGE))
                return false;
            *rights = r;
            return true;
        }
        if (e & PTE_LARGE)
            return false; /* a large page covers `va` above the frame's level */
        t = table_at(e);
    }
}

void hal_vspace_activate(void *root)
{
    if (!is_active(root))
        vspace_hw_load(hal_virt_to_phys(root));
}

void hal_vspace_deactivate(void *root)
{
    if (is_active(root))
        vspace_hw_load(vspace_hw_kernel_root());
}
