/*
 * Clients killed while a request of theirs is in flight (test/systems/ulmmkill.cap.yaml).
 * In the main ULMM test the servers run above their clients, so a client is never killed
 * with a request pending. Here the priorities are arranged so that it is, deterministically
 * (no timer: the verdict holds under -icount and on any machine):
 *
 *   console 200, this killer 180 (then 95), ULMM 150, clients (apps/ulmmdoomed) 100,
 *   Buddy server 90 (below its clients on purpose: it holds requests while they run).
 *
 *  1. In service (killer above ULMM). Client 1 hands us a Notification Port it got from
 *     ULMM, we wait on it, and client 1 asks ULMM to free it: ULMM's REVOKE deletes the port
 *     and so wakes us, in the middle of the request, before ULMM can reply. We kill client 1.
 *  2. Queued (killer at 95, between the clients and the Buddy server). We kill client 3:
 *     ULMM takes back its objects and passes the death on to the Buddy server in a CALL,
 *     which waits, the Buddy server being below us. Then client 2 sends a SLAB_ALLOC: ULMM
 *     is not receiving, so the request stays queued, and we kill client 2.
 *  3. Held by the Buddy server. Client 5 sends a BUDDY_ALLOC; the Buddy server takes it but
 *     runs below us, and we kill client 5 before it answers.
 *
 * Each time the victim's registers show its request still pending (the CALL's operation and
 * the request's words; a reply would have replaced them), and after the kill the kernel's
 * CANCELED. Then the statistics show what the server did with the request (finished it,
 * dropped it, or served it and took it back with the rest), that every account of the dead
 * client is at 0, and that the servers go on serving; the page client 1 wrote a secret into
 * is handed to us next and reads as zeros. TAP lines, then "N passed, M failed".
 */
#include <alpha_spec.h>
#include <caps/ulmmkiller.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_handoff.h>
#include <koito_tap.h>
#include <koito_ulmm.h>
#include <liba9n.h>
#include <stdio.h>

#define SLOT(i)    a9n_descriptor_root((i), CAPS_NODE_RADIX)
#define VICTIM(c)  (200 + (c)) /* victim c's Process capability */
#define NOTE_SLOT  210         /* client 1's Notification Port, then its page */
#define FRAME_SLOT 211
#define SCRATCH    250 /* a report brings no capability; if one came, it would land here */
#define MY_SLOT    220 /* what we take ourselves, as client 4 */
#define MY_VA      0x40000000ull
#define LOW        95 /* our priority from step 2 on: below the clients, above the Buddy */

/* The servers' "done" (servers/ulmm/core/error.h). */
enum { OK = 0 };

enum { DOOMED_FREE = 1, DOOMED_ALLOC = 2, DOOMED_HOLD = 3, DOOMED_BUDDY = 4 };

#define say(...) koito_console_printf(CAP_console, __VA_ARGS__)

static struct koito_tap tap = {.console = CAP_console};
#define CHECK(cond, what) koito_tap_check(&tap, (cond), (what), __LINE__)

static struct koito_ulmm client(a9n_word port)
{
    return (struct koito_ulmm){port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                               CAPS_NODE_RADIX};
}

/* Takes a victim's CALL on its handoff port (its capabilities land from slot `dest` on);
 * the reply is owed until koito_handoff_answer(). */
static bool take_call(a9n_word port, a9n_word dest, a9n_word *word)
{
    return koito_handoff_take(port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node, dest,
                              word);
}

/* One word of a cache's statistics (ULMM_OP_STATS_CACHE: count, free, allocs, frees, ...). */
static a9n_word cache_stat(unsigned cache, unsigned i)
{
    struct koito_ulmm super = client(CAP_ulmm_supervisor);
    a9n_word s[ULMM_REPLY_MAX - 1];
    return koito_ulmm_stats(&super, ULMM_OP_STATS_CACHE, cache, s) == OK ? s[i] : ~0ull;
}

/* A client's account as the supervisor reads it: used, quota, peak. `cache` is a cache or
 * ULMM_STATS_BUDDY (on the Buddy server's port). */
struct account {
    a9n_word used, quota, peak;
};
static bool account(a9n_word port, a9n_word cache, a9n_word c, struct account *a)
{
    struct a9n_message m = {.info = a9n_ipc_info(3, 0), .word = {ULMM_OP_STATS_CLIENT, cache, c}};
    if (a9n_ipc_port_call(port, &m) != A9N_SUCCESS || (m.info & A9N_IPC_LENGTH_MASK) < 4 ||
        m.word[0] != OK)
        return false;
    *a = (struct account){m.word[1], m.word[2], m.word[3]};
    return true;
}

static a9n_word used(a9n_word port, a9n_word cache, a9n_word c)
{
    struct account a;
    return account(port, cache, c, &a) ? a.used : ~0ull;
}

/* Whether client c holds nothing at either server. Each request of ours waits until the
 * server is receiving again; a death it was told of is handled at the latest by the request
 * after (a server takes waiting requests before notices), so a few rounds settle it. */
static bool holds_nothing(a9n_word c)
{
    for (unsigned round = 0; round < 8; round++)
        if (used(CAP_ulmm_supervisor, ULMM_CACHE_IPC_PORT, c) == 0 &&
            used(CAP_ulmm_supervisor, ULMM_CACHE_NOTIFICATION_PORT, c) == 0 &&
            used(CAP_ulmm_supervisor, ULMM_CACHE_PAGE_TABLE, c) == 0 &&
            used(CAP_pages_supervisor, ULMM_STATS_BUDDY, c) == 0)
            return true;
    return false;
}

/* The message registers of a process in a system call: MR0 (RSI), MR1 (RDX), and the first
 * two words of its message, MR4 (R10) and MR5 (R12). While a CALL waits they hold what it
 * sent (MR1 the CALL's operation); a reply replaces them, a cancelled call leaves MR0 = 0
 * and MR1 = A9N_ERROR_CANCELED. */
struct regs {
    a9n_word mr0, mr1, w0, w1;
};
static struct regs regs_of(a9n_word process)
{
    struct regs r = {~0ull, ~0ull, ~0ull, ~0ull};
    a9n_process_read_register(process, A9N_REGISTER_RSI, &r.mr0);
    a9n_process_read_register(process, A9N_REGISTER_RDX, &r.mr1);
    a9n_process_read_register(process, A9N_REGISTER_R10, &r.w0);
    a9n_process_read_register(process, A9N_REGISTER_R12, &r.w1);
    return r;
}

static bool pending(struct regs r, a9n_word op, a9n_word arg)
{
    return r.mr1 == A9N_IPC_PORT_CALL && r.w0 == op && r.w1 == arg;
}

static bool cancelled(struct regs r)
{
    return r.mr0 == 0 && r.mr1 == A9N_ERROR_CANCELED;
}

static a9n_word phys_of(unsigned slot)
{
    a9n_word p = 0;
    return a9n_frame_get_address(SLOT(slot), &p) == A9N_SUCCESS ? p : 0;
}

/* 1. Killed while ULMM is in the middle of its request (ULMM preempted between its REVOKE
 * and its reply). Returns the physical address of the page client 1 wrote its secret into. */
static a9n_word killed_in_service(void)
{
    a9n_word w = 0, held = 0;
    bool ok = take_call(CAP_handoff_1, VICTIM(1), &w);
    koito_handoff_answer(CAP_handoff_1, DOOMED_FREE);
    ok = ok && take_call(CAP_handoff_1, NOTE_SLOT, &held);
    a9n_word secret_page = phys_of(FRAME_SLOT), bits;
    CHECK(ok && held == 3 + 2 + 1 + 1 && secret_page != 0,
          "in service: client 1 holds 3 IPC Ports, 2 pages (a secret in one), a Notification "
          "Port; it handed us the port and the page");
    a9n_word frees = cache_stat(ULMM_CACHE_NOTIFICATION_PORT, 3);
    koito_handoff_answer(CAP_handoff_1, 0); /* it asks ULMM to free the port as soon as we wait */
    a9n_error woke = a9n_notification_port_wait(SLOT(NOTE_SLOT), &bits);
    /* Here ULMM has REVOKEd the port (that woke us) and not yet replied: we run above it. */
    struct regs before = regs_of(SLOT(VICTIM(1)));
    a9n_error killed = a9n_process_end(SLOT(VICTIM(1)));
    struct regs after = regs_of(SLOT(VICTIM(1)));
    CHECK(woke == A9N_ERROR_DESTROYED,
          "in service: ULMM's REVOKE of the port we wait on woke us: it is serving the free");
    CHECK(pending(before, ULMM_OP_SLAB_FREE, ULMM_CACHE_NOTIFICATION_PORT),
          "in service: client 1's registers still hold its SLAB_FREE: no reply yet");
    CHECK(killed == A9N_SUCCESS && cancelled(after),
          "in service: killed (SUSPEND END); the kernel cancelled its pending CALL");
    /* Our next request waits until ULMM has finished client 1's and is receiving again. */
    struct account note;
    CHECK(cache_stat(ULMM_CACHE_NOTIFICATION_PORT, 3) == frees + 1 &&
              account(CAP_ulmm_supervisor, ULMM_CACHE_NOTIFICATION_PORT, 1, &note) &&
              note.used == 0 && note.peak == 1 && cancelled(regs_of(SLOT(VICTIM(1)))),
          "in service: ULMM finished the free after the kill, and its reply went nowhere (the "
          "dead client's registers still say CANCELED)");
    CHECK(holds_nothing(1), "in service: nobody reported the death, yet client 1's accounts "
                            "are all 0 at both servers (IPC Ports, page tables, pages)");
    CHECK(phys_of(FRAME_SLOT) == 0, "in service: the copy of its page it gave us is gone");
    return secret_page;
}

/* The page client 1 held goes to the next client, zeroed: we take one, as client 4. */
static void its_memory_goes_to_the_next_client_zeroed(a9n_word secret_page)
{
    struct koito_ulmm pages = client(CAP_pages), tables = client(CAP_ulmm);
    a9n_word handle = 0, port = 0;
    bool ok = koito_ulmm_frame_alloc(&pages, 12, MY_SLOT, &handle) == OK &&
              koito_ulmm_map(&tables, CAP_address_space, MY_SLOT, MY_VA, NULL) == OK;
    CHECK(ok && phys_of(MY_SLOT) == secret_page,
          "reuse: client 4 gets the physical page client 1 wrote its secret into");
    bool zero = ok;
    for (unsigned i = 0; ok && i < 512; i++)
        zero &= ((volatile a9n_word *)MY_VA)[i] == 0;
    CHECK(zero, "reuse: and it reads as zeros");
    CHECK(koito_ulmm_slab_alloc(&tables, ULMM_CACHE_IPC_PORT, MY_SLOT + 1, &port) == OK &&
              koito_ulmm_slab_free(&tables, ULMM_CACHE_IPC_PORT, port) == OK &&
              koito_ulmm_frame_free(&pages, handle) == OK,
          "reuse: both servers still serve: an IPC Port taken and freed, the page freed");
}

/* 2. Killed while its request waits in ULMM's queue, ULMM itself waiting on the Buddy server
 * (forwarding client 3's death). We run at LOW: the clients preempt us, the Buddy does not. */
static void killed_while_queued(void)
{
    a9n_word w = 0, held3 = 0, held2 = 0;
    /* Client 3 takes a few things and then CALLs us again; that CALL is never taken. */
    bool ok = take_call(CAP_handoff_3, VICTIM(3), &w);
    koito_handoff_answer(CAP_handoff_3, DOOMED_HOLD);
    ok = ok && take_call(CAP_handoff_3, SCRATCH, &held3);
    koito_handoff_answer(CAP_handoff_3, 0);
    ok = ok && take_call(CAP_handoff_2, VICTIM(2), &w);
    koito_handoff_answer(CAP_handoff_2, DOOMED_ALLOC);
    ok = ok && take_call(CAP_handoff_2, SCRATCH, &held2); /* its reply is owed from here */
    CHECK(ok && held3 == 4 && held2 == 3,
          "queued: client 3 holds 2 IPC Ports and 2 pages, client 2 2 IPC Ports and a page");
    a9n_word allocs = cache_stat(ULMM_CACHE_IPC_PORT, 2);
    /* ULMM (above us) takes back client 3's objects at once and CALLs the Buddy server (below
     * us) with the death: from here ULMM waits on the Buddy server. */
    a9n_error killed3 = a9n_process_end(SLOT(VICTIM(3)));
    /* Client 2 (above us) sends its SLAB_ALLOC at once; ULMM is not receiving. */
    koito_handoff_answer(CAP_handoff_2, 0);
    struct regs before = regs_of(SLOT(VICTIM(2)));
    a9n_error killed2 = a9n_process_end(SLOT(VICTIM(2)));
    struct regs after = regs_of(SLOT(VICTIM(2)));
    CHECK(killed3 == A9N_SUCCESS && pending(before, ULMM_OP_SLAB_ALLOC, ULMM_CACHE_IPC_PORT),
          "queued: client 3 killed; client 2's SLAB_ALLOC waits while ULMM waits on the Buddy "
          "server (its registers still hold the request)");
    CHECK(killed2 == A9N_SUCCESS && cancelled(after),
          "queued: client 2 killed; the kernel cancelled its pending CALL");
    struct account a;
    CHECK(account(CAP_ulmm_supervisor, ULMM_CACHE_IPC_PORT, 2, &a) && a.peak == 2 &&
              cache_stat(ULMM_CACHE_IPC_PORT, 2) == allocs,
          "queued: ULMM never served the dropped request (no allocation, client 2's peak 2)");
    CHECK(holds_nothing(2) && holds_nothing(3),
          "queued: clients 2 and 3 hold nothing at either server");
}

/* 3. Killed while the Buddy server holds its request (taken, not yet answered). */
static void killed_while_the_buddy_holds_it(void)
{
    a9n_word w = 0, held = 0;
    bool ok = take_call(CAP_handoff_5, VICTIM(5), &w);
    koito_handoff_answer(CAP_handoff_5, DOOMED_BUDDY);
    ok = ok && take_call(CAP_handoff_5, SCRATCH, &held);
    struct account a;
    CHECK(ok && held == 3 && account(CAP_pages_supervisor, ULMM_STATS_BUDDY, 5, &a) &&
              a.used == 8192 && a.peak == 8192,
          "buddy: client 5 holds an IPC Port and 2 pages");
    koito_handoff_answer(CAP_handoff_5,
                         0); /* it sends a BUDDY_ALLOC; the Buddy server takes it, below us */
    struct regs before = regs_of(SLOT(VICTIM(5)));
    a9n_error killed = a9n_process_end(SLOT(VICTIM(5)));
    struct regs after = regs_of(SLOT(VICTIM(5)));
    CHECK(pending(before, ULMM_OP_BUDDY_ALLOC, 12),
          "buddy: client 5's registers still hold its BUDDY_ALLOC: no reply yet");
    CHECK(killed == A9N_SUCCESS && cancelled(after),
          "buddy: killed; the kernel cancelled its pending CALL");
    /* The Buddy server serves the request it holds (a page for a dead client: its reply
     * goes nowhere), then the RECLAIM ULMM forwards, which takes that page back too. */
    CHECK(holds_nothing(5) && account(CAP_pages_supervisor, ULMM_STATS_BUDDY, 5, &a) &&
              a.peak == 3 * 4096 && cancelled(regs_of(SLOT(VICTIM(5)))),
          "buddy: it served the request after the kill (peak 3 pages), took that page back with "
          "the rest; the registers still say CANCELED");
}

/* Everything is back: every cache full, no page in use. */
static void all_back(void)
{
    struct koito_ulmm super = client(CAP_pages_supervisor);
    a9n_word s[ULMM_REPLY_MAX - 1];
    bool ok = koito_ulmm_stats(&super, ULMM_OP_STATS_ORDER, 12, s) == OK && s[1] == 0;
    /* Our own page tables (client 4's, from the mapping above) stay until we end. */
    ok &= cache_stat(ULMM_CACHE_IPC_PORT, 1) == cache_stat(ULMM_CACHE_IPC_PORT, 0) &&
          cache_stat(ULMM_CACHE_NOTIFICATION_PORT, 1) ==
              cache_stat(ULMM_CACHE_NOTIFICATION_PORT, 0) &&
          cache_stat(ULMM_CACHE_PAGE_TABLE, 1) +
                  used(CAP_ulmm_supervisor, ULMM_CACHE_PAGE_TABLE, 4) ==
              cache_stat(ULMM_CACHE_PAGE_TABLE, 0);
    struct koito_ulmm mine = client(CAP_ulmm);
    a9n_word index[2];
    for (unsigned i = 0; i < 2; i++)
        ok &= koito_ulmm_slab_alloc(&mine, ULMM_CACHE_IPC_PORT, MY_SLOT + 2 + i, &index[i]) == OK;
    for (unsigned i = 0; i < 2; i++)
        ok &= koito_ulmm_slab_free(&mine, ULMM_CACHE_IPC_PORT, index[i]) == OK;
    CHECK(ok, "all back: caches full (but client 4's page tables), no page used; client 4 "
              "takes and frees its whole IPC Port quota");
}

int main(void)
{
    say("ulmmkiller: clients killed with a request in flight\n");
    a9n_word secret_page = killed_in_service();
    its_memory_goes_to_the_next_client_zeroed(secret_page);
    a9n_word low = LOW;
    CHECK(a9n_process_configure(CAP_process, A9N_PROCESS_CONFIGURE_PRIORITY, &low, 1, NULL) ==
              A9N_SUCCESS,
          "the killer drops to priority 95: below the clients, above the Buddy server");
    killed_while_queued();
    killed_while_the_buddy_holds_it();
    all_back();
    say("%u passed, %u failed\n", tap.passed, tap.failed);
    koito_console_shutdown(CAP_console, tap.failed == 0);
    return 0;
}
