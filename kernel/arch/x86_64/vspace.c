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

/* Walks from the root down to the table of `level`; NULL (and the missing level) if a table
 * above it is absent or a large page is in the way. */
static pte_t *walk_to(void *root, uint64_t va, unsigned level, unsigned *missing_level)
{
    pte_t *t = root;
    for (unsigned l = HAL_VSPACE_ROOT_LEVEL; l > level; l--) {
        pte_t e = t[index_of(va, l)];
        if (!(e & PTE_PRESENT) || (e & PTE_LARGE)) {
            if (missing_level != NULL)
                *missing_level = l - 1;
            return NULL;
        }
        t = table_at(e);
    }
    return t;
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
    pte_t *t = walk_to(root, va, level, missing_level);
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

bool hal_vspace_query(void *root, uint64_t va, paddr_t *pa, unsigned *rights)
{
    pte_t *t = root;
    unsigned r = HAL_MAP_READ | HAL_MAP_WRITE | HAL_MAP_EXECUTE;
    for (int l = HAL_VSPACE_ROOT_LEVEL; l >= 0; l--) {
        pte_t e = t[index_of(va, (unsigned)l)];
        if (!(e & PTE_PRESENT) || !(e & PTE_USER))
            return false;
        /* The access is what every level on the way allows. */
        if (!(e & PTE_WRITE))
            r &= ~(unsigned)HAL_MAP_WRITE;
        if (e & PTE_NX)
            r &= ~(unsigned)HAL_MAP_EXECUTE;
        if (l == 0 || (e & PTE_LARGE)) {
            *pa = e & PTE_ADDR_MASK & ~((1ull << (12 + 9 * l)) - 1);
            *rights = r;
            return true;
        }
        t = table_at(e);
    }
    return false;
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
