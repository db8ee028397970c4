/*
 * A ULMM client that is killed (test/systems/ulmm.cap.yaml): it hands its own Process
 * capability to apps/ulmmtest, then allocates IPC Ports and pages, and frees some, until it
 * is suspended at whatever point it has reached. ulmmtest then reports its death to both
 * servers and checks that everything it held came back.
 */
#include <alpha_spec.h>
#include <caps/ulmmvictim.h>
#include <koito.h>
#include <koito_ulmm.h>
#include <liba9n.h>

#define FIRST_SLOT 64

int main(void)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER;
    buffer->transfer_source[0] = CAP_process;
    struct a9n_message m = {.info = a9n_ipc_info(0, 1)};
    a9n_ipc_port_call(CAP_handoff, &m);

    struct koito_ulmm slab = {CAP_ulmm, buffer, CAP_node, CAPS_NODE_RADIX},
                      pages = {CAP_pages, buffer, CAP_node, CAPS_NODE_RADIX};
    a9n_word ports[8], n = 0, slot = FIRST_SLOT;
    for (;;) {
        a9n_word x;
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
