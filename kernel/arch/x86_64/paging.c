/*
 * The kernel's own page tables, built once at boot to replace the boot stub's:
 *  - the direct map: all physical memory up to the highest available byte (at least 4 GiB,
 *    so the local APIC and IOAPIC are reachable) at DIRECT_MAP_BASE, writable, never
 *    executable;
 *  - the kernel image at KERNEL_VMA in 4 KiB pages with per-section rights (text RX,
 *    rodata R, data and bss RW), so a stray write into code faults;
 *  - nothing else: the low identity map is gone, so a null pointer faults.
 * Table memory comes from a static pool in .bss (A9N has no kernel heap).
 */
#include "arch.h"
#include "cpu.h"
#include "layout.h"
#include "vspace_hw.h"

#include <hal/hal.h>
#include <hal/hal_vspace.h>
#include <kernel/bootinfo.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <string.h>

enum {
    PTE_PRESENT = 1 << 0,
    PTE_WRITE = 1 << 1,
    PTE_LARGE = 1 << 7,
    PTE_GLOBAL = 1 << 8,
    TABLE_POOL_PAGES = 80, /* direct map of up to 64 GiB without 1 GiB pages + the image */
    KERNEL_PT_PAGES = 8,   /* kernel image up to 16 MiB */
};
#define PTE_NX        (1ull << 63)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull
#define GIB           ((uint64_t)1 << 30)
#define MIB2          ((uint64_t)1 << 21)

typedef uint64_t pte_t;

/* The kernel's own root: active whenever no user Address Space is. */
uint64_t paging_kernel_root_phys;

static pte_t table_pool[TABLE_POOL_PAGES][512] __attribute__((aligned(4096)));
static size_t table_pool_used;

extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[],
    __kernel_end[];

void *hal_phys_to_virt(paddr_t pa)
{
    return (void *)(pa + DIRECT_MAP_BASE);
}

paddr_t hal_virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP_BASE;
}

static pte_t *table_alloc(void)
{
    if (table_pool_used == TABLE_POOL_PAGES)
        panic("paging: boot page-table pool exhausted");
    pte_t *t = table_pool[table_pool_used++];
    memset(t, 0, 4096);
    return t;
}

/* The next-level table behind entry `e`, created on first use. */
static pte_t *table_next(pte_t *e)
{
    if (!(*e & PTE_PRESENT))
        *e = hal_virt_to_phys(table_alloc()) | PTE_PRESENT | PTE_WRITE;
    return hal_phys_to_virt(*e & PTE_ADDR_MASK);
}

static bool cpu_has_gib_pages(void)
{
    uint32_t a, b, c, d;
    cpuid(0x80000001, 0, &a, &b, &c, &d);
    return d & (1u << 26);
}

static uint64_t map_direct(pte_t *pml4, uint64_t top)
{
    const pte_t flags = PTE_PRESENT | PTE_WRITE | PTE_GLOBAL | PTE_NX;
    bool gib = cpu_has_gib_pages();
    uint64_t limit = gib ? 512 * GIB : (TABLE_POOL_PAGES - KERNEL_PT_PAGES - 4) * GIB;
    if (top > limit) {
        kprintf("paging: direct map capped at %lu GiB of %lu GiB\n", limit / GIB, top / GIB);
        top = limit;
    }
    pte_t *pdpt = table_next(&pml4[(DIRECT_MAP_BASE >> 39) & 511]);
    for (uint64_t pa = 0; pa < top; pa += GIB) {
        if (gib) {
            pdpt[pa / GIB] = pa | flags | PTE_LARGE;
            continue;
        }
        pte_t *pd = table_next(&pdpt[pa / GIB]);
        for (int i = 0; i < 512; i++)
            pd[i] = (pa + (uint64_t)i * MIB2) | flags | PTE_LARGE;
    }
    return top;
}

static void map_kernel_image(pte_t *pml4)
{
    uint64_t start = (uint64_t)__kernel_start, end = (uint64_t)__kernel_end;
    if (end - start > KERNEL_PT_PAGES * MIB2)
        panic("paging: kernel image larger than %d MiB", KERNEL_PT_PAGES * 2);
    pte_t *pdpt = table_next(&pml4[(start >> 39) & 511]);
    pte_t *pd = table_next(&pdpt[(start >> 30) & 511]);
    for (uint64_t va = start; va < end; va += 4096) {
        pte_t *pt = table_next(&pd[(va >> 21) & 511]);
        pte_t flags = PTE_PRESENT | PTE_GLOBAL;
        if (va >= (uint64_t)__text_start && va < (uint64_t)__text_end)
            ; /* code: read + execute */
        else if (va >= (uint64_t)__rodata_start && va < (uint64_t)__rodata_end)
            flags |= PTE_NX;
        else
            flags |= PTE_WRITE | PTE_NX;
        pt[(va >> 12) & 511] = (va - KERNEL_VMA) | flags;
    }
}

void paging_init(const struct boot_info *boot)
{
    uint64_t top = boot_info_available_top(boot);
    if (top < 4 * GIB)
        top = 4 * GIB;
    top = (top + GIB - 1) & ~(GIB - 1);

    pte_t *pml4 = table_alloc();
    uint64_t mapped = map_direct(pml4, top);
    map_kernel_image(pml4);

    write_cr4(read_cr4() | (1u << 7)); /* PGE: kernel mappings survive address-space switches */
    paging_kernel_root_phys = hal_virt_to_phys(pml4);
    write_cr3(paging_kernel_root_phys);
    kprintf("paging: direct map 0-%lu GiB at 0x%lx, kernel image %lu KiB at 0x%lx\n", mapped / GIB,
            (uint64_t)DIRECT_MAP_BASE, (uint64_t)(__kernel_end - __kernel_start) >> 10,
            (uint64_t)__kernel_start);
}

/* ---- the CPU side of address spaces (vspace_hw.h) ---- */

paddr_t vspace_hw_active(void)
{
    return read_cr3() & 0x000FFFFFFFFFF000ull;
}

void vspace_hw_load(paddr_t root)
{
    write_cr3(root);
}

void vspace_hw_flush_page(uint64_t va)
{
    invlpg(va);
}

void hal_vspace_load(paddr_t root)
{
    write_cr3(root);
}

paddr_t vspace_hw_kernel_root(void)
{
    return paging_kernel_root_phys;
}
