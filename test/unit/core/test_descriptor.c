/* Descriptor resolution: paths through nested Nodes, bounded by depth, precise errors. */
#include "test_common.h"

static struct cap_slot *root_of(struct harness *h)
{
    return &h->caller->slots[PROCESS_SLOT_ROOT_NODE];
}

/* root[10] = Node of radix 3; returns its slots. */
static struct cap_slot *make_child_node(struct harness *h, unsigned index, unsigned radix)
{
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, radix, 1, index), A9N_SUCCESS);
    return cap_node_slots(&slot_at(h, index)->cap);
}

static void resolves_a_root_slot(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), harness_desc(h, H_GENERIC), &s), 0);
    assert_ptr_equal(s, slot_at(h, H_GENERIC));
    assert_int_equal(descriptor_resolve(root_of(h), harness_desc(h, 63), &s), 0);
    assert_ptr_equal(s, slot_at(h, 63));
}

static void resolves_through_a_nested_node(void **state)
{
    struct harness *h = *state;
    struct cap_slot *child = make_child_node(h, 10, 3);
    struct cap_slot *s;
    a9n_word d = a9n_descriptor_append(harness_desc(h, 10), 5, 3);
    assert_int_equal(descriptor_resolve(root_of(h), d, &s), 0);
    assert_ptr_equal(s, &child[5]);
    /* The Node slot itself is still named by the shorter descriptor. */
    assert_int_equal(descriptor_resolve(root_of(h), harness_desc(h, 10), &s), 0);
    assert_ptr_equal(s, slot_at(h, 10));
}

static void resolves_three_levels_and_invokes_there(void **state)
{
    struct harness *h = *state;
    struct cap_slot *child = make_child_node(h, 10, 2);
    /* child[1] = Node of radix 4, made through a depth-8 destination descriptor. */
    assert_int_equal(harness_call(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                  A9N_OBJECT_NODE, 4, 1, harness_desc(h, 10), 1),
                     A9N_SUCCESS);
    struct cap_slot *grandchild = cap_node_slots(&child[1].cap);
    a9n_word d = a9n_descriptor_append(a9n_descriptor_append(harness_desc(h, 10), 1, 2), 9, 4);
    assert_int_equal(a9n_descriptor_depth(d), 12);
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), d, &s), 0);
    assert_ptr_equal(s, &grandchild[9]);
    /* Invoke the Node at depth 8: copy the Process into its slot 3. */
    a9n_word node_desc = a9n_descriptor_append(harness_desc(h, 10), 1, 2);
    assert_int_equal(
        harness_call(h, node_desc, A9N_NODE_COPY, 3, harness_desc(h, H_PROCESS), 0, 0, 0),
        A9N_SUCCESS);
    assert_int_equal(grandchild[3].cap.type, A9N_OBJECT_PROCESS);
}

static void depth_56_is_the_longest_path(void **state)
{
    struct harness *h = *state;
    /* root (6 bits) + 5 Nodes of radix 10 = 56 bits. */
    a9n_word d = harness_desc(h, 20);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 10, 1, 20), A9N_SUCCESS);
    for (int level = 0; level < 4; level++) {
        assert_int_equal(harness_call(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                      A9N_OBJECT_NODE, 10, 1, d, 1023),
                         A9N_SUCCESS);
        d = a9n_descriptor_append(d, 1023, 10);
    }
    d = a9n_descriptor_append(d, 7, 10);
    assert_int_equal(a9n_descriptor_depth(d), 56);
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), d, &s), 0);
    assert_true(slot_is_empty(s));
    assert_int_equal(descriptor_resolve(root_of(h), d + (1ull << 56), &s),
                     A9N_ERROR_INVALID_DESCRIPTOR);
}

static void depth_above_56_is_an_invalid_descriptor(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), 57ull << 56, &s), A9N_ERROR_INVALID_DESCRIPTOR);
    assert_int_equal(descriptor_resolve(root_of(h), A9N_DESCRIPTOR_INVALID, &s),
                     A9N_ERROR_INVALID_DESCRIPTOR);
    assert_int_equal(harness_call(h, 255ull << 56, A9N_NODE_COPY, 0, 0, 0, 0, 0),
                     A9N_ERROR_INVALID_DESCRIPTOR);
}

static void stray_bits_below_the_depth_are_an_invalid_descriptor(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), harness_desc(h, 1) | 1, &s),
                     A9N_ERROR_INVALID_DESCRIPTOR);
    assert_int_equal(descriptor_resolve(root_of(h), harness_desc(h, 1) | (1ull << 49), &s),
                     A9N_ERROR_INVALID_DESCRIPTOR);
}

static void depth_zero_names_no_slot(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), 0, &s), A9N_ERROR_INVALID_DEPTH);
    assert_int_equal(harness_call(h, 0, A9N_NODE_COPY, 0, 0, 0, 0, 0), A9N_ERROR_INVALID_DEPTH);
}

static void depth_ending_inside_a_node_index_is_invalid_depth(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), 5ull << 56, &s), A9N_ERROR_INVALID_DEPTH);
    make_child_node(h, 10, 3);
    /* 6 bits reach root[10]; 2 more bits are not enough for the radix-3 Node. */
    a9n_word d = (8ull << 56) | (10ull << 50);
    assert_int_equal(descriptor_resolve(root_of(h), d, &s), A9N_ERROR_INVALID_DEPTH);
}

static void bits_left_at_a_non_node_are_invalid_depth(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    a9n_word through_generic = a9n_descriptor_append(harness_desc(h, H_GENERIC), 0, 3);
    assert_int_equal(descriptor_resolve(root_of(h), through_generic, &s), A9N_ERROR_INVALID_DEPTH);
    a9n_word through_empty = a9n_descriptor_append(harness_desc(h, 40), 0, 3);
    assert_int_equal(descriptor_resolve(root_of(h), through_empty, &s), A9N_ERROR_INVALID_DEPTH);
}

static void an_empty_slot_is_resolved_but_not_looked_up(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    assert_int_equal(descriptor_resolve(root_of(h), harness_desc(h, 40), &s), A9N_SUCCESS);
    assert_int_equal(descriptor_lookup(root_of(h), harness_desc(h, 40), &s), A9N_ERROR_EMPTY_SLOT);
    assert_int_equal(harness_call(h, harness_desc(h, 40), A9N_NODE_COPY, 0, 0, 0, 0, 0),
                     A9N_ERROR_EMPTY_SLOT);
}

static void a_caller_without_root_node_resolves_nothing(void **state)
{
    struct harness *h = *state;
    struct cap_slot *s;
    struct cap_slot none = {0};
    assert_int_equal(descriptor_resolve(&none, harness_desc(h, 1), &s), A9N_ERROR_INVALID_DEPTH);
    /* A root slot that holds a non-Node is no better. */
    assert_int_equal(descriptor_resolve(slot_at(h, H_GENERIC), harness_desc(h, 1), &s),
                     A9N_ERROR_INVALID_DEPTH);
}

static void a_lookup_may_pass_through_a_node_without_rights(void **state)
{
    struct harness *h = *state;
    struct cap_slot *child = make_child_node(h, 10, 3);
    assert_int_equal(h_demote(h, 10, 0), A9N_SUCCESS);
    struct cap_slot *s;
    a9n_word d = a9n_descriptor_append(harness_desc(h, 10), 2, 3);
    assert_int_equal(descriptor_resolve(root_of(h), d, &s), A9N_SUCCESS);
    assert_ptr_equal(s, &child[2]);
}

/* descriptor_lookup_fast (the capability call's and the IPC fast path's lookup) answers
 * exactly as the walk: the same error, the same slot, for root slots full and empty, nested
 * slots, every depth, stray bits at every position, and random words. */
static void assert_fast_agrees(struct cap_slot *root, a9n_word d)
{
    struct cap_slot *slow = NULL, *fast = NULL;
    a9n_error e = descriptor_lookup(root, d, &slow);
    assert_int_equal(descriptor_lookup_fast(root, d, &fast), e);
    assert_ptr_equal(fast, slow); /* the slot on success, untouched otherwise */
}

static void the_one_step_lookup_agrees_with_the_walk(void **state)
{
    struct harness *h = *state;
    make_child_node(h, 10, 3);
    struct cap_slot *s;
    /* A full root slot takes the one step; a stray bit or a wrong depth is refused. */
    assert_int_equal(descriptor_lookup_fast(root_of(h), harness_desc(h, H_GENERIC), &s),
                     A9N_SUCCESS);
    assert_ptr_equal(s, slot_at(h, H_GENERIC));
    assert_int_equal(descriptor_lookup_fast(root_of(h), harness_desc(h, 40), &s),
                     A9N_ERROR_EMPTY_SLOT);
    assert_int_equal(descriptor_lookup_fast(root_of(h), harness_desc(h, H_GENERIC) | 1, &s),
                     A9N_ERROR_INVALID_DESCRIPTOR);
    for (unsigned i = 0; i < 64; i++) {
        a9n_word d = harness_desc(h, i);
        assert_fast_agrees(root_of(h), d);
        for (unsigned bit = 0; bit < 64; bit++)
            assert_fast_agrees(root_of(h), d ^ (1ull << bit));
        for (unsigned j = 0; j < 8; j++)
            assert_fast_agrees(root_of(h), a9n_descriptor_append(d, j, 3));
    }
    for (unsigned depth = 0; depth < 256; depth++)
        assert_fast_agrees(root_of(h), (a9n_word)depth << 56);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (unsigned n = 0; n < 100000; n++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* Mostly near-valid words: the root's depth with random index and low bits. */
        a9n_word d =
            (n & 1) ? x
                    : ((6ull << 56) | (x & ((1ull << 56) - 1) & ~(n & 2 ? 0 : (1ull << 50) - 1)));
        assert_fast_agrees(root_of(h), d);
    }
    /* A root that is not a Node: the walk's INVALID_DEPTH, never a slot. */
    struct cap_slot not_a_node = {0};
    assert_fast_agrees(&not_a_node, harness_desc(h, 1));
    assert_int_equal(descriptor_lookup_fast(&not_a_node, harness_desc(h, 1), &s),
                     A9N_ERROR_INVALID_DEPTH);
}

/* The same for root Nodes of every radix the Generic holds (1..13), with some slots full:
 * the two rotations (descriptor_root_slot) for every shift. */
static void the_one_step_lookup_agrees_for_every_radix(void **state)
{
    struct harness *h = *state;
    enum { FIRST = 20, LARGEST = 13 };
    for (unsigned radix = LARGEST; radix >= 1; radix--) /* largest first: all fit */
        make_child_node(h, FIRST + LARGEST - radix, radix);
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (unsigned radix = 1; radix <= LARGEST; radix++) {
        struct cap_slot *root = slot_at(h, FIRST + LARGEST - radix);
        struct cap_slot *slots = cap_node_slots(&root->cap);
        a9n_word last = (1ull << radix) - 1, full[] = {0, last, last / 2 + 1};
        for (unsigned i = 0; i < 3; i++)
            slots[full[i]].cap.type = A9N_OBJECT_IPC_PORT; /* full, for the lookup only */
        for (unsigned i = 0; i < 3; i++) {
            a9n_word d = a9n_descriptor_root(full[i], radix);
            struct cap_slot *s = NULL;
            assert_int_equal(descriptor_lookup_fast(root, d, &s), A9N_SUCCESS);
            assert_ptr_equal(s, &slots[full[i]]);
            assert_ptr_equal(descriptor_root_slot(root, d), &slots[full[i]]);
            for (unsigned bit = 0; bit < 64; bit++) {
                a9n_word flipped = d ^ (1ull << bit);
                assert_fast_agrees(root, flipped);
                if (bit < 56 - radix || bit >= 56) /* under the index, or in the depth */
                    assert_null(descriptor_root_slot(root, flipped));
            }
        }
        for (unsigned depth = 0; depth < 256; depth++)
            assert_fast_agrees(root, ((a9n_word)depth << 56) | (last << (56 - radix)));
        for (unsigned n = 0; n < 20000; n++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* Random words, and the right depth with a random index and low bits. */
            a9n_word low = (n & 2) ? (x >> 40) & ((1ull << (56 - radix)) - 1) : 0;
            a9n_word d = (n & 1) ? x : ((a9n_word)radix << 56) | ((x & last) << (56 - radix)) | low;
            assert_fast_agrees(root, d);
        }
        for (unsigned i = 0; i < 3; i++)
            slots[full[i]].cap.type = A9N_OBJECT_NONE;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(resolves_a_root_slot),
        HARNESS_TEST(resolves_through_a_nested_node),
        HARNESS_TEST(resolves_three_levels_and_invokes_there),
        HARNESS_TEST(depth_56_is_the_longest_path),
        HARNESS_TEST(depth_above_56_is_an_invalid_descriptor),
        HARNESS_TEST(stray_bits_below_the_depth_are_an_invalid_descriptor),
        HARNESS_TEST(depth_zero_names_no_slot),
        HARNESS_TEST(depth_ending_inside_a_node_index_is_invalid_depth),
        HARNESS_TEST(bits_left_at_a_non_node_are_invalid_depth),
        HARNESS_TEST(an_empty_slot_is_resolved_but_not_looked_up),
        HARNESS_TEST(a_caller_without_root_node_resolves_nothing),
        HARNESS_TEST(a_lookup_may_pass_through_a_node_without_rights),
        HARNESS_TEST(the_one_step_lookup_agrees_with_the_walk),
        HARNESS_TEST(the_one_step_lookup_agrees_for_every_radix),
    };
    return cmocka_run_group_tests_name("core_descriptor", tests, NULL, NULL);
}
