/* Summaries of the boot information, and the boot report printed on the console. */
#include <kernel/bootinfo.h>
#include <kernel/kprintf.h>

uint64_t boot_info_available_bytes(const struct boot_info *bi)
{
    uint64_t total = 0;
    for (size_t i = 0; i < bi->region_count; i++)
        if (bi->regions[i].type == BOOT_MEM_AVAILABLE)
            total += bi->regions[i].length;
    return total;
}

uint64_t boot_info_available_top(const struct boot_info *bi)
{
    uint64_t top = 0;
    for (size_t i = 0; i < bi->region_count; i++) {
        const struct boot_mem_region *r = &bi->regions[i];
        if (r->type == BOOT_MEM_AVAILABLE && r->length != 0 && r->base + r->length > top)
            top = r->base + r->length;
    }
    return top;
}

const char *boot_mem_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_AVAILABLE:
        return "available";
    case BOOT_MEM_RESERVED:
        return "reserved";
    case BOOT_MEM_ACPI_RECLAIMABLE:
        return "ACPI reclaimable";
    case BOOT_MEM_ACPI_NVS:
        return "ACPI NVS";
    case BOOT_MEM_BAD:
        return "bad";
    default:
        return "unknown";
    }
}

/* Whether the command line holds `word` as a word of its own. */
static bool cmdline_has(const char *cmdline, const char *word)
{
    for (const char *p = cmdline; *p != '\0';) {
        while (*p == ' ')
            p++;
        const char *w = word;
        while (*w != '\0' && *p == *w)
            p++, w++;
        if (*w == '\0' && (*p == ' ' || *p == '\0'))
            return true;
        while (*p != ' ' && *p != '\0')
            p++;
    }
    return false;
}

/* The regions and the modules one by one only when the command line says `bootlog`: at
 * 115,200 baud each line costs about 5 ms on hardware, and under -icount about 1,700
 * instructions of every boot (the summaries stay). */
void boot_info_print(const struct boot_info *bi)
{
    bool detail = cmdline_has(bi->cmdline, "bootlog");
    kprintf("boot: loader \"%s\", command line \"%s\"\n", bi->loader_name, bi->cmdline);
    kprintf("mem: %zu regions%s\n", bi->region_count,
            bi->regions_truncated ? " (more were dropped)" : "");
    for (size_t i = 0; detail && i < bi->region_count; i++) {
        const struct boot_mem_region *r = &bi->regions[i];
        kprintf("mem:   0x%016lx-0x%016lx %s\n", r->base, r->base + r->length - 1,
                boot_mem_type_name(r->type));
    }
    uint64_t avail = boot_info_available_bytes(bi);
    kprintf("mem: %lu KiB available (%lu MiB)\n", avail >> 10, avail >> 20);
    kprintf("modules: %zu%s\n", bi->module_count,
            bi->modules_truncated ? " (more were dropped)" : "");
    for (size_t i = 0; detail && i < bi->module_count; i++) {
        const struct boot_module *m = &bi->modules[i];
        kprintf("module:  0x%08lx-0x%08lx %lu bytes \"%s\"\n", m->start, m->end, m->end - m->start,
                m->cmdline);
    }
    if (bi->rsdp != NULL)
        kprintf("acpi: RSDP revision %u, checksum %s\n", bi->rsdp_revision,
                bi->rsdp_checksum_ok ? "ok" : "BAD");
    else
        kprintf("acpi: no RSDP from the loader\n");
}
