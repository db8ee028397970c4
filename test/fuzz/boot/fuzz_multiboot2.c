/* libFuzzer target: arbitrary bytes as a multiboot2 information block. The parser must
 * never read outside the block (ASan) and whatever it accepts must be self-consistent. */
#include <kernel/multiboot2.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static _Alignas(8) uint8_t block[1 << 16];

static int inside(const void *p, size_t n)
{
    const uint8_t *q = p;
    return q >= block && q + n <= block + sizeof block;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > sizeof block)
        return 0;
    memcpy(block, data, size);
    static struct boot_info bi;
    if (mb2_parse(block, size, &bi) != MB2_OK) {
        if (bi.region_count != 0 || bi.module_count != 0 || bi.rsdp != NULL)
            abort(); /* a rejected block must leave no partial result */
        return 0;
    }
    if (bi.region_count > BOOT_MAX_REGIONS || bi.module_count > BOOT_MAX_MODULES)
        abort();
    if (bi.cmdline[0] != '\0' && !inside(bi.cmdline, strlen(bi.cmdline) + 1))
        abort();
    for (size_t i = 0; i < bi.module_count; i++) {
        const struct boot_module *m = &bi.modules[i];
        if (m->end < m->start || !inside(m->cmdline, strlen(m->cmdline) + 1))
            abort();
    }
    for (size_t i = 0; i < bi.region_count; i++) {
        const struct boot_mem_region *r = &bi.regions[i];
        if (r->length != 0 && r->base + r->length - 1 < r->base)
            abort();
    }
    if (bi.rsdp != NULL && !inside(bi.rsdp, bi.rsdp_len))
        abort();
    return 0;
}
