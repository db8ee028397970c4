/*
 * The local APIC: the preemption timer and end-of-interrupt. The timer's rate (the only rate
 * the kernel needs: it sets the length of a time slice) is taken from the first source that
 * gives it:
 *
 *  1. a hypervisor's timing leaf, CPUID 0x40000010 (VMware, and QEMU/KVM when the CPU model
 *     has `vmware-cpuid-freq` and an invariant TSC): the APIC bus rate in kHz, exact;
 *  2. on bare metal, CPUID leaf 0x15 when it names the core crystal clock: the APIC timer runs
 *     at that clock (Intel SDM vol. 3A, "APIC timer"). Never in a virtual machine: KVM's
 *     APIC timer runs at its own 1 GHz whatever the host's leaf 0x15 says;
 *  3. a measurement against the PIT (channel 2, which needs no interrupt) over a window that
 *     opens in lapic_init and closes when the timer is first started, so the kernel's own
 *     initialisation between the two is part of the window instead of a busy-wait.
 *
 * Under QEMU's TCG (no timing leaf) it is 3; with -icount the window costs its length in
 * instructions only where the kernel's initialisation is shorter than it.
 */
#include "arch.h"
#include "cpu.h"

#include <hal/hal.h>
#include <hal/hal_irq.h>
#include <hal/hal_user.h>
#include <kernel/kprintf.h>
#include <string.h>

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
    LAPIC_DIVIDE_16 = 0x3, /* the timer always counts bus (crystal) ticks / 16 */
    LVT_MASKED = 1 << 16,
    LVT_PERIODIC = 1 << 17,
    APIC_BASE_ENABLE = 1 << 11,

    PIT_HZ = 1193182,
    PIT_CHANNEL2 = 0x42,
    PIT_COMMAND = 0x43,
    PIT_LATCH_CHANNEL2 = 0x80,
    PIT_CHANNEL2_MODE0 = 0xB0, /* channel 2, low then high byte, mode 0, binary */
    PORT_B = 0x61,             /* bit 0: channel 2's gate, 1: speaker, 5: channel 2's OUT */
    PORT_B_GATE = 0x01,
    PORT_B_SPEAKER = 0x02,
    PORT_B_OUT2 = 0x20,
    /*
     * The window: at least 299 PIT ticks (250 us). Precision: both ends are taken right at a
     * PIT clock edge (the latched count just changed), so the PIT's own 838 ns step drops out
     * and what is left at each end is how long one poll of the count takes: three port
     * accesses, at most about 1 us each on an LPC bus or through a VM exit (tens of
     * nanoseconds under TCG). The LAPIC and TSC reads next to it are local and take far less.
     * So the rate is off by at most 2 x 3 us / 250 us = 2.4 % on hardware (a 10 ms slice
     * between 9.76 and 10.24 ms), and that only if the kernel's initialisation is that short:
     * on hardware the boot log alone takes milliseconds at 115,200 baud, so the window is
     * longer and the error smaller. Under TCG it is under 0.01 %. The slice is the only thing
     * the rate sets. The window was 500 us until the root Node was sized to the system: the
     * default system's initialisation then took 375 us of guest time (under -icount), and
     * the rest of the 500 was a busy-wait of 125,000 instructions in every boot row. The old
     * calibration waited 10 ms for 0.02 % the slice never needed.
     */
    CALIBRATION_PIT_TICKS = 299,
    /* The timer may start after 36 PIT ticks (30 us): its first slice then has the rate of
     * that short window, and the first interrupt measures again over the whole slice. */
    PROVISIONAL_PIT_TICKS = 36,
    /* More than 50 ms of polling for one edge (10^5 polls of at least 3 port accesses):
     * there is no PIT. */
    EDGE_POLLS = 100000,
};

static volatile uint32_t *lapic;
static uint64_t lapic_ticks_per_ms;
static uint64_t tsc_ticks_per_us;

/* The PIT window: open between lapic_init and the first hal_timer_start. */
struct sample {
    uint64_t tsc;
    uint32_t lapic; /* the timer's current count: it counts down */
    uint16_t pit;   /* channel 2's count: it counts down too */
};
static struct sample window_start;
static bool window_open;
static const char *rate_source = "";

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

/* ---- 1 and 2: the rate from CPUID ---- */

static bool signature_is(uint32_t b, uint32_t c, uint32_t d, const char name[12])
{
    uint32_t w[3];
    memcpy(w, name, sizeof w);
    return b == w[0] && c == w[1] && d == w[2];
}

static bool rate_from_cpuid(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (c & (1u << 31)) { /* a hypervisor: only its own timing leaf counts */
        cpuid(0x40000000, 0, &a, &b, &c, &d);
        /* Leaf 0x40000010 means timing only where the hypervisor says so. */
        bool timing =
            signature_is(b, c, d, "VMwareVMware") || signature_is(b, c, d, "KVMKVMKVM\0\0\0");
        if (!timing || a < 0x40000010)
            return false;
        cpuid(0x40000010, 0, &a, &b, &c, &d); /* a: TSC kHz, b: APIC bus kHz */
        if (b == 0)
            return false;
        lapic_ticks_per_ms = b / 16;
        tsc_ticks_per_us = a / 1000;
        rate_source = "hypervisor's timing leaf";
        return lapic_ticks_per_ms != 0;
    }
    cpuid(0, 0, &a, &b, &c, &d);
    if (a < 0x15)
        return false;
    cpuid(0x15, 0, &a, &b, &c, &d); /* TSC = c (crystal Hz) * b / a */
    if (a == 0 || b == 0 || c == 0)
        return false;
    lapic_ticks_per_ms = c / 16000;
    tsc_ticks_per_us = (uint64_t)c * b / a / 1000000;
    rate_source = "CPUID crystal clock";
    return lapic_ticks_per_ms != 0;
}

/* ---- 3: the PIT window ---- */

static uint16_t pit_count(void)
{
    outb(PIT_COMMAND, PIT_LATCH_CHANNEL2);
    uint8_t lo = inb(PIT_CHANNEL2);
    return (uint16_t)(lo | inb(PIT_CHANNEL2) << 8);
}

/* Waits for channel 2's count to change (a clock edge) and reads the LAPIC timer and the TSC
 * right then. False if it never changes: no PIT. */
static bool sample_at_edge(struct sample *s)
{
    uint16_t before = pit_count();
    for (unsigned polls = 0; polls < EDGE_POLLS; polls++) {
        uint16_t now = pit_count();
        if (now != before) {
            s->lapic = lapic_read(LAPIC_TIMER_CURRENT);
            s->tsc = rdtsc();
            s->pit = now;
            return true;
        }
    }
    return false;
}

/* Channel 2 counts down from 0xFFFF in mode 0 (its OUT goes high at 0, after 54.9 ms, and
 * stays high: the window is then too long to be read and opens again); the LAPIC timer
 * counts down from 0xFFFFFFFF, masked. */
static bool window_open_now(void)
{
    outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) & ~PORT_B_GATE); /* gate off: hold */
    outb(PIT_COMMAND, PIT_CHANNEL2_MODE0);
    outb(PIT_CHANNEL2, 0xFF);
    outb(PIT_CHANNEL2, 0xFF);
    outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE); /* gate on: count */
    lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
    return sample_at_edge(&window_start);
}

/* What the window measured when the timer started before it was CALIBRATION_PIT_TICKS long
 * (the kernel's initialisation took less): the rates from then, and the LAPIC and TSC ticks
 * it saw, whose ratio needs no long window (both are read in the same few nanoseconds at
 * each end). The first timer interrupt measures the TSC against the PIT again over the whole
 * window, now 10 ms long (lapic_timer_tick), and sets the rates from that. */
static bool refine_pending;
static uint64_t short_lapic_ticks, short_tsc_ticks, short_pit_ticks;
static uint32_t timer_period_us;

/* Closes the window, at least CALIBRATION_PIT_TICKS after it opened (waiting for the rest if
 * the kernel's initialisation was shorter), or with `provisional` at least
 * PROVISIONAL_PIT_TICKS after (a longer one at the first timer interrupt finishes it). */
static bool window_close(bool provisional)
{
    struct sample end;
    for (;;) {
        if (!sample_at_edge(&end))
            return false;
        if (inb(PORT_B) & PORT_B_OUT2) { /* more than 54.9 ms: the count wrapped */
            if (!window_open_now())
                return false;
            continue;
        }
        uint16_t ticks = (uint16_t)(window_start.pit - end.pit);
        if (ticks >= CALIBRATION_PIT_TICKS || (provisional && ticks >= PROVISIONAL_PIT_TICKS))
            break;
    }
    lapic_write(LAPIC_TIMER_INIT, 0);
    uint64_t pit = (uint16_t)(window_start.pit - end.pit);
    uint64_t lapic_ticks = window_start.lapic - end.lapic, tsc_ticks = end.tsc - window_start.tsc;
    /* Rounded to the nearest: ticks * PIT_HZ / (pit * 1000) per ms. */
    lapic_ticks_per_ms = (lapic_ticks * PIT_HZ + pit * 500) / (pit * 1000);
    tsc_ticks_per_us = (tsc_ticks * PIT_HZ + pit * 500000) / (pit * 1000000);
    refine_pending = pit < CALIBRATION_PIT_TICKS && tsc_ticks != 0;
    rate_source = refine_pending ? "PIT, short window: measured again at the first tick" : "PIT";
    short_lapic_ticks = lapic_ticks, short_tsc_ticks = tsc_ticks, short_pit_ticks = pit;
    return lapic_ticks_per_ms != 0;
}

static void report(void)
{
    kprintf("lapic: id %u, timer %lu ticks/ms, TSC %lu ticks/us (%s)\n", lapic_read(LAPIC_ID) >> 24,
            lapic_ticks_per_ms, tsc_ticks_per_us, rate_source);
}

static void assume_default(void)
{
    lapic_ticks_per_ms = 1000000 / 16; /* assume a 1 GHz bus */
    rate_source = "no PIT: assumed";
    kprintf("lapic: PIT calibration failed; assuming %lu timer ticks per ms\n", lapic_ticks_per_ms);
}

void lapic_init(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic = hal_phys_to_virt(LAPIC_PHYS);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS);
    if (rate_from_cpuid())
        report();
    else if (window_open_now())
        window_open = true;
    else
        assume_default();
}

void hal_timer_calibrate(void)
{
    if (!window_open)
        return;
    window_open = false;
    if (window_close(false))
        report();
    else
        assume_default();
}

static void timer_program(void)
{
    uint64_t ticks = lapic_ticks_per_ms * timer_period_us / 1000;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xFFFFFFFF)
        ticks = 0xFFFFFFFF;
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks); /* periodic: counts again from here */
}

void hal_timer_start(uint32_t period_us)
{
    /* No wait for the rest of the PIT window: a short one sets the first slice (above). */
    if (window_open) {
        window_open = false;
        if (window_close(true))
            report();
        else
            assume_default();
    }
    timer_period_us = period_us;
    lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_16);
    lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER | LVT_PERIODIC);
    timer_program();
}

void lapic_timer_tick(void)
{
    if (!refine_pending)
        return;
    /* The TSC against the PIT from the window's start to now (a slice later); the LAPIC's
     * rate is the short window's LAPIC-to-TSC ratio times that. If the PIT's count wrapped
     * (more than 54.9 ms), the short window's rates stay. */
    refine_pending = false;
    struct sample end;
    if (!sample_at_edge(&end) || (inb(PORT_B) & PORT_B_OUT2))
        return;
    uint64_t pit = (uint16_t)(window_start.pit - end.pit), tsc_ticks = end.tsc - window_start.tsc;
    if (pit <= short_pit_ticks)
        return;
    uint64_t tsc_per_ms = (tsc_ticks * PIT_HZ + pit * 500) / (pit * 1000);
    tsc_ticks_per_us = (tsc_per_ms + 500) / 1000;
    lapic_ticks_per_ms = (short_lapic_ticks * tsc_per_ms + short_tsc_ticks / 2) / short_tsc_ticks;
    if (lapic_ticks_per_ms != 0)
        timer_program();
}

uint64_t hal_timer_rate(bool *pending)
{
    *pending = refine_pending;
    return lapic_ticks_per_ms;
}

void hal_timer_measure_again(void)
{
    if (rate_source[0] == 'P') /* from the PIT, not CPUID nor assumed */
        window_open = window_open_now();
}

uint64_t hal_timer_ticks_per_us(void)
{
    return tsc_ticks_per_us;
}
