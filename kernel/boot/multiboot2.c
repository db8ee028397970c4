/*
 * multiboot2 boot information parser (see kernel/include/kernel/multiboot2.h).
 * Layout: a header {u32 total_size, u32 reserved}, then 8-byte aligned tags
 * {u32 type, u32 size, payload}, ending with a tag of type 0 and size 8.
 */
#include <kernel/multiboot2.h>

#include <string.h>

enum {
    TAG_END = 0,
    TAG_CMDLINE = 1,
    TAG_LOADER_NAME = 2,
    TAG_MODULE = 3,
    TAG_MMAP = 6,
    TAG_ACPI_OLD = 14,
    TAG_ACPI_NEW = 15,
    TAG_HEADER_SIZE = 8,
    MMAP_HEADER_SIZE = 16,   /* tag header + entry_size + entry_version */
    MMAP_ENTRY_MIN = 24,     /* base, length, type, reserved */
    MODULE_HEADER_SIZE = 16, /* tag header + mod_start + mod_end */
    RSDP_V1_SIZE = 20,
};

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A tag's string payload must end with a NUL inside the tag. */
static const char *tag_string(const uint8_t *payload, size_t len)
{
    if (len == 0 || memchr(payload, '\0', len) == NULL)
        return NULL;
    return (const char *)payload;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < MMAP_HEADER_SIZE)
        return MB2_ERR_TAG_SIZE;
    uint32_t entry_size = rd32(tag + 8);
    if (entry_size < MMAP_ENTRY_MIN || entry_size % 8 != 0)
        return MB2_ERR_MMAP_ENTRY;
    for (uint32_t off = MMAP_HEADER_SIZE; size - off >= entry_size; off += entry_size) {
        const uint8_t *e = tag + off;
        uint64_t base = rd64(e), length = rd64(e + 8);
        if (length != 0 && base + length - 1 < base)
            return MB2_ERR_REGION_RANGE;
        if (out->region_count == BOOT_MAX_REGIONS) {
            out->regions_truncated = true;
            continue;
        }
        out->regions[out->region_count++] =
            (struct boot_mem_region){.base = base, .length = length, .type = rd32(e + 16)};
    }
    return MB2_OK;
}

static int parse_module(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < MODULE_HEADER_SIZE)
        return MB2_ERR_TAG_SIZE;
    uint32_t start = rd32(tag + 8), end = rd32(tag + 12);
    const char *cmdline = tag_string(tag + MODULE_HEADER_SIZE, size - MODULE_HEADER_SIZE);
    if (cmdline == NULL)
        return MB2_ERR_STRING;
    if (end < start)
        return MB2_ERR_MODULE_RANGE;
    if (out->module_count == BOOT_MAX_MODULES) {
        out->modules_truncated = true;
        return MB2_OK;
    }
    out->modules[out->module_count++] =
        (struct boot_module){.start = start, .end = end, .cmdline = cmdline};
    return MB2_OK;
}

static uint8_t byte_sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

static int parse_rsdp(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < TAG_HEADER_SIZE + RSDP_V1_SIZE)
        return MB2_ERR_TAG_SIZE;
    const uint8_t *rsdp = tag + TAG_HEADER_SIZE;
    uint32_t len = size - TAG_HEADER_SIZE;
    /* The newer (ACPI 2.0+) copy wins when a loader passes both. */
    if (out->rsdp != NULL && out->rsdp_revision >= 2 && rsdp[15] < 2)
        return MB2_OK;
    out->rsdp = rsdp;
    out->rsdp_len = len;
    out->rsdp_revision = rsdp[15];
    bool ok = memcmp(rsdp, "RSD PTR ", 8) == 0 && byte_sum(rsdp, RSDP_V1_SIZE) == 0;
    if (ok && out->rsdp_revision >= 2) {
        uint32_t full = rd32(rsdp + 20);
        ok = full >= RSDP_V1_SIZE && full <= len && byte_sum(rsdp, full) == 0;
    }
    out->rsdp_checksum_ok = ok;
    return MB2_OK;
}

static int parse_tag(const uint8_t *tag, uint32_t type, uint32_t size, struct boot_info *out)
{
    switch (type) {
    case TAG_CMDLINE:
    case TAG_LOADER_NAME: {
        const char *s = tag_string(tag + TAG_HEADER_SIZE, size - TAG_HEADER_SIZE);
        if (s == NULL)
            return MB2_ERR_STRING;
        if (type == TAG_CMDLINE)
            out->cmdline = s;
        else
            out->loader_name = s;
        return MB2_OK;
    }
    case TAG_MODULE:
        return parse_module(tag, size, out);
    case TAG_MMAP:
        return parse_mmap(tag, size, out);
    case TAG_ACPI_OLD:
    case TAG_ACPI_NEW:
        return parse_rsdp(tag, size, out);
    default:
        return MB2_OK; /* tags A9N does not use are skipped */
    }
}

static int parse_tags(const uint8_t *base, uint32_t total, struct boot_info *out)
{
    uint32_t off = 8;
    while (total - off >= TAG_HEADER_SIZE) {
        const uint8_t *tag = base + off;
        uint32_t type = rd32(tag), size = rd32(tag + 4);
        if (size < TAG_HEADER_SIZE)
            return MB2_ERR_TAG_SIZE;
        if (size > total - off)
            return MB2_ERR_TAG_OVERFLOW;
        if (type == TAG_END)
            return size == TAG_HEADER_SIZE ? MB2_OK : MB2_ERR_TAG_SIZE;
        int err = parse_tag(tag, type, size, out);
        if (err != MB2_OK)
            return err;
        uint32_t next = (size + 7u) & ~7u;
        if (next > total - off)
            break;
        off += next;
    }
    return MB2_ERR_NO_END_TAG;
}

int mb2_parse(const void *info, size_t avail, struct boot_info *out)
{
    if (out == NULL)
        return MB2_ERR_NULL;
    memset(out, 0, sizeof *out);
    out->cmdline = "";
    out->loader_name = "";
    if (info == NULL)
        return MB2_ERR_NULL;
    if ((uintptr_t)info % 8 != 0)
        return MB2_ERR_MISALIGNED;
    if (avail < 16)
        return MB2_ERR_TRUNCATED;
    const uint8_t *base = info;
    uint32_t total = rd32(base);
    if (total < 16 || total > avail)
        return MB2_ERR_TRUNCATED;
    int err = parse_tags(base, total, out);
    if (err != MB2_OK) {
        memset(out, 0, sizeof *out);
        out->cmdline = "";
        out->loader_name = "";
    }
    return err;
}

const char *mb2_strerror(int err)
{
    switch (err) {
    case MB2_OK:
        return "ok";
    case MB2_ERR_NULL:
        return "no boot information";
    case MB2_ERR_MISALIGNED:
        return "boot information not 8-byte aligned";
    case MB2_ERR_TRUNCATED:
        return "boot information truncated";
    case MB2_ERR_TAG_OVERFLOW:
        return "tag runs past the end of the boot information";
    case MB2_ERR_TAG_SIZE:
        return "tag too small for its type";
    case MB2_ERR_NO_END_TAG:
        return "no end tag";
    case MB2_ERR_STRING:
        return "unterminated string in a tag";
    case MB2_ERR_MMAP_ENTRY:
        return "bad memory map entry size";
    case MB2_ERR_MODULE_RANGE:
        return "module ends before it starts";
    case MB2_ERR_REGION_RANGE:
        return "memory region wraps around the address space";
    default:
        return "unknown error";
    }
}
