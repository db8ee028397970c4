/* COM1 as a 16550 UART: the kernel console. Polled output, 115200 8N1. */
#include "arch.h"
#include "cpu.h"
#include <hal/hal.h>

enum {
    COM1 = 0x3F8,
    UART_DATA = 0,
    UART_IER = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    LSR_THR_EMPTY = 0x20,
};

void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80); /* divisor latch: 115200 / 1 */
    outb(COM1 + UART_DATA, 0x01);
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x03); /* 8N1 */
    outb(COM1 + UART_FCR, 0xC7); /* FIFOs on and cleared */
    outb(COM1 + UART_MCR, 0x03); /* DTR, RTS; OUT2 stays off until a driver wants IRQs */
}

static void serial_putc(char c)
{
    /* Bounded wait: a missing UART must not hang the kernel. */
    for (int spins = 0; spins < 100000; spins++)
        if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
            break;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void hal_console_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}
