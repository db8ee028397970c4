/* Processes: the part the capability core owns (slots, stopping, wait queues). */
#include <core/process.h>

#include <core/ipc.h>
#include <core/notification.h>
#include <core/preempt.h>
#include <core/run.h>
#include <core/slot.h>
#include <hal/hal_user.h>
#include <string.h>

/* What process_init costs beyond any object's making (CONVERT charges 72): its register and
 * FPU state, about 700 bytes cleared and 512 copied, some 160 instructions. Charged at 72
 * only, the 29 Processes a CONVERT made between two preemption points took about 6,600
 * instructions, the longest stretch of the latency row that removes a Port with 4,096
 * waiters; now 9 are made between two. */
enum { PROCESS_INIT_COST = 168 };

void process_init(struct process *p)
{
    preempt_charge(PROCESS_INIT_COST);
    /* The memory came zeroed from CONVERT; say so explicitly for the fields that matter. */
    hal_context_init(&p->context);
    p->state = PROCESS_INACTIVE;
    p->ipc_state = IPC_NONE;
    p->blocked_on = NULL;
    p->queue_prev = p->queue_next = NULL;
    p->live_root = 0;
    p->live_epoch = 0; /* asid_epoch starts at 1: nothing is known yet */
}

void process_set_result(struct process *p, a9n_error error)
{
    hal_syscall_set_mr(&p->context, A9N_MR_SUCCESS, error == A9N_SUCCESS);
    hal_syscall_set_mr(&p->context, A9N_MR_ERROR, error);
}

struct a9n_ipc_buffer *process_ipc_buffer(struct process *p)
{
    const struct cap *c = &p->slots[PROCESS_SLOT_IPC_BUFFER].cap;
    if (c->type != A9N_OBJECT_FRAME)
        return NULL;
    return hal_phys_to_virt(c->object);
}

static void wait_queue_remove(struct wait_queue *q, struct process *p)
{
    if (p->queue_prev != NULL)
        p->queue_prev->queue_next = p->queue_next;
    else
        q->head = p->queue_next;
    if (p->queue_next != NULL)
        p->queue_next->queue_prev = p->queue_prev;
    else
        q->tail = p->queue_prev;
    p->queue_prev = p->queue_next = NULL;
}

void process_block(struct process *p, struct wait_queue *q)
{
    p->queue_next = NULL;
    p->queue_prev = q->tail;
    if (q->tail != NULL)
        q->tail->queue_next = p;
    else
        q->head = p;
    q->tail = p;
    p->blocked_on = q;
    p->state = PROCESS_BLOCKED;
}

void process_unblock(struct process *p)
{
    if (p->blocked_on != NULL)
        wait_queue_remove(p->blocked_on, p);
    p->blocked_on = NULL;
}

void process_wake(struct process *p, a9n_error error)
{
    ipc_abort(p, error);
}

void wait_queue_wake_all(struct wait_queue *q, a9n_error error)
{
    while (q->head != NULL)
        process_wake(q->head, error);
}

void process_end(struct process *p)
{
    /* Once per end: a process resumed after its end may end again; until then it is quiet. */
    if (p->ended)
        return;
    p->ended = true;
    const struct cap *notice = &p->slots[PROCESS_SLOT_EXIT_NOTICE].cap;
    if (notice->type != A9N_OBJECT_NOTIFICATION_PORT)
        return;
    /* The port lives at least as long as this capability; signalling only moves processes
     * between queues, so this is safe wherever a process stops (even inside a destroy). */
    a9n_word identifier = cap_identifier(notice);
    notification_signal(hal_phys_to_virt(notice->object), identifier != 0 ? identifier : 1);
}

void process_destroy(struct process *p)
{
    ipc_process_destroyed(p);
    notification_unbind(p);
    run_forget(p);
    p->state = PROCESS_INACTIVE;
    /* Stopped and in no queue, so the notice cannot wake `p` itself. */
    process_end(p);
    /* Called from object_destroy when the last capability to `p` went. Deleting a slot
     * recurses no further: a Node that dies here is queued on the reaper, and none of these
     * slots can hold a Process. */
    for (unsigned i = 0; i < PROCESS_SLOT_COUNT; i++) {
        if (!slot_is_empty(&p->slots[i]))
            slot_delete(&p->slots[i]);
    }
}
