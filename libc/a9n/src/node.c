/* liba9n: Node operations: COPY, MOVE, MINT, DEMOTE, REMOVE, REVOKE (a9n/operation.h). */
#include <liba9n.h>

/* ---- Node ---- */

a9n_error a9n_node_copy(a9n_word node, a9n_word dest_index, a9n_word source)
{
    return a9n_call7(node, A9N_NODE_COPY, dest_index, source, 0, 0, 0, 0, 0);
}

a9n_error a9n_node_move(a9n_word node, a9n_word dest_index, a9n_word source)
{
    return a9n_call7(node, A9N_NODE_MOVE, dest_index, source, 0, 0, 0, 0, 0);
}

a9n_error a9n_node_mint(a9n_word node, a9n_word dest_index, a9n_word source, a9n_word rights,
                        a9n_word identifier)
{
    return a9n_call7(node, A9N_NODE_MINT, dest_index, source, rights, identifier, 0, 0, 0);
}

a9n_error a9n_node_demote(a9n_word node, a9n_word index, a9n_word rights)
{
    return a9n_call7(node, A9N_NODE_DEMOTE, index, rights, 0, 0, 0, 0, 0);
}

a9n_error a9n_node_remove(a9n_word node, a9n_word index)
{
    return a9n_call7(node, A9N_NODE_REMOVE, index, 0, 0, 0, 0, 0, 0);
}

a9n_error a9n_node_revoke(a9n_word node, a9n_word index)
{
    return a9n_call7(node, A9N_NODE_REVOKE, index, 0, 0, 0, 0, 0, 0);
}
