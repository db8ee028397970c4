#include <koito_handoff.h>
#include <liba9n.h>

a9n_word koito_handoff_tell(a9n_word port, a9n_word word, unsigned caps)
{
    struct a9n_message m = {.info = a9n_ipc_info(1, caps), .word = {word}};
    a9n_ipc_port_call(port, &m);
    return m.word[0];
}

bool koito_handoff_take(a9n_word port, struct a9n_ipc_buffer *buffer, a9n_word node, a9n_word dest,
                        a9n_word *word)
{
    buffer->transfer_destination_node = node;
    buffer->transfer_destination_index = dest;
    struct a9n_message m = {0};
    if (a9n_ipc_port_receive(port, &m) != A9N_SUCCESS)
        return false;
    *word = m.word[0];
    return true;
}

void koito_handoff_answer(a9n_word port, a9n_word word)
{
    struct a9n_message m = {.info = a9n_ipc_info(1, 0), .word = {word}};
    a9n_ipc_port_reply(port, &m);
}
