/*
 * IPC Ports. A port's wait queue holds either senders (SENDING, CALLING) or receivers
 * (RECEIVING), never both: whoever arrives second completes the rendezvous. A caller
 * whose message was taken waits outside any queue for its reply, linked both ways to the
 * server that owes it (reply_to / replier), so either side's end can be cleaned up.
 */
#include <core/ipc.h>

#include <a9n/fault.h>
#include <a9n/ipc.h>
#include <core/port.h>
#include <core/descriptor.h>
#include <core/notification.h>
#include <core/run.h>
#include <core/slot.h>
#include <core/vspace.h>
#include <kernel/sched.h>
#include <string.h>

/* Where a message goes: the current caller's registers through its cap_message (the system
 * call layer points it at the saved frame; tests at registers of their own); anyone else's
 * are in its saved context. */
struct sink {
    struct process *p;
    struct cap_message *msg;
};

static void sink_set(const struct sink *s, unsigned i, a9n_word v)
{
    if (s->msg != NULL)
        s->msg->mr[i] = v;
    else
        hal_syscall_set_mr(&s->p->context, i, v);
}

static a9n_word source_mr(struct process *p, unsigned i)
{
    return hal_syscall_mr(&p->context, i);
}

/* A capability that may travel in a message: it exists, it may be copied, and the sender
 * holds the COPY right. */
static a9n_error transferable(struct process *from, a9n_word descriptor, struct cap_slot **out)
{
    a9n_error e = descriptor_lookup(&from->slots[PROCESS_SLOT_ROOT_NODE], descriptor, out);
    if (e != A9N_SUCCESS)
        return e;
    unsigned type = (*out)->cap.type;
    if (type == A9N_OBJECT_GENERIC || type == A9N_OBJECT_PAGE_TABLE)
        return A9N_ERROR_ILLEGAL_OPERATION; /* one capability only, ever (node.c) */
    if (!cap_has_rights(&(*out)->cap, A9N_RIGHT_COPY))
        return A9N_ERROR_PERMISSION_DENIED;
    return A9N_SUCCESS;
}

/* Checks the capabilities a SEND, CALL or REPLY names (decode, before anything changes). */
static a9n_error check_transfer(struct process *from, a9n_word info, struct a9n_ipc_buffer *buffer)
{
    a9n_word count = (info >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK;
    if ((info & ~(A9N_IPC_LENGTH_MASK | (A9N_IPC_CAPS_MASK << A9N_IPC_CAPS_SHIFT))) != 0 ||
        (info & A9N_IPC_LENGTH_MASK) > A9N_IPC_LENGTH_MAX || count > A9N_TRANSFER_MAX)
        return A9N_ERROR_INVALID_ARGUMENT;
    if (count == 0)
        return A9N_SUCCESS;
    if (buffer == NULL)
        return A9N_ERROR_INVALID_ARGUMENT; /* the descriptors live in the IPC buffer */
    for (a9n_word i = 0; i < count; i++) {
        struct cap_slot *s;
        a9n_error e = transferable(from, buffer->transfer_source[i], &s);
        if (e != A9N_SUCCESS)
            return e;
    }
    return A9N_SUCCESS;
}

/*
 * Copies the capabilities `from` sends into the slots `to` named in its IPC buffer
 * (transfer_destination_node, from transfer_destination_index on). Each arrives with the
 * sender's rights, as a copy (a sibling in the derivation tree). The transfer stops at the
 * first capability that cannot go (the receiver named no Node, a slot is taken, the source
 * changed since the send); the count of those that arrived goes to the receiver.
 */
static a9n_word transfer_caps(struct process *from, struct process *to)
{
    if (from->faulting)
        return 0;
    a9n_word count = (source_mr(from, 3) >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK;
    struct a9n_ipc_buffer *src = process_ipc_buffer(from);
    struct a9n_ipc_buffer *dst = process_ipc_buffer(to);
    if (count == 0 || src == NULL || dst == NULL)
        return 0;
    struct cap_slot *node;
    if (descriptor_lookup(&to->slots[PROCESS_SLOT_ROOT_NODE], dst->transfer_destination_node,
                          &node) != A9N_SUCCESS ||
        node->cap.type != A9N_OBJECT_NODE || !cap_has_rights(&node->cap, A9N_RIGHT_WRITE))
        return 0;
    a9n_word first = dst->transfer_destination_index;
    a9n_word slots = 1ull << cap_node_radix(&node->cap);
    a9n_word moved = 0;
    for (; moved < count && moved < A9N_TRANSFER_MAX; moved++) {
        struct cap_slot *s;
        if (first >= slots || moved >= slots - first ||
            transferable(from, src->transfer_source[moved], &s) != A9N_SUCCESS)
            break;
        struct cap_slot *d = &cap_node_slots(&node->cap)[first + moved];
        if (!slot_is_empty(d))
            break;
        slot_copy(s, d, s->cap.rights);
    }
    return moved;
}

/* Copies the message `from` is sending (its registers and IPC buffer, or its fault
 * report) to `to`, with `identifier` in MR2. */
static void transfer(struct process *from, const struct sink *to, a9n_word identifier)
{
    sink_set(to, 2, identifier);
    if (from->faulting) {
        /* A fault report fills every message register (asserted below): nothing is left
         * over from anyone. */
        sink_set(to, 3, A9N_FAULT_LENGTH | A9N_IPC_FAULT);
        for (unsigned i = 0; i < A9N_FAULT_LENGTH; i++)
            sink_set(to, A9N_IPC_MESSAGE_FIRST + i, from->fault[i]);
        return;
    }
    a9n_word length = source_mr(from, 3) & A9N_IPC_LENGTH_MASK;
    if (length > A9N_IPC_LENGTH_MAX)
        length = A9N_IPC_LENGTH_MAX;
    /* Exactly `length` words travel: the sender's registers past them are its own business,
     * and the receiver's are zero, so it never sees what they held before either. */
    unsigned in_registers = A9N_MR_REGISTER_COUNT - A9N_IPC_MESSAGE_FIRST;
    for (unsigned i = 0; i < in_registers; i++)
        sink_set(to, A9N_IPC_MESSAGE_FIRST + i,
                 i < length ? source_mr(from, A9N_IPC_MESSAGE_FIRST + i) : 0);
    if (length > in_registers) {
        struct a9n_ipc_buffer *src = process_ipc_buffer(from);
        struct a9n_ipc_buffer *dst = process_ipc_buffer(to->p);
        if (src == NULL || dst == NULL) {
            length = in_registers; /* no buffer on one side: only the registers travel */
        } else {
            /* One string copy (memcpy is `rep movsq`) instead of a loop: a load, a store, an
             * increment, a compare and a jump per word before. */
            memcpy(&dst->message[A9N_MR_REGISTER_COUNT], &src->message[A9N_MR_REGISTER_COUNT],
                   (A9N_IPC_MESSAGE_FIRST + length - A9N_MR_REGISTER_COUNT) * sizeof(a9n_word));
        }
    }
    sink_set(to, 3, length | (transfer_caps(from, to->p) << A9N_IPC_CAPS_SHIFT));
}

static void set_success(const struct sink *s)
{
    sink_set(s, A9N_MR_SUCCESS, 1);
    sink_set(s, A9N_MR_ERROR, A9N_SUCCESS);
}

/* Links a caller whose message was taken to the server that owes it the reply. */
static void await_reply(struct process *caller, struct process *server)
{
    caller->ipc_state = IPC_AWAITING_REPLY;
    caller->state = PROCESS_BLOCKED;
    caller->replier = server;
    server->reply_to = caller;
}

static void drop_reply_right(struct process *server)
{
    if (server->reply_to != NULL) {
        /* The caller stays blocked: nobody can answer it any more (a9n/ipc.h). */
        server->reply_to->replier = NULL;
        server->reply_to = NULL;
    }
}

static void send(struct process *sender, struct ipc_port *port, a9n_word identifier, bool call)
{
    struct process *r = port->waiters.head;
    if (r != NULL && r->ipc_state == IPC_RECEIVING) {
        process_unblock(r);
        r->ipc_state = IPC_NONE;
        struct sink to = {r, NULL};
        transfer(sender, &to, identifier);
        set_success(&to);
        if (call)
            await_reply(sender, r);
        run_make_ready(r);
        return;
    }
    sender->ipc_state = call ? IPC_CALLING : IPC_SENDING;
    sender->ipc_identifier = identifier;
    process_block(sender, &port->waiters);
}

static void receive(struct process *receiver, struct ipc_port *port, struct cap_message *msg)
{
    drop_reply_right(receiver);
    struct process *s = port->waiters.head;
    if (s != NULL && s->ipc_state != IPC_RECEIVING) {
        process_unblock(s);
        struct sink to = {receiver, msg};
        transfer(s, &to, s->ipc_identifier);
        if (s->ipc_state == IPC_CALLING) {
            await_reply(s, receiver);
        } else {
            s->ipc_state = IPC_NONE;
            struct sink back = {s, NULL};
            set_success(&back);
            run_make_ready(s);
        }
        return;
    }
    if (notification_take_bound(receiver, msg))
        return;
    receiver->ipc_state = IPC_RECEIVING;
    process_block(receiver, &port->waiters);
}

static void reply(struct process *server)
{
    struct process *c = server->reply_to;
    server->reply_to = NULL;
    c->replier = NULL;
    c->ipc_state = IPC_NONE;
    if (c->faulting) {
        /* A fault reply resumes the process as it was: its registers are its own. */
        c->faulting = false;
    } else {
        struct sink to = {c, NULL};
        transfer(server, &to, 0);
        set_success(&to);
    }
    run_make_ready(c);
}

a9n_error ipc_port_invoke(struct process *caller, struct cap_slot *slot, struct cap_message *msg)
{
    struct ipc_port *port = hal_phys_to_virt(slot->cap.object);
    a9n_word op = msg->mr[A9N_MR_OPERATION];
    switch (op) {
    case A9N_IPC_PORT_SEND:
    case A9N_IPC_PORT_CALL: {
        if (!cap_has_rights(&slot->cap, A9N_RIGHT_WRITE))
            return A9N_ERROR_PERMISSION_DENIED;
        a9n_error e = check_transfer(caller, msg->mr[3], msg->ipc_buffer);
        if (e != A9N_SUCCESS)
            return e;
        send(caller, port, cap_identifier(&slot->cap), op == A9N_IPC_PORT_CALL);
        return A9N_SUCCESS;
    }
    case A9N_IPC_PORT_RECEIVE:
        if (!cap_has_rights(&slot->cap, A9N_RIGHT_READ))
            return A9N_ERROR_PERMISSION_DENIED;
        receive(caller, port, msg);
        return A9N_SUCCESS;
    case A9N_IPC_PORT_REPLY: {
        if (caller->reply_to == NULL)
            return A9N_ERROR_ILLEGAL_OPERATION; /* no call to answer */
        a9n_error e = check_transfer(caller, msg->mr[3], msg->ipc_buffer);
        if (e != A9N_SUCCESS)
            return e;
        reply(caller);
        return A9N_SUCCESS;
    }
    case A9N_IPC_PORT_REPLY_RECEIVE: {
        if (!cap_has_rights(&slot->cap, A9N_RIGHT_READ))
            return A9N_ERROR_PERMISSION_DENIED;
        a9n_error e = check_transfer(caller, msg->mr[3], msg->ipc_buffer);
        if (e != A9N_SUCCESS && caller->reply_to != NULL)
            return e;
        if (caller->reply_to != NULL)
            reply(caller);
        receive(caller, port, msg);
        return A9N_SUCCESS;
    }
    case A9N_IPC_PORT_IDENTIFY:
        msg->mr[A9N_MR_RESULT0] = cap_identifier(&slot->cap);
        return A9N_SUCCESS;
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
}

bool ipc_send_fault(struct process *p, const struct hal_fault *fault, a9n_word ip)
{
    struct cap_slot *resolver = &p->slots[PROCESS_SLOT_RESOLVER];
    if (resolver->cap.type != A9N_OBJECT_IPC_PORT)
        return false;
    p->faulting = true;
    p->fault[0] = fault->kind;
    p->fault[1] = fault->address;
    p->fault[2] = fault->flags;
    p->fault[3] = ip;
    p->fault[4] = ((a9n_word)fault->vector << 32) | (fault->code & 0xffffffff);
    send(p, hal_phys_to_virt(resolver->cap.object), cap_identifier(&resolver->cap), true);
    return true;
}

bool ipc_cancel(struct process *p)
{
    if (p->blocked_on != NULL)
        process_unblock(p);
    if (p->ipc_state == IPC_AWAITING_REPLY && p->replier != NULL) {
        p->replier->reply_to = NULL;
        p->replier = NULL;
    }
    bool was_call = !p->faulting;
    p->ipc_state = IPC_NONE;
    p->faulting = false;
    return was_call;
}

void ipc_abort(struct process *p, a9n_error error)
{
    if (ipc_cancel(p)) {
        process_set_result(p, error);
        run_make_ready(p);
    } else {
        /* A fault nobody will resolve: the process cannot go on, so it stops: its end. */
        p->state = PROCESS_INACTIVE;
        process_end(p);
    }
}

void ipc_process_destroyed(struct process *p)
{
    ipc_cancel(p);
    if (p->reply_to != NULL)
        ipc_abort(p->reply_to, A9N_ERROR_DESTROYED);
}

_Static_assert(A9N_FAULT_LENGTH == A9N_MR_REGISTER_COUNT - A9N_IPC_MESSAGE_FIRST,
               "a fault report fills every message register, so none keeps an old value");
_Static_assert(A9N_FAULT_PAGE == HAL_FAULT_PAGE &&
                   A9N_FAULT_GENERAL_PROTECTION == HAL_FAULT_GENERAL &&
                   A9N_FAULT_INVALID_OPCODE == HAL_FAULT_INVALID_OPCODE &&
                   A9N_FAULT_DIVIDE == HAL_FAULT_DIVIDE && A9N_FAULT_DEBUG == HAL_FAULT_DEBUG &&
                   A9N_FAULT_FLOATING_POINT == HAL_FAULT_FPU &&
                   A9N_FAULT_ALIGNMENT == HAL_FAULT_ALIGNMENT && A9N_FAULT_OTHER == HAL_FAULT_OTHER,
               "fault kinds: the HAL reports them with the ABI's numbers");
_Static_assert(A9N_FAULT_WRITE == HAL_FAULT_WRITE && A9N_FAULT_EXECUTE == HAL_FAULT_EXEC &&
                   A9N_FAULT_PRESENT == HAL_FAULT_PRESENT,
               "fault flags: the HAL reports them with the ABI's bits");

/* ---- the fast path ---- */

/*
 * Fast-path invariants (each is checked here or by ipc_fastpath_candidate; when one fails
 * the call goes to the full path with nothing changed, and a test in apps/systest
 * (test_fastpath.c) shows that case taking the full path and giving its full result):
 *  1. The operation is CALL or REPLY_RECEIVE and MR3 holds a length and at most one
 *     capability, no flags (ipc_fastpath_candidate). Words past the registers need both
 *     IPC buffers (the full path cuts the message when one is missing); a capability needs
 *     the sender's buffer naming a transferable one, and the receiver's buffer naming a Node
 *     it may WRITE with an empty slot in range (the full path handles every partial or
 *     refused transfer and its errors). All of this is checked before anything changes.
 *  2. MR0 names a non-empty slot of the caller's root Node directly (depth = its radix);
 *     any other descriptor takes the general walk on the full path.
 *  3. That slot holds an IPC Port with WRITE (CALL) or READ (REPLY_RECEIVE).
 *  4. CALL: the port's first waiter is a receiver. REPLY_RECEIVE: a caller waits for our
 *     reply and is not a faulting process (a fault reply restores its registers), the
 *     port has no waiting sender, and no bound notification has bits to deliver.
 *  5. The partner may run at once: no ready process has a higher priority (so the
 *     scheduler would pick it anyway), and its Address Space is live, as the record the
 *     scheduler keeps says without a look at the ASID table (run_process_root_recorded:
 *     after any ASID release, the first switch to each process goes the full way).
 * Then the partner is unlinked, the message copied (`length` words, the register words past
 * them zero), the capability copied (slot_copy, as the full path), the reply link set, and
 * the kernel switches straight to it.
 */

/* The register words of a message: the first `k` of MR4..MR8 from `f`, the rest zero
 * (nothing of the sender beyond its message). `k` is a constant wherever it is used. The
 * zeros go first and the last store is of word k - 1: no two lengths end alike, so the
 * compiler keeps each case straight instead of jumping into a shared tail (3 jumps for one
 * word). */
static inline __attribute__((always_inline)) void fast_words(a9n_word *t, const a9n_word *f,
                                                             unsigned k)
{
    for (unsigned i = A9N_MR_REGISTER_COUNT - A9N_IPC_MESSAGE_FIRST; i > k; i--)
        t[i - 1] = 0;
    for (unsigned i = 0; i < k; i++)
        t[i] = f[i];
}

/* Copies the register part of a message (its `length` words of MR4..MR8, the other register
 * words zero) and reports success. One jump on the length and straight stores: no loop and
 * no test per word (the fast path's cost). `registers`: a register-only message, whose
 * length is at most 5 (the entry code's filter, invariant 1): the jump goes on its low three
 * bits, and the switch covers all eight values (6 and 7, which do not come, would copy all
 * five), so the table needs no bound check and stays in bounds whatever the length. */
static inline __attribute__((always_inline)) void fast_transfer(a9n_word *to, const a9n_word *from,
                                                                a9n_word length,
                                                                a9n_word identifier, bool registers)
{
    a9n_word *t = to + A9N_IPC_MESSAGE_FIRST;
    const a9n_word *f = from + A9N_IPC_MESSAGE_FIRST;
    to[A9N_MR_SUCCESS] = 1;
    to[A9N_MR_ERROR] = A9N_SUCCESS;
    to[2] = identifier;
    if (registers) {
        switch (length & 7) {
        case 0:
            fast_words(t, f, 0);
            break;
        case 1:
            fast_words(t, f, 1);
            break;
        case 2:
            fast_words(t, f, 2);
            break;
        case 3:
            fast_words(t, f, 3);
            break;
        case 4:
            fast_words(t, f, 4);
            break;
        case 5:
        case 6:
        case 7:
            fast_words(t, f, 5);
            break;
        default:
            __builtin_unreachable(); /* all eight values are cases */
        }
        return;
    }
    switch (length) {
    case 0:
        fast_words(t, f, 0);
        break;
    case 1:
        fast_words(t, f, 1);
        break;
    case 2:
        fast_words(t, f, 2);
        break;
    case 3:
        fast_words(t, f, 3);
        break;
    case 4:
        fast_words(t, f, 4);
        break;
    default:
        fast_words(t, f, 5);
        break;
    }
}

/* What a message needs beyond its register words (invariant 1), found before anything
 * changes: the two IPC buffers when words go past the registers, and the source and
 * destination slots of a capability. False: the full path handles it. Out of line: the
 * register-only round trip never comes here. */
struct fast_extras {
    struct a9n_ipc_buffer *src, *dst; /* both set when words go through the buffers */
    struct cap_slot *from, *to;       /* set when a capability moves */
};

static __attribute__((noinline)) bool fast_extras_find(struct process *sender,
                                                       struct process *receiver, a9n_word info,
                                                       struct fast_extras *x)
{
    a9n_word length = info & A9N_IPC_LENGTH_MASK;
    bool cap = (info >> A9N_IPC_CAPS_SHIFT) != 0; /* at most one: ipc_fastpath_candidate */
    unsigned in_registers = A9N_MR_REGISTER_COUNT - A9N_IPC_MESSAGE_FIRST;
    if (length > A9N_IPC_LENGTH_MAX)
        return false; /* the full path refuses it */
    struct a9n_ipc_buffer *src = process_ipc_buffer(sender);
    struct a9n_ipc_buffer *dst = process_ipc_buffer(receiver);
    if (src == NULL || dst == NULL)
        return false;
    if (length > in_registers) {
        x->src = src;
        x->dst = dst;
    }
    if (!cap)
        return true;
    struct cap_slot *from, *node;
    if (transferable(sender, src->transfer_source[0], &from) != A9N_SUCCESS ||
        descriptor_lookup(&receiver->slots[PROCESS_SLOT_ROOT_NODE], dst->transfer_destination_node,
                          &node) != A9N_SUCCESS ||
        node->cap.type != A9N_OBJECT_NODE || !cap_has_rights(&node->cap, A9N_RIGHT_WRITE))
        return false;
    a9n_word index = dst->transfer_destination_index;
    if (index >= 1ull << cap_node_radix(&node->cap))
        return false;
    struct cap_slot *to = &cap_node_slots(&node->cap)[index];
    if (!slot_is_empty(to))
        return false;
    x->from = from;
    x->to = to;
    return true;
}

/* Delivers the message of `mr` to `receiver`: registers, buffer words, capability, MR3. */
static inline __attribute__((always_inline)) void fast_deliver(struct process *receiver,
                                                               const a9n_word *mr,
                                                               a9n_word identifier,
                                                               const struct fast_extras *x)
{
    a9n_word *to = hal_context_mrs(&receiver->context);
    a9n_word info = mr[3];
    a9n_word length = info & A9N_IPC_LENGTH_MASK;
    fast_transfer(to, mr, length, identifier, x == NULL);
    if (x == NULL) {
        to[3] = info; /* register words only */
        return;
    }
    if (x->src != NULL)
        memcpy(&x->dst->message[A9N_MR_REGISTER_COUNT], &x->src->message[A9N_MR_REGISTER_COUNT],
               (A9N_IPC_MESSAGE_FIRST + length - A9N_MR_REGISTER_COUNT) * sizeof(a9n_word));
    if (x->from != NULL)
        slot_copy(x->from, x->to, x->from->cap.rights);
    to[3] = info; /* its length, and the capability that arrived if it carried one */
}

/* Invariant 5: nobody ready outranks `p`, and its Address Space is live (root in *root) by
 * the record the scheduler keeps (core/run.h: run_process_root_recorded). */
static inline __attribute__((always_inline)) bool may_run_now(struct process *p, paddr_t *root)
{
    return (int)p->sched.priority >= sched_highest_priority() && run_process_root_recorded(p, root);
}

/* The fast path's body, three times: for register-only messages (the round trip: no room
 * for buffer or capability work in its frame), once per operation (`op`, a constant), and
 * with `extras` for the rest, out of line (`op` 0: read from MR1). */
static inline __attribute__((always_inline)) struct process *
fastpath_body(struct process *p, paddr_t *root, bool extras, a9n_word op)
{
    a9n_word *mr = hal_context_mrs(&p->context);
    struct cap_slot *slot =
        descriptor_root_slot(&p->slots[PROCESS_SLOT_ROOT_NODE], mr[A9N_MR_DESCRIPTOR]);
    if (slot == NULL || slot->cap.type != A9N_OBJECT_IPC_PORT)
        return NULL; /* invariants 2, 3 */
    struct ipc_port *port = hal_phys_to_virt(slot->cap.object);
    struct process *head = port->waiters.head;
    struct fast_extras x = {NULL, NULL, NULL, NULL};

    if ((op != 0 ? op : mr[A9N_MR_OPERATION]) == A9N_IPC_PORT_CALL) {
        /* A server waits: hand it the message and run it in the caller's place. */
        if (!cap_has_rights(&slot->cap, A9N_RIGHT_WRITE) || head == NULL ||
            head->ipc_state != IPC_RECEIVING || !may_run_now(head, root) ||
            (extras && !fast_extras_find(p, head, mr[3], &x)))
            return NULL;
        /* The head leaves the queue: the inline pop of process_unblock (head has no
         * predecessor). */
        struct process *next = head->queue_next;
        port->waiters.head = next;
        if (next != NULL)
            next->queue_prev = NULL;
        else
            port->waiters.tail = NULL;
        head->queue_next = NULL;
        head->blocked_on = NULL;
        head->ipc_state = IPC_NONE;
        head->state = PROCESS_READY;
        fast_deliver(head, mr, cap_identifier(&slot->cap), extras ? &x : NULL);
        await_reply(p, head);
        return head;
    }
    /* REPLY_RECEIVE (invariant 1): answer the caller, then wait here: the caller runs in
     * the server's place. */
    struct process *c = p->reply_to;
    if (!cap_has_rights(&slot->cap, A9N_RIGHT_READ) || c == NULL || c->faulting ||
        (head != NULL && head->ipc_state != IPC_RECEIVING) ||
        (p->bound != NULL && p->bound->word != 0) || !may_run_now(c, root) ||
        (extras && !fast_extras_find(p, c, mr[3], &x)))
        return NULL;
    p->reply_to = NULL;
    c->replier = NULL;
    c->ipc_state = IPC_NONE;
    c->state = PROCESS_READY;
    fast_deliver(c, mr, 0, extras ? &x : NULL);
    p->ipc_state = IPC_RECEIVING;
    process_block(p, &port->waiters);
    return c;
}

struct process *ipc_fastpath_call(struct process *p, paddr_t *root)
{
    return fastpath_body(p, root, false, A9N_IPC_PORT_CALL);
}

struct process *ipc_fastpath_reply_receive(struct process *p, paddr_t *root)
{
    return fastpath_body(p, root, false, A9N_IPC_PORT_REPLY_RECEIVE);
}

struct process *ipc_fastpath_extras(struct process *p, paddr_t *root)
{
    return fastpath_body(p, root, true, 0);
}
