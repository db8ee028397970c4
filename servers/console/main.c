/*
 * The console server: the one process that owns COM1 (its IO ports and its interrupt).
 * Clients CALL it with text (koito_console.h); it writes the bytes to the UART, waiting for
 * the transmitter with the UART's "transmitter empty" interrupt instead of spinning.
 */
#include <caps/console.h>
#include <koito.h>
#include <koito_console.h>
#include <liba9n.h>

/* The UART's registers from its first port, and QEMU's exit port: both where the system
 * file puts them (capgen's CAP_<name>_IO_FIRST), never a number written here. */
enum {
    THR = 0,
    IER = 1,
    LSR = 5,
    MCR = 4,
    LSR_THR_EMPTY = 0x20,
    IER_THR_EMPTY = 0x02,
    MCR_DTR_RTS_OUT2 = 0x0b,
};

static a9n_word uart_read(unsigned reg)
{
    a9n_word v = 0;
    a9n_io_port_read(CAP_uart, CAP_uart_IO_FIRST + reg, 1, &v);
    return v;
}

static void uart_write(unsigned reg, a9n_word v)
{
    a9n_io_port_write(CAP_uart, CAP_uart_IO_FIRST + reg, 1, v);
}

/* Waits until the transmitter takes a byte: sleep on the interrupt, not on the port. */
static void wait_transmitter(void)
{
    while (!(uart_read(LSR) & LSR_THR_EMPTY)) {
        a9n_word bits;
        uart_write(IER, IER_THR_EMPTY);
        a9n_notification_port_wait(CAP_uart_irq_wait, &bits);
        uart_write(IER, 0);
        a9n_interrupt_port_ack(CAP_uart_irq);
    }
}

static void put_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            wait_transmitter();
            uart_write(THR, '\r');
        }
        wait_transmitter();
        uart_write(THR, (uint8_t)s[i]);
    }
}

int main(void)
{
    uart_write(MCR, MCR_DTR_RTS_OUT2); /* OUT2 lets the UART's interrupt reach the IOAPIC */
    put_bytes("console: ready on COM1\n", 23);
    struct a9n_message m = {0};
    a9n_ipc_port_receive(CAP_console, &m);
    for (;;) {
        if (m.word[0] == KOITO_CONSOLE_PARK) {
            /* No answer: the next RECEIVE drops the reply right, the caller stays blocked. */
            m = (struct a9n_message){0};
            a9n_ipc_port_receive(CAP_console, &m);
            continue;
        }
        a9n_word status = 0;
        if (m.word[0] == KOITO_CONSOLE_WRITE && m.word[1] <= KOITO_CONSOLE_CHUNK) {
            put_bytes((const char *)&m.word[2], m.word[1]);
        } else if (m.word[0] == KOITO_CONSOLE_SHUTDOWN) {
            put_bytes("console: shutdown requested\n", 28);
            a9n_io_port_write(CAP_qemu_exit, CAP_qemu_exit_IO_FIRST, 4,
                              m.word[1] == 0 ? 0x10 : 0x11);
        } else {
            status = A9N_ERROR_INVALID_ARGUMENT;
        }
        m = (struct a9n_message){.info = 1, .word = {status}};
        a9n_ipc_port_reply_receive(CAP_console, &m);
    }
}
