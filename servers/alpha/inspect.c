/*
 * Inspection: a serial shell on COM2 for looking into the running system from the host
 * (`./koito inspect`), in the spirit of Hubris's humility. Only a system that declares
 * `system: { inspect: true }` has it; capgen then keeps COM2's ports and interrupt line
 * for Alpha. A request is one line; the answer is lines ending with one "ok" or
 * "error: ..." line:
 *
 *   ps           every process: state (the kernel's), priority, faults, restarts
 *   caps NAME    the process's live capabilities and mappings, with their declared names
 *   mem          each memory pool: size, bytes in objects, and the bytes per process; then
 *                what each ULMM and Buddy server says of itself (its statistics requests,
 *                asked with the supervisor's badge): per cache, per order, per client
 *   tree         the live state of every process (as Alpha verified it at boot)
 *   exit         stops the machine with the success verdict
 *   help         the list
 *
 * Alpha serves it between faults: COM2's interrupt reaches a Notification Port bound to
 * Alpha's Process, so the supervisor's RECEIVE returns for it.
 */
#include "alpha.h"

#include <a9n/debug.h>
#include <koito_ulmm.h>
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
    a9n_io_port_read(alpha_root(A9N_ROOT_SLOT_IO_PORT), COM2 + reg, 1, &v);
    return v;
}

static void uart_write(unsigned reg, a9n_word v)
{
    a9n_io_port_write(alpha_root(A9N_ROOT_SLOT_IO_PORT), COM2 + reg, 1, v);
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
    a9n_word note = alpha_root(note_slot);
    if (irq_slot == 0 || note_slot == 0 ||
        !alpha_convert(A9N_OBJECT_NOTIFICATION_PORT, 0, note_slot) ||
        a9n_interrupt_region_make_port(alpha_root(A9N_ROOT_SLOT_INTERRUPT_REGION), COM2_IRQ,
                                       ALPHA_ROOT, irq_slot) != A9N_SUCCESS ||
        a9n_interrupt_port_bind(alpha_root(irq_slot), note) != A9N_SUCCESS ||
        a9n_process_configure(alpha_root(A9N_ROOT_SLOT_PROCESS), A9N_PROCESS_CONFIGURE_NOTIFICATION,
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

/* ---- mem: the memory servers' own statistics ---- */

/* Cache numbers by the `slabs:` keys capgen names the caches' Generics with. */
static const char *const cache_keys[ULMM_CACHES] = {
    [ULMM_CACHE_PROCESS] = "process",
    [ULMM_CACHE_ADDRESS_SPACE] = "address_space",
    [ULMM_CACHE_PAGE_TABLE] = "page_table",
    [ULMM_CACHE_FRAME] = "frame",
    [ULMM_CACHE_LARGE_FRAME] = "large_frame",
    [ULMM_CACHE_IPC_PORT] = "ipc_port",
    [ULMM_CACHE_NOTIFICATION_PORT] = "notification_port",
    [ULMM_CACHE_NODE] = "node",
};
enum { NO_CACHE = ULMM_CACHES, BUDDY_POOL = ULMM_CACHES + 1 };

/* What a declared Generic of process p is to a memory server: a slab cache (its number),
 * the Buddy pool, or neither. Read from its declared name, "<process>.slab_<key>" or
 * "<process>.buddy". */
static unsigned pool_kind(uint32_t p, uint32_t object)
{
    const char *name = alpha_expect.objects[object].name, *process = alpha_expect.process_names[p];
    size_t n = strlen(process);
    if (strncmp(name, process, n) != 0 || name[n] != '.')
        return NO_CACHE;
    if (strcmp(name + n + 1, "buddy") == 0)
        return BUDDY_POOL;
    if (strncmp(name + n + 1, "slab_", 5) != 0)
        return NO_CACHE;
    for (unsigned c = 0; c < ULMM_CACHES; c++)
        if (strcmp(name + n + 6, cache_keys[c]) == 0)
            return c;
    return NO_CACHE;
}

static unsigned ask_slot;

/* One request to the server behind ask_slot: reply words into out (the error first, 0 when
 * done); a failed CALL reads as ULMM_E_KERNEL's 5. */
static a9n_word ask(a9n_word op, a9n_word a1, a9n_word a2, a9n_word out[ULMM_REPLY_MAX])
{
    const struct a9n_ipc_buffer *b = (const struct a9n_ipc_buffer *)boot->ipc_buffer_address;
    struct a9n_message m = {.info = a9n_ipc_info(3, 0), .word = {op, a1, a2}};
    if (a9n_ipc_port_call(alpha_root(ask_slot), &m) != A9N_SUCCESS ||
        (m.info & A9N_IPC_LENGTH_MASK) == 0)
        return out[0] = 5;
    a9n_word n = m.info & A9N_IPC_LENGTH_MASK;
    for (a9n_word i = 0; i < ULMM_REPLY_MAX; i++)
        out[i] = i >= n ? 0 : i < 5 ? m.word[i] : b->message[A9N_IPC_MESSAGE_FIRST + i];
    return out[0];
}

/* Each declared client of the server's port `port` (a badge 1..64 on a capability to it),
 * with what `op`/`arg` says of its account. */
static void clients(uint32_t port, a9n_word arg, bool bytes)
{
    for (uint32_t q = 0; q < alpha_spec.process_count; q++) {
        const struct alpha_process *c = &alpha_spec.processes[q];
        for (uint32_t k = 0; k < c->cap_count; k++) {
            const struct alpha_cap *cap = &c->caps[k];
            a9n_word w[ULMM_REPLY_MAX];
            if (cap->kind != ALPHA_CAP_OBJECT || cap->object != port || cap->badge == 0 ||
                cap->badge > 64 || ask(ULMM_OP_STATS_CLIENT, arg, cap->badge, w) != 0 ||
                (w[1] == 0 && w[2] == 0))
                continue;
            if (bytes)
                say("    %s (badge %lu): %lu bytes of %lu, peak %lu; 2 MiB frames promised: %lu "
                    "held of %lu",
                    alpha_expect.process_names[q], (unsigned long)cap->badge, w[1], w[2], w[3],
                    w[4], w[5]);
            else
                say("    %s (badge %lu): %lu of %lu, peak %lu", alpha_expect.process_names[q],
                    (unsigned long)cap->badge, w[1], w[2], w[3]);
        }
    }
}

/* Server p's caches or pool (its declared Generics), asked on its port `port`. */
static void server_stats(uint32_t p, uint32_t port)
{
    const struct alpha_process *s = &alpha_spec.processes[p];
    say("server %s (port %s):", alpha_expect.process_names[p], alpha_expect.objects[port].name);
    for (uint32_t k = 0; k < s->cap_count; k++) {
        const struct alpha_cap *cap = &s->caps[k];
        if (cap->kind != ALPHA_CAP_OBJECT)
            continue;
        unsigned kind = pool_kind(p, cap->object);
        a9n_word w[ULMM_REPLY_MAX];
        if (kind < ULMM_CACHES) {
            if (ask(ULMM_OP_STATS_CACHE, kind, 0, w) != 0) {
                say("  cache %s: no answer (error %lu)", cache_keys[kind], w[0]);
                continue;
            }
            say("  cache %s: %lu objects, %lu free; %lu allocations, %lu frees; refused %lu "
                "(quota), %lu (exhausted)",
                cache_keys[kind], w[1], w[2], w[3], w[4], w[5], w[6]);
            clients(port, kind, false);
        } else if (kind == BUDDY_POOL) {
            unsigned top = alpha_spec.objects[cap->object].size_bits;
            say("  pool %s: %lu bytes", alpha_expect.objects[cap->object].name, 1ul << top);
            a9n_word splits = 0, merges = 0;
            for (unsigned order = 12; order <= top; order++) {
                if (ask(ULMM_OP_STATS_ORDER, order, 0, w) != 0)
                    continue;
                splits = w[3], merges = w[4];
                if (w[1] != 0 || w[2] != 0 || w[5] != 0)
                    say("  order %u: %lu free, %lu used, %lu set aside", order, w[1], w[2], w[5]);
            }
            say("  %lu splits, %lu merges", splits, merges);
            clients(port, ULMM_STATS_BUDDY, true);
        }
    }
}

/* Every process holding a slab cache or a Buddy pool is a memory server; the IPC Port it
 * receives on is where it is asked. Only one waiting for requests is asked: Alpha's CALL
 * must not wait on a server that faulted or is stopped. */
static void memory_servers(void)
{
    if (ask_slot == 0)
        ask_slot = koito_slot(&scratch);
    for (uint32_t p = 0; p < alpha_spec.process_count; p++) {
        const struct alpha_process *s = &alpha_spec.processes[p];
        int64_t port = -1;
        bool serves = false;
        for (uint32_t k = 0; k < s->cap_count; k++) {
            const struct alpha_cap *cap = &s->caps[k];
            if (cap->kind != ALPHA_CAP_OBJECT)
                continue;
            serves |= pool_kind(p, cap->object) != NO_CACHE;
            if (port < 0 && alpha_spec.objects[cap->object].type == A9N_OBJECT_IPC_PORT &&
                (cap->rights & A9N_RIGHT_READ))
                port = cap->object;
        }
        if (!serves || port < 0)
            continue;
        struct alpha_live_process live;
        if (!alpha_live_read() || !alpha_live_process(p, &live) ||
            live.state != A9N_INTROSPECT_PROCESS_RECEIVING) {
            say("server %s: not waiting for requests: not asked", alpha_expect.process_names[p]);
            continue;
        }
        if (ask_slot == 0 ||
            a9n_node_mint(ALPHA_ROOT, ask_slot, alpha_root(object_slot((uint32_t)port)),
                          A9N_RIGHT_WRITE, ULMM_SUPERVISOR_BADGE) != A9N_SUCCESS) {
            say("server %s: cannot make a capability to ask it", alpha_expect.process_names[p]);
            continue;
        }
        server_stats(p, (uint32_t)port);
        a9n_node_remove(ALPHA_ROOT, ask_slot);
    }
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
        if (alpha_live_memory(pool_line, client_line)) {
            memory_servers();
            put_line("ok");
        } else
            put_line("error: cannot read the live state");
    } else if (strcmp(line, "help") == 0 && *arg == '\0') {
        put_line("ps | caps NAME | mem | tree | exit | help");
        put_line("ok");
    } else if (strcmp(line, "exit") == 0 && *arg == '\0') {
        put_line("ok");
        printf("alpha: inspection asked to stop the machine\n");
        koito_qemu_exit(alpha_root(A9N_ROOT_SLOT_IO_PORT), true);
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
    a9n_interrupt_port_ack(alpha_root(irq_slot));
}
