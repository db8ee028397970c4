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
#include <koito_handoff.h>
#include <koito_tap.h>
#include <koito_ulmm.h>
#include <liba9n.h>
#include <string.h>

/* The error words of the servers (servers/ulmm/core/error.h). */
enum { OK = 0, E_INVALID = 1, E_NOT_OWNER = 2, E_QUOTA = 3, E_EXHAUSTED = 4 };

#define SLOT(i)        a9n_descriptor_root((i), CAPS_NODE_RADIX)
#define FIRST_SLOT     512 /* slots 512.. receive what the servers hand out */
#define PAGE_ADDRESS   0x40000000ull
#define LARGE_ADDR     0x40200000ull
/* The Buddy server's own block: tree node 2^(22 - 18) (a 256 KiB block at the start
 * of the 4 MiB pool). */
#define METADATA_BLOCK 16

static unsigned next_slot = FIRST_SLOT;

#define say(...) koito_console_printf(CAP_console, __VA_ARGS__)

static struct koito_tap tap = {.console = CAP_console};
#define CHECK(cond, what) koito_tap_check(&tap, (cond), (what), __LINE__)

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

/* Whether a slot holds a Process (READ_REGISTER works on nothing else). */
static bool is_process(unsigned slot)
{
    a9n_word v;
    return a9n_process_read_register(SLOT(slot), A9N_REGISTER_IP, &v) == A9N_SUCCESS;
}

/* The Buddy pool as it starts: everything merged back (the first 2 MiB: the server's
 * block and one free block of each order above it, up to 1 MiB), and the other 2 MiB set
 * aside for client 1's promised frame. */
static bool pool_whole(struct koito_ulmm *pages)
{
    a9n_word s20[ULMM_REPLY_MAX - 1], s21[ULMM_REPLY_MAX - 1];
    return koito_ulmm_stats(pages, ULMM_OP_STATS_ORDER, 20, s20) == OK && s20[0] == 1 &&
           koito_ulmm_stats(pages, ULMM_OP_STATS_ORDER, 21, s21) == OK && s21[0] == 0 &&
           s21[1] == 0 && s21[4] == 1 && s21[2] == s21[3];
}

static void slab_exhaust_and_recover(void)
{
    /* Clients 1 and 2 take eight each: the cache (16) is then empty for both. */
    struct koito_ulmm one = client(CAP_ulmm), two = client(CAP_ulmm_other);
    a9n_word stats[ULMM_REPLY_MAX - 1], index[16];
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
              stats[0] == 36 && stats[1] == 20 && stats[4] == 2 && stats[5] == 0,
          "slab: statistics: 16 of 36 taken (the rest is clients 3..6's), two refused for quota");
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
              stats[1] == 36,
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
    a9n_word before[ULMM_REPLY_MAX - 1], after[ULMM_REPLY_MAX - 1], handle;
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

/* The library picks the address: free, aligned, never one already taken. */
static void buddy_maps_where_the_library_picks(void)
{
    struct koito_ulmm pages = client(CAP_pages), tables = client(CAP_ulmm);
    unsigned f1 = take_slot(), f2 = take_slot(), f3 = take_slot(), f4 = take_slot();
    a9n_word h1 = 0, h2 = 0, h3 = 0, h4 = 0, va1 = 0, va2 = 0, taken = 0;
    bool ok = koito_ulmm_frame_alloc(&pages, 12, f1, &h1) == OK &&
              koito_ulmm_frame_alloc(&pages, 12, f2, &h2) == OK &&
              koito_ulmm_map_anywhere(&tables, CAP_address_space, f1, 12, &va1, NULL) == OK &&
              koito_ulmm_map_anywhere(&tables, CAP_address_space, f2, 12, &va2, NULL) == OK;
    if (ok) {
        *(volatile uint64_t *)va1 = 1;
        *(volatile uint64_t *)va2 = 2;
    }
    CHECK(ok && va1 != va2 && va1 % 4096 == 0 && va2 % 4096 == 0 &&
              *(volatile uint64_t *)va1 == 1 && *(volatile uint64_t *)va2 == 2,
          "buddy: two pages mapped where the library picks: apart, aligned, each ours");
    /* A page mapped by hand at the next address: the library skips it. */
    ok = koito_ulmm_frame_alloc(&pages, 12, f3, &h3) == OK &&
         koito_ulmm_frame_alloc(&pages, 12, f4, &h4) == OK &&
         koito_ulmm_map(&tables, CAP_address_space, f4, va2 + 4096, NULL) == OK &&
         koito_ulmm_map_anywhere(&tables, CAP_address_space, f3, 12, &taken, NULL) == OK;
    CHECK(ok && taken == va2 + 8192, "buddy: an address in use is skipped");
    CHECK(koito_ulmm_map_anywhere(&tables, CAP_address_space, f1, 13, &taken, NULL) == E_INVALID,
          "buddy: a size that is no frame is refused");
    koito_ulmm_frame_free(&pages, h1);
    koito_ulmm_frame_free(&pages, h2);
    koito_ulmm_frame_free(&pages, h3);
    koito_ulmm_frame_free(&pages, h4);
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
    a9n_word h, stats[ULMM_REPLY_MAX - 1];
    CHECK(koito_ulmm_frame_alloc(&pages, 21, f, &h) == OK && map(f, LARGE_ADDR),
          "buddy: a 2 MiB frame, mapped at a 2 MiB boundary");
    CHECK(koito_ulmm_stats(&pages, ULMM_OP_STATS_CLIENT, ULMM_STATS_BUDDY, stats) == OK &&
              stats[3] == 1 && stats[4] == 1,
          "buddy: it is client 1's promised frame (buddy_large: 1), outside its bytes");
    volatile uint64_t *p = (volatile uint64_t *)LARGE_ADDR;
    p[0] = 1;
    p[(2u << 20) / 8 - 1] = 2;
    CHECK(p[0] == 1 && p[(2u << 20) / 8 - 1] == 2 && p[4096] == 0,
          "buddy: its first and last words are ours, the rest zero");
    a9n_word x;
    struct koito_ulmm other = client(CAP_pages_other);
    CHECK(koito_ulmm_frame_alloc(&pages, 21, take_slot(), &x) == E_QUOTA &&
              koito_ulmm_frame_alloc(&other, 21, take_slot(), &x) == E_QUOTA,
          "buddy: a second 2 MiB block is past client 1's quota (256K + one) and client 2's (1M)");
    CHECK(koito_ulmm_frame_free(&pages, h) == OK && pool_whole(&pages),
          "buddy: freed; statistics: the 2 MiB block set aside again, every split merged back");
    CHECK(koito_ulmm_frame_alloc(&pages, 13, take_slot(), &x) == E_INVALID &&
              koito_ulmm_frame_alloc(&pages, 30, take_slot(), &x) == E_INVALID &&
              koito_ulmm_frame_free(&pages, 0) == E_INVALID &&
              koito_ulmm_frame_free(&pages, 1) == E_INVALID &&
              koito_ulmm_frame_free(&pages, METADATA_BLOCK) == E_NOT_OWNER,
          "buddy: bad orders and bogus handles are refused, the server's own block too");
}

/* The promise holds whatever the others do: client 2 takes every byte it may as scattered
 * 4 KiB pages (and client 1 its 256 KiB), and client 1 still gets its 2 MiB frame. */
static void a_promised_large_frame_survives_scattered_pages(void)
{
    struct koito_ulmm one = client(CAP_pages), two = client(CAP_pages_other);
    static a9n_word held[256 + 64];
    unsigned n = 0;
    while (n < 256 && koito_ulmm_frame_alloc(&two, 12, take_slot(), &held[n]) == OK)
        n++;
    unsigned mine = 0;
    while (mine < 64 && koito_ulmm_frame_alloc(&one, 12, take_slot(), &held[n + mine]) == OK)
        mine++;
    a9n_word x;
    CHECK(n == 256 && mine == 64 && koito_ulmm_frame_alloc(&two, 12, take_slot(), &x) == E_QUOTA,
          "buddy: clients 1 and 2 hold every page byte they may (1280 KiB)");
    /* Free every other page of client 2: scattered holes, none a whole 2 MiB block. */
    for (unsigned i = 0; i < n; i += 2)
        koito_ulmm_frame_free(&two, held[i]);
    a9n_word h;
    unsigned f = take_slot();
    CHECK(koito_ulmm_frame_alloc(&one, 21, f, &h) == OK && map(f, LARGE_ADDR) &&
              koito_ulmm_frame_alloc(&one, 21, take_slot(), &x) == E_QUOTA,
          "buddy: client 1 still gets its promised 2 MiB frame, and only that one");
    bool ok = koito_ulmm_frame_free(&one, h) == OK;
    for (unsigned i = 1; i < n; i += 2)
        ok &= koito_ulmm_frame_free(&two, held[i]) == OK;
    for (unsigned i = 0; i < mine; i++)
        ok &= koito_ulmm_frame_free(&one, held[n + i]) == OK;
    CHECK(ok && pool_whole(&one), "buddy: all freed, the pool as it started");
}

static void death_returns_everything(void)
{
    struct koito_ulmm two = client(CAP_ulmm_other), pages = client(CAP_pages_other),
                      super = client(CAP_ulmm_supervisor),
                      pages_super = client(CAP_pages_supervisor), one = client(CAP_ulmm);
    unsigned first = next_slot;
    a9n_word x, freed = 0, stats[ULMM_REPLY_MAX - 1];
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
    a9n_word freed, stats[ULMM_REPLY_MAX - 1];
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
    ok &= pool_whole(&pages_super);
    CHECK(ok, "fuzz: after both clients die every cache is full and the pool whole");
}

#define VICTIM_SLOT 1000 /* + badge: each victim's Process capability arrives here */

enum { VICTIM_KILLED = 0, VICTIM_EXITS = 1, VICTIM_FAULTS = 2, VICTIM_RESTARTS = 3 };

/* Whether both servers hold nothing of any client but the ones still alive here: every
 * IPC Port back in its cache and the pool one block again. */
static bool all_back(void)
{
    struct koito_ulmm super = client(CAP_ulmm_supervisor),
                      pages_super = client(CAP_pages_supervisor);
    a9n_word stats[ULMM_REPLY_MAX - 1];
    return koito_ulmm_stats(&super, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK &&
           stats[1] == stats[0] && pool_whole(&pages_super);
}

/* The servers run above us: by the time a request of ours is answered, a death the kernel
 * told them of is handled. A few yields let the Buddy server finish a forwarded one. */
static bool all_back_soon(void)
{
    for (unsigned i = 0; i < 100; i++) {
        if (all_back())
            return true;
        a9n_yield();
    }
    struct koito_ulmm super = client(CAP_ulmm_supervisor),
                      pages_super = client(CAP_pages_supervisor);
    a9n_word c[ULMM_REPLY_MAX - 1], s20[ULMM_REPLY_MAX - 1], s21[ULMM_REPLY_MAX - 1];
    koito_ulmm_stats(&super, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, c);
    koito_ulmm_stats(&pages_super, ULMM_OP_STATS_ORDER, 20, s20);
    koito_ulmm_stats(&pages_super, ULMM_OP_STATS_ORDER, 21, s21);
    say("# not all back: ports %lu of %lu free; order 20: %lu free; order 21: %lu free %lu used "
        "%lu set aside; %lu splits %lu merges\n",
        c[1], c[0], s20[0], s21[0], s21[1], s21[4], s21[2], s21[3]);
    return false;
}

/* Takes a victim's CALL on its handoff port: the first brings its Process capability
 * (into VICTIM_SLOT + client), a later one the number of things it holds. The reply is owed
 * until koito_handoff_answer. */
static bool receive_victim(a9n_word port, a9n_word client, a9n_word *word)
{
    return koito_handoff_take(port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                              VICTIM_SLOT + client, word);
}

static a9n_word free_ports(void)
{
    struct koito_ulmm super = client(CAP_ulmm_supervisor);
    a9n_word stats[ULMM_REPLY_MAX - 1];
    return koito_ulmm_stats(&super, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK
               ? stats[1]
               : 0;
}

static a9n_word used_pages(void)
{
    struct koito_ulmm pages_super = client(CAP_pages_supervisor);
    a9n_word stats[ULMM_REPLY_MAX - 1];
    return koito_ulmm_stats(&pages_super, ULMM_OP_STATS_ORDER, 12, stats) == OK ? stats[1] : 0;
}

/* Client 3 allocates until we kill it: nobody RECLAIMs, its exit notice tells ULMM (which
 * passes it on to the Buddy server), and everything it held comes back. */
static void a_killed_client_gives_everything_back(void)
{
    a9n_word x;
    CHECK(receive_victim(CAP_handoff_killed, 3, &x) && is_process(VICTIM_SLOT + 3),
          "death: the victim handed over its Process capability");
    koito_handoff_answer(CAP_handoff_killed, VICTIM_KILLED);
    /* Let it run (same priority: round robin) until it has taken pages. */
    for (unsigned i = 0; i < 1000 && used_pages() < 40; i++)
        a9n_yield();
    a9n_word victim = SLOT(VICTIM_SLOT + 3);
    CHECK(a9n_process_suspend(victim) == A9N_SUCCESS,
          "death: the victim is paused in the middle of its allocations");
    a9n_word ports = free_ports(), pages = used_pages();
    for (unsigned i = 0; i < 20; i++)
        a9n_yield();
    CHECK(ports < 32 && pages >= 40 && free_ports() == ports && used_pages() == pages,
          "death: a pause is no end: it still holds its IPC Ports and pages");
    CHECK(a9n_process_end(victim) == A9N_SUCCESS, "death: the victim is killed (SUSPEND END)");
    CHECK(all_back_soon(),
          "death: nobody reported it, all of it came back: the cache full, the pool whole");
    CHECK(a9n_process_resume(victim) == A9N_SUCCESS && a9n_process_end(victim) == A9N_SUCCESS &&
              all_back_soon(),
          "death: resumed, then killed again: the second end is told too, all is back");
}

/* Clients 4 and 5 allocate a little, say so, and end by themselves. */
static void a_client_that_ends_itself_gives_everything_back(a9n_word port, a9n_word client,
                                                            a9n_word mode, const char *how)
{
    a9n_word held = 0;
    bool ok = receive_victim(port, client, &held) && is_process(VICTIM_SLOT + client);
    koito_handoff_answer(port, mode);
    a9n_word ports = free_ports(), pages = used_pages();
    ok = ok && receive_victim(port, client, &held) && held == 8 && free_ports() == ports - 3 &&
         used_pages() == pages + 5;
    CHECK(ok, mode == VICTIM_EXITS ? "death: client 4 holds 3 IPC Ports and 5 pages"
                                   : "death: client 5 holds 3 IPC Ports and 5 pages");
    koito_handoff_answer(port, 0); /* now it ends */
    CHECK(all_back_soon(), how);
}

/* Client 6 takes its whole quota (4 IPC Ports, 64 KiB of pages) and faults; its fault
 * policy is `restart`. Alpha's restart ends the old incarnation (its exit notice goes out),
 * so ULMM and the Buddy server take back what it held before it runs again: the new one can
 * take its whole quota again. What client 1 holds meanwhile is untouched. */
static void a_restarted_client_gets_its_whole_quota_again(void)
{
    struct koito_ulmm slab = client(CAP_ulmm), pages = client(CAP_pages);
    unsigned port = take_slot(), frame = take_slot();
    a9n_word index, handle, held = 0;
    /* Mapped after the deaths above: ULMM forwarded each to the Buddy server, and its next
     * TABLE_MAP must still find the Address Space that comes with it. */
    bool mine = koito_ulmm_slab_alloc(&slab, ULMM_CACHE_IPC_PORT, port, &index) == OK &&
                koito_ulmm_frame_alloc(&pages, 12, frame, &handle) == OK &&
                map(frame, PAGE_ADDRESS);
    CHECK(mine, "death: after the deaths ULMM passed on, TABLE_MAP still gets the Address "
                "Space that comes with it (client 1 maps a page)");
    volatile uint64_t *p = (volatile uint64_t *)PAGE_ADDRESS;
    for (unsigned i = 0; mine && i < 512; i++)
        p[i] = 0x5e00 + i;
    a9n_word ports = free_ports(), used = used_pages();
    bool ok = receive_victim(CAP_handoff_restarts, 6, &held);
    koito_handoff_answer(CAP_handoff_restarts, VICTIM_RESTARTS);
    ok = ok && receive_victim(CAP_handoff_restarts, 6, &held) && held == 4 + 16 &&
         free_ports() == ports - 4 && used_pages() == used + 16;
    CHECK(ok, "restart: client 6 holds its whole quota: 4 IPC Ports and 16 pages");
    koito_handoff_answer(CAP_handoff_restarts, 1); /* now it faults */
    /* Its next CALL comes from the new incarnation, which runs below the servers: by then
     * they have handled the end of the old one. */
    ok = receive_victim(CAP_handoff_restarts, 6, &held) && free_ports() == ports &&
         used_pages() == used;
    CHECK(ok, "restart: Alpha restarted it and everything the old incarnation held came back");
    koito_handoff_answer(CAP_handoff_restarts, VICTIM_RESTARTS);
    ok = receive_victim(CAP_handoff_restarts, 6, &held) && held == 4 + 16;
    CHECK(ok, "restart: the new incarnation takes its whole quota again");
    bool intact = is_port(port);
    for (unsigned i = 0; mine && i < 512; i++)
        intact &= p[i] == 0x5e00 + i;
    CHECK(mine && intact, "restart: client 1's IPC Port and page (and its contents) untouched");
    koito_handoff_answer(CAP_handoff_restarts, 0); /* now it exits */
    CHECK(koito_ulmm_slab_free(&slab, ULMM_CACHE_IPC_PORT, index) == OK &&
              koito_ulmm_frame_free(&pages, handle) == OK && all_back_soon(),
          "restart: it exited, client 1 freed its own: all is back");
}

int main(void)
{
    say("ulmmtest: ULMM in-system tests\n");
    slab_exhaust_and_recover();
    slab_refuses_foreign_and_bogus();
    buddy_page_map_touch_free();
    buddy_maps_where_the_library_picks();
    buddy_reuse_is_zeroed();
    buddy_large_frame();
    a_promised_large_frame_survives_scattered_pages();
    death_returns_everything();
    hostile_requests();
    a_killed_client_gives_everything_back();
    a_client_that_ends_itself_gives_everything_back(
        CAP_handoff_exits, 4, VICTIM_EXITS,
        "death: client 4 exits (_exit): everything it held came back");
    a_client_that_ends_itself_gives_everything_back(
        CAP_handoff_faults, 5, VICTIM_FAULTS,
        "death: client 5 faults with no resolver: everything it held came back");
    a_restarted_client_gets_its_whole_quota_again();
    say("%u passed, %u failed\n", tap.passed, tap.failed);
    koito_console_shutdown(CAP_console, tap.failed == 0);
    return 0;
}
