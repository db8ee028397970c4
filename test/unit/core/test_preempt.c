/*
 * Preemptible operations (core/preempt.h): REMOVE of a full and of an empty big Node,
 * REVOKE of many capabilities, CONVERT of many Frames, each run to completion through
 * repeated restarts with a fake interrupt pending at every k-th question. The invariants
 * hold at every preemption, and the final state (the whole arena, byte for byte) equals
 * that of the same sequence run without interrupts.
 */
#include "test_common.h"

#include <core/preempt.h>

enum {
    P_BIG = 10,    /* a radix-12 Node */
    P_PORT = 11,   /* an IPC Port */
    P_FRAMES = 12, /* a radix-10 Node for Frames */
    P_EMPTY = 13,  /* an empty radix-12 Node */
    P_GEN2 = 14,   /* a second Generic, for CONVERT */
    P_RADIX = 10,
    P_FRAME_COUNT = 1u << 8,
};

static unsigned long stops_of[4];

/* EXPECT_FAILS_CLEANLY for the state between two preemptions (the reaper is busy). */
#define EXPECT_FAILS_CLEANLY_PREEMPTED(h, expected, call)                                          \
    do {                                                                                           \
        unsigned char *before_ = malloc(FAKEHAL_SIZE);                                             \
        memcpy(before_, fakehal_arena(), FAKEHAL_SIZE);                                            \
        assert_int_equal((call), (expected));                                                      \
        assert_true(memcmp(before_, fakehal_arena(), FAKEHAL_SIZE) == 0);                          \
        free(before_);                                                                             \
    } while (0)

/* MINT of the port into every slot of the big Node (children of the port), straight
 * through the slot layer. */
static void fill_big(struct harness *h)
{
    struct cap_slot *big = cap_node_slots(&slot_at(h, P_BIG)->cap);
    for (unsigned i = 0; i < 1u << P_RADIX; i++)
        slot_mint(slot_at(h, P_PORT), &big[i], A9N_RIGHTS_ALL, 0);
}

static a9n_error call(struct harness *h, a9n_word d, a9n_word op, a9n_word a2, a9n_word a3,
                      a9n_word a4, a9n_word a5, a9n_word a6, unsigned which)
{
    return harness_call_restarting(h, d, op, a2, a3, a4, a5, a6, &stops_of[which]);
}

/* The whole sequence; with `every` > 0, an interrupt is pending at every every-th question
 * and the HAL is asked at every unit of work. */
static void scenario(struct harness *h, unsigned every)
{
    harness_setup(h, 6, 23);
    memset(stops_of, 0, sizeof stops_of);
    a9n_word self = harness_desc(h, H_SELF), gen = harness_desc(h, H_GENERIC);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, P_RADIX, 1, P_BIG), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, P_PORT), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, P_RADIX, 1, P_EMPTY), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 10, 1, P_FRAMES), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 22, 1, P_GEN2), A9N_SUCCESS);
    fill_big(h);
    harness_check(h);
    if (every != 0) {
        preempt_set_budget(1);
        fakearch_preempt_every = every;
    }

    /* CONVERT of 1 MiB of Frames into the Frame Node: the memory is cleared in chunks. */
    a9n_word frames = a9n_descriptor_root(P_FRAMES, h->root_radix);
    assert_int_equal(call(h, harness_desc(h, P_GEN2), A9N_GENERIC_CONVERT, A9N_OBJECT_FRAME, 12,
                          P_FRAME_COUNT, frames, 0, 0),
                     A9N_SUCCESS);
    /* REVOKE of the port: deletes its 1,024 children in the big Node, but not itself. */
    assert_int_equal(call(h, self, A9N_NODE_REVOKE, P_PORT, 0, 0, 0, 0, 1), A9N_SUCCESS);
    assert_int_equal(slot_at(h, P_PORT)->cap.type, A9N_OBJECT_IPC_PORT);
    /* Fill it again and REMOVE the big Node, which holds the last capability to it. */
    fill_big(h);
    assert_int_equal(call(h, self, A9N_NODE_REMOVE, P_BIG, 0, 0, 0, 0, 2), A9N_SUCCESS);
    assert_true(slot_is_empty(slot_at(h, P_BIG)));
    /* REMOVE of an empty big Node, and of the Frame Node full of last Frame capabilities. */
    assert_int_equal(call(h, self, A9N_NODE_REMOVE, P_EMPTY, 0, 0, 0, 0, 3), A9N_SUCCESS);
    assert_int_equal(call(h, self, A9N_NODE_REMOVE, P_FRAMES, 0, 0, 0, 0, 3), A9N_SUCCESS);
    fakearch_preempt_every = 0;
    harness_check(h);
    (void)gen;
}

static void preempted_runs_end_like_uninterrupted_ones(void **state)
{
    struct harness *h = *state;
    static unsigned char *reference;
    if (reference == NULL)
        reference = malloc(FAKEHAL_SIZE);
    scenario(h, 0);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(stops_of[i], 0);
    memcpy(reference, fakehal_arena(), FAKEHAL_SIZE);
    struct harness plain = *h;

    static const unsigned every[] = {1, 2, 7};
    for (unsigned k = 0; k < 3; k++) {
        scenario(h, every[k]);
        print_message("interrupt every %u questions: %lu, %lu, %lu, %lu preemptions\n", every[k],
                      stops_of[0], stops_of[1], stops_of[2], stops_of[3]);
        /* Every long operation was really cut short, many times. */
        for (unsigned i = 0; i < 4; i++)
            assert_true(stops_of[i] > 20);
        assert_true(memcmp(reference, fakehal_arena(), FAKEHAL_SIZE) == 0);
        assert_true(memcmp(&plain, h, sizeof plain) == 0);
    }
}

/* Preempts a REMOVE of the big full Node once and looks at the state in between. */
static void a_preempted_remove_leaves_an_unusable_zombie(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 8, 1, P_BIG), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, P_PORT), A9N_SUCCESS);
    struct cap_slot *big = cap_node_slots(&slot_at(h, P_BIG)->cap);
    for (unsigned i = 0; i < 256; i++)
        slot_mint(slot_at(h, P_PORT), &big[i], A9N_RIGHTS_ALL, 0);
    preempt_set_budget(1);
    fakearch_preempt_every = 50;
    assert_int_equal(h_remove(h, P_BIG), A9N_PREEMPTED);
    fakearch_preempt_every = 0;
    harness_check_preempted(h);
    struct cap_slot *z = slot_at(h, P_BIG);
    assert_int_equal(z->cap.type, CAP_ZOMBIE);
    assert_false(reaper_is_empty());
    /* Nothing can be done with the dying Node: not invoked, not looked up through, not
     * copied or minted, and the slot is not free. */
    a9n_word zd = harness_desc(h, P_BIG);
    assert_int_equal(harness_call(h, zd, A9N_NODE_COPY, 0, harness_desc(h, P_PORT), 0, 0, 0),
                     A9N_ERROR_ILLEGAL_OPERATION);
    assert_int_equal(
        harness_call(h, a9n_descriptor_append(zd, 1, 8), A9N_NODE_REMOVE, 0, 0, 0, 0, 0),
        A9N_ERROR_INVALID_DEPTH);
    EXPECT_FAILS_CLEANLY_PREEMPTED(h, A9N_ERROR_ILLEGAL_OPERATION, h_copy(h, 20, P_BIG));
    EXPECT_FAILS_CLEANLY_PREEMPTED(h, A9N_ERROR_ILLEGAL_OPERATION,
                                   h_mint(h, 20, P_BIG, A9N_RIGHTS_ALL, 0));
    EXPECT_FAILS_CLEANLY_PREEMPTED(h, A9N_ERROR_SLOT_OCCUPIED, h_copy(h, P_BIG, P_PORT));
    /* A CONVERT first finishes the queued work (the dying Node's memory must not be
     * handed out while it holds capabilities), then finds the zombie's slot occupied. */
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                             A9N_OBJECT_IPC_PORT, 0, 1, harness_desc(h, H_SELF),
                                             P_BIG, NULL),
                     A9N_ERROR_SLOT_OCCUPIED);
    assert_true(reaper_is_empty());
    assert_int_equal(slot_at(h, P_BIG)->cap.type, CAP_ZOMBIE);
    harness_check(h);
    /* The restart finishes it. */
    unsigned long stops = 0;
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_SELF), A9N_NODE_REMOVE, P_BIG, 0,
                                             0, 0, 0, &stops),
                     A9N_SUCCESS);
    assert_true(slot_is_empty(slot_at(h, P_BIG)));
    assert_true(reaper_is_empty());
    assert_false(captree_has_children(slot_at(h, P_PORT)));
}

/* A CONVERT preempted while clearing: no capability to the new objects exists yet, the
 * Generic's watermark has not moved, and another CONVERT in between is consistent. */
static void a_preempted_convert_makes_nothing_reachable(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 6, 1, P_FRAMES), A9N_SUCCESS);
    uint64_t watermark = cap_generic_watermark(&slot_at(h, H_GENERIC)->cap);
    a9n_word frames = a9n_descriptor_root(P_FRAMES, h->root_radix);
    preempt_set_budget(1);
    fakearch_preempt_every = 5;
    assert_int_equal(harness_call(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                  A9N_OBJECT_FRAME, 12, 64, frames, 0),
                     A9N_PREEMPTED);
    fakearch_preempt_every = 0;
    harness_check_preempted(h);
    assert_int_equal(cap_generic_watermark(&slot_at(h, H_GENERIC)->cap), watermark);
    assert_true(cap_generic_zeroed(&slot_at(h, H_GENERIC)->cap) > watermark);
    struct cap_slot *dest = cap_node_slots(&slot_at(h, P_FRAMES)->cap);
    for (unsigned i = 0; i < 64; i++)
        assert_true(slot_is_empty(&dest[i]));
    /* Another CONVERT from the same Generic in between takes the memory at the watermark;
     * the restarted one then lands after it, on memory it clears again as needed. */
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, P_PORT), A9N_SUCCESS);
    harness_check(h);
    unsigned long stops = 0;
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                             A9N_OBJECT_FRAME, 12, 64, frames, 0, &stops),
                     A9N_SUCCESS);
    for (unsigned i = 0; i < 64; i++) {
        assert_int_equal(dest[i].cap.type, A9N_OBJECT_FRAME);
        const unsigned char *m = hal_phys_to_virt(dest[i].cap.object);
        for (unsigned b = 0; b < 4096; b++)
            assert_int_equal(m[b], 0);
    }
}

/* A CONVERT preempted while making its objects: those made are complete and usable; if a
 * destination slot is filled in between, the restart stops there with SLOT_OCCUPIED and
 * everything stays consistent. */
static void a_convert_finding_a_slot_filled_in_between_stops_cleanly(void **state)
{
    struct harness *h = *state;
    preempt_set_budget(1);
    fakearch_preempt_every = 1;
    assert_int_equal(harness_call(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                  A9N_OBJECT_IPC_PORT, 0, 16, harness_desc(h, H_SELF), 30),
                     A9N_PREEMPTED);
    fakearch_preempt_every = 0;
    harness_check_preempted(h);
    assert_int_equal(slot_at(h, 30)->cap.type, A9N_OBJECT_IPC_PORT);
    assert_true(slot_is_empty(slot_at(h, 31)));
    /* Someone fills a later destination slot meanwhile. */
    assert_int_equal(h_copy(h, 35, H_PROCESS), A9N_SUCCESS);
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                             A9N_OBJECT_IPC_PORT, 0, 16, harness_desc(h, H_SELF),
                                             30, NULL),
                     A9N_ERROR_SLOT_OCCUPIED);
    for (unsigned i = 30; i < 35; i++)
        assert_int_equal(slot_at(h, i)->cap.type, A9N_OBJECT_IPC_PORT);
    assert_int_equal(slot_at(h, 35)->cap.type, A9N_OBJECT_PROCESS);
    assert_true(slot_is_empty(slot_at(h, 36)));
    /* No record is left: the same call now fails at once, like any CONVERT into full slots. */
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED,
                         h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 16, 30));
    harness_check(h);
}

/* Processes made so far in slots [PROC_FIRST, PROC_FIRST + PROC_COUNT), and the most made
 * between two questions to the HAL (fakearch_on_question). */
enum { PROC_FIRST = 30, PROC_COUNT = 32 };
static struct cap_slot *proc_slots;
static unsigned proc_made_before, proc_most_between;

static void count_processes_made(void)
{
    unsigned made = 0;
    for (unsigned i = 0; i < PROC_COUNT; i++)
        made += proc_slots[i].cap.type == A9N_OBJECT_PROCESS;
    if (made - proc_made_before > proc_most_between)
        proc_most_between = made - proc_made_before;
    proc_made_before = made;
}

/* Making a Process costs about three times what other objects cost (it sets up its
 * registers and FPU state): a CONVERT of many asks the HAL at least every
 * PREEMPT_BUDGET / 240 + 1 = 9 of them, about 2,000 instructions, not every 29 (once the
 * longest stretch of the port-with-waiters latency row, about 6,600 instructions). */
static void a_convert_of_processes_asks_every_few_processes(void **state)
{
    struct harness *h = *state;
    proc_slots = slot_at(h, PROC_FIRST);
    proc_made_before = proc_most_between = 0;
    fakearch_on_question = count_processes_made;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_PROCESS, 0, PROC_COUNT, PROC_FIRST),
                     A9N_SUCCESS);
    fakearch_on_question = NULL;
    count_processes_made(); /* those made after the last question */
    for (unsigned i = 0; i < PROC_COUNT; i++)
        assert_int_equal(proc_slots[i].cap.type, A9N_OBJECT_PROCESS);
    assert_true(proc_most_between >= 1);
    assert_true(proc_most_between <= PREEMPT_BUDGET / 240 + 1);
    harness_check(h);
}

/* Checking a CONVERT's destination slots costs about 6 instructions a slot: the HAL is
 * asked at least every 2048 / 384 * 64 = 384 slots, not every 512 (once the longest stretch
 * of the latency rows that CONVERT Frames, Page Tables or Processes). The last destination
 * slot is full, so the call does nothing but check: 4,095 slots, at least 10 questions. */
static void a_convert_checking_many_slots_asks_every_few_hundred(void **state)
{
    struct harness *h = *state;
    enum { NODE = 40, PORT = 41, RADIX = 12 };
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, RADIX, 1, NODE), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, PORT), A9N_SUCCESS);
    struct cap_slot *dest = cap_node_slots(&slot_at(h, NODE)->cap);
    slot_mint(slot_at(h, PORT), &dest[(1u << RADIX) - 1], A9N_RIGHTS_ALL, 0);
    preempt_set_budget(PREEMPT_BUDGET);
    unsigned long asked = fakearch_preempt_asked;
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED,
                         harness_call(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                      A9N_OBJECT_IPC_PORT, 0, 1u << RADIX,
                                      a9n_descriptor_root(NODE, h->root_radix), 0));
    assert_true(fakearch_preempt_asked - asked >= ((1u << RADIX) - 1) / 384);
    harness_check(h);
}

/*
 * A REVOKE of a Generic, preempted at every point, whose child is a Node capability with a
 * MINT below it and a capability stored in the Node: the REVOKE makes the Node's capability
 * a lifting zombie, lifts the MINT and deletes it, so for one preemption the lifting zombie
 * is the Node's only capability. The Node is alive then (cap.h) and the capability in it
 * still linked: the invariant checker must count the Node as a live container (it once
 * counted only Node capabilities, and reported that slot as lying in freed memory).
 */
static void a_node_kept_only_by_a_lifting_zombie_is_alive(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 1, 1, 20), A9N_SUCCESS);
    assert_int_equal(h_mint(h, 21, 20, A9N_RIGHTS_ALL, 0), A9N_SUCCESS);
    assert_int_equal(
        harness_call(h, harness_desc(h, 20), A9N_NODE_COPY, 0, harness_desc(h, H_SELF), 0, 0, 0),
        A9N_SUCCESS);
    struct cap_slot *inside = cap_node_slots(&slot_at(h, 20)->cap);
    preempt_set_budget(1);
    fakearch_preempt_every = 1;
    unsigned long stops = 0;
    /* harness_call_restarting checks every invariant at each preemption. */
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_SELF), A9N_NODE_REVOKE, H_GENERIC,
                                             0, 0, 0, 0, &stops),
                     A9N_SUCCESS);
    fakearch_preempt_every = 0;
    assert_true(stops >= 2); /* stopped after the lift and after deleting the MINT */
    assert_true(slot_is_empty(slot_at(h, 20)));
    assert_true(slot_is_empty(slot_at(h, 21)));
    assert_true(slot_is_empty(&inside[0]));
    assert_true(reaper_is_empty());
    harness_check(h);
}

/* Without an interrupt pending, nothing is ever preempted (and the HAL is asked). */
static void no_interrupt_no_preemption(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 12, 32, 20), A9N_SUCCESS);
    assert_true(fakearch_preempt_asked > 0);
    assert_int_equal(fakearch_preempt_fired, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(preempted_runs_end_like_uninterrupted_ones),
        HARNESS_TEST(a_preempted_remove_leaves_an_unusable_zombie),
        HARNESS_TEST(a_preempted_convert_makes_nothing_reachable),
        HARNESS_TEST(a_convert_finding_a_slot_filled_in_between_stops_cleanly),
        HARNESS_TEST(no_interrupt_no_preemption),
        HARNESS_TEST(a_convert_of_processes_asks_every_few_processes),
        HARNESS_TEST(a_convert_checking_many_slots_asks_every_few_hundred),
        HARNESS_TEST(a_node_kept_only_by_a_lifting_zombie_is_alive),
    };
    return cmocka_run_group_tests_name("core_preempt", tests, NULL, NULL);
}
