/*
 * The request loop of a ULMM server: RECEIVE, decode (core/dispatch.c), REPLY with the
 * results and, for an allocation, the new capability, then RECEIVE again.
 */
#include "server.h"

#include <alpha_spec.h>
#include <koito.h>
#include <koito_ulmm.h>
#include <liba9n.h>

a9n_word ulmm_take_slots(a9n_word count)
{
    a9n_word first = ulmm_space.next_free, end = 1ull << ulmm_space.radix;
    if (count > end || first > end - count)
        return 0;
    ulmm_space.next_free += count;
    return first;
}

/* Client deaths the notification word names: taken back here, then passed on. */
static void deaths(struct ulmm_server *s, const struct ulmm_deaths_wiring *w, a9n_word bits,
                   const char *name)
{
    a9n_word n = ulmm_deaths(s, bits), passed = 0;
    struct koito_ulmm next = {w->forward, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER,
                              ulmm_space.node, ulmm_space.radix};
    for (a9n_word b = w->forward != 0 ? bits : 0; b != 0; b &= b - 1) {
        a9n_word freed = 0;
        if (koito_ulmm_reclaim(&next, (a9n_word)__builtin_ctzll(b) + 1, &freed) != ULMM_OK)
            printf("%s: the next server refused a death\n", name);
        passed += freed;
    }
    /* The forwarding CALLs named their own receive slot in the IPC buffer: what the next
     * request brings must land in the scratch slots again (else TABLE_MAP finds nothing
     * there, and the capability stays in a slot nobody empties). */
    next.buffer->transfer_destination_node = ulmm_space.node;
    next.buffer->transfer_destination_index = s->scratch;
    printf("%s: clients 0x%llx ended: %llu objects back%s", name, (unsigned long long)bits,
           (unsigned long long)n, w->forward != 0 ? ", " : "\n");
    if (w->forward != 0)
        printf("%llu from the next server\n", (unsigned long long)passed);
}

_Noreturn void ulmm_serve(struct ulmm_server *s, a9n_word port, struct ulmm_deaths_wiring w,
                          const char *name)
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
    if (w.deaths != 0 && a9n_process_configure(w.process, A9N_PROCESS_CONFIGURE_NOTIFICATION,
                                               &w.deaths, 1, NULL) != A9N_SUCCESS) {
        printf("%s: cannot bind its death notices\n", name);
        _exit(1);
    }
    printf("%s: ready\n", name);
    struct a9n_message m = {0};
    a9n_ipc_port_receive(port, &m);
    for (;;) {
        if (m.info & A9N_IPC_NOTIFICATION) {
            /* Not a request: nobody waits for a reply, so the next REPLY_RECEIVE only
             * receives. The kernel makes this flag; no message can carry it. */
            deaths(s, &w, m.identifier, name);
            m = (struct a9n_message){0};
            a9n_ipc_port_reply_receive(port, &m);
            continue;
        }
        unsigned length = (unsigned)(m.info & A9N_IPC_LENGTH_MASK);
        unsigned caps = (unsigned)((m.info >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK);
        /* The request's words beyond the registers are never needed: every request fits in
         * three words, and longer ones are read only that far. */
        struct ulmm_reply r;
        ulmm_dispatch(s, m.identifier, m.word, length < 5 ? length : 5, caps, &r);
        for (unsigned i = 0; i < caps; i++)
            a9n_node_remove(ulmm_space.node, s->scratch + i);
        /* Exactly r.length words travel (the kernel copies no more), so nothing else of
         * `m` needs clearing. */
        m.info = a9n_ipc_info(r.length, r.transfer ? 1 : 0);
        /* The register words are copied whole, without a loop: the kernel sends only
         * r.length of them, and the ones past it are never read (and never the client's). */
        for (unsigned i = 0; i < 5; i++)
            m.word[i] = r.word[i];
        for (unsigned i = 5; i < r.length; i++)
            buffer->message[A9N_IPC_MESSAGE_FIRST + i] = r.word[i];
        if (r.transfer)
            buffer->transfer_source[0] = ulmm_slot(r.transfer_slot);
        a9n_ipc_port_reply_receive(port, &m);
    }
}
