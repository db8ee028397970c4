/*
 * A ULMM client that ends (test/systems/ulmm.cap.yaml). Three processes run this image, each
 * with an exit notice to ULMM: it hands its own Process capability to apps/ulmmtest, whose
 * reply says how it is to end:
 *   VICTIM_KILLED  allocate IPC Ports and pages, and free some, until ulmmtest kills it;
 *   VICTIM_EXITS   allocate a few, tell ulmmtest, then _exit;
 *   VICTIM_FAULTS  allocate a few, tell ulmmtest, then write to address 0 (no resolver).
 *   VICTIM_RESTARTS  take its whole quota (IPC Ports and pages until refused), tell ulmmtest,
 *                  then fault (Alpha restarts it: main runs again) or _exit, as its answer
 *                  says (fault policy `restart`).
 * Nobody reports its death: the kernel's exit notice does, and what it held comes back.
 */
#include <alpha_spec.h>
#include <caps/ulmmvictim.h>
#include <koito.h>
#include <koito_handoff.h>
#include <koito_ulmm.h>
#include <liba9n.h>

#define FIRST_SLOT 64

enum { VICTIM_KILLED = 0, VICTIM_EXITS = 1, VICTIM_FAULTS = 2, VICTIM_RESTARTS = 3 };

int main(void)
{
    koito_process_cap = CAP_process; /* _exit ends this Process */
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER;
    buffer->transfer_source[0] = CAP_process;
    a9n_word mode = koito_handoff_tell(CAP_handoff, 0, 1);

    struct koito_ulmm slab = {CAP_ulmm, buffer, CAP_node, CAPS_NODE_RADIX},
                      pages = {CAP_pages, buffer, CAP_node, CAPS_NODE_RADIX};
    a9n_word ports[8], n = 0, slot = FIRST_SLOT, x;
    if (mode == VICTIM_RESTARTS) {
        /* Everything it may take, until each server refuses (its quota, not the pool). */
        a9n_word held = 0;
        while (koito_ulmm_slab_alloc(&slab, ULMM_CACHE_IPC_PORT, slot, &x) == 0)
            held++, slot++;
        while (koito_ulmm_frame_alloc(&pages, 12, slot, &x) == 0)
            held++, slot++;
        if (koito_handoff_tell(CAP_handoff, held, 0) == 0)
            _exit(0);
        *(volatile int *)0 = 1; /* Alpha restarts it from its image: main runs again */
    }
    if (mode != VICTIM_KILLED) {
        a9n_word held = 0;
        for (unsigned i = 0; i < 3; i++)
            held += koito_ulmm_slab_alloc(&slab, ULMM_CACHE_IPC_PORT, slot++, &x) == 0;
        for (unsigned i = 0; i < 5; i++)
            held += koito_ulmm_frame_alloc(&pages, 12, slot++, &x) == 0;
        koito_handoff_tell(CAP_handoff, held, 0);
        if (mode == VICTIM_EXITS)
            _exit(0);
        *(volatile int *)0 = 1; /* no resolver: the kernel stops it, its notice goes out */
        for (;;)
            a9n_yield();
    }
    for (;;) {
        if (n < 8 && koito_ulmm_slab_alloc(&slab, ULMM_CACHE_IPC_PORT, slot++, &x) == 0)
            ports[n++] = x;
        koito_ulmm_frame_alloc(&pages, 12, slot++, &x);
        if (n == 8)
            while (n > 2)
                koito_ulmm_slab_free(&slab, ULMM_CACHE_IPC_PORT, ports[--n]);
        if (slot >= (1u << CAPS_NODE_RADIX))
            slot = FIRST_SLOT; /* slots of freed things are empty again; others refuse */
    }
}
