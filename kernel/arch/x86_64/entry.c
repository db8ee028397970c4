/* The first C code: console, boot information, CPU tables, paging; then the
 * arch-independent kernel_main. Called from boot.asm on the boot stack, interrupts off, with
 * the timestamp counter boot.asm read at the kernel's first instruction. */
#include "arch.h"
#include "cpu.h"
#include "layout.h"

#include <kernel/kernel.h>
#include <kernel/kprintf.h>
#include <kernel/multiboot2.h>
#include <kernel/panic.h>

/* Larger than any info block GRUB writes; a bigger total_size means a corrupt block. */
enum { MB2_INFO_MAX = 1 << 20 };

static struct boot_info boot_info;

_Noreturn void arch_entry(uint32_t magic, uint32_t info_phys, uint64_t entry_timestamp);

_Noreturn void arch_entry(uint32_t magic, uint32_t info_phys, uint64_t entry_timestamp)
{
    serial_init();
    kprintf("\nA9N microkernel %s (KOITO) x86_64\n", A9N_VERSION);
    if (magic != MB2_BOOTLOADER_MAGIC)
        panic("boot: not started by multiboot2 (magic 0x%x)", magic);

    /* The boot stub's direct map covers the first 4 GiB, where GRUB puts the info. */
    const uint32_t *info = (const uint32_t *)(info_phys + DIRECT_MAP_BASE);
    size_t avail = info[0] <= MB2_INFO_MAX ? info[0] : MB2_INFO_MAX;
    int err = mb2_parse(info, avail, &boot_info);
    if (err != MB2_OK)
        panic("boot: bad multiboot2 information: %s", mb2_strerror(err));
    /* Only now: mb2_parse clears the whole boot_info first. Set before it, the timestamp was
     * 0, and the boot rows counted from the machine's reset (firmware and GRUB included). */
    boot_info.entry_timestamp = entry_timestamp;

    extern char __kernel_end[];
    boot_info.reserved[0].start = KERNEL_LOAD_PHYS;
    boot_info.reserved[0].end = (uint64_t)__kernel_end - KERNEL_VMA;
    boot_info.reserved[1].start = info_phys;
    boot_info.reserved[1].end = info_phys + avail;
    boot_info.reserved_count = 2;

    gdt_init();
    idt_init();
    pic_disable();
    paging_init(&boot_info);
    syscall_init();
    fpu_init();
    lapic_init();
    ioapic_init(&boot_info);
    kernel_main(&boot_info);
}
