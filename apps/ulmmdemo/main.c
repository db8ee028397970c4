/*
 * The ULMM demo of the default system: takes a Notification Port from ULMM's slab cache and
 * a page from the Buddy server, maps the page (with page tables ULMM makes), uses both,
 * frees them, and says what happened at each step, with the servers' statistics. It runs
 * above hello, which stops the machine once the demo is done.
 */
#include <alpha_spec.h>
#include <caps/ulmmdemo.h>
#include <stdio.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_tap.h>
#include <koito_ulmm.h>
#include <liba9n.h>

#define SLOT(i)   a9n_descriptor_root((i), CAPS_NODE_RADIX)
#define PORT_SLOT 64
#define PAGE_SLOT 65
#define LEFT_SLOT 66 /* and 67: what it leaves behind */
#define PAGE_VA   0x40000000ull

#define say(...) koito_console_printf(CAP_console, __VA_ARGS__)

static struct koito_ulmm server(a9n_word port)
{
    return (struct koito_ulmm){port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                               CAPS_NODE_RADIX};
}

static bool use_a_notification_port(void)
{
    struct koito_ulmm ulmm = server(CAP_ulmm);
    a9n_word index, word = 0, stats[ULMM_REPLY_MAX - 1];
    unsigned e = koito_ulmm_slab_alloc(&ulmm, ULMM_CACHE_NOTIFICATION_PORT, PORT_SLOT, &index);
    if (e != 0) {
        say("ulmmdemo: ULMM refused a Notification Port (error %u)\n", e);
        return false;
    }
    koito_ulmm_stats(&ulmm, ULMM_OP_STATS_CACHE, ULMM_CACHE_NOTIFICATION_PORT, stats);
    say("ulmmdemo: ULMM gave a Notification Port (object %lu of %lu, %lu left) in slot %u\n", index,
        stats[0], stats[1], PORT_SLOT);
    a9n_notification_port_notify(SLOT(PORT_SLOT));
    a9n_notification_port_poll(SLOT(PORT_SLOT), &word);
    say("ulmmdemo: notified it and polled it: word %lu\n", word);
    e = koito_ulmm_slab_free(&ulmm, ULMM_CACHE_NOTIFICATION_PORT, index);
    bool gone = a9n_notification_port_poll(SLOT(PORT_SLOT), &word) != A9N_SUCCESS;
    say("ulmmdemo: freed it (error %u); the capability is %s\n", e, gone ? "gone" : "STILL THERE");
    return e == 0 && gone && word == 0;
}

static bool use_a_page(void)
{
    struct koito_ulmm pages = server(CAP_pages), ulmm = server(CAP_ulmm);
    a9n_word handle, phys = 0, stats[ULMM_REPLY_MAX - 1];
    unsigned tables = 0;
    unsigned e = koito_ulmm_frame_alloc(&pages, 12, PAGE_SLOT, &handle);
    if (e != 0) {
        say("ulmmdemo: the Buddy server refused a page (error %u)\n", e);
        return false;
    }
    a9n_frame_get_address(SLOT(PAGE_SLOT), &phys);
    koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 12, stats);
    say("ulmmdemo: the Buddy server gave a 4 KiB page at physical 0x%lx (%lu splits so far)\n",
        phys, stats[2]);
    e = koito_ulmm_map(&ulmm, CAP_address_space, PAGE_SLOT, PAGE_VA, &tables);
    if (e != 0) {
        say("ulmmdemo: cannot map it (error %u)\n", e);
        return false;
    }
    say("ulmmdemo: mapped it at 0x%lx with %u page tables from ULMM\n", (unsigned long)PAGE_VA,
        tables);
    volatile char *p = (volatile char *)PAGE_VA;
    const char text[] = "memory from a user-level allocator";
    for (unsigned i = 0; i < sizeof(text); i++)
        p[i] = text[i];
    say("ulmmdemo: wrote and read back \"%s\"\n", (const char *)p);
    e = koito_ulmm_frame_free(&pages, handle);
    koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 12, stats);
    say("ulmmdemo: freed it (error %u): %lu splits, %lu merges, the pool is %s again\n", e,
        stats[2], stats[3], stats[2] == stats[3] ? "whole" : "NOT whole");
    return e == 0 && stats[2] == stats[3];
}

int main(void)
{
    koito_process_cap = CAP_process; /* returning from main suspends it, so hello runs next */
    say("ulmmdemo: allocating at run time through ULMM and the Buddy server\n");
    bool ok = use_a_notification_port() && use_a_page();
    /* Two things it never frees: its exit notice tells ULMM when main returns (_exit ends
     * the Process), and ULMM and the Buddy server take them back. */
    struct koito_ulmm ulmm = server(CAP_ulmm), pages = server(CAP_pages);
    a9n_word x;
    ok = ok && koito_ulmm_slab_alloc(&ulmm, ULMM_CACHE_NOTIFICATION_PORT, LEFT_SLOT, &x) == 0 &&
         koito_ulmm_frame_alloc(&pages, 12, LEFT_SLOT + 1, &x) == 0;
    say("ulmmdemo: %s\n",
        ok ? "done, exiting with a Notification Port and a page still held" : "FAILED");
    return 0;
}
