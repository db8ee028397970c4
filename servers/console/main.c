/*
 * The console server: the one process that owns COM1 (its IO ports and its interrupt).
 * Clients CALL it with text (koito_console.h); it writes the bytes to the UART, waiting for
 * the transmitter with the UART's "transmitter empty" interrupt instead of spinning.
 *
 * Input (when the system gives the console its own Process capability, to bind the UART's
 * Notification Port, and an `input` Notification Port to wake readers): the "data ready"
 * interrupt feeds the line discipline (input.c); READ hands out complete lines. The reply
 * right is one-shot (a9n/ipc.h), so the console cannot keep readers blocked in their CALL
 * while it serves others: a READ with no line ready is answered NO_LINE at once, and the
 * reader waits on `input`, which the console notifies whenever lines are ready.
 */
#include <caps/console.h>
#include <koito.h>
#include <koito_console.h>
#include <liba9n.h>

#include "input.h"

#if defined(CAP_process) && defined(CAP_input)
#define CONSOLE_READS 1
#else
#define CONSOLE_READS 0
#endif

/* The UART's registers from its first port, and QEMU's exit port: both where the system
 * file puts them (capgen's CAP_<name>_IO_FIRST), never a number written here. */
enum {
    RBR = 0,
    THR = 0,
    IER = 1,
    FCR = 2,
    LSR = 5,
    MCR = 4,
    LSR_DATA_READY = 0x01,
    LSR_THR_EMPTY = 0x20,
    IER_DATA_READY = 0x01,
    IER_THR_EMPTY = 0x02,
    FCR_ENABLE_CLEAR = 0x07, /* FIFOs on and emptied; interrupt from the first byte */
    MCR_DTR_RTS_OUT2 = 0x0b,
};

static struct console_input input;
static a9n_word ier_idle; /* the interrupts enabled while not transmitting */

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

/* Moves every received byte into the line discipline; wakes readers when a line ends. */
static void drain_receiver(void)
{
#if CONSOLE_READS
    bool line = false;
    while (uart_read(LSR) & LSR_DATA_READY)
        line |= console_input_byte(&input, (uint8_t)uart_read(RBR));
    if (line)
        a9n_notification_port_notify(CAP_input);
#endif
}

/* Waits until the transmitter takes a byte: sleep on the interrupt, not on the port. The
 * same interrupt line reports received bytes, so they are taken on the way. */
static void wait_transmitter(void)
{
    while (!(uart_read(LSR) & LSR_THR_EMPTY)) {
        a9n_word bits;
        uart_write(IER, ier_idle | IER_THR_EMPTY);
        a9n_notification_port_wait(CAP_uart_irq_wait, &bits);
        uart_write(IER, ier_idle);
        drain_receiver();
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

/* Binds the UART's Notification Port to this process, so that RECEIVE also returns for the
 * interrupt, and turns the receiver's interrupt on. */
static void start_receiver(void)
{
#if CONSOLE_READS
    a9n_word note = CAP_uart_irq_wait;
    if (a9n_process_configure(CAP_process, A9N_PROCESS_CONFIGURE_NOTIFICATION, &note, 1, NULL) !=
        A9N_SUCCESS) {
        put_bytes("console: cannot bind the UART interrupt: no input\n", 50);
        return;
    }
    uart_write(FCR, FCR_ENABLE_CLEAR);
    ier_idle = IER_DATA_READY;
    uart_write(IER, ier_idle);
#endif
}

/* READ: the next bytes of the first complete line for this caller, or NO_LINE. */
static struct a9n_message serve_read(const struct a9n_message *m)
{
    if (ier_idle == 0)
        return (struct a9n_message){.info = 1, .word = {A9N_ERROR_ILLEGAL_OPERATION}};
    if (m->word[1] == 0 || m->word[1] > KOITO_CONSOLE_CHUNK)
        return (struct a9n_message){.info = 1, .word = {A9N_ERROR_INVALID_ARGUMENT}};
    struct a9n_message r = {.info = 2};
    bool end;
    long n = console_input_read(&input, m->identifier, (uint8_t *)&r.word[2], m->word[1], &end);
    if (n < 0)
        return (struct a9n_message){.info = 1, .word = {KOITO_CONSOLE_NO_LINE}};
    r.info = 2 + ((a9n_word)n + sizeof(a9n_word) - 1) / sizeof(a9n_word);
    r.word[1] = (a9n_word)n | (end ? KOITO_CONSOLE_LINE_END : 0);
#if CONSOLE_READS
    /* Another line waits: wake a reader for it (one that was told NO_LINE may be waiting). */
    if (console_input_ready(&input))
        a9n_notification_port_notify(CAP_input);
#endif
    return r;
}

int main(void)
{
    uart_write(MCR, MCR_DTR_RTS_OUT2); /* OUT2 lets the UART's interrupt reach the IOAPIC */
    put_bytes("console: ready on COM1\n", 23);
    start_receiver();
    struct a9n_message m = {0};
    a9n_ipc_port_receive(CAP_console, &m);
    for (;;) {
        if (m.info & A9N_IPC_NOTIFICATION) {
            /* The UART's interrupt while waiting for calls: no caller to answer. */
            drain_receiver();
            a9n_interrupt_port_ack(CAP_uart_irq);
            m = (struct a9n_message){0};
            a9n_ipc_port_receive(CAP_console, &m);
            continue;
        }
        if (m.word[0] == KOITO_CONSOLE_PARK) {
            /* No answer: the next RECEIVE drops the reply right, the caller stays blocked. */
            m = (struct a9n_message){0};
            a9n_ipc_port_receive(CAP_console, &m);
            continue;
        }
        a9n_word status = 0;
        if (m.word[0] == KOITO_CONSOLE_READ) {
            m = serve_read(&m);
            a9n_ipc_port_reply_receive(CAP_console, &m);
            continue;
        }
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
