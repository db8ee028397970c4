/* The test capability space (see harness.h). */
#include <core/interrupt.h>
#include <core/asid.h>
#include <kernel/sched.h>
#include "harness.h"

#include "fakehal.h"
#include "invariants.h"

#include <core/generic.h>
#include <core/preempt.h>
#include <core/reaper.h>
#include <core/slot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void harness_make(struct cap_slot *g, unsigned type, unsigned specific,
                         struct cap_slot *dest)
{
    unsigned bits;
    uint64_t offset;
    if (generic_check(&g->cap, type, specific, 1, &bits, &offset) != A9N_SUCCESS) {
        fprintf(stderr, "harness: cannot make type %u\n", type);
        abort();
    }
    generic_convert(g, type, bits, offset, 1, dest);
}

void harness_setup(struct harness *h, unsigned root_radix, unsigned generic_bits)
{
    fakehal_init();
    /* Kernel-wide tables outlive a test's arena: start them empty too. */
    sched_reset();
    asid_reset();
    interrupt_reset();
    reaper_reset();
    fakearch_preempt_every = 0;
    fakearch_preempt_asked = fakearch_preempt_fired = 0;
    preempt_set_budget(PREEMPT_BUDGET);
    memset(h, 0, sizeof(*h));
    if (!generic_make_root(&h->boot_generic.cap, FAKEHAL_BASE, FAKEHAL_BITS, false))
        abort();
    captree_insert_root(NULL, &h->boot_generic);
    harness_make(&h->boot_generic, A9N_OBJECT_PROCESS, 0, &h->boot_process);
    h->caller = hal_phys_to_virt(h->boot_process.cap.object);
    harness_make(&h->boot_generic, A9N_OBJECT_NODE, root_radix,
                 &h->caller->slots[PROCESS_SLOT_ROOT_NODE]);
    h->root = cap_node_slots(&h->caller->slots[PROCESS_SLOT_ROOT_NODE].cap);
    h->root_radix = root_radix;
    slot_copy(&h->caller->slots[PROCESS_SLOT_ROOT_NODE], &h->root[H_SELF], A9N_RIGHTS_ALL);
    harness_make(&h->boot_generic, A9N_OBJECT_GENERIC, generic_bits, &h->root[H_GENERIC]);
    slot_copy(&h->boot_process, &h->root[H_PROCESS], A9N_RIGHTS_ALL);
}

a9n_word harness_desc(const struct harness *h, a9n_word index)
{
    return a9n_descriptor_root(index, h->root_radix);
}

a9n_error harness_call(struct harness *h, a9n_word descriptor, a9n_word op, a9n_word a2,
                       a9n_word a3, a9n_word a4, a9n_word a5, a9n_word a6)
{
    a9n_word mr[A9N_MR_REGISTER_COUNT] = {descriptor, op, a2, a3, a4, a5, a6, 0xdead, 0xbeef};
    a9n_word before[A9N_MR_REGISTER_COUNT];
    memcpy(before, mr, sizeof before);
    struct cap_message m = {.mr = mr};
    a9n_error e = cap_call(h->caller, &m);
    if (e == A9N_PREEMPTED) {
        /* The restart must find exactly the arguments it was given (core/preempt.h). */
        if (memcmp(before, mr, sizeof before) != 0) {
            fprintf(stderr, "harness: a preempted call changed its message registers\n");
            abort();
        }
        return e;
    }
    if (m.mr[A9N_MR_SUCCESS] != (e == A9N_SUCCESS) || m.mr[A9N_MR_ERROR] != e) {
        fprintf(stderr, "harness: MR0/MR1 disagree with the returned error\n");
        abort();
    }
    return e;
}

a9n_error h_copy(struct harness *h, a9n_word dst, a9n_word src)
{
    return harness_call(h, harness_desc(h, H_SELF), A9N_NODE_COPY, dst, harness_desc(h, src), 0, 0,
                        0);
}

a9n_error h_move(struct harness *h, a9n_word dst, a9n_word src)
{
    return harness_call(h, harness_desc(h, H_SELF), A9N_NODE_MOVE, dst, harness_desc(h, src), 0, 0,
                        0);
}

a9n_error h_mint(struct harness *h, a9n_word dst, a9n_word src, a9n_word rights, a9n_word id)
{
    return harness_call(h, harness_desc(h, H_SELF), A9N_NODE_MINT, dst, harness_desc(h, src),
                        rights, id, 0);
}

a9n_error h_demote(struct harness *h, a9n_word index, a9n_word rights)
{
    return harness_call(h, harness_desc(h, H_SELF), A9N_NODE_DEMOTE, index, rights, 0, 0, 0);
}

a9n_error h_remove(struct harness *h, a9n_word index)
{
    return harness_call(h, harness_desc(h, H_SELF), A9N_NODE_REMOVE, index, 0, 0, 0, 0);
}

a9n_error h_revoke(struct harness *h, a9n_word index)
{
    return harness_call(h, harness_desc(h, H_SELF), A9N_NODE_REVOKE, index, 0, 0, 0, 0);
}

a9n_error h_convert(struct harness *h, a9n_word generic, a9n_word type, a9n_word bits,
                    a9n_word count, a9n_word index)
{
    return harness_call(h, harness_desc(h, generic), A9N_GENERIC_CONVERT, type, bits, count,
                        harness_desc(h, H_SELF), index);
}

a9n_error harness_call_restarting(struct harness *h, a9n_word descriptor, a9n_word op, a9n_word a2,
                                  a9n_word a3, a9n_word a4, a9n_word a5, a9n_word a6,
                                  unsigned long *preemptions)
{
    for (;;) {
        a9n_error e = harness_call(h, descriptor, op, a2, a3, a4, a5, a6);
        if (e != A9N_PREEMPTED)
            return e;
        if (preemptions != NULL)
            ++*preemptions;
        harness_check_preempted(h);
    }
}

void harness_check_preempted(struct harness *h)
{
    char why[256];
    struct cap_slot *loose[] = {&h->boot_generic, &h->boot_process};
    if (!invariants_check_preempted(loose, 2, why, sizeof(why))) {
        fprintf(stderr, "invariant broken between preemptions: %s\n", why);
        abort();
    }
}

void harness_check(struct harness *h)
{
    char why[256];
    struct cap_slot *loose[] = {&h->boot_generic, &h->boot_process};
    if (!invariants_check_slots(loose, 2, why, sizeof(why))) {
        fprintf(stderr, "invariant broken: %s\n", why);
        abort();
    }
}

uint32_t harness_depth(const struct cap_slot *s)
{
    uint32_t d = 0;
    for (const struct cap_slot *p = captree_parent(s); p != NULL; p = captree_parent(p))
        d++;
    return d;
}

struct cap_slot *harness_next(const struct cap_slot *s)
{
    uint32_t depth = 0;
    return captree_walk_next(s, &depth);
}

static uint64_t step_mark, step_max;

void harness_step_work_mark(void)
{
    uint64_t d = captree_work - step_mark;
    if (d > step_max)
        step_max = d;
    step_mark = captree_work;
}

void harness_step_work_begin(void)
{
    step_mark = captree_work;
    step_max = 0;
    fakearch_on_question = harness_step_work_mark;
}

uint64_t harness_step_work_end(void)
{
    harness_step_work_mark();
    fakearch_on_question = NULL;
    return step_max;
}
