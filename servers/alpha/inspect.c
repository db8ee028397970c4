/*
 * Inspection: a serial shell on COM2 for looking into the running system from the host
 * (`./koito inspect`), in the spirit of Hubris's humility. Only a system that declares
 * `system: { inspect: true }` has it; capgen then keeps COM2's ports and interrupt line
 * for Alpha. A request is one line; the answer is lines ending with one "ok" or
 * "error: ..." line:
 *
 *   ps           every process: state (the kernel's), priority, faults, restarts
 *   caps NAME    the process's live capabilities and mappings, with their declared names
 *   mem          each memory pool: size, bytes in objects, and the bytes per process
 *   tree         the live state of every process (as Alpha verified it at boot)
 *   exit         stops the machine with the success verdict
 *   help         the list
 *
 * Alpha serves it between faults: COM2's interrupt reaches a Notification Port bound to
 * Alpha's Process, so the supervisor's RECEIVE returns for it.
 */
#include "alpha.h"

#include <a9n/debug.h>
#include <stdio.h>
#include <string.h>

enum {
    COM2 = 0x2f8,
    COM2_IRQ = 3,
    THR = 0, /* registers */
    IER = 1,
    FCR = 2,
    LCR = 3,
    MCR = 4,
    LSR = 5,
    LSR_DATA = 1u << 0,
    LSR_THR_EMPTY = 1u << 5,
    LINE_MAX = 128,
};

static unsigned irq_slot, note_slot;
static char input[LINE_MAX];
static size_t input_used;
static bool input_too_long;

static a9n_word uart_read(unsigned reg)
{
    a9n_word v = 0;
    a9n_io_port_read(koito_root(A9N_ROOT_SLOT_IO_PORT), COM2 + reg, 1, &v);
    return v;
}

static void uart_write(unsigned reg, a9n_word v)
{
    a9n_io_port_write(koito_root(A9N_ROOT_SLOT_IO_PORT), COM2 + reg, 1, v);
}

static void put(const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\n') {
            while (!(uart_read(LSR) & LSR_THR_EMPTY)) {
            }
            uart_write(THR, '\r');
        }
        while (!(uart_read(LSR) & LSR_THR_EMPTY)) {
        }
        uart_write(THR, (uint8_t)*s);
    }
}

static void put_line(const char *line)
{
    put(line);
    put("\n");
}

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    put_line(line);
}

bool alpha_inspect_start(void)
{
    if (!alpha_spec.inspect)
        return true;
    irq_slot = koito_slot(&scratch);
    note_slot = koito_slot(&scratch);
    a9n_word note = koito_root(note_slot);
    if (irq_slot == 0 || note_slot == 0 ||
        !alpha_convert(A9N_OBJECT_NOTIFICATION_PORT, 0, note_slot) ||
        a9n_interrupt_region_make_port(koito_root(A9N_ROOT_SLOT_INTERRUPT_REGION), COM2_IRQ,
                                       ALPHA_ROOT, irq_slot) != A9N_SUCCESS ||
        a9n_interrupt_port_bind(koito_root(irq_slot), note) != A9N_SUCCESS ||
        a9n_process_configure(koito_root(A9N_ROOT_SLOT_PROCESS), A9N_PROCESS_CONFIGURE_NOTIFICATION,
                              &note, 1,
                              (struct a9n_ipc_buffer *)boot->ipc_buffer_address) != A9N_SUCCESS)
        return false;
    uart_write(IER, 0);
    uart_write(LCR, 0x80); /* divisor 1: 115200 baud */
    uart_write(THR, 1);
    uart_write(IER, 0);
    uart_write(LCR, 0x03); /* 8 bits, no parity, one stop bit */
    uart_write(FCR, 0x07); /* FIFOs on and empty */
    uart_write(MCR, 0x0b); /* DTR, RTS, OUT2: the interrupt reaches the interrupt controller */
    uart_write(IER, 0x01); /* interrupt when a byte arrives */
    printf("alpha: inspection on COM2 (./koito inspect)\n");
    return true;
}

static const char *const states[] = {"inactive",  "ready",      "sending", "calling",
                                     "receiving", "reply-wait", "waiting", "faulted"};

static void ps(void)
{
    if (!alpha_live_read()) {
        put_line("error: cannot read the live state");
        return;
    }
    say("%-20s %-10s %8s %6s %8s", "process", "state", "priority", "faults", "restarts");
    for (uint32_t p = 0; p < alpha_spec.process_count; p++) {
        struct alpha_live_process live;
        if (!alpha_live_process(p, &live)) {
            say("%-20s (its Process is gone)", alpha_expect.process_names[p]);
            continue;
        }
        say("%-20s %-10s %8u %6u %8u", alpha_expect.process_names[p],
            live.state < 8 ? states[live.state] : "?", live.priority, alpha_fault_count(p),
            alpha_restart_count(p));
    }
    put_line("ok");
}

static int32_t process_named(const char *name)
{
    for (uint32_t p = 0; p < alpha_spec.process_count; p++)
        if (strcmp(alpha_expect.process_names[p], name) == 0)
            return (int32_t)p;
    return -1;
}

static void state(int32_t process)
{
    unsigned beyond = 0;
    if (!alpha_live_state(process, put_line, &beyond)) {
        put_line("error: cannot read the live state");
        return;
    }
    if (beyond != 0)
        say("(%u more capabilities and mappings in Nodes and Address Spaces the processes made)",
            beyond);
    put_line("ok");
}

static void pool_line(uint32_t object, uint64_t bytes, uint64_t used)
{
    say("pool %s: %lu bytes, %lu in objects", alpha_expect.objects[object].name,
        (unsigned long)bytes, (unsigned long)used);
}

static void client_line(uint32_t object, uint32_t process, uint64_t bytes)
{
    say("  %s: %lu bytes",
        process < alpha_spec.process_count ? alpha_expect.process_names[process] : "(other)",
        (unsigned long)bytes);
}

static void execute(char *line)
{
    char *arg = line;
    while (*arg != '\0' && *arg != ' ')
        arg++;
    if (*arg == ' ')
        *arg++ = '\0';
    while (*arg == ' ')
        arg++;
    if (strcmp(line, "ps") == 0 && *arg == '\0') {
        ps();
    } else if (strcmp(line, "caps") == 0 && *arg != '\0') {
        int32_t p = process_named(arg);
        if (p < 0)
            say("error: no process '%s' (ps lists them)", arg);
        else
            state(p);
    } else if (strcmp(line, "tree") == 0 && *arg == '\0') {
        state(-1);
    } else if (strcmp(line, "mem") == 0 && *arg == '\0') {
        if (alpha_live_memory(pool_line, client_line))
            put_line("ok");
        else
            put_line("error: cannot read the live state");
    } else if (strcmp(line, "help") == 0 && *arg == '\0') {
        put_line("ps | caps NAME | mem | tree | exit | help");
        put_line("ok");
    } else if (strcmp(line, "exit") == 0 && *arg == '\0') {
        put_line("ok");
        printf("alpha: inspection asked to stop the machine\n");
        koito_qemu_exit(koito_root(A9N_ROOT_SLOT_IO_PORT), true);
    } else if (line[0] != '\0') {
        say("error: unknown request '%s%s%s' (ps, caps NAME, mem, tree, exit, help)", line,
            *arg != '\0' ? " " : "", arg);
    }
}

void alpha_inspect_serve(void)
{
    if (!alpha_spec.inspect)
        return;
    while (uart_read(LSR) & LSR_DATA) {
        char c = (char)uart_read(THR);
        if (c == '\r' || c == '\n') {
            input[input_used] = '\0';
            if (input_too_long)
                say("error: a request is at most %u characters", LINE_MAX - 1);
            else
                execute(input);
            input_used = 0;
            input_too_long = false;
        } else if (input_used + 1 < LINE_MAX && c >= ' ' && c <= '~') {
            input[input_used++] = c;
        } else if (input_used + 1 >= LINE_MAX) {
            input_too_long = true;
        }
    }
    a9n_interrupt_port_ack(koito_root(irq_slot));
}
