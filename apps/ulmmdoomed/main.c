/*
 * A ULMM client that is killed in the middle of a request (test/systems/ulmmkill.cap.yaml).
 * Four processes run this image; apps/ulmmkiller kills each of them. Each hands the killer
 * its Process capability on its own handoff port; the reply says what it is to do:
 *   DOOMED_FREE   take 3 IPC Ports, 2 pages (one mapped, a secret written into it) and a
 *                 Notification Port; hand the killer the Notification Port and the page;
 *                 then ask ULMM to free the Notification Port (the request in flight: the
 *                 killer waits on that port, so ULMM's REVOKE wakes it mid-request);
 *   DOOMED_ALLOC  take 2 IPC Ports and a page, then ask ULMM for a third IPC Port (the
 *                 request in flight: it is queued, ULMM waits on the Buddy server);
 *   DOOMED_HOLD   take 2 IPC Ports and 2 pages, then CALL the killer again (never taken);
 *   DOOMED_BUDDY  take an IPC Port and 2 pages, then ask the Buddy server for a third page
 *                 (the request in flight: the Buddy server has taken it, and runs below).
 * After the handoff it reports how many things it holds (a second CALL) and, once answered,
 * sends its last request. Nobody reports its death: its exit notice does.
 */
#include <alpha_spec.h>
#include <caps/ulmmdoomed.h>
#include <koito.h>
#include <koito_handoff.h>
#include <koito_ulmm.h>
#include <liba9n.h>

#define FIRST_SLOT 64
#define SECRET_VA  0x40000000ull

/* The servers' "done" (servers/ulmm/core/error.h). */
enum { OK = 0 };

enum { DOOMED_FREE = 1, DOOMED_ALLOC = 2, DOOMED_HOLD = 3, DOOMED_BUDDY = 4 };

/* A CALL to the killer with one word and `caps` capabilities (transfer_source already set). */
static a9n_word tell(a9n_word word, unsigned caps)
{
    return koito_handoff_tell(CAP_handoff, word, caps);
}

int main(void)
{
    koito_process_cap = CAP_process;
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER;
    buffer->transfer_source[0] = CAP_process;
    a9n_word mode = tell(0, 1);

    struct koito_ulmm slab = {CAP_ulmm, buffer, CAP_node, CAPS_NODE_RADIX},
                      pages = {CAP_pages, buffer, CAP_node, CAPS_NODE_RADIX};
    unsigned ports = mode == DOOMED_FREE ? 3 : mode == DOOMED_BUDDY ? 1 : 2;
    unsigned frames = mode == DOOMED_ALLOC ? 1 : 2;
    a9n_word slot = FIRST_SLOT, x, held = 0, first_frame = 0, note = 0;
    for (unsigned i = 0; i < ports; i++)
        held += koito_ulmm_slab_alloc(&slab, ULMM_CACHE_IPC_PORT, slot++, &x) == OK;
    for (unsigned i = 0; i < frames; i++) {
        first_frame = i == 0 ? slot : first_frame;
        held += koito_ulmm_frame_alloc(&pages, 12, slot++, &x) == OK;
    }
    if (mode == DOOMED_FREE) {
        a9n_word note_slot = slot++;
        held += koito_ulmm_slab_alloc(&slab, ULMM_CACHE_NOTIFICATION_PORT, note_slot, &note) == OK;
        /* A secret in the first page: whoever gets that memory next must not see it. */
        if (koito_ulmm_map(&slab, CAP_address_space, first_frame, SECRET_VA, NULL) == OK) {
            volatile a9n_word *p = (volatile a9n_word *)SECRET_VA;
            for (unsigned i = 0; i < 512; i++)
                p[i] = 0x5ec7e7000000ull + i;
            held++;
        }
        buffer->transfer_source[0] = a9n_descriptor_root(note_slot, CAPS_NODE_RADIX);
        buffer->transfer_source[1] = a9n_descriptor_root(first_frame, CAPS_NODE_RADIX);
        tell(held, 2);
    } else {
        tell(held, 0);
    }
    /* The request in flight: the killer ends this process before it is answered. */
    unsigned e = 0;
    if (mode == DOOMED_FREE)
        e = koito_ulmm_slab_free(&slab, ULMM_CACHE_NOTIFICATION_PORT, note);
    else if (mode == DOOMED_ALLOC)
        e = koito_ulmm_slab_alloc(&slab, ULMM_CACHE_IPC_PORT, slot++, &x);
    else if (mode == DOOMED_BUDDY)
        e = koito_ulmm_frame_alloc(&pages, 12, slot++, &x);
    /* DOOMED_HOLD waits here; any other only if the kill missed: it says so in a CALL that
     * nobody takes (the killer's checks of its registers fail then). */
    tell(0xdead0000u | e, 0);
    _exit(1);
}
