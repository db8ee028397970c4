/* Debug INTROSPECT over the host core: a walk resumes from the position the kernel keeps,
 * every call is bounded, a capability removed at that position moves it on, and a cursor
 * that is not the walk in progress is refused. */
#include "test_common.h"

#include <core/debug.h>

enum { PORT = 10, FIRST_CHILD = 11, CHILDREN = 50, DEBUG_SLOT = 4 };

static struct a9n_ipc_buffer buffer;

static const struct a9n_introspect_record *records(void)
{
    return (const struct a9n_introspect_record *)&buffer.message[A9N_MR_REGISTER_COUNT];
}

/* The harness keeps its two boot capabilities outside the fake physical memory; records
 * need every slot's physical address, so for a walk they stand in root slots (same place in
 * the list), and go back before the harness's own checks. */
enum { STAND_IN_GENERIC = 63, STAND_IN_PROCESS = 62 };

static void stand_in(struct harness *h, struct cap_slot *from, unsigned index)
{
    struct cap_slot *to = slot_at(h, index);
    to->cap = from->cap;
    captree_replace(from, to);
}

static void stand_back(struct harness *h, struct cap_slot *to, unsigned index)
{
    struct cap_slot *from = slot_at(h, index);
    captree_replace(from, to);
    from->cap = (struct cap){0};
}

static void restore(struct harness *h)
{
    stand_back(h, &h->boot_generic, STAND_IN_GENERIC);
    stand_back(h, &h->boot_process, STAND_IN_PROCESS);
}

/* Puts Debug into root[DEBUG_SLOT], as boot does (a derivation root). */
static struct cap_slot *make_debug(struct harness *h)
{
    stand_in(h, &h->boot_generic, STAND_IN_GENERIC);
    stand_in(h, &h->boot_process, STAND_IN_PROCESS);
    struct cap_slot *d = slot_at(h, DEBUG_SLOT);
    d->cap = (struct cap){.type = A9N_OBJECT_DEBUG, .rights = A9N_RIGHTS_ALL};
    captree_insert_root(slot_at(h, STAND_IN_GENERIC), d);
    return d;
}

static a9n_error introspect(struct harness *h, struct cap_slot *d, a9n_word cursor, a9n_word *n,
                            a9n_word *next)
{
    a9n_word mr[A9N_MR_REGISTER_COUNT] = {0};
    struct cap_message msg = {.mr = mr, .ipc_buffer = &buffer};
    msg.mr[A9N_MR_OPERATION] = A9N_DEBUG_INTROSPECT;
    msg.mr[2] = cursor;
    a9n_error e = debug_invoke(h->caller, d, &msg);
    *n = msg.mr[A9N_MR_RESULT0];
    *next = msg.mr[A9N_MR_RESULT0 + 1];
    return e;
}

/* As introspect, leaving out `count` slots of the Node named by `node` from `first` on. */
static a9n_error introspect_except(struct harness *h, struct cap_slot *d, a9n_word cursor,
                                   a9n_word node, a9n_word first, a9n_word count, a9n_word *n,
                                   a9n_word *next)
{
    a9n_word mr[A9N_MR_REGISTER_COUNT] = {0};
    struct cap_message msg = {.mr = mr, .ipc_buffer = &buffer};
    msg.mr[A9N_MR_OPERATION] = A9N_DEBUG_INTROSPECT;
    msg.mr[2] = cursor;
    msg.mr[3] = node;
    msg.mr[4] = first;
    msg.mr[5] = count;
    a9n_error e = debug_invoke(h->caller, d, &msg);
    *n = msg.mr[A9N_MR_RESULT0];
    *next = msg.mr[A9N_MR_RESULT0 + 1];
    return e;
}

/* A port with CHILDREN badged children: a list long enough for several calls. */
static void make_children(struct harness *h)
{
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, PORT), A9N_SUCCESS);
    for (unsigned i = 0; i < CHILDREN; i++)
        assert_int_equal(h_mint(h, FIRST_CHILD + i, PORT, A9N_RIGHT_WRITE, 1000 + i), A9N_SUCCESS);
}

static unsigned list_length(struct harness *h)
{
    unsigned n = 0;
    for (struct cap_slot *s = captree_head(); s != NULL; s = harness_next(s))
        n++;
    return n;
}

static void a_walk_reports_every_capability_once_in_bounded_calls(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    make_children(h);
    a9n_word cursor = 0, n, next, total = 0, calls = 0;
    do {
        assert_int_equal(introspect(h, d, cursor, &n, &next), A9N_SUCCESS);
        assert_true(n <= A9N_INTROSPECT_PER_CALL);
        assert_true(next == 0 || n == A9N_INTROSPECT_PER_CALL);
        total += n;
        calls++;
        cursor = next;
    } while (cursor != 0);
    assert_int_equal(total, list_length(h));
    assert_true(calls >= 2);
    /* The walk is over: its last cursor means nothing any more. */
    assert_int_equal(introspect(h, d, 12345, &n, &next), A9N_ERROR_INVALID_ARGUMENT);
    restore(h);
}

/* A chain of DEEP MINTs: the walk counts each depth exactly (a record's parent is the nearest
 * earlier record one level up), and climbing back from the bottom is split over calls (a
 * call may end with no record and a cursor). */
enum { DEEP = 500, DEEP_NODE = 20, DEEP_RADIX = 9 };
static void a_deep_chain_is_walked_with_exact_depths_in_bounded_calls(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, PORT), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, DEEP_RADIX, 1, DEEP_NODE), 0);
    struct cap_slot *chain = cap_node_slots(&slot_at(h, DEEP_NODE)->cap);
    slot_mint(slot_at(h, PORT), &chain[0], A9N_RIGHTS_ALL, 0);
    for (unsigned i = 1; i < DEEP; i++)
        slot_mint(&chain[i - 1], &chain[i], A9N_RIGHTS_ALL, 0);
    uint32_t top = harness_depth(slot_at(h, PORT));
    a9n_word cursor = 0, n, next, total = 0, empty_calls = 0, seen = 0;
    do {
        assert_int_equal(introspect(h, d, cursor, &n, &next), A9N_SUCCESS);
        assert_true(n <= A9N_INTROSPECT_PER_CALL);
        empty_calls += n == 0 && next != 0;
        for (a9n_word k = 0; k < n; k++) {
            struct cap_slot *s = hal_phys_to_virt(records()[k].slot);
            if (s >= chain && s < chain + DEEP) {
                assert_int_equal(a9n_introspect_depth(records()[k].kind), top + 1 + (s - chain));
                seen++;
            } else {
                assert_int_equal(a9n_introspect_depth(records()[k].kind), harness_depth(s));
            }
        }
        total += n;
        cursor = next;
    } while (cursor != 0);
    assert_int_equal(seen, DEEP);
    assert_int_equal(total, list_length(h));
    assert_true(empty_calls >= 1); /* DEEP levels to climb, more than one call's steps */
    restore(h);
}

static void removing_the_resume_slot_moves_the_walk_on(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    make_children(h);
    a9n_word n, next;
    assert_int_equal(introspect(h, d, 0, &n, &next), A9N_SUCCESS);
    assert_int_not_equal(next, 0);
    /* The slot the walk resumes at: the (n+1)-th of the list. */
    struct cap_slot *at = captree_head();
    for (a9n_word i = 0; i < n; i++)
        at = harness_next(at);
    struct cap_slot *after = harness_next(at);
    assert_non_null(after);
    unsigned index = (unsigned)(at - h->root);
    assert_true(index >= FIRST_CHILD && index < FIRST_CHILD + CHILDREN);
    assert_int_equal(h_remove(h, index), A9N_SUCCESS);
    /* A wrong cursor is refused and changes nothing. */
    a9n_word n2, next2;
    assert_int_equal(introspect(h, d, next + 1, &n2, &next2), A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(introspect(h, d, next, &n2, &next2), A9N_SUCCESS);
    assert_true(n2 > 0);
    assert_int_equal(records()[0].slot, hal_virt_to_phys(after));
    restore(h);
}

static void a_new_walk_invalidates_the_old_cursor(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    make_children(h);
    a9n_word n, first, second;
    assert_int_equal(introspect(h, d, 0, &n, &first), A9N_SUCCESS);
    assert_int_equal(introspect(h, d, 0, &n, &second), A9N_SUCCESS);
    assert_int_not_equal(first, second);
    assert_int_equal(introspect(h, d, first, &n, &second), A9N_ERROR_INVALID_ARGUMENT);
    restore(h);
}

/* A whole walk that leaves out slots [first, first + count) of `node` (a root slot): how
 * many records it gave, and which root slots and which of `node`'s slots they came from. */
static a9n_word walk_except(struct harness *h, struct cap_slot *d, unsigned node, a9n_word first,
                            a9n_word count, bool *root_seen, bool *node_seen, unsigned node_slots,
                            a9n_word *short_calls)
{
    struct cap_slot *slots = cap_node_slots(&slot_at(h, node)->cap);
    a9n_word cursor = 0, n, next, total = 0;
    *short_calls = 0;
    do {
        assert_int_equal(
            introspect_except(h, d, cursor, harness_desc(h, node), first, count, &n, &next),
            A9N_SUCCESS);
        assert_true(n <= A9N_INTROSPECT_PER_CALL);
        *short_calls += next != 0 && n < A9N_INTROSPECT_PER_CALL;
        for (a9n_word k = 0; k < n; k++) {
            struct cap_slot *s = hal_phys_to_virt(records()[k].slot);
            if (s >= h->root && s < h->root + (1u << ROOT_RADIX))
                root_seen[s - h->root] = true;
            if (s >= slots && s < slots + node_slots)
                node_seen[s - slots] = true;
        }
        total += n;
        cursor = next;
    } while (cursor != 0);
    return total;
}

/* A range left out loses exactly its own records: the capabilities derived from one of its
 * slots are still reported where they live, and every other slot is. */
static void a_range_left_out_loses_its_records_not_their_subtrees(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    make_children(h);
    unsigned all = list_length(h);
    bool root_seen[1u << ROOT_RADIX] = {0}, unused[1] = {0};
    a9n_word short_calls;
    /* The port (the children's parent) and the first 10 children, in the root Node. */
    a9n_word total = walk_except(h, d, H_SELF, PORT, 11, root_seen, unused, 0, &short_calls);
    assert_int_equal(total, all - 11);
    for (unsigned i = 0; i < (1u << ROOT_RADIX); i++) {
        bool held = !slot_is_empty(slot_at(h, i)) && i != H_SELF;
        bool left_out = i >= PORT && i < PORT + 11;
        if (held)
            assert_int_equal(root_seen[i], !left_out);
    }
    /* count 0 leaves nothing out, whatever MR3 and MR4 say. */
    a9n_word n, next, cursor = 0;
    total = 0;
    do {
        assert_int_equal(introspect_except(h, d, cursor, ~0ull, ~0ull, 0, &n, &next), A9N_SUCCESS);
        total += n;
        cursor = next;
    } while (cursor != 0);
    assert_int_equal(total, all);
    restore(h);
}

/* Many slots left out in a row: a call passes at most 512 of them, so it may return fewer
 * records than it could (with a cursor), and the walk still ends with exactly the rest. */
enum { WIDE_NODE = 30, WIDE_RADIX = 10, WIDE_CHILDREN = 900 };
static void a_long_range_left_out_is_passed_in_bounded_calls(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, PORT), A9N_SUCCESS);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, WIDE_RADIX, 1, WIDE_NODE), 0);
    struct cap_slot *wide = cap_node_slots(&slot_at(h, WIDE_NODE)->cap);
    for (unsigned i = 0; i < WIDE_CHILDREN; i++)
        slot_mint(slot_at(h, PORT), &wide[i], A9N_RIGHT_WRITE, 7000 + i);
    unsigned all = list_length(h);
    bool root_seen[1u << ROOT_RADIX] = {0}, wide_seen[1u << WIDE_RADIX] = {0};
    a9n_word short_calls;
    /* All of the Node but its last 50 children. */
    a9n_word total = walk_except(h, d, WIDE_NODE, 0, WIDE_CHILDREN - 50, root_seen, wide_seen,
                                 1u << WIDE_RADIX, &short_calls);
    assert_int_equal(total, all - (WIDE_CHILDREN - 50));
    for (unsigned i = 0; i < WIDE_CHILDREN; i++)
        assert_int_equal(wide_seen[i], i >= WIDE_CHILDREN - 50);
    assert_true(root_seen[PORT] && root_seen[WIDE_NODE]);
    assert_true(short_calls >= 1); /* 850 slots to pass: more than one call's 512 */
    for (unsigned i = 0; i < WIDE_CHILDREN; i++)
        slot_delete(&wide[i]);
    restore(h);
}

/* A range that names no Node, or lies beyond it, refuses the call with its own error before
 * anything changes: the walk in progress keeps its cursor. */
static void a_bad_range_is_refused_and_the_walk_goes_on(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    make_children(h);
    a9n_word n, next, n2, next2;
    assert_int_equal(introspect(h, d, 0, &n, &next), A9N_SUCCESS);
    assert_int_not_equal(next, 0);
    a9n_word self = harness_desc(h, H_SELF), size = 1u << ROOT_RADIX;
    assert_int_equal(introspect_except(h, d, next, harness_desc(h, 7), 0, 1, &n2, &next2),
                     A9N_ERROR_EMPTY_SLOT);
    assert_int_equal(introspect_except(h, d, next, harness_desc(h, PORT), 0, 1, &n2, &next2),
                     A9N_ERROR_WRONG_TYPE);
    assert_int_equal(introspect_except(h, d, next, ~0ull, 0, 1, &n2, &next2),
                     A9N_ERROR_INVALID_DESCRIPTOR);
    assert_int_equal(introspect_except(h, d, next, self, size, 1, &n2, &next2),
                     A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(introspect_except(h, d, next, self, 0, size + 1, &n2, &next2),
                     A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(introspect_except(h, d, next, self, 1, ~0ull, &n2, &next2),
                     A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(introspect_except(h, d, next, self, ~0ull, 2, &n2, &next2),
                     A9N_ERROR_INVALID_ARGUMENT);
    /* The whole Node is a range it accepts; the walk goes on from where it was. */
    assert_int_equal(introspect_except(h, d, next, self, 0, size, &n2, &next2), A9N_SUCCESS);
    assert_int_equal(introspect(h, d, next2, &n2, &next2), A9N_SUCCESS);
    restore(h);
}

/* The run state the caller's Process record reports. */
static unsigned caller_state(struct harness *h, struct cap_slot *d)
{
    a9n_word cursor = 0, n, next;
    unsigned found = 0xff;
    do {
        assert_int_equal(introspect(h, d, cursor, &n, &next), A9N_SUCCESS);
        for (a9n_word i = 0; i < n; i++)
            if (a9n_introspect_type(records()[i].kind) == A9N_OBJECT_PROCESS &&
                records()[i].object == hal_virt_to_phys(h->caller))
                found = a9n_introspect_process_state(records()[i].data[2]);
        cursor = next;
    } while (cursor != 0);
    return found;
}

/* Inspection reads what a process is doing from its record: each run state and IPC state
 * maps to its own value, beside the priority. */
static void a_process_record_carries_its_run_state(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    struct process *p = h->caller;
    uint32_t run = p->state, ipc = p->ipc_state;
    bool faulting = p->faulting;
    p->state = PROCESS_INACTIVE;
    assert_int_equal(caller_state(h, d), A9N_INTROSPECT_PROCESS_INACTIVE);
    p->state = PROCESS_READY;
    assert_int_equal(caller_state(h, d), A9N_INTROSPECT_PROCESS_READY);
    static const struct {
        uint32_t ipc;
        unsigned want;
    } blocked[] = {
        {IPC_SENDING, A9N_INTROSPECT_PROCESS_SENDING},
        {IPC_CALLING, A9N_INTROSPECT_PROCESS_CALLING},
        {IPC_RECEIVING, A9N_INTROSPECT_PROCESS_RECEIVING},
        {IPC_AWAITING_REPLY, A9N_INTROSPECT_PROCESS_REPLY_WAIT},
        {IPC_WAITING, A9N_INTROSPECT_PROCESS_WAITING},
    };
    p->state = PROCESS_BLOCKED;
    for (unsigned k = 0; k < sizeof blocked / sizeof blocked[0]; k++) {
        p->ipc_state = blocked[k].ipc;
        assert_int_equal(caller_state(h, d), blocked[k].want);
    }
    p->faulting = true;
    assert_int_equal(caller_state(h, d), A9N_INTROSPECT_PROCESS_FAULTED);
    p->state = run;
    p->ipc_state = ipc;
    p->faulting = faulting;
    restore(h);
}

static void a_process_record_carries_its_configuration(void **state)
{
    struct harness *h = *state;
    struct cap_slot *d = make_debug(h);
    a9n_word cursor = 0, n, next;
    bool seen = false;
    do {
        assert_int_equal(introspect(h, d, cursor, &n, &next), A9N_SUCCESS);
        for (a9n_word i = 0; i < n; i++)
            if (a9n_introspect_type(records()[i].kind) == A9N_OBJECT_PROCESS &&
                records()[i].object == hal_virt_to_phys(h->caller)) {
                assert_int_equal(a9n_introspect_priority(records()[i].data[2]),
                                 h->caller->sched.priority);
                seen = true;
            }
        cursor = next;
    } while (cursor != 0);
    assert_true(seen);
    restore(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(a_walk_reports_every_capability_once_in_bounded_calls),
        HARNESS_TEST(a_deep_chain_is_walked_with_exact_depths_in_bounded_calls),
        HARNESS_TEST(removing_the_resume_slot_moves_the_walk_on),
        HARNESS_TEST(a_new_walk_invalidates_the_old_cursor),
        HARNESS_TEST(a_process_record_carries_its_configuration),
        HARNESS_TEST(a_process_record_carries_its_run_state),
        HARNESS_TEST(a_range_left_out_loses_its_records_not_their_subtrees),
        HARNESS_TEST(a_long_range_left_out_is_passed_in_bounded_calls),
        HARNESS_TEST(a_bad_range_is_refused_and_the_walk_goes_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
