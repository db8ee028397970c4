/*
 * The request loop of a ULMM server: RECEIVE, decode (core/dispatch.c), REPLY with the
 * results and, for an allocation, the new capability, then RECEIVE again.
 */
#include "server.h"

#include <alpha_spec.h>
#include <koito.h>
#include <liba9n.h>

a9n_word ulmm_take_slots(a9n_word count)
{
    a9n_word first = ulmm_space.next_free, end = 1ull << ulmm_space.radix;
    if (count > end || first > end - count)
        return 0;
    ulmm_space.next_free += count;
    return first;
}

_Noreturn void ulmm_serve(struct ulmm_server *s, a9n_word port, const char *name)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER;
    /* What a request brings lands in the scratch slots; they are emptied after each request,
     * so a client can neither fill the server's Node nor leave anything behind. */
    s->scratch = ulmm_take_slots(A9N_TRANSFER_MAX);
    if (s->scratch == 0) {
        printf("%s: no room for scratch slots\n", name);
        _exit(1);
    }
    buffer->transfer_destination_node = ulmm_space.node;
    buffer->transfer_destination_index = s->scratch;
    printf("%s: ready\n", name);
    struct a9n_message m = {0};
    a9n_ipc_port_receive(port, &m);
    for (;;) {
        unsigned length = (unsigned)(m.info & A9N_IPC_LENGTH_MASK);
        unsigned caps = (unsigned)((m.info >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK);
        /* The request's words beyond the registers are never needed: every request fits in
         * three words, and longer ones are read only that far. */
        struct ulmm_reply r;
        ulmm_dispatch(s, m.identifier, m.word, length < 5 ? length : 5, caps, &r);
        for (unsigned i = 0; i < caps; i++)
            a9n_node_remove(ulmm_space.node, s->scratch + i);
        m = (struct a9n_message){.info = a9n_ipc_info(r.length, r.transfer ? 1 : 0)};
        for (unsigned i = 0; i < r.length; i++) {
            if (i < 5)
                m.word[i] = r.word[i];
            else
                buffer->message[A9N_IPC_MESSAGE_FIRST + i] = r.word[i];
        }
        if (r.transfer)
            buffer->transfer_source[0] = ulmm_slot(r.transfer_slot);
        a9n_ipc_port_reply_receive(port, &m);
    }
}
