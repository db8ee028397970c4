/*
 * The ULMM in-system test (test/systems/ulmm.cap.yaml): a client of the ULMM server and of
 * the Buddy server that checks what they promise, through the protocol only. It holds
 * capabilities with three badges (clients 1 and 2, and 77, which names no client) and the
 * supervisor's, so one program can play several clients. TAP lines, then "N passed, M
 * failed"; the console stops the machine with the verdict.
 */
#include <alpha_spec.h>
#include <caps/ulmmtest.h>
#include <kernel/kprintf.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_ulmm.h>
#include <liba9n.h>
#include <string.h>

/* The error words of the servers (servers/ulmm/core/error.h). */
enum { OK = 0, E_INVALID = 1, E_NOT_OWNER = 2, E_QUOTA = 3, E_EXHAUSTED = 4 };

#define SLOT(i)      a9n_descriptor_root((i), CAPS_NODE_RADIX)
#define FIRST_SLOT   512 /* slots 512.. receive what the servers hand out */
#define PAGE_ADDRESS 0x40000000ull
#define LARGE_ADDR   0x40200000ull

static unsigned passed, failed, number, next_slot = FIRST_SLOT;

static void say(const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    size_t n = kvsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    koito_console_print(CAP_console, line, n < sizeof(line) ? n : sizeof(line) - 1);
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
    CHECK(koito_ulmm_slab_alloc(&one, ULMM_CACHE_IPC_PORT, extra, &x) == E_EXHAUSTED &&
              !is_port(extra),
          "slab: the 17th is refused with EXHAUSTED, and no capability arrives");
    CHECK(koito_ulmm_stats(&one, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK &&
              stats[0] == 16 && stats[1] == 0 && stats[5] == 1,
          "slab: statistics: 16 objects, none free, one refused as exhausted");
    CHECK(koito_ulmm_slab_free(&two, ULMM_CACHE_IPC_PORT, index[12]) == OK && !is_port(slot[12]),
          "slab: freeing revokes the client's capability");
    CHECK(koito_ulmm_slab_alloc(&one, ULMM_CACHE_IPC_PORT, extra, &x) == OK && x == index[12] &&
              is_port(extra),
          "slab: the freed object is allocated again, to another client");
    index[12] = x;
    unsigned freed = 0;
    for (unsigned i = 0; i < 16; i++)
        freed += koito_ulmm_slab_free(i < 8 || i == 12 ? &one : &two, ULMM_CACHE_IPC_PORT,
                                      index[i]) == OK;
    CHECK(freed == 16 &&
              koito_ulmm_stats(&one, ULMM_OP_STATS_CACHE, ULMM_CACHE_IPC_PORT, stats) == OK &&
              stats[1] == 16,
          "slab: all 16 freed, the cache is full again");
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

int main(void)
{
    say("ulmmtest: ULMM in-system tests\n");
    slab_exhaust_and_recover();
    slab_refuses_foreign_and_bogus();
    buddy_page_map_touch_free();
    say("%u passed, %u failed\n", passed, failed);
    koito_console_shutdown(CAP_console, failed == 0);
    return 0;
}
