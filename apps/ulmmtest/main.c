/*
 * The ULMM in-system test (test/systems/ulmm.cap.yaml): a client of the ULMM server and of
 * the Buddy server that checks what they promise, through the protocol only. It holds
 * capabilities with three badges (clients 1 and 2, and 77, which names no client) and the
 * supervisor's, so one program can play several clients. TAP lines, then "N passed, M
 * failed"; the console stops the machine with the verdict.
 */
#include <alpha_spec.h>
#include <caps/ulmmtest.h>
#include <stdio.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_ulmm.h>
#include <liba9n.h>
#include <string.h>

/* The error words of the servers (servers/ulmm/core/error.h). */
enum { OK = 0, E_INVALID = 1, E_NOT_OWNER = 2, E_QUOTA = 3, E_EXHAUSTED = 4 };

#define SLOT(i)        a9n_descriptor_root((i), CAPS_NODE_RADIX)
#define FIRST_SLOT     512 /* slots 512.. receive what the servers hand out */
#define PAGE_ADDRESS   0x40000000ull
#define LARGE_ADDR     0x40200000ull
/* The Buddy server's metadata block: tree node 2^(22 - 16) (a 64 KiB block at the start
 * of the 4 MiB pool). */
#define METADATA_BLOCK 64

static unsigned passed, failed, number, next_slot = FIRST_SLOT;

static void say(const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    koito_console_print(CAP_console, line,
                        n < 0                      ? 0
                        : (size_t)n < sizeof(line) ? (size_t)n
                                                   : sizeof(line) - 1);
}

static void check(bool ok, const char *what, unsigned line)
{
    number++;
    if (ok) {
        passed++;
        say("ok %u - %s\n", number, what);
    } else {
        failed++;
        say("not ok %u - %s (line %u)\n", number, what, line);
    }
}
#define CHECK(cond, what) check((cond), (what), __LINE__)

static struct koito_ulmm client(a9n_word port)
{
    return (struct koito_ulmm){port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                               CAPS_NODE_RADIX};
}

static unsigned take_slot(void)
{
    return next_slot++;
}

/* Whether a slot holds a live IPC Port (IDENTIFY works on nothing else). */
static bool is_port(unsigned slot)
{
    a9n_word id;
    return a9n_ipc_port_identify(SLOT(slot), &id) == A9N_SUCCESS;
}

static void slab_exhaust_and_recover(void)
{
    /* Clients 1 and 2 take eight each: the cache (16) is then empty for both. */
    struct koito_ulmm one = client(CAP_ulmm), two = client(CAP_ulmm_other);
    a9n_word stats[7], index[16];
    unsigned slot[16], got = 0;
    for (unsigned i = 0; i < 16; i++) {
        slot[i] = take_slot();
        if (koito_ulmm_slab_alloc(i < 8 ? &one : &two, ULMM_CACHE_IPC_PORT, slot[i], &index[i]) ==
                OK &&
            is_port(slot[i]))
            got++;
    }
    CHECK(got == 16, "slab: 16 IPC Ports, each a live capability in the slot named");
    unsigned extra = take_slot();
    a9n_word x;
    /* The declared quotas (8 each) use the whole cache, so the quota speaks first: a
     * declared client is never told EXHAUSTED. */
    CHECK(koito_ulmm_slab_alloc(&one, ULMM_CACHE_IPC_PORT, extra, &x) == E_QUOTA &&
              koito_ulmm_slab_alloc(&two, ULMM_CACHE_IPC_PORT, extra, &x) == E_QUOTA &&
              !is_port(extra),
          "slab: the cache is empty: a 17th is refused (QUOTA) and no capability arrives");
    CHECK(koito_ulmm_stats(&one, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK &&
              stats[0] == 24 && stats[1] == 8 && stats[4] == 2 && stats[5] == 0,
          "slab: statistics: 16 of 24 taken (the rest is client 3's), two refused for quota");
    CHECK(koito_ulmm_slab_free(&two, ULMM_CACHE_IPC_PORT, index[12]) == OK && !is_port(slot[12]),
          "slab: freeing revokes the client's capability");
    CHECK(koito_ulmm_slab_free(&one, ULMM_CACHE_IPC_PORT, index[3]) == OK &&
              koito_ulmm_slab_alloc(&two, ULMM_CACHE_IPC_PORT, extra, &x) == OK && x == index[3] &&
              is_port(extra),
          "slab: an object freed by client 1 is allocated again, to client 2");
    index[3] = x;
    unsigned freed = 0;
    for (unsigned i = 0; i < 16; i++)
        if (i != 12) /* already freed */
            freed += koito_ulmm_slab_free(i < 8 && i != 3 ? &one : &two, ULMM_CACHE_IPC_PORT,
                                          index[i]) == OK;
    CHECK(freed == 15 &&
              koito_ulmm_stats(&one, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK &&
              stats[1] == 24,
          "slab: the other 15 freed, the cache is full again");
}

static void slab_refuses_foreign_and_bogus(void)
{
    struct koito_ulmm mine = client(CAP_ulmm), other = client(CAP_ulmm_other),
                      stranger = client(CAP_ulmm_stranger);
    unsigned slot = take_slot();
    a9n_word index, x;
    CHECK(koito_ulmm_slab_alloc(&mine, ULMM_CACHE_NOTIFICATION_PORT, slot, &index) == OK,
          "slab: a Notification Port for client 1");
    CHECK(koito_ulmm_slab_free(&other, ULMM_CACHE_NOTIFICATION_PORT, index) == E_NOT_OWNER,
          "slab: client 2 cannot free client 1's object");
    a9n_word bits;
    CHECK(a9n_notification_port_poll(SLOT(slot), &bits) == A9N_SUCCESS,
          "slab: after the refused free, client 1's capability still works");
    CHECK(koito_ulmm_slab_alloc(&stranger, ULMM_CACHE_IPC_PORT, take_slot(), &x) == E_INVALID,
          "slab: a badge that names no client is refused");
    CHECK(koito_ulmm_slab_alloc(&mine, ULMM_CACHE_PROCESS, take_slot(), &x) == E_INVALID &&
              koito_ulmm_slab_alloc(&mine, 99, take_slot(), &x) == E_INVALID,
          "slab: an undeclared or unknown cache is refused");
    CHECK(koito_ulmm_slab_free(&mine, ULMM_CACHE_NOTIFICATION_PORT, 12345) == E_INVALID &&
              koito_ulmm_slab_free(&mine, ULMM_CACHE_NOTIFICATION_PORT, index + 1) == E_INVALID,
          "slab: bogus handles are refused");
    CHECK(koito_ulmm_slab_free(&mine, ULMM_CACHE_NOTIFICATION_PORT, index) == OK,
          "slab: its owner frees it");
}

static void buddy_page_map_touch_free(void)
{
    struct koito_ulmm pages = client(CAP_pages), tables = client(CAP_ulmm);
    a9n_word before[4], after[4], handle;
    koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 12, before);
    unsigned frame = take_slot();
    CHECK(koito_ulmm_frame_alloc(&pages, 12, frame, &handle) == OK,
          "buddy: a 4 KiB frame for client 1");
    CHECK(koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 12, after) == OK &&
              after[1] == before[1] + 1 && after[2] > before[2],
          "buddy: statistics show the page used and the splits it took");
    unsigned made = 0;
    unsigned me = koito_ulmm_map(&tables, CAP_address_space, frame, PAGE_ADDRESS, &made);
    CHECK(me == OK && made >= 1,
          "buddy: mapped, the page tables made and mapped by ULMM from its page_table cache");
    if (me != OK)
        return;
    volatile uint64_t *p = (volatile uint64_t *)PAGE_ADDRESS;
    bool zero = true;
    for (unsigned i = 0; i < 512; i++)
        zero &= p[i] == 0;
    for (unsigned i = 0; i < 512; i++)
        p[i] = 0xab00 + i;
    CHECK(zero && p[511] == 0xab00 + 511, "buddy: the page reads as zeros and keeps writes");
    a9n_word phys;
    a9n_frame_get_address(SLOT(frame), &phys);
    CHECK(koito_ulmm_frame_free(&pages, handle) == OK &&
              a9n_frame_get_address(SLOT(frame), &phys) != A9N_SUCCESS,
          "buddy: freed; the client's frame capability is gone (and so is the mapping)");
}

/* Maps root slot `frame` at `va` (page tables from ULMM), or says why not. */
static bool map(unsigned frame, a9n_word va)
{
    struct koito_ulmm tables = client(CAP_ulmm);
    return koito_ulmm_map(&tables, CAP_address_space, frame, va, NULL) == OK;
}

static void buddy_reuse_is_zeroed(void)
{
    struct koito_ulmm one = client(CAP_pages), two = client(CAP_pages_other);
    unsigned f1 = take_slot(), f2 = take_slot();
    a9n_word h1, h2, p1 = 0, p2 = 1;
    volatile uint64_t *va = (volatile uint64_t *)(PAGE_ADDRESS + 0x1000);
    bool ok = koito_ulmm_frame_alloc(&one, 12, f1, &h1) == OK && map(f1, (a9n_word)va) &&
              a9n_frame_get_address(SLOT(f1), &p1) == A9N_SUCCESS;
    if (ok)
        for (unsigned i = 0; i < 512; i++)
            va[i] = 0x5ec7e7000000ull + i;
    ok = ok && koito_ulmm_frame_free(&one, h1) == OK;
    CHECK(ok, "buddy: client 1 writes a secret into a page and frees it");
    /* The pool is as it was, so the next page is the same memory; client 2 gets it. */
    ok = koito_ulmm_frame_alloc(&two, 12, f2, &h2) == OK &&
         a9n_frame_get_address(SLOT(f2), &p2) == A9N_SUCCESS && map(f2, (a9n_word)va);
    CHECK(ok && p1 == p2, "buddy: client 2 gets the same physical page");
    bool zero = ok;
    for (unsigned i = 0; ok && i < 512; i++)
        zero &= va[i] == 0;
    CHECK(zero, "buddy: and it reads as zeros: nothing of client 1's data");
    CHECK(koito_ulmm_frame_free(&one, h2) == E_NOT_OWNER, "buddy: client 1 cannot free it");
    CHECK(koito_ulmm_frame_free(&two, h2) == OK, "buddy: client 2 frees it");
}

static void buddy_large_frame(void)
{
    struct koito_ulmm pages = client(CAP_pages);
    unsigned f = take_slot();
    a9n_word h, stats[4];
    CHECK(koito_ulmm_frame_alloc(&pages, 21, f, &h) == OK && map(f, LARGE_ADDR),
          "buddy: a 2 MiB frame, mapped at a 2 MiB boundary");
    volatile uint64_t *p = (volatile uint64_t *)LARGE_ADDR;
    p[0] = 1;
    p[(2u << 20) / 8 - 1] = 2;
    CHECK(p[0] == 1 && p[(2u << 20) / 8 - 1] == 2 && p[4096] == 0,
          "buddy: its first and last words are ours, the rest zero");
    a9n_word x;
    struct koito_ulmm other = client(CAP_pages_other);
    CHECK(koito_ulmm_frame_alloc(&pages, 21, take_slot(), &x) == E_QUOTA &&
              koito_ulmm_frame_alloc(&other, 21, take_slot(), &x) == E_QUOTA,
          "buddy: a second 2 MiB block is past client 1's quota (2M) and client 2's (1984K)");
    CHECK(koito_ulmm_frame_free(&pages, h) == OK &&
              koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 21, stats) == OK && stats[0] == 1 &&
              stats[1] == 0 && stats[2] == stats[3],
          "buddy: freed; statistics: one free 2 MiB block, every split merged back");
    CHECK(koito_ulmm_frame_alloc(&pages, 13, take_slot(), &x) == E_INVALID &&
              koito_ulmm_frame_alloc(&pages, 30, take_slot(), &x) == E_INVALID &&
              koito_ulmm_frame_free(&pages, 0) == E_INVALID &&
              koito_ulmm_frame_free(&pages, 1) == E_INVALID &&
              koito_ulmm_frame_free(&pages, METADATA_BLOCK) == E_NOT_OWNER,
          "buddy: bad orders and bogus handles are refused, the server's own block too");
}

static void death_returns_everything(void)
{
    struct koito_ulmm two = client(CAP_ulmm_other), pages = client(CAP_pages_other),
                      super = client(CAP_ulmm_supervisor),
                      pages_super = client(CAP_pages_supervisor), one = client(CAP_ulmm);
    unsigned first = next_slot;
    a9n_word x, freed = 0, stats[4];
    bool ok = true;
    for (unsigned i = 0; i < 3; i++)
        ok &= koito_ulmm_slab_alloc(&two, ULMM_CACHE_IPC_PORT, take_slot(), &x) == OK;
    for (unsigned i = 0; i < 2; i++)
        ok &= koito_ulmm_slab_alloc(&two, ULMM_CACHE_NOTIFICATION_PORT, take_slot(), &x) == OK;
    for (unsigned i = 0; i < 2; i++)
        ok &= koito_ulmm_frame_alloc(&pages, 12, take_slot(), &x) == OK;
    CHECK(ok, "death: client 2 holds 3 IPC Ports, 2 Notification Ports and 2 pages");
    CHECK(koito_ulmm_reclaim(&one, 2, &freed) == E_INVALID &&
              koito_ulmm_reclaim(&two, 2, &freed) == E_INVALID,
          "death: only the supervisor may report a death");
    CHECK(koito_ulmm_reclaim(&super, 2, &freed) == OK && freed == 5,
          "death: ULMM takes back client 2's five objects");
    CHECK(koito_ulmm_reclaim(&pages_super, 2, &freed) == OK && freed == 2,
          "death: the Buddy server takes back its two pages");
    bool gone = true;
    for (unsigned s = first; s < next_slot; s++) {
        a9n_word id, phys;
        gone &= a9n_ipc_port_identify(SLOT(s), &id) != A9N_SUCCESS &&
                a9n_frame_get_address(SLOT(s), &phys) != A9N_SUCCESS;
    }
    CHECK(gone, "death: every capability client 2 was given is gone");
    CHECK(koito_ulmm_stats(&two, ULMM_OP_STATS_CLIENT, ULMM_CACHE_IPC_PORT, stats) == OK &&
              stats[0] == 0 &&
              koito_ulmm_stats(&pages, ULMM_OP_STATS_CLIENT, ULMM_STATS_BUDDY, stats) == OK &&
              stats[0] == 0,
          "death: client 2's accounts are back to zero");
}

/* A tiny xorshift PRNG: the same hostile run every boot. */
static uint64_t fuzz_state = 0x9e3779b97f4a7c15ull;
static uint64_t fuzz_next(void)
{
    fuzz_state ^= fuzz_state << 13;
    fuzz_state ^= fuzz_state >> 7;
    fuzz_state ^= fuzz_state << 17;
    return fuzz_state;
}

static void hostile_requests(void)
{
    static const a9n_word ports[] = {CAP_ulmm, CAP_ulmm_other, CAP_ulmm_stranger, CAP_pages,
                                     CAP_pages_other};
    static const a9n_word words[] = {0, 1, 2, 5, 12, 21, 0xffff, ~0ull};
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER;
    unsigned answered = 0;
    const unsigned rounds = 3000;
    for (unsigned i = 0; i < rounds; i++) {
        uint64_t r = fuzz_next();
        struct a9n_message m = {
            .word = {1 + r % 10, words[(r >> 8) % 8], fuzz_next() % 64, fuzz_next(), fuzz_next()}};
        if ((r >> 16) % 4 == 0)
            m.word[1] = fuzz_next();
        /* Sometimes a capability goes along: our Address Space, or our Node (a wrong one). */
        unsigned caps = (r >> 20) % 3 != 0 ? 0 : 1;
        buffer->transfer_source[0] = (r >> 24) % 2 ? CAP_address_space : CAP_node;
        /* Whatever comes back lands in slots 900..: the servers check nothing there. */
        buffer->transfer_destination_node = CAP_node;
        buffer->transfer_destination_index = 900 + (r >> 28) % 100;
        m.info = a9n_ipc_info((r >> 32) % 6, caps);
        if (a9n_ipc_port_call(ports[(r >> 40) % 5], &m) == A9N_SUCCESS &&
            (m.info & A9N_IPC_LENGTH_MASK) >= 1)
            answered++;
    }
    CHECK(answered == rounds, "fuzz: 3000 random requests, every one answered");
    /* Clients 1 and 2 die; both servers must be whole again and still serving. */
    struct koito_ulmm super = client(CAP_ulmm_supervisor),
                      pages_super = client(CAP_pages_supervisor);
    a9n_word freed, stats[6];
    bool ok = true;
    for (a9n_word c = 1; c <= 2; c++)
        ok &= koito_ulmm_reclaim(&super, c, &freed) == OK &&
              koito_ulmm_reclaim(&pages_super, c, &freed) == OK;
    const unsigned caches[] = {ULMM_CACHE_PAGE_TABLE, ULMM_CACHE_IPC_PORT,
                               ULMM_CACHE_NOTIFICATION_PORT};
    for (unsigned i = 0; i < 3; i++) {
        ok &= koito_ulmm_stats(&super, ULMM_OP_STATS_CACHE, caches[i], stats) == OK &&
              stats[1] == stats[0];
    }
    ok &= koito_ulmm_stats(&pages_super, ULMM_OP_STATS_ORDER, 21, stats) == OK && stats[0] == 1 &&
          stats[2] == stats[3];
    CHECK(ok, "fuzz: after both clients die every cache is full and the pool whole");
}

#define VICTIM_SLOT 1000 /* the victim's Process capability arrives here */

/* The victim (apps/ulmmvictim) waits in a CALL on the handoff port with its Process
 * capability; once answered it allocates until it is stopped. We stop it wherever it is,
 * report its death, and everything it held must come back. */
static void a_killed_client_gives_everything_back(void)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER;
    buffer->transfer_destination_node = CAP_node;
    buffer->transfer_destination_index = VICTIM_SLOT;
    struct a9n_message m = {0};
    a9n_ipc_port_receive(CAP_handoff, &m);
    CHECK(((m.info >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK) == 1,
          "death: the victim handed over its Process capability");
    m = (struct a9n_message){0};
    a9n_ipc_port_reply(CAP_handoff, &m);
    /* Let it run (same priority: round robin) until it has taken its quota. */
    struct koito_ulmm super = client(CAP_ulmm_supervisor),
                      pages_super = client(CAP_pages_supervisor);
    a9n_word stats[6];
    for (unsigned i = 0; i < 1000; i++) {
        a9n_yield();
        if (koito_ulmm_stats(&pages_super, ULMM_OP_STATS_ORDER, 12, stats) == OK && stats[1] >= 100)
            break;
    }
    CHECK(a9n_process_suspend(SLOT(VICTIM_SLOT)) == A9N_SUCCESS,
          "death: the victim is stopped in the middle of its allocations");
    a9n_word held_ports = 0, held_pages = 0, freed = 0;
    if (koito_ulmm_stats(&super, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK)
        held_ports = stats[0] - stats[1];
    if (koito_ulmm_stats(&pages_super, ULMM_OP_STATS_ORDER, 12, stats) == OK)
        held_pages = stats[1];
    CHECK(held_ports > 0 && held_pages > 0, "death: it held IPC Ports and pages");
    bool ok = koito_ulmm_reclaim(&super, 3, &freed) == OK && freed == held_ports &&
              koito_ulmm_reclaim(&pages_super, 3, &freed) == OK && freed == held_pages;
    ok &= koito_ulmm_stats(&super, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK &&
          stats[1] == stats[0];
    ok &= koito_ulmm_stats(&pages_super, ULMM_OP_STATS_ORDER, 21, stats) == OK && stats[0] == 1 &&
          stats[2] == stats[3];
    CHECK(ok, "death: reported, all of it came back: the cache full, the pool whole");
}

int main(void)
{
    say("ulmmtest: ULMM in-system tests\n");
    slab_exhaust_and_recover();
    slab_refuses_foreign_and_bogus();
    buddy_page_map_touch_free();
    buddy_reuse_is_zeroed();
    buddy_large_frame();
    death_returns_everything();
    hostile_requests();
    a_killed_client_gives_everything_back();
    say("%u passed, %u failed\n", passed, failed);
    koito_console_shutdown(CAP_console, failed == 0);
    return 0;
}
