/*
 * Node operations. Each one is decoded completely (every check, in a fixed order) before
 * its invoke step changes anything. Rights follow one rule: a Node capability needs WRITE
 * to fill one of its slots and MODIFY to change or empty one, and a capability needs COPY
 * to be duplicated. So:
 *   COPY, MINT  WRITE on the invoked (destination) Node, COPY on the source capability;
 *   MOVE        WRITE on the invoked Node, MODIFY on the Node holding the source (moving
 *               empties that slot, as REMOVE would; without it a holder of a rights-0
 *               capability to someone's Node could take their capabilities away);
 *   DEMOTE, REMOVE, REVOKE  MODIFY on the invoked Node (and DEMOTE does not take READ or
 *               WRITE from a mapped Frame: its mapping would keep them).
 * Reaching a slot through a descriptor checks no rights (whoever reaches a capability may
 * invoke it); the Node "holding the source" is the last one the descriptor passes through.
 * Generics and Page Tables are never copied or minted (one capability each): ILLEGAL_OPERATION.
 */
#include <core/node.h>

#include <core/descriptor.h>
#include <core/preempt.h>
#include <core/reaper.h>
#include <core/slot.h>
#include <core/vspace.h>

/* The slot `index` of the invoked Node, or INDEX_OUT_OF_RANGE. */
static a9n_error node_index(struct cap_slot *node, a9n_word index, struct cap_slot **out)
{
    if ((index >> cap_node_radix(&node->cap)) != 0)
        return A9N_ERROR_INDEX_OUT_OF_RANGE;
    *out = &cap_node_slots(&node->cap)[index];
    return A9N_SUCCESS;
}

/* A rights argument: only known bits (INVALID_ARGUMENT), and no more than `have`
 * (PERMISSION_DENIED). */
static a9n_error node_check_rights(a9n_word rights, unsigned have)
{
    if ((rights & ~(a9n_word)A9N_RIGHTS_ALL) != 0)
        return A9N_ERROR_INVALID_ARGUMENT;
    if ((rights & ~(a9n_word)have) != 0)
        return A9N_ERROR_PERMISSION_DENIED;
    return A9N_SUCCESS;
}

/* Decoded arguments of one Node operation. */
struct node_args {
    struct cap_slot *target; /* dest (COPY/MOVE/MINT) or the slot acted on */
    struct cap_slot *source; /* COPY/MOVE/MINT */
    unsigned rights;
    uint64_t identifier;
};

/* COPY, MOVE and MINT: an empty destination in this Node, a full source anywhere (and, for
 * MOVE, MODIFY on the Node that holds it). */
static a9n_error node_decode_transfer(struct process *caller, struct cap_slot *node,
                                      const struct cap_message *msg, struct node_args *a, bool move)
{
    if (!cap_has_rights(&node->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_error e = node_index(node, msg->mr[2], &a->target);
    if (e != A9N_SUCCESS)
        return e;
    if (!slot_is_empty(a->target))
        return A9N_ERROR_SLOT_OCCUPIED;
    struct cap_slot *holder;
    e = descriptor_lookup_in(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[3], &a->source,
                             &holder);
    if (e != A9N_SUCCESS)
        return e;
    if (move && !cap_has_rights(&holder->cap, A9N_RIGHT_MODIFY))
        return A9N_ERROR_PERMISSION_DENIED;
    return A9N_SUCCESS;
}

static a9n_error node_decode_derive(const struct cap_message *msg, struct node_args *a, bool mint)
{
    const struct cap *src = &a->source->cap;
    /* A Generic's watermark and a Page Table's place in one Address Space must each have
     * exactly one capability. */
    if (src->type == A9N_OBJECT_GENERIC || src->type == A9N_OBJECT_PAGE_TABLE)
        return A9N_ERROR_ILLEGAL_OPERATION;
    /* A zombie (a preempted REMOVE, core/cap.h) stands for an object that is already gone. */
    if (src->type == CAP_ZOMBIE)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(src, A9N_RIGHT_COPY))
        return A9N_ERROR_PERMISSION_DENIED;
    if (!mint) {
        a->rights = src->rights;
        a->identifier = 0;
        return A9N_SUCCESS;
    }
    a9n_error e = node_check_rights(msg->mr[4], src->rights);
    if (e != A9N_SUCCESS)
        return e;
    a->rights = (unsigned)msg->mr[4];
    a->identifier = msg->mr[5];
    if (a->identifier != 0) {
        /* Only ports carry identifiers, and an identifier once set is permanent: changing
         * it would let the holder speak as someone else. */
        if (src->type != A9N_OBJECT_IPC_PORT && src->type != A9N_OBJECT_NOTIFICATION_PORT)
            return A9N_ERROR_INVALID_ARGUMENT;
        if (cap_identifier(src) != 0)
            return A9N_ERROR_PERMISSION_DENIED;
    }
    return A9N_SUCCESS;
}

/* DEMOTE, REMOVE, REVOKE: a full slot of this Node, and MODIFY on the Node. */
static a9n_error node_decode_modify(struct cap_slot *node, const struct cap_message *msg,
                                    struct node_args *a)
{
    if (!cap_has_rights(&node->cap, A9N_RIGHT_MODIFY))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_error e = node_index(node, msg->mr[2], &a->target);
    if (e != A9N_SUCCESS)
        return e;
    if (slot_is_empty(a->target))
        return A9N_ERROR_EMPTY_SLOT;
    return A9N_SUCCESS;
}

static a9n_error node_decode(struct process *caller, struct cap_slot *node,
                             const struct cap_message *msg, struct node_args *a)
{
    a9n_error e;
    switch (msg->mr[A9N_MR_OPERATION]) {
    case A9N_NODE_COPY:
    case A9N_NODE_MINT:
        e = node_decode_transfer(caller, node, msg, a, false);
        if (e != A9N_SUCCESS)
            return e;
        return node_decode_derive(msg, a, msg->mr[A9N_MR_OPERATION] == A9N_NODE_MINT);
    case A9N_NODE_MOVE:
        return node_decode_transfer(caller, node, msg, a, true);
    case A9N_NODE_DEMOTE:
        e = node_decode_modify(node, msg, a);
        if (e != A9N_SUCCESS)
            return e;
        e = node_check_rights(msg->mr[3], a->target->cap.rights);
        if (e != A9N_SUCCESS)
            return e;
        a->rights = (unsigned)msg->mr[3];
        /* A mapped Frame's page-table entry was made with its rights: taking READ or WRITE
         * away under it would leave the mapping wider than the capability. Unmap first. */
        if (a->target->cap.type == A9N_OBJECT_FRAME &&
            (a->target->cap.rights & ~a->rights & (A9N_RIGHT_READ | A9N_RIGHT_WRITE)) != 0 &&
            vspace_cap_is_mapped(&a->target->cap))
            return A9N_ERROR_ALREADY_MAPPED;
        return A9N_SUCCESS;
    case A9N_NODE_REMOVE:
    case A9N_NODE_REVOKE:
        return node_decode_modify(node, msg, a);
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
}

a9n_error node_invoke(struct process *caller, struct cap_slot *node, struct cap_message *msg)
{
    a9n_word op = msg->mr[A9N_MR_OPERATION];
    /* REMOVE and REVOKE first finish what an earlier preempted call left on the reaper:
     * their own restart, when the call cannot be decoded again (it destroyed the Node its
     * slot was in), or another's. So no call leaves dead Nodes behind when it completes. */
    if ((op == A9N_NODE_REMOVE || op == A9N_NODE_REVOKE) && !reaper_is_empty()) {
        a9n_error e = reaper_drain();
        if (e != A9N_SUCCESS)
            return e;
    }
    struct node_args a = {0};
    a9n_error e = node_decode(caller, node, msg, &a);
    if (e != A9N_SUCCESS)
        return e;

    switch (msg->mr[A9N_MR_OPERATION]) {
    case A9N_NODE_COPY:
        slot_copy(a.source, a.target, a.rights);
        break;
    case A9N_NODE_MOVE:
        slot_move(a.source, a.target);
        break;
    case A9N_NODE_MINT:
        slot_mint(a.source, a.target, a.rights, a.identifier);
        break;
    case A9N_NODE_DEMOTE:
        a.target->cap.rights = (uint8_t)a.rights;
        break;
    case A9N_NODE_REMOVE:
        return slot_remove(a.target); /* may be A9N_PREEMPTED: restarted (core/preempt.h) */
    case A9N_NODE_REVOKE:
        return slot_revoke(a.target);
    }
    return A9N_SUCCESS;
}
