/*
 * The local APIC: the preemption timer and end-of-interrupt. The timer's rate is unknown
 * until measured, so it is calibrated at boot against the PIT (channel 2, which needs no
 * interrupt): 10 ms of PIT time, counted in LAPIC timer ticks and in TSC ticks.
 */
#include "arch.h"
#include "cpu.h"

#include <hal/hal.h>
#include <hal/hal_irq.h>
#include <hal/hal_user.h>
#include <kernel/kprintf.h>

enum {
    LAPIC_PHYS = 0xFEE00000,
    LAPIC_ID = 0x20,
    LAPIC_TPR = 0x80,
    LAPIC_EOI = 0xB0,
    LAPIC_SVR = 0xF0,
    LAPIC_LVT_TIMER = 0x320,
    LAPIC_IRR = 0x200, /* 8 registers of 32 request bits, 0x10 apart */
    LAPIC_TIMER_INIT = 0x380,
    LAPIC_TIMER_CURRENT = 0x390,
    LAPIC_TIMER_DIVIDE = 0x3E0,
    LVT_MASKED = 1 << 16,
    LVT_PERIODIC = 1 << 17,
    APIC_BASE_ENABLE = 1 << 11,
    PIT_HZ = 1193182,
    CALIBRATION_MS = 10,
};

static volatile uint32_t *lapic;
static uint64_t lapic_ticks_per_ms;
static uint64_t tsc_ticks_per_us;

static uint32_t lapic_read(unsigned reg)
{
    return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

/* Every vector the kernel takes from the LAPIC (device lines and the timer) lies in IRR
 * register 1 (vectors 32..63): one read answers. */
_Static_assert(VECTOR_IRQ_BASE >= 32 && VECTOR_TIMER < 64, "all interrupt vectors in IRR[1]");

bool hal_interrupt_pending(void)
{
    return lapic_read(LAPIC_IRR + 0x10) != 0;
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

/* Counts LAPIC and TSC ticks over CALIBRATION_MS of PIT time. Returns false if the PIT
 * never signalled (no PIT): the caller then keeps a conservative default. */
static bool calibrate(void)
{
    uint16_t count = PIT_HZ * CALIBRATION_MS / 1000;
    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate channel 2 on, speaker off */
    outb(0x43, 0xB0);                       /* channel 2, lo/hi byte, mode 0 */
    outb(0x42, count & 0xFF);
    outb(0x42, count >> 8);
    uint8_t gate = inb(0x61) & ~0x01; /* restart the count */
    outb(0x61, gate);
    outb(0x61, gate | 0x01);

    lapic_write(LAPIC_TIMER_DIVIDE, 0x3); /* divide by 16 */
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
    uint64_t tsc0 = rdtsc();
    for (uint64_t spins = 0; !(inb(0x61) & 0x20); spins++)
        if (spins > 100000000)
            return false;
    uint64_t tsc1 = rdtsc();
    uint32_t elapsed = 0xFFFFFFFF - lapic_read(LAPIC_TIMER_CURRENT);
    lapic_write(LAPIC_TIMER_INIT, 0);
    lapic_ticks_per_ms = elapsed / CALIBRATION_MS;
    tsc_ticks_per_us = (tsc1 - tsc0) / (CALIBRATION_MS * 1000);
    return lapic_ticks_per_ms != 0;
}

void lapic_init(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic = hal_phys_to_virt(LAPIC_PHYS);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS);
    if (!calibrate()) {
        lapic_ticks_per_ms = 1000000 / 16; /* assume a 1 GHz bus */
        kprintf("lapic: PIT calibration failed; assuming %lu timer ticks per ms\n",
                lapic_ticks_per_ms);
    }
    kprintf("lapic: id %u, timer %lu ticks/ms, TSC %lu ticks/us\n", lapic_read(LAPIC_ID) >> 24,
            lapic_ticks_per_ms, tsc_ticks_per_us);
}

void hal_timer_start(uint32_t period_us)
{
    uint64_t ticks = lapic_ticks_per_ms * period_us / 1000;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xFFFFFFFF)
        ticks = 0xFFFFFFFF;
    lapic_write(LAPIC_TIMER_DIVIDE, 0x3);
    lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER | LVT_PERIODIC);
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
}

uint64_t hal_timer_ticks_per_us(void)
{
    return tsc_ticks_per_us;
}
