/*
 * Process invocations: CONFIGURE, READ_REGISTER, WRITE_REGISTER, RESUME, SUSPEND (the ABI
 * is in a9n/process.h). Like every invocation, each is decoded completely first.
 */
#include <core/pcb.h>

#include <a9n/process.h>
#include <core/descriptor.h>
#include <core/notification.h>
#include <core/reaper.h>
#include <core/run.h>
#include <core/slot.h>
#include <core/vspace.h>
#include <hal/hal_user.h>

_Static_assert(A9N_REGISTER_COUNT == HAL_REG_COUNT, "ABI and HAL number registers alike");
_Static_assert(A9N_REGISTER_IP == HAL_REG_IP && A9N_REGISTER_RAX == HAL_REG_GP0,
               "ABI and HAL number registers alike");

/* One capability CONFIGURE installs: where it goes and what it must be. */
struct install {
    unsigned bit;
    unsigned slot;
    unsigned type;
    unsigned rights;
};

/* Each needs COPY (the Process gets a copy) and the rights for what the Process then does
 * with it. */
static const struct install installs[] = {
    /* Running in an Address Space reads and writes whatever is mapped in it: without this,
     * a COPY-only capability to someone's space would let a new Process of ours use theirs. */
    {A9N_PROCESS_CONFIGURE_ADDRESS_SPACE, PROCESS_SLOT_ADDRESS_SPACE, A9N_OBJECT_ADDRESS_SPACE,
     A9N_RIGHT_READ | A9N_RIGHT_WRITE},
    {A9N_PROCESS_CONFIGURE_ROOT_NODE, PROCESS_SLOT_ROOT_NODE, A9N_OBJECT_NODE, 0},
    {A9N_PROCESS_CONFIGURE_IPC_BUFFER, PROCESS_SLOT_IPC_BUFFER, A9N_OBJECT_FRAME,
     A9N_RIGHT_READ | A9N_RIGHT_WRITE},
    /* Bound, the Process receives the word: that is reading it. */
    {A9N_PROCESS_CONFIGURE_NOTIFICATION, PROCESS_SLOT_NOTIFICATION, A9N_OBJECT_NOTIFICATION_PORT,
     A9N_RIGHT_READ},
    {A9N_PROCESS_CONFIGURE_RESOLVER, PROCESS_SLOT_RESOLVER, A9N_OBJECT_IPC_PORT, A9N_RIGHT_WRITE},
    /* The kernel NOTIFYs it when the Process ends: that is writing to it. */
    {A9N_PROCESS_CONFIGURE_EXIT_NOTICE, PROCESS_SLOT_EXIT_NOTICE, A9N_OBJECT_NOTIFICATION_PORT,
     A9N_RIGHT_WRITE},
};

#define INSTALLS (sizeof installs / sizeof installs[0])

enum { CONFIGURE_ALL = (1u << 11) - 1, CONFIGURE_VALUES_MAX = 11 };

/* MR i of the call: registers, then the caller's IPC buffer. */
static bool message_word(const struct cap_message *msg, unsigned i, a9n_word *out)
{
    if (i < A9N_MR_REGISTER_COUNT) {
        *out = msg->mr[i];
        return true;
    }
    if (msg->ipc_buffer == NULL || i >= A9N_MR_COUNT)
        return false;
    *out = msg->ipc_buffer->message[i];
    return true;
}

struct configure_args {
    a9n_word mask;
    struct cap_slot *sources[INSTALLS];
    a9n_word ip, sp, tls, priority;
};

static a9n_error configure_decode(struct process *caller, struct process *target,
                                  const struct cap_message *msg, struct configure_args *a)
{
    a->mask = msg->mr[2];
    if ((a->mask & ~(a9n_word)CONFIGURE_ALL) != 0)
        return A9N_ERROR_INVALID_ARGUMENT;
    a9n_word values[CONFIGURE_VALUES_MAX];
    unsigned next = 3;
    for (unsigned bit = 0; bit < CONFIGURE_VALUES_MAX; bit++) {
        if (!(a->mask & (1u << bit)))
            continue;
        if (!message_word(msg, next++, &values[bit]))
            return A9N_ERROR_INVALID_ARGUMENT; /* MR9+ without an IPC buffer */
    }
    for (unsigned i = 0; i < sizeof installs / sizeof installs[0]; i++) {
        const struct install *in = &installs[i];
        a->sources[i] = NULL;
        if (!(a->mask & in->bit))
            continue;
        unsigned bit = (unsigned)__builtin_ctz(in->bit);
        struct cap_slot *s;
        a9n_error e = descriptor_lookup(&caller->slots[PROCESS_SLOT_ROOT_NODE], values[bit], &s);
        if (e != A9N_SUCCESS)
            return e;
        if (s->cap.type != in->type)
            return A9N_ERROR_WRONG_TYPE;
        if (!cap_has_rights(&s->cap, in->rights | A9N_RIGHT_COPY))
            return A9N_ERROR_PERMISSION_DENIED;
        if (in->type == A9N_OBJECT_FRAME && (s->cap.data[0] & 0xff) != A9N_FRAME_BITS)
            return A9N_ERROR_INVALID_ARGUMENT;
        if (in->slot == PROCESS_SLOT_NOTIFICATION) {
            struct notification_port *n = hal_phys_to_virt(s->cap.object);
            if (n->bound != NULL && n->bound != target)
                return A9N_ERROR_IN_USE; /* bound to another process */
        }
        a->sources[i] = s;
    }
    const a9n_word user_top = A9N_USER_TOP;
    a->ip = values[5];
    a->sp = values[6];
    a->tls = values[7];
    a->priority = values[8];
    if (((a->mask & A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER) && a->ip >= user_top) ||
        ((a->mask & A9N_PROCESS_CONFIGURE_STACK_POINTER) && a->sp >= user_top) ||
        ((a->mask & A9N_PROCESS_CONFIGURE_THREAD_LOCAL_BASE) && a->tls >= user_top))
        return A9N_ERROR_INVALID_ARGUMENT;
    if (a->mask & A9N_PROCESS_CONFIGURE_PRIORITY) {
        if (a->priority > A9N_PRIORITY_MAX)
            return A9N_ERROR_INVALID_ARGUMENT;
        if (a->priority > caller->sched.priority)
            return A9N_ERROR_PERMISSION_DENIED; /* no one raises a process above itself */
    }
    if ((a->mask & A9N_PROCESS_CONFIGURE_AFFINITY) && values[9] != 0)
        return A9N_ERROR_INVALID_ARGUMENT;
    return A9N_SUCCESS;
}

static void configure_invoke(struct process *p, const struct configure_args *a)
{
    for (unsigned i = 0; i < sizeof installs / sizeof installs[0]; i++) {
        struct cap_slot *src = a->sources[i];
        if (src == NULL)
            continue;
        struct cap_slot *dst = &p->slots[installs[i].slot];
        if (src == dst)
            continue;
        if (!slot_is_empty(dst))
            slot_delete(dst);
        slot_copy(src, dst, A9N_RIGHTS_ALL);
        if (installs[i].slot == PROCESS_SLOT_NOTIFICATION)
            notification_bind(hal_phys_to_virt(dst->cap.object), p); /* checked in decode */
    }
    if (a->mask & A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER)
        hal_context_set(&p->context, HAL_REG_IP, a->ip);
    if (a->mask & A9N_PROCESS_CONFIGURE_STACK_POINTER)
        hal_context_set(&p->context, HAL_REG_SP, a->sp);
    if (a->mask & A9N_PROCESS_CONFIGURE_THREAD_LOCAL_BASE) {
        hal_context_set(&p->context, HAL_REG_TLS_BASE, a->tls);
        hal_context_tls_changed(&p->context);
    }
    if (a->mask & A9N_PROCESS_CONFIGURE_PRIORITY)
        run_set_priority(p, (uint8_t)a->priority);
    /* A replaced capability may have been the last one to a Node: empty it now if no
     * interrupt is pending. If one is, the rest stays queued (unreachable) and the next
     * REMOVE, REVOKE or CONVERT finishes it, before any memory can be converted again. */
    (void)reaper_drain();
}

a9n_error process_invoke(struct process *caller, struct cap_slot *target, struct cap_message *msg)
{
    struct process *p = hal_phys_to_virt(target->cap.object);
    a9n_word op = msg->mr[A9N_MR_OPERATION];
    unsigned need = op == A9N_PROCESS_READ_REGISTER ? A9N_RIGHT_READ : A9N_RIGHT_MODIFY;
    if (op < A9N_PROCESS_CONFIGURE || op > A9N_PROCESS_SUSPEND)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(&target->cap, need))
        return A9N_ERROR_PERMISSION_DENIED;

    switch (op) {
    case A9N_PROCESS_CONFIGURE: {
        struct configure_args a;
        a9n_error e = configure_decode(caller, p, msg, &a);
        if (e != A9N_SUCCESS)
            return e;
        /* A replaced capability may be the last one to an Address Space: its tables are
         * emptied first, preemptibly (core/slot.h); the restart decodes again. */
        for (unsigned i = 0; i < sizeof installs / sizeof installs[0]; i++) {
            struct cap_slot *dst = &p->slots[installs[i].slot];
            if (a.sources[i] != NULL && a.sources[i] != dst &&
                (e = slot_empty_first(dst)) != A9N_SUCCESS)
                return e;
        }
        configure_invoke(p, &a);
        return A9N_SUCCESS;
    }
    case A9N_PROCESS_READ_REGISTER:
        if (msg->mr[2] >= A9N_REGISTER_COUNT)
            return A9N_ERROR_INVALID_ARGUMENT;
        msg->mr[A9N_MR_RESULT0] = hal_context_get(&p->context, (unsigned)msg->mr[2]);
        return A9N_SUCCESS;
    case A9N_PROCESS_WRITE_REGISTER:
        if (msg->mr[2] >= A9N_REGISTER_COUNT)
            return A9N_ERROR_INVALID_ARGUMENT;
        /* hal_context_set checks the value and changes nothing if it refuses it. */
        if (!hal_context_set(&p->context, (unsigned)msg->mr[2], msg->mr[3]))
            return A9N_ERROR_INVALID_ARGUMENT;
        if (msg->mr[2] == A9N_REGISTER_TLS_BASE)
            hal_context_tls_changed(&p->context);
        return A9N_SUCCESS;
    case A9N_PROCESS_RESUME:
        if (vspace_root(&p->slots[PROCESS_SLOT_ADDRESS_SPACE].cap) == NULL)
            return A9N_ERROR_ILLEGAL_OPERATION; /* nowhere to run */
        run_resume(p);
        p->ended = false; /* running again: its next end is news */
        return A9N_SUCCESS;
    default: /* A9N_PROCESS_SUSPEND */
        if (msg->mr[2] > A9N_PROCESS_SUSPEND_END)
            return A9N_ERROR_INVALID_ARGUMENT;
        run_suspend(p);
        if (msg->mr[2] == A9N_PROCESS_SUSPEND_END)
            process_end(p);
        /* A process that suspends itself gets no write-back of this call's results (it is
         * no longer running): it finds them in its registers when it is resumed. */
        if (p == caller)
            process_set_result(p, A9N_SUCCESS);
        return A9N_SUCCESS;
    }
}
