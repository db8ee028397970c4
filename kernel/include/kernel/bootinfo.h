/*
 * What the boot loader told the kernel, in a loader-neutral form. Filled by the multiboot2
 * parser (kernel/boot/multiboot2.c); strings point into the loader's info block, which the
 * kernel keeps intact.
 */
#pragma once

#include <a9n/limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    BOOT_MAX_REGIONS = 128,
    BOOT_MAX_MODULES = A9N_BOOT_INFO_MODULE_MAX + 1, /* Alpha and what it is handed */
};

/* Memory region types, numbered as multiboot2 (and the BIOS E820 map) number them. */
enum boot_mem_type {
    BOOT_MEM_AVAILABLE = 1,
    BOOT_MEM_RESERVED = 2,
    BOOT_MEM_ACPI_RECLAIMABLE = 3,
    BOOT_MEM_ACPI_NVS = 4,
    BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* enum boot_mem_type, or the loader's own number if unknown */
};

struct boot_module {
    uint64_t start; /* physical, inclusive */
    uint64_t end;   /* physical, exclusive */
    const char *cmdline;
};

struct boot_info {
    uint64_t entry_timestamp; /* the CPU's timestamp counter at kernel entry */
    const char *cmdline;      /* "" when the loader gave none */
    const char *loader_name;  /* "" when the loader gave none */
    struct boot_mem_region regions[BOOT_MAX_REGIONS];
    size_t region_count;
    bool regions_truncated; /* more regions than BOOT_MAX_REGIONS: the rest were dropped */
    struct boot_module modules[BOOT_MAX_MODULES];
    size_t module_count;
    bool modules_truncated;
    /* Physical ranges the kernel keeps (its image, the loader's info block): never free RAM.
     * Filled by the arch layer, not by the parser. */
    struct {
        uint64_t start, end;
    } reserved[4];
    size_t reserved_count;
    const void *rsdp;  /* the ACPI RSDP copy inside the info block, or NULL */
    uint32_t rsdp_len; /* bytes available at rsdp */
    uint8_t rsdp_revision;
    bool rsdp_checksum_ok;
};

/* Sum of the lengths of all BOOT_MEM_AVAILABLE regions. */
uint64_t boot_info_available_bytes(const struct boot_info *bi);

/* One past the highest byte of any available region (0 without regions). */
uint64_t boot_info_available_top(const struct boot_info *bi);

/* A short name for a region type ("available", "reserved", ...). */
const char *boot_mem_type_name(uint32_t type);

/* Prints the boot summary (memory map, modules, command line, RSDP) on the console. */
void boot_info_print(const struct boot_info *bi);
