/*
 * The steps of a deletion that used to be single and unbounded (issue 9, finding 7):
 *   - lifting the children of a deleted capability to its parent (REMOVE, and the reaper
 *     emptying a dead Node), now a child per step with the slot a zombie meanwhile;
 *   - waking the waiters of a Port whose last capability goes, now a waiter per step.
 * Each is run with an interrupt pending at every question (every unit of work) and at
 * random ones, on random trees and queues. At every preemption the invariants hold, every
 * live capability has exactly the ancestors it should have (those it had, less the deleted
 * one), and every waiter is either still queued, consistently, or ready with DESTROYED. On
 * the old code none of these calls was ever preempted, which the tests also check.
 */
#include "test_common.h"

#include "test_rng.h"

#include <core/ipc.h>
#include <core/preempt.h>
#include <hal/hal_user.h>
#include <kernel/sched.h>

enum {
    T_PORT = 10,  /* the IPC Port everything derives from */
    T_NODE = 11,  /* a radix-T_RADIX Node holding the derived capabilities */
    T_OTHER = 12, /* a second Node, for the reaper test */
    T_RADIX = 10,
    T_SLOTS = 1u << T_RADIX,
    T_WAITERS = 40, /* Processes blocked on one port */
    T_WAITER_SLOT = 20,
};

static struct cap_slot *node_slots(struct harness *h, unsigned index)
{
    return cap_node_slots(&slot_at(h, index)->cap);
}

/* The real (non-zombie) ancestors of `s`, nearest first, into `out`; their number. */
static unsigned real_ancestors(const struct cap_slot *s, const struct cap_slot **out, unsigned max)
{
    unsigned n = 0;
    for (const struct cap_slot *p = captree_parent(s); p != NULL; p = captree_parent(p)) {
        if (p->cap.type != CAP_ZOMBIE && n < max)
            out[n++] = p;
    }
    return n;
}

/* The expected ancestry of every slot of the Node, recorded before the deletion. */
struct ancestry {
    const struct cap_slot *of[T_SLOTS][64];
    unsigned n[T_SLOTS];
};

static void record(struct harness *h, struct ancestry *a, const struct cap_slot *victim)
{
    struct cap_slot *slots = node_slots(h, T_NODE);
    for (unsigned i = 0; i < T_SLOTS; i++) {
        a->n[i] = 0;
        if (slot_is_empty(&slots[i]) || &slots[i] == victim)
            continue;
        const struct cap_slot *all[64];
        unsigned n = real_ancestors(&slots[i], all, 64);
        for (unsigned k = 0; k < n; k++)
            if (all[k] != victim)
                a->of[i][a->n[i]++] = all[k];
    }
}

/* Every live slot of the Node has the ancestors it had, less the victim and those that
 * were deleted since or are being deleted (a REVOKE deletes some on the way, and makes
 * zombies of those whose children it lifts). */
static void expect_ancestry(struct harness *h, const struct ancestry *a,
                            const struct cap_slot *victim)
{
    struct cap_slot *slots = node_slots(h, T_NODE);
    for (unsigned i = 0; i < T_SLOTS; i++) {
        if (slot_is_empty(&slots[i]) || &slots[i] == victim)
            continue;
        const struct cap_slot *now[64];
        unsigned n = real_ancestors(&slots[i], now, 64), m = 0;
        for (unsigned k = 0; k < a->n[i]; k++) {
            if (slot_is_empty(a->of[i][k]) || a->of[i][k]->cap.type == CAP_ZOMBIE)
                continue;
            assert_true(m < n);
            assert_ptr_equal(now[m++], a->of[i][k]);
        }
        assert_int_equal(n, m);
    }
}

/* A random derivation tree of `count` port capabilities in the Node: each a MINT (child)
 * or COPY (sibling) of the port or of one made before, so fan-outs and chains both occur. */
static void random_tree(struct harness *h, unsigned count)
{
    struct cap_slot *slots = node_slots(h, T_NODE);
    for (unsigned i = 0; i < count; i++) {
        struct cap_slot *from = i == 0 ? slot_at(h, T_PORT) : &slots[pick(i)];
        /* Mostly deep or wide: the shape is chosen per run by the seed's low bits. */
        if ((rng & 1) && i > 0)
            from = &slots[i - 1 - pick(i < 4 ? i : 4)];
        if (pick(4) == 0)
            slot_copy(from, &slots[i], A9N_RIGHTS_ALL);
        else
            slot_mint(from, &slots[i], A9N_RIGHTS_ALL, 0);
    }
}

/* The slot of the Node with the most descendants: the worst one to delete. */
static struct cap_slot *most_descendants(struct harness *h, unsigned count)
{
    struct cap_slot *slots = node_slots(h, T_NODE), *best = &slots[0];
    unsigned best_n = 0;
    for (unsigned i = 0; i < count; i++) {
        unsigned n = 0;
        uint32_t d = 0;
        for (struct cap_slot *x = captree_walk_next(&slots[i], &d);
             x != NULL && d > 0 && d < 1u << 31; x = captree_walk_next(x, &d))
            n++;
        if (n > best_n) {
            best_n = n;
            best = &slots[i];
        }
    }
    return best;
}

static void remove_checking(struct harness *h, struct cap_slot *victim, const struct ancestry *a,
                            unsigned every, unsigned long *stops)
{
    unsigned index = (unsigned)(victim - node_slots(h, T_NODE));
    a9n_word node = harness_desc(h, T_NODE);
    a9n_word d = a9n_descriptor_append(node, index, T_RADIX);
    preempt_set_budget(1);
    fakearch_preempt_every = every;
    harness_step_work_begin();
    for (;;) {
        a9n_error e = harness_call(h, node, A9N_NODE_REMOVE, index, 0, 0, 0, 0);
        if (e != A9N_PREEMPTED) {
            assert_int_equal(e, A9N_SUCCESS);
            break;
        }
        ++*stops;
        fakearch_preempt_every = 0;
        harness_check_preempted(h);
        /* The deletion is final: the slot is an unusable zombie while it goes on. */
        assert_int_equal(victim->cap.type, CAP_ZOMBIE);
        assert_int_equal(harness_call(h, harness_desc(h, H_SELF), A9N_NODE_COPY, 30, d, 0, 0, 0),
                         A9N_ERROR_ILLEGAL_OPERATION);
        assert_int_equal(harness_call(h, d, A9N_IPC_PORT_SEND, 0, 0, 0, 0, 0),
                         A9N_ERROR_ILLEGAL_OPERATION);
        expect_ancestry(h, a, victim);
        fakearch_preempt_every = every;
    }
    /* Every step, whatever the subtree below the victim, rewrites a bounded number of
     * links (the old code moved a whole child's subtree in one step). */
    uint64_t work = harness_step_work_end();
    if (work > HARNESS_STEP_WORK_MAX)
        fail_msg("a REMOVE step rewrote %llu tree links (bound %u)", (unsigned long long)work,
                 HARNESS_STEP_WORK_MAX);
    fakearch_preempt_every = 0;
    preempt_set_budget(PREEMPT_BUDGET);
    assert_true(slot_is_empty(victim));
    expect_ancestry(h, a, victim);
    harness_check(h);
}

static void setup_tree(struct harness *h)
{
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, T_PORT), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, T_RADIX, 1, T_NODE), A9N_SUCCESS);
}

/* One capability with T_SLOTS - 1 children, each a leaf: the wide case. */
static void remove_of_a_capability_with_many_children_lifts_them_a_few_at_a_time(void **state)
{
    struct harness *h = *state;
    setup_tree(h);
    struct cap_slot *slots = node_slots(h, T_NODE);
    slot_mint(slot_at(h, T_PORT), &slots[0], A9N_RIGHTS_ALL, 0);
    for (unsigned i = 1; i < T_SLOTS; i++)
        slot_mint(&slots[0], &slots[i], A9N_RIGHTS_ALL, 0);
    static struct ancestry a;
    record(h, &a, &slots[0]);
    unsigned long stops = 0;
    remove_checking(h, &slots[0], &a, 1, &stops);
    /* One child per step: the old code lifted all of them at once, never preempted. */
    assert_true(stops >= T_SLOTS / 2);
    for (unsigned i = 1; i < T_SLOTS; i++)
        assert_ptr_equal(captree_parent(&slots[i]), slot_at(h, T_PORT));
}

/* The latency row's case, scaled down: the first child heads a subtree of T_SLOTS - 3
 * capabilities (a chain of CHAIN mints, then the rest below its end; the checks here follow
 * at most 64 ancestors). Lifting it moves all of them, in one O(1) step. */
#define CHAIN 48
static void remove_of_a_capability_whose_first_child_heads_a_big_subtree_is_bounded(void **state)
{
    struct harness *h = *state;
    setup_tree(h);
    struct cap_slot *slots = node_slots(h, T_NODE);
    slot_mint(slot_at(h, T_PORT), &slots[0], A9N_RIGHTS_ALL, 0);
    slot_mint(&slots[0], &slots[T_SLOTS - 1], A9N_RIGHTS_ALL, 0); /* a second child */
    slot_mint(&slots[0], &slots[1], A9N_RIGHTS_ALL, 0);           /* the first child */
    for (unsigned i = 2; i < T_SLOTS - 1; i++)
        slot_mint(&slots[i < CHAIN ? i - 1 : CHAIN - 1], &slots[i], A9N_RIGHTS_ALL, 0);
    static struct ancestry a;
    record(h, &a, &slots[0]);
    unsigned long stops = 0;
    remove_checking(h, &slots[0], &a, 1, &stops);
    assert_true(stops >= 1);
    assert_ptr_equal(captree_parent(&slots[1]), slot_at(h, T_PORT));
    assert_ptr_equal(captree_parent(&slots[T_SLOTS - 2]), &slots[CHAIN - 1]);
}

/* Random trees, interrupts at every question or at random ones. */
static void random_removes_preempted_anywhere_keep_every_ancestry(void **state)
{
    struct harness *h = *state;
    unsigned long total = 0;
    for (unsigned run = 0; run < 24; run++) {
        harness_setup(h, ROOT_RADIX, GENERIC_BITS);
        rng = 0x9e3779b97f4a7c15ull * (run + 1);
        setup_tree(h);
        unsigned count = 64 + pick(T_SLOTS - 64);
        random_tree(h, count);
        harness_check(h);
        /* Every other tree first has a REVOKE stopped after a few steps and not made
         * again: it leaves lifting zombies, and children lifted above them. */
        if (run % 2 == 1) {
            struct cap_slot *slots = node_slots(h, T_NODE);
            struct cap_slot *r = &slots[pick(8)];
            a9n_word index = (a9n_word)(r - slots);
            preempt_set_budget(1);
            fakearch_preempt_every = 1 + pick(4);
            for (unsigned k = 0; k < 3; k++)
                if (harness_call(h, harness_desc(h, T_NODE), A9N_NODE_REVOKE, index, 0, 0, 0, 0) !=
                    A9N_PREEMPTED)
                    break;
            fakearch_preempt_every = 0;
            preempt_set_budget(PREEMPT_BUDGET);
            harness_check_preempted(h);
        }
        /* A few deletions per tree, the biggest subtree first. */
        for (unsigned k = 0; k < 3; k++) {
            struct cap_slot *victim = most_descendants(h, count);
            if (slot_is_empty(victim) || !captree_has_children(victim))
                break;
            static struct ancestry a;
            record(h, &a, victim);
            unsigned long stops = 0;
            remove_checking(h, victim, &a, run % 3 == 0 ? 1 : 1 + pick(9), &stops);
            total += stops;
        }
    }
    print_message("%lu preemptions checked\n", total);
    assert_true(total > 200);
}

/* The reaper lifts the children of what a dead Node held, preemptibly too. */
static void the_reaper_lifts_children_preemptibly(void **state)
{
    struct harness *h = *state;
    setup_tree(h);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 4, 1, T_OTHER), A9N_SUCCESS);
    /* The dead Node's slot 0 is the parent of every slot of the big Node. */
    struct cap_slot *holder = &node_slots(h, T_OTHER)[0];
    struct cap_slot *slots = node_slots(h, T_NODE);
    slot_mint(slot_at(h, T_PORT), holder, A9N_RIGHTS_ALL, 0);
    for (unsigned i = 0; i < T_SLOTS; i++)
        slot_mint(holder, &slots[i], A9N_RIGHTS_ALL, 0);
    unsigned long stops = 0;
    preempt_set_budget(1);
    fakearch_preempt_every = 3;
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_SELF), A9N_NODE_REMOVE, T_OTHER,
                                             0, 0, 0, 0, &stops),
                     A9N_SUCCESS);
    fakearch_preempt_every = 0;
    preempt_set_budget(PREEMPT_BUDGET);
    assert_true(stops >= T_SLOTS / 4);
    for (unsigned i = 0; i < T_SLOTS; i++)
        assert_ptr_equal(captree_parent(&slots[i]), slot_at(h, T_PORT));
}

/* ---- REVOKE ---- */

static void revoke_checking(struct harness *h, struct cap_slot *victim, const struct ancestry *a,
                            unsigned every, unsigned long *stops)
{
    struct cap_slot *slots = node_slots(h, T_NODE);
    bool in_node = victim >= slots && victim < slots + T_SLOTS;
    a9n_word node = in_node ? harness_desc(h, T_NODE) : harness_desc(h, H_SELF);
    a9n_word index = in_node ? (a9n_word)(victim - slots) : (a9n_word)(victim - slot_at(h, 0));
    preempt_set_budget(1);
    fakearch_preempt_every = every;
    harness_step_work_begin();
    for (;;) {
        a9n_error e = harness_call(h, node, A9N_NODE_REVOKE, index, 0, 0, 0, 0);
        if (e != A9N_PREEMPTED) {
            assert_int_equal(e, A9N_SUCCESS);
            break;
        }
        ++*stops;
        fakearch_preempt_every = 0;
        harness_check_preempted(h);
        expect_ancestry(h, a, NULL);
        fakearch_preempt_every = every;
    }
    uint64_t work = harness_step_work_end();
    if (work > HARNESS_STEP_WORK_MAX)
        fail_msg("a REVOKE step rewrote %llu tree links (bound %u)", (unsigned long long)work,
                 HARNESS_STEP_WORK_MAX);
    fakearch_preempt_every = 0;
    preempt_set_budget(PREEMPT_BUDGET);
    assert_false(captree_has_children(victim));
    expect_ancestry(h, a, NULL);
    harness_check(h);
}

/* A chain of T_SLOTS mints: each restart goes on at the top of what is left, the first
 * child, instead of walking down to the deepest leaf again (an older kernel deleted the
 * chain from its bottom, and every restart walked its whole remaining depth first). Each
 * step lifts the head of the rest of the chain to be the port's first child (the one above
 * it waits as a zombie, now childless), then the childless ones go one per step. */
static void a_restarted_revoke_of_a_chain_goes_on_at_its_top(void **state)
{
    struct harness *h = *state;
    setup_tree(h);
    struct cap_slot *slots = node_slots(h, T_NODE), *port = slot_at(h, T_PORT);
    slot_mint(port, &slots[0], A9N_RIGHTS_ALL, 0);
    for (unsigned i = 1; i < T_SLOTS; i++)
        slot_mint(&slots[i - 1], &slots[i], A9N_RIGHTS_ALL, 0);
    preempt_set_budget(1);
    fakearch_preempt_every = 1;
    harness_step_work_begin();
    for (unsigned k = 1; k < T_SLOTS; k++) {
        assert_int_equal(h_revoke(h, T_PORT), A9N_PREEMPTED);
        fakearch_preempt_every = 0;
        harness_check_preempted(h);
        /* k lifted: slots[k] heads the rest of the chain right below the port. */
        assert_ptr_equal(port->child, &slots[k]);
        assert_ptr_equal(captree_parent(&slots[k - 1]), port);
        assert_int_equal(slots[k - 1].cap.type, CAP_ZOMBIE);
        assert_false(captree_has_children(&slots[k - 1]));
        if (k + 1 < T_SLOTS)
            assert_ptr_equal(captree_parent(&slots[k + 1]), &slots[k]);
        fakearch_preempt_every = 1;
    }
    /* Then one childless child per step, from the first. */
    for (unsigned k = 0; k + 1 < T_SLOTS; k++) {
        assert_int_equal(h_revoke(h, T_PORT), A9N_PREEMPTED);
        fakearch_preempt_every = 0;
        harness_check_preempted(h);
        fakearch_preempt_every = 1;
    }
    assert_int_equal(h_revoke(h, T_PORT), A9N_SUCCESS);
    assert_true(harness_step_work_end() <= HARNESS_STEP_WORK_MAX);
    fakearch_preempt_every = 0;
    preempt_set_budget(PREEMPT_BUDGET);
    assert_false(captree_has_children(port));
    for (unsigned i = 0; i < T_SLOTS; i++)
        assert_true(slot_is_empty(&slots[i]));
}

/* Random trees, random slots revoked, interrupts at every question or at random ones. */
static void random_revokes_preempted_anywhere_keep_every_ancestry(void **state)
{
    struct harness *h = *state;
    unsigned long total = 0;
    for (unsigned run = 0; run < 24; run++) {
        harness_setup(h, ROOT_RADIX, GENERIC_BITS);
        rng = 0x2545f4914f6cdd1dull * (run + 7);
        setup_tree(h);
        unsigned count = 64 + pick(T_SLOTS - 64);
        random_tree(h, count);
        harness_check(h);
        for (unsigned k = 0; k < 4; k++) {
            struct cap_slot *slots = node_slots(h, T_NODE);
            struct cap_slot *victim = &slots[pick(count)];
            if (k == 3)
                victim = slot_at(h, T_PORT); /* everything */
            if (slot_is_empty(victim))
                continue;
            static struct ancestry a;
            record(h, &a, NULL);
            unsigned long stops = 0;
            revoke_checking(h, victim, &a, run % 3 == 0 ? 1 : 1 + pick(9), &stops);
            total += stops;
        }
    }
    print_message("%lu preemptions checked\n", total);
    assert_true(total > 1000);
}

/* ---- waiters of a dying Port ---- */

static struct process *waiter[T_WAITERS];

/* T_WAITERS Processes, each blocked in the port's queue as a receiver (or, for a
 * Notification Port, a waiter). */
static void block_waiters(struct harness *h, unsigned type, unsigned count)
{
    struct wait_queue *q = port_waiters(type, slot_at(h, T_PORT)->cap.object);
    for (unsigned i = 0; i < count; i++) {
        assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_PROCESS, 0, 1, T_WAITER_SLOT + i),
                         A9N_SUCCESS);
        waiter[i] = hal_phys_to_virt(slot_at(h, T_WAITER_SLOT + i)->cap.object);
        waiter[i]->ipc_state = type == A9N_OBJECT_IPC_PORT ? IPC_RECEIVING : IPC_WAITING;
        process_block(waiter[i], q);
    }
}

/* Every waiter is queued (consistently, in its order) or ready with DESTROYED. */
static void expect_waiters(struct wait_queue *q, unsigned count, bool all_woken)
{
    unsigned queued = 0;
    struct process *prev = NULL;
    for (struct process *p = q->head; p != NULL; prev = p, p = p->queue_next) {
        assert_ptr_equal(p->queue_prev, prev);
        assert_ptr_equal(p->blocked_on, q);
        assert_int_equal(p->state, PROCESS_BLOCKED);
        queued++;
    }
    assert_ptr_equal(q->tail, prev);
    unsigned woken = 0;
    for (unsigned i = 0; i < count; i++) {
        if (waiter[i]->state == PROCESS_BLOCKED)
            continue;
        assert_int_equal(waiter[i]->state, PROCESS_READY);
        assert_null(waiter[i]->blocked_on);
        assert_true(waiter[i]->sched.queued);
        assert_int_equal(hal_syscall_mr(&waiter[i]->context, A9N_MR_ERROR), A9N_ERROR_DESTROYED);
        woken++;
    }
    assert_int_equal(queued + woken, count);
    if (all_woken)
        assert_int_equal(woken, count);
    /* Woken in queue order: the still queued ones are the last. */
    for (unsigned i = 1; i < count; i++)
        assert_false(waiter[i - 1]->state == PROCESS_BLOCKED &&
                     waiter[i]->state != PROCESS_BLOCKED);
}

static void remove_port_with_waiters(struct harness *h, unsigned type, unsigned every)
{
    assert_int_equal(h_convert(h, H_GENERIC, type, 0, 1, T_PORT), A9N_SUCCESS);
    unsigned count = T_WAITERS;
    block_waiters(h, type, count);
    paddr_t port = slot_at(h, T_PORT)->cap.object;
    struct wait_queue *q = port_waiters(type, port);
    unsigned long stops = 0;
    preempt_set_budget(1);
    fakearch_preempt_every = every;
    for (;;) {
        a9n_error e = h_remove(h, T_PORT);
        if (e != A9N_PREEMPTED) {
            assert_int_equal(e, A9N_SUCCESS);
            break;
        }
        stops++;
        fakearch_preempt_every = 0;
        harness_check_preempted(h);
        /* The Port is gone for everyone (a zombie holds its memory); its queue is sound. */
        assert_int_equal(slot_at(h, T_PORT)->cap.type, CAP_ZOMBIE);
        assert_int_equal(harness_call(h, harness_desc(h, T_PORT), A9N_IPC_PORT_SEND, 0, 0, 0, 0, 0),
                         A9N_ERROR_ILLEGAL_OPERATION);
        expect_waiters(q, count, false);
        fakearch_preempt_every = every;
    }
    fakearch_preempt_every = 0;
    preempt_set_budget(PREEMPT_BUDGET);
    assert_true(slot_is_empty(slot_at(h, T_PORT)));
    expect_waiters(q, count, true);
    /* The old code woke all of them in one step. */
    assert_true(stops >= count / every - 1);
    /* Each woken Process is in the ready queue exactly once. */
    unsigned ready = 0;
    for (struct sched_entry *e; (e = sched_peek()) != NULL; ready++)
        sched_dequeue(e);
    assert_int_equal(ready, count);
    for (unsigned i = 0; i < count; i++)
        assert_int_equal(h_remove(h, T_WAITER_SLOT + i), A9N_SUCCESS);
}

static void a_dying_ipc_port_wakes_its_waiters_preemptibly(void **state)
{
    for (unsigned every = 1; every <= 5; every += 2) {
        harness_setup(*state, ROOT_RADIX, GENERIC_BITS);
        remove_port_with_waiters(*state, A9N_OBJECT_IPC_PORT, every);
    }
}

static void a_dying_notification_port_wakes_its_waiters_preemptibly(void **state)
{
    for (unsigned every = 1; every <= 5; every += 2) {
        harness_setup(*state, ROOT_RADIX, GENERIC_BITS);
        remove_port_with_waiters(*state, A9N_OBJECT_NOTIFICATION_PORT, every);
    }
}

/* A REVOKE that deletes the last capability to a Port with waiters goes the same way. */
static void a_revoke_reaching_a_port_with_waiters_is_preempted_there(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, T_PORT), A9N_SUCCESS);
    block_waiters(h, A9N_OBJECT_IPC_PORT, T_WAITERS);
    struct wait_queue *q = port_waiters(A9N_OBJECT_IPC_PORT, slot_at(h, T_PORT)->cap.object);
    unsigned long stops = 0;
    preempt_set_budget(1);
    fakearch_preempt_every = 2;
    /* The Generic's REVOKE deletes the port among everything else it made. */
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_SELF), A9N_NODE_REVOKE, H_GENERIC,
                                             0, 0, 0, 0, &stops),
                     A9N_SUCCESS);
    fakearch_preempt_every = 0;
    preempt_set_budget(PREEMPT_BUDGET);
    assert_null(q->head);
    assert_true(stops >= T_WAITERS / 2);
    sched_reset();
}

/* Waiters woken so far, and the most woken between two questions to the HAL. */
static unsigned woken_before, woken_most_between;

static void count_woken(void)
{
    unsigned woken = 0;
    for (unsigned i = 0; i < T_WAITERS; i++)
        woken += waiter[i]->state != PROCESS_BLOCKED;
    if (woken - woken_before > woken_most_between)
        woken_most_between = woken - woken_before;
    woken_before = woken;
}

/* At the kernel's own budget (not a question at every unit, as above), a dying Port's
 * waiters are woken a few between two questions: at most PREEMPT_BUDGET / 400 + 1 = 6, each
 * about 100 instructions (the latency row that removes a Port with 4,096 waiters). */
static void a_dying_port_asks_the_hal_every_few_waiters(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, T_PORT), A9N_SUCCESS);
    block_waiters(h, A9N_OBJECT_IPC_PORT, T_WAITERS);
    woken_before = woken_most_between = 0;
    fakearch_on_question = count_woken;
    assert_int_equal(h_remove(h, T_PORT), A9N_SUCCESS);
    fakearch_on_question = NULL;
    count_woken(); /* those woken after the last question */
    assert_int_equal(woken_before, T_WAITERS);
    assert_true(woken_most_between >= 1);
    assert_true(woken_most_between <= PREEMPT_BUDGET / 400 + 1);
    sched_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(remove_of_a_capability_with_many_children_lifts_them_a_few_at_a_time),
        HARNESS_TEST(remove_of_a_capability_whose_first_child_heads_a_big_subtree_is_bounded),
        HARNESS_TEST(random_removes_preempted_anywhere_keep_every_ancestry),
        HARNESS_TEST(the_reaper_lifts_children_preemptibly),
        HARNESS_TEST(a_restarted_revoke_of_a_chain_goes_on_at_its_top),
        HARNESS_TEST(random_revokes_preempted_anywhere_keep_every_ancestry),
        HARNESS_TEST(a_dying_ipc_port_wakes_its_waiters_preemptibly),
        HARNESS_TEST(a_dying_notification_port_wakes_its_waiters_preemptibly),
        HARNESS_TEST(a_revoke_reaching_a_port_with_waiters_is_preempted_there),
        HARNESS_TEST(a_dying_port_asks_the_hal_every_few_waiters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
