/* The Debug capability (see debug.h). */
#include <core/debug.h>

#include <core/captree.h>
#include <core/descriptor.h>
#include <core/interrupt.h>
#include <core/process.h>
#include <core/vspace.h>
#include <hal/hal.h>
#include <hal/hal_user.h>

enum { REGISTER_BYTES = (A9N_MR_REGISTER_COUNT - 3) * sizeof(a9n_word) };

_Static_assert(sizeof(struct a9n_introspect_record) ==
                   A9N_INTROSPECT_RECORD_WORDS * sizeof(a9n_word),
               "an introspection record is six words");

/*
 * The walk in progress, in pre-order: the slot the next call starts from (NULL: the end),
 * whether that slot is still to be reported or its whole subtree is done (`climbing`), its
 * depth, and the cursor that names the walk. Slots leave the tree through captree_unlink
 * (childless ones) and captree_replace, which tell debug_slot_leaving, so `resume` never
 * points at a slot that is no longer in the tree. A walk is not a snapshot: a subtree
 * lifted while it runs (a deletion, slot.c) may be reported one level too deep, never
 * less deep than it is.
 */
static struct cap_slot *resume;
static bool resume_climbing;
static uint32_t resume_depth;
static a9n_word resume_cursor; /* 0: no walk in progress */
static a9n_word cursor_counter;

/* Pre-order steps one call takes at most: each record, and each level climbed back up. */
#define INTROSPECT_STEPS (4 * A9N_INTROSPECT_PER_CALL)
/* Slots of the range a call leaves out that it passes at most (a comparison and a move each,
 * some 15 instructions: with the records and climbs a call stays within ~15,000). */
#define INTROSPECT_SKIPS 512u

void debug_slot_leaving(struct cap_slot *s, struct cap_slot *replacement)
{
    if (resume_cursor == 0 || resume != s)
        return;
    if (replacement != NULL) {
        resume = replacement;
        return;
    }
    /* `s` is childless: reported or not, the walk goes on after it. */
    if (!captree_is_last(s)) {
        resume = s->next;
        resume_climbing = false;
    } else {
        resume = captree_end_parent(s);
        resume_climbing = true;
        resume_depth--;
    }
}

/* What `p` is doing, for inspection (a9n/debug.h). */
static unsigned debug_process_state(const struct process *p)
{
    if (p->state == PROCESS_INACTIVE)
        return A9N_INTROSPECT_PROCESS_INACTIVE;
    if (p->state == PROCESS_READY)
        return A9N_INTROSPECT_PROCESS_READY;
    if (p->faulting)
        return A9N_INTROSPECT_PROCESS_FAULTED;
    switch (p->ipc_state) {
    case IPC_SENDING:
        return A9N_INTROSPECT_PROCESS_SENDING;
    case IPC_CALLING:
        return A9N_INTROSPECT_PROCESS_CALLING;
    case IPC_RECEIVING:
        return A9N_INTROSPECT_PROCESS_RECEIVING;
    case IPC_AWAITING_REPLY:
        return A9N_INTROSPECT_PROCESS_REPLY_WAIT;
    default:
        return A9N_INTROSPECT_PROCESS_WAITING;
    }
}

static struct a9n_introspect_record record_of(struct cap_slot *s, uint32_t depth)
{
    struct a9n_introspect_record r = {
        .slot = hal_virt_to_phys(s),
        .kind = s->cap.type | ((a9n_word)s->cap.rights << 8) | ((a9n_word)depth << 16),
        .object = s->cap.object,
        .data = {s->cap.data[0], s->cap.data[1], 0},
    };
    switch (s->cap.type) {
    case A9N_OBJECT_INTERRUPT_PORT:
        /* An Interrupt Port's binding is kernel state, not capability data: report it. */
        r.data[0] = interrupt_bound_notification((unsigned)s->cap.object);
        break;
    case A9N_OBJECT_PROCESS: {
        /* A Process's configuration that lives outside its slots. */
        struct process *p = hal_phys_to_virt(s->cap.object);
        r.data[0] = hal_context_get(&p->context, A9N_REGISTER_IP);
        r.data[1] = hal_context_get(&p->context, A9N_REGISTER_SP);
        r.data[2] = p->sched.priority | (a9n_word)debug_process_state(p) << 8;
        break;
    }
    case A9N_OBJECT_FRAME:
    case A9N_OBJECT_PAGE_TABLE:
        r.data[2] = vspace_mapping_report(&s->cap);
        break;
    default:
        break;
    }
    return r;
}

/*
 * The slots a call leaves out (a9n/operation.h): MR3 a Node, MR4 its first slot, MR5 how
 * many (0: none, and MR3 and MR4 are not looked at). As kernel addresses [*lo, *lo + *size).
 */
static a9n_error skip_range(struct process *caller, const struct cap_message *msg, uintptr_t *lo,
                            uintptr_t *size)
{
    a9n_word first = msg->mr[4], count = msg->mr[5];
    *lo = *size = 0;
    if (count == 0)
        return A9N_SUCCESS;
    struct cap_slot *node;
    a9n_error e = descriptor_lookup_typed(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[3],
                                          A9N_OBJECT_NODE, 0, &node);
    if (e != A9N_SUCCESS)
        return e;
    a9n_word slots = (a9n_word)1 << cap_node_radix(&node->cap);
    if (first >= slots || count > slots - first)
        return A9N_ERROR_INVALID_ARGUMENT;
    *lo = (uintptr_t)&cap_node_slots(&node->cap)[first];
    *size = (uintptr_t)count * sizeof(struct cap_slot);
    return A9N_SUCCESS;
}

static a9n_error introspect(struct process *caller, struct cap_slot *debug, struct cap_message *msg)
{
    if (!cap_has_rights(&debug->cap, A9N_RIGHT_READ))
        return A9N_ERROR_PERMISSION_DENIED;
    if (msg->ipc_buffer == NULL)
        return A9N_ERROR_INVALID_ARGUMENT; /* the records go there */
    a9n_word cursor = msg->mr[2];
    if (cursor != 0 && cursor != resume_cursor)
        return A9N_ERROR_INVALID_ARGUMENT; /* not the walk in progress */
    uintptr_t skip_lo, skip_size;
    a9n_error e = skip_range(caller, msg, &skip_lo, &skip_size);
    if (e != A9N_SUCCESS)
        return e; /* nothing changed: a walk in progress goes on */
    /* A new walk starts at the first root, which captree keeps. No call takes more than
     * INTROSPECT_STEPS steps: a record, or a level climbed after the last slot of a
     * subtree (a call may end with no record, in a deep climb, and give a cursor). */
    struct cap_slot *s = resume;
    bool climbing = resume_climbing;
    uint32_t depth = resume_depth;
    if (cursor == 0) {
        s = captree_head();
        climbing = false;
        depth = 0;
    }
    struct a9n_introspect_record *out =
        (struct a9n_introspect_record *)&msg->ipc_buffer->message[A9N_MR_REGISTER_COUNT];
    a9n_word n = 0;
    unsigned steps = 0, skipped = 0;
    while (s != NULL && n < A9N_INTROSPECT_PER_CALL && steps < INTROSPECT_STEPS &&
           skipped < INTROSPECT_SKIPS) {
        if (!climbing) {
            /* A slot of the range left out is passed (its subtree is not: it may lie
             * elsewhere), for a comparison instead of a record. */
            if ((uintptr_t)s - skip_lo < skip_size) {
                skipped++;
            } else {
                out[n++] = record_of(s, depth);
                steps++;
            }
            if (s->child != NULL) {
                s = s->child;
                depth++;
                continue;
            }
            climbing = true;
        } else {
            steps++;
        }
        /* The subtree of `s` is done: its next sibling, or up to its parent. */
        if (!captree_is_last(s)) {
            s = s->next;
            climbing = false;
        } else {
            s = captree_end_parent(s);
            depth--;
        }
    }
    if (s != NULL) {
        if (++cursor_counter == 0)
            cursor_counter = 1;
        resume = s;
        resume_climbing = climbing;
        resume_depth = depth;
        resume_cursor = cursor_counter;
    } else {
        resume = NULL;
        resume_cursor = 0;
    }
    msg->mr[A9N_MR_RESULT0] = n;
    msg->mr[A9N_MR_RESULT0 + 1] = resume_cursor;
    return A9N_SUCCESS;
}

a9n_error debug_invoke(struct process *caller, struct cap_slot *debug, struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] == A9N_DEBUG_INTROSPECT)
        return introspect(caller, debug, msg);
    if (msg->mr[A9N_MR_OPERATION] != A9N_DEBUG_WRITE)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(&debug->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_word length = msg->mr[2];
    a9n_word max = REGISTER_BYTES;
    if (msg->ipc_buffer != NULL)
        max += (A9N_MR_COUNT - A9N_MR_REGISTER_COUNT) * sizeof(a9n_word);
    if (length > max)
        return A9N_ERROR_INVALID_ARGUMENT;
    a9n_word in_registers = length < REGISTER_BYTES ? length : REGISTER_BYTES;
    hal_console_write((const char *)&msg->mr[3], in_registers);
    if (length > in_registers)
        hal_console_write((const char *)&msg->ipc_buffer->message[A9N_MR_REGISTER_COUNT],
                          length - in_registers);
    return A9N_SUCCESS;
}
