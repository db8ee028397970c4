/* COM1 as a 16550 UART: the kernel console. Polled output, 115200 8N1. */
#include "arch.h"
#include "cpu.h"
#include <hal/hal.h>

enum {
    COM1 = 0x3F8,
    UART_DATA = 0,
    UART_IER = 1,
    UART_FCR = 2, /* read: IIR */
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

/* Waits (bounded: a missing UART must not hang the kernel) until the transmitter is empty:
 * with FIFOs on, the whole 16-byte FIFO is then free. */
static void wait_transmitter_empty(void)
{
    for (int spins = 0; spins < 100000; spins++)
        if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
            return;
}

/* `n` bytes in bursts of at most `depth`, each into an empty transmitter. `rep outsb` and
 * `repne scasb` (below) are one instruction a byte to QEMU's count, where a loop that polls
 * LSR before every byte took about 17: the console was a tenth of the default system's boot. */
static void put_run(const char *s, size_t n, size_t depth)
{
    while (n > 0) {
        size_t k = n < depth ? n : depth;
        wait_transmitter_empty();
        n -= k;
        __asm__ volatile("rep outsb"
                         : "+S"(s), "+c"(k)
                         : "d"((uint16_t)(COM1 + UART_DATA))
                         : "memory");
    }
}

void hal_console_write(const char *s, size_t len)
{
    /* FIFOs on (IIR bits 7:6; serial_init turns them on, a driver of COM1 may turn them
     * off): 16 bytes per empty transmitter, otherwise one. */
    size_t depth = (inb(COM1 + UART_FCR) & 0xc0) == 0xc0 ? 16 : 1;
    while (len > 0) {
        /* The run up to the next newline, which goes out as "\r\n". */
        const char *at = s;
        size_t left = len;
        __asm__ volatile("repne scasb" : "+D"(at), "+c"(left) : "a"('\n') : "memory", "cc");
        size_t run = (size_t)(at - s);
        bool newline = run > 0 && s[run - 1] == '\n';
        put_run(s, newline ? run - 1 : run, depth);
        if (newline)
            put_run("\r\n", 2, depth);
        s += run;
        len -= run;
    }
}
