/* What one process leaves in the CPU or in a message must never reach another (issue 9,
 * findings 2 and 5): the TLS base and segment selectors across a context switch, and the
 * message registers beyond a message's length on every IPC path. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

/* ---- the TLS base ---- */

enum { TLS_MARKER = 0x715e, TLS_ROUNDS = 500 };

static volatile a9n_word tls_marker = TLS_MARKER;
static unsigned tls_report;

/* Loads `selector` into FS and GS (unprivileged; it reloads their hidden bases), yields,
 * and does it again, for good. */
static void child_loads_selectors(a9n_word selector)
{
    for (;;) {
        __asm__ volatile("mov %0, %%fs\n\tmov %0, %%gs" : : "r"((uint32_t)selector));
        a9n_yield();
    }
}

/* Reads %fs:0 (its TLS) and its FS and GS selectors each time it runs, and reports how
 * often either was not what it should be. */
static void child_reads_tls(a9n_word rounds)
{
    a9n_word wrong = 0, selectors = 0;
    for (a9n_word i = 0; i < rounds; i++) {
        a9n_word v;
        uint32_t fs, gs;
        __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
        __asm__ volatile("mov %%fs, %0\n\tmov %%gs, %1" : "=r"(fs), "=r"(gs));
        wrong += v != TLS_MARKER;
        selectors += (fs | gs) != 0;
        a9n_yield();
    }
    struct a9n_message m = {.info = 2, .word = {wrong, selectors}};
    a9n_ipc_port_send(D(tls_report), &m);
    park();
}

/* Two processes with the same TLS base take turns; one loads `selector` into FS and GS
 * each turn. The other must read its TLS every time (it faults to us if its FS base was
 * left at the selector's 0) and never see a selector it did not load. */
static void tls_survives_selector(a9n_word selector)
{
    tls_report = make_port();
    struct child reader, loader;
    CHECK(tls_report != 0);
    CHECK(child_create(&reader, child_reads_tls, TLS_ROUNDS, 100, tls_report, CHILD_SHARE_ROOT));
    CHECK(child_create(&loader, child_loads_selectors, selector, 100, 0, CHILD_SHARE_ROOT));
    CHECK_OK(a9n_process_write_register(D(reader.process), A9N_REGISTER_TLS_BASE,
                                        (a9n_word)&tls_marker));
    CHECK_OK(a9n_process_write_register(D(loader.process), A9N_REGISTER_TLS_BASE,
                                        (a9n_word)&tls_marker));
    struct a9n_message m;
    CHECK_OK(receive(tls_report, &m));
    CHECK_EQ(m.info & A9N_IPC_FAULT, 0); /* a fault: it read through a base of 0 */
    CHECK_EQ(m.word[0], 0);              /* times %fs:0 was not its TLS */
    CHECK_EQ(m.word[1], 0);              /* times it saw a selector the other loaded */
}

TEST(tls_base_survives_another_process_loading_fs)
{
    tls_survives_selector(0x18 | 3); /* the user data selector */
}

TEST(tls_base_survives_another_process_loading_null_fs)
{
    tls_survives_selector(0);
}

TEST(tls_base_survives_another_process_loading_code_selector)
{
    tls_survives_selector(0x20 | 3); /* readable code: loadable into FS too */
}

/* ---- message registers ---- */

#define SENT    0x5e0000u /* a sender's registers: SENT + MR number */
#define OWN     0x0e0000u /* a receiver's own registers before its RECEIVE */
#define REPLIED 0x4e0000u /* the server's registers when it replies */

enum { WORDS = A9N_MR_REGISTER_COUNT - A9N_IPC_MESSAGE_FIRST };

static unsigned leak_port, leak_done;
static volatile a9n_word leak_seen[A9N_MR_REGISTER_COUNT];
static volatile a9n_word leak_reply_op, leak_reply_length, leak_one_way;

/* Every message register set: the call's, and `base` + MR number in all others. */
static void regs(struct a9n_regs *r, a9n_word cap, a9n_word op, a9n_word info, a9n_word base)
{
    for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
        r->mr[i] = base + i;
    r->mr[0] = cap;
    r->mr[1] = op;
    r->mr[3] = info;
}

/* The server: each message it receives (with OWN or REPLIED in its registers before) goes
 * to leak_seen; then it answers with leak_reply_length words of REPLIED by leak_reply_op,
 * or, for one-way messages, tells us through leak_done. */
static void child_leak_server(a9n_word arg)
{
    struct a9n_regs r;
    regs(&r, D(leak_port), A9N_IPC_PORT_RECEIVE, 0, OWN);
    a9n_capability_call(&r);
    for (;;) {
        for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
            leak_seen[i] = r.mr[i];
        if (leak_one_way) {
            a9n_notification_port_notify(D(leak_done));
            regs(&r, D(leak_port), A9N_IPC_PORT_RECEIVE, 0, OWN);
            a9n_capability_call(&r);
            continue;
        }
        a9n_word op = leak_reply_op;
        regs(&r, D(leak_port), op, leak_reply_length, REPLIED);
        a9n_capability_call(&r);
        if (op == A9N_IPC_PORT_REPLY) {
            regs(&r, D(leak_port), A9N_IPC_PORT_RECEIVE, 0, OWN);
            a9n_capability_call(&r);
        }
    }
}

/* The first message register that is wrong: MR3's length, then MR4.. (`length` words from
 * `base`, zeros after); -1 when all are right. */
static long wrong_word(const volatile a9n_word *mr, a9n_word length, a9n_word base)
{
    if ((mr[3] & A9N_IPC_LENGTH_MASK) != length)
        return 3;
    for (unsigned i = 0; i < WORDS; i++) {
        a9n_word want = i < length ? base + A9N_IPC_MESSAGE_FIRST + i : 0;
        if (mr[A9N_IPC_MESSAGE_FIRST + i] != want)
            return A9N_IPC_MESSAGE_FIRST + i;
    }
    return -1;
}

static bool leak_server_start(bool one_way, struct child *c)
{
    leak_port = make_port();
    leak_done = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    leak_one_way = one_way;
    return leak_port != 0 && leak_done != 0 &&
           child_create(c, child_leak_server, 0, 100, 0, CHILD_SHARE_ROOT);
}

/* CALLs of every length, answered by `reply_op` with as many words. */
static void calls_deliver_exactly_length(a9n_word reply_op)
{
    struct child c;
    CHECK(leak_server_start(false, &c));
    leak_reply_op = reply_op;
    for (a9n_word length = 0; length <= WORDS; length++) {
        leak_reply_length = length;
        struct a9n_regs r;
        regs(&r, D(leak_port), A9N_IPC_PORT_CALL, length, SENT);
        CHECK_OK(a9n_capability_call(&r));
        CHECK_EQ(wrong_word(leak_seen, length, SENT), -1);
        CHECK_EQ(wrong_word(r.mr, length, REPLIED), -1);
    }
}

/* The server waits when we call (fast path), and REPLY_RECEIVE hands the reply straight
 * back (fast path). */
TEST(ipc_fast_call_and_reply_receive_deliver_exactly_length)
{
    calls_deliver_exactly_length(A9N_IPC_PORT_REPLY_RECEIVE);
}

/* REPLY (slow path) makes us ready again before the server is back in RECEIVE, so each
 * next CALL is queued and taken by a slow RECEIVE. */
TEST(ipc_slow_call_and_reply_deliver_exactly_length)
{
    calls_deliver_exactly_length(A9N_IPC_PORT_REPLY);
}

TEST(ipc_send_delivers_exactly_length)
{
    struct child c;
    CHECK(leak_server_start(true, &c));
    for (a9n_word length = 0; length <= WORDS; length++) {
        /* To a receiver that waits, then queued until it receives. */
        for (int queued = 0; queued < 2; queued++) {
            if (!queued)
                settle();
            struct a9n_regs r;
            regs(&r, D(leak_port), A9N_IPC_PORT_SEND, length, SENT);
            CHECK_OK(a9n_capability_call(&r));
            a9n_word w;
            CHECK_OK(a9n_notification_port_wait(D(leak_done), &w));
            CHECK_EQ(wrong_word(leak_seen, length, SENT), -1);
        }
    }
}

/* A RECEIVE that a bound notification ends has no words: MR4.. are zero. */
TEST(ipc_bound_notification_delivers_no_words)
{
    struct child c;
    CHECK(leak_server_start(true, &c));
    unsigned n = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    a9n_word v[1] = {D(n)};
    CHECK_OK(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL));
    /* The server blocks in RECEIVE, then the notification wakes it. */
    settle();
    CHECK_OK(a9n_notification_port_notify(D(n)));
    a9n_word w;
    CHECK_OK(a9n_notification_port_wait(D(leak_done), &w));
    CHECK_EQ(leak_seen[3], A9N_IPC_NOTIFICATION);
    CHECK_EQ(leak_seen[2], 1);
    CHECK_EQ(wrong_word(leak_seen, 0, 0), -1);
    /* Bits already there when it calls RECEIVE: it returns at once, the same way. */
    CHECK_OK(a9n_notification_port_notify(D(n)));
    CHECK_OK(a9n_notification_port_wait(D(leak_done), &w));
    CHECK_EQ(leak_seen[3], A9N_IPC_NOTIFICATION);
    CHECK_EQ(wrong_word(leak_seen, 0, 0), -1);
}
