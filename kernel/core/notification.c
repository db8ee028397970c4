/* Notification Ports: a word of bits, waiters, and the binding to one process. */
#include <core/notification.h>

#include <a9n/notification.h>
#include <core/interrupt.h>
#include <core/ipc.h>
#include <core/run.h>
#include <hal/hal_user.h>

/* The words of a RECEIVE that ends with a notification: its info says length 0, so the
 * message registers after it are zero (a9n/ipc.h: a message delivers exactly its length). */
static void clear_words(a9n_word *mr)
{
    for (unsigned i = A9N_IPC_MESSAGE_FIRST; i < A9N_MR_REGISTER_COUNT; i++)
        mr[i] = 0;
}

static void deliver(struct process *p, a9n_word word, a9n_word info)
{
    a9n_word *mr = hal_context_mrs(&p->context);
    mr[A9N_MR_SUCCESS] = 1;
    mr[A9N_MR_ERROR] = A9N_SUCCESS;
    mr[2] = word;
    mr[3] = info;
    if (info == A9N_IPC_NOTIFICATION)
        clear_words(mr);
}

void notification_signal(struct notification_port *n, a9n_word bits)
{
    n->word |= bits;
    struct process *w = n->waiters.head;
    if (w != NULL) {
        process_unblock(w);
        w->ipc_state = IPC_NONE;
        deliver(w, n->word, 0);
        n->word = 0;
        run_make_ready(w);
        return;
    }
    struct process *b = n->bound;
    if (b != NULL && b->ipc_state == IPC_RECEIVING) {
        /* The bound process waits for a message: its RECEIVE ends with the notification. */
        process_unblock(b);
        b->ipc_state = IPC_NONE;
        deliver(b, n->word, A9N_IPC_NOTIFICATION);
        n->word = 0;
        run_make_ready(b);
    }
}

bool notification_bind(struct notification_port *n, struct process *p)
{
    if (n->bound != NULL && n->bound != p)
        return false;
    notification_unbind(p);
    n->bound = p;
    p->bound = n;
    return true;
}

void notification_unbind(struct process *p)
{
    if (p->bound != NULL) {
        p->bound->bound = NULL;
        p->bound = NULL;
    }
}

void notification_cap_deleted(struct cap_slot *s)
{
    struct notification_port *n = hal_phys_to_virt(s->cap.object);
    /* A Process's binding is made from its notification slot and lives exactly as long as
     * that slot holds the capability (revoked, its Process destroyed, CONFIGURE replacing
     * it): otherwise a revoked holder would keep receiving. */
    if (n->bound != NULL && &n->bound->slots[PROCESS_SLOT_NOTIFICATION] == s)
        notification_unbind(n->bound);
    interrupt_forget_source(s);
}

void notification_cap_moved(struct cap_slot *from, struct cap_slot *to)
{
    interrupt_move_source(from, to);
}

bool notification_take_bound(struct process *p, struct cap_message *msg)
{
    struct notification_port *n = p->bound;
    if (n == NULL || n->word == 0)
        return false;
    msg->mr[2] = n->word;
    msg->mr[3] = A9N_IPC_NOTIFICATION;
    clear_words(msg->mr);
    n->word = 0;
    return true;
}

a9n_error notification_port_invoke(struct process *caller, struct cap_slot *slot,
                                   struct cap_message *msg)
{
    struct notification_port *n = hal_phys_to_virt(slot->cap.object);
    a9n_word identifier = cap_identifier(&slot->cap);
    switch (msg->mr[A9N_MR_OPERATION]) {
    case A9N_NOTIFICATION_PORT_NOTIFY:
        if (!cap_has_rights(&slot->cap, A9N_RIGHT_WRITE))
            return A9N_ERROR_PERMISSION_DENIED;
        notification_signal(n, identifier != 0 ? identifier : 1);
        return A9N_SUCCESS;
    case A9N_NOTIFICATION_PORT_WAIT:
        if (!cap_has_rights(&slot->cap, A9N_RIGHT_READ))
            return A9N_ERROR_PERMISSION_DENIED;
        if (n->word != 0) {
            msg->mr[2] = n->word;
            n->word = 0;
        } else {
            caller->ipc_state = IPC_WAITING;
            process_block(caller, &n->waiters);
        }
        return A9N_SUCCESS;
    case A9N_NOTIFICATION_PORT_POLL:
        if (!cap_has_rights(&slot->cap, A9N_RIGHT_READ))
            return A9N_ERROR_PERMISSION_DENIED;
        msg->mr[2] = n->word;
        n->word = 0;
        return A9N_SUCCESS;
    case A9N_NOTIFICATION_PORT_IDENTIFY:
        msg->mr[A9N_MR_RESULT0] = identifier;
        return A9N_SUCCESS;
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
}
