/*
 * The IOAPIC, found through the ACPI MADT (with the PC's defaults when there is none):
 * every line is routed to vector VECTOR_IRQ_BASE + line on this CPU, masked until the core
 * unmasks it. ISA lines follow the MADT's source overrides (on QEMU, IRQ 0 is input 2).
 */
#include "arch.h"
#include "cpu.h"

#include <hal/hal_irq.h>
#include <kernel/bootinfo.h>
#include <kernel/kprintf.h>
#include <string.h>

enum {
    IOAPIC_DEFAULT = 0xFEC00000,
    IOREGSEL = 0x00,
    IOWIN = 0x10,
    IOAPIC_VERSION = 0x01,
    REDIRECTION = 0x10,
    POLARITY_LOW = 1 << 13,
    TRIGGER_LEVEL = 1 << 15,
    MASKED = 1 << 16,
    MADT_IOAPIC = 1,
    MADT_OVERRIDE = 2,
};

static volatile uint32_t *ioapic;
static unsigned gsi_base, pins;

struct route {
    bool valid;
    unsigned pin;
    uint32_t flags; /* POLARITY_LOW | TRIGGER_LEVEL */
};

static struct route routes[HAL_IRQ_LINES];

static uint32_t ioapic_read(unsigned reg)
{
    ioapic[IOREGSEL / 4] = reg;
    return ioapic[IOWIN / 4];
}

static void ioapic_write(unsigned reg, uint32_t v)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* A table's bytes through the direct map, if its header and checksum hold. */
static const uint8_t *acpi_table(uint64_t pa, const char *signature)
{
    const uint8_t *t = hal_phys_to_virt(pa);
    uint32_t len = rd32(t + 4);
    if (memcmp(t, signature, 4) != 0 || len < 36 || len > (1u << 20))
        return NULL;
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + t[i]);
    return sum == 0 ? t : NULL;
}

static const uint8_t *find_madt(const struct boot_info *boot)
{
    if (boot->rsdp == NULL || !boot->rsdp_checksum_ok)
        return NULL;
    const uint8_t *rsdp = boot->rsdp;
    bool xsdt = boot->rsdp_revision >= 2 && boot->rsdp_len >= 32;
    uint64_t root_pa = xsdt ? ((uint64_t)rd32(rsdp + 28) << 32) | rd32(rsdp + 24) : rd32(rsdp + 16);
    const uint8_t *root = acpi_table(root_pa, xsdt ? "XSDT" : "RSDT");
    if (root == NULL)
        return NULL;
    unsigned entry = xsdt ? 8 : 4;
    for (uint32_t off = 36; off + entry <= rd32(root + 4); off += entry) {
        uint64_t pa = rd32(root + off);
        if (xsdt)
            pa |= (uint64_t)rd32(root + off + 4) << 32;
        const uint8_t *t = acpi_table(pa, "APIC");
        if (t != NULL)
            return t;
    }
    return NULL;
}

void ioapic_init(const struct boot_info *boot)
{
    uint64_t base = IOAPIC_DEFAULT;
    const uint8_t *madt = find_madt(boot);
    for (unsigned line = 0; line < HAL_IRQ_LINES; line++)
        routes[line] = (struct route){
            .valid = true, .pin = line, .flags = line < 16 ? 0 : POLARITY_LOW | TRIGGER_LEVEL};
    if (madt != NULL) {
        uint32_t len = rd32(madt + 4);
        for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
            const uint8_t *e = madt + off;
            if (e[0] == MADT_IOAPIC && e[1] >= 12 && gsi_base == 0 && rd32(e + 8) == 0) {
                base = rd32(e + 4);
            } else if (e[0] == MADT_OVERRIDE && e[1] >= 10 && e[3] < 16) {
                unsigned gsi = rd32(e + 4);
                uint16_t flags = (uint16_t)(e[8] | (e[9] << 8));
                routes[e[3]].pin = gsi;
                routes[e[3]].flags = ((flags & 3) == 3 ? POLARITY_LOW : 0) |
                                     (((flags >> 2) & 3) == 3 ? TRIGGER_LEVEL : 0);
                /* The line whose number is that input loses it (IRQ 2 on a PC). */
                if (gsi < HAL_IRQ_LINES && gsi != e[3])
                    routes[gsi].valid = false;
            }
        }
    }
    ioapic = hal_phys_to_virt(base);
    pins = ((ioapic_read(IOAPIC_VERSION) >> 16) & 0xFF) + 1;
    for (unsigned line = 0; line < HAL_IRQ_LINES; line++) {
        struct route *r = &routes[line];
        if (r->pin >= pins)
            r->valid = false;
        if (!r->valid)
            continue;
        ioapic_write(REDIRECTION + 2 * r->pin + 1, 0); /* destination: APIC 0 */
        ioapic_write(REDIRECTION + 2 * r->pin, (VECTOR_IRQ_BASE + line) | r->flags | MASKED);
    }
    kprintf("ioapic: 0x%lx, %u inputs, %s\n", base, pins,
            madt != NULL ? "routes from the ACPI MADT" : "PC default routes (no MADT)");
}

bool hal_irq_valid(unsigned line)
{
    return line < HAL_IRQ_LINES && routes[line].valid;
}

static void set_masked(unsigned line, bool masked)
{
    if (!hal_irq_valid(line))
        return;
    unsigned reg = REDIRECTION + 2 * routes[line].pin;
    uint32_t v = ioapic_read(reg);
    ioapic_write(reg, masked ? v | MASKED : v & ~(uint32_t)MASKED);
}

void hal_irq_mask(unsigned line)
{
    set_masked(line, true);
}

void hal_irq_unmask(unsigned line)
{
    set_masked(line, false);
}
