/* The legacy 8259 PICs are remapped away from the exception vectors and fully masked:
 * A9N takes interrupts through the IOAPIC and LAPIC only. */
#include "arch.h"
#include "cpu.h"

enum {
    PIC1_CMD = 0x20,
    PIC1_DATA = 0x21,
    PIC2_CMD = 0xA0,
    PIC2_DATA = 0xA1,
};

void pic_disable(void)
{
    outb(PIC1_CMD, 0x11); /* ICW1: init, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 0x20); /* ICW2: vectors 0x20.. and 0x28.. (never the exceptions) */
    outb(PIC2_DATA, 0x28);
    outb(PIC1_DATA, 0x04); /* ICW3: cascade on IRQ2 */
    outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xFF); /* mask everything */
    outb(PIC2_DATA, 0xFF);
}
