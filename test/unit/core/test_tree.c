/* The derivation tree: deep and wide revoke, chains of Nodes destroyed without recursion,
 * cycles, revokes that destroy their own slot, rights that never widen, and the invariant
 * checker itself. */
#include "test_common.h"

#include "invariants.h"

#include <pthread.h>

#define BIG       20 /* root[20], root[21], root[22]: Nodes of radix 12 */
#define BIG_RADIX 12

/* Runs `fn` on a thread with a small stack: 256 KiB, far less than a recursion over
 * thousands of levels would need (with ASan's frames), so anything proportional to the
 * tree's depth would crash here. */
static void run_on_small_stack(void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    pthread_t t;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, 256 * 1024), 0);
    assert_int_equal(pthread_create(&t, &attr, fn, arg), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    pthread_attr_destroy(&attr);
}

static a9n_word big_desc(struct harness *h, unsigned node, a9n_word index)
{
    return a9n_descriptor_append(harness_desc(h, node), index, BIG_RADIX);
}

static struct cap_slot *big_slot(struct harness *h, unsigned node, a9n_word index)
{
    return &cap_node_slots(&slot_at(h, node)->cap)[index];
}

static void make_big_nodes(struct harness *h, unsigned count)
{
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, BIG_RADIX, count, BIG), 0);
}

static unsigned long count_list(struct cap_slot *any)
{
    unsigned long n = 0;
    for (struct cap_slot *s = captree_first(any); s != NULL; s = harness_next(s))
        n++;
    return n;
}

/* A capability call run on the small-stack thread. */
struct call_job {
    struct harness *h;
    struct cap_message m;
    a9n_error result;
};

static void *call_job(void *arg)
{
    struct call_job *j = arg;
    j->result = cap_call(j->h->caller, &j->m);
    return NULL;
}

static a9n_error call_on_small_stack(struct harness *h, a9n_word desc, a9n_word op, a9n_word a2)
{
    a9n_word mr[A9N_MR_REGISTER_COUNT] = {desc, op, a2};
    struct call_job j = {h, {.mr = mr}, A9N_ERROR_FATAL};
    run_on_small_stack(call_job, &j);
    return j.result;
}

/* --- Deep and wide ----------------------------------------------------------------------- */

#define DEEP 10000

static void revoke_of_a_deep_mint_chain_uses_bounded_stack(void **state)
{
    struct harness *h = *state;
    make_big_nodes(h, 3);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 10), 0);
    a9n_word prev = harness_desc(h, 10);
    for (unsigned i = 0; i < DEEP; i++) {
        unsigned node = BIG + i / 4096, index = i % 4096;
        assert_int_equal(harness_call(h, harness_desc(h, node), A9N_NODE_MINT, index, prev,
                                      A9N_RIGHTS_ALL, 0, 0),
                         0);
        prev = big_desc(h, node, index);
    }
    assert_int_equal(harness_depth(big_slot(h, BIG + 2, (DEEP - 1) % 4096)),
                     harness_depth(slot_at(h, 10)) + DEEP);
    harness_check(h);
    assert_int_equal(call_on_small_stack(h, harness_desc(h, H_SELF), A9N_NODE_REVOKE, 10),
                     A9N_SUCCESS);
    for (unsigned i = 0; i < DEEP; i++)
        assert_true(slot_is_empty(big_slot(h, BIG + i / 4096, i % 4096)));
    assert_false(slot_is_empty(slot_at(h, 10)));
}

static void remove_of_the_top_of_a_deep_chain_promotes_it(void **state)
{
    struct harness *h = *state;
    make_big_nodes(h, 1);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 10), 0);
    a9n_word prev = harness_desc(h, 10);
    for (unsigned i = 0; i < 4000; i++) {
        assert_int_equal(
            harness_call(h, harness_desc(h, BIG), A9N_NODE_MINT, i, prev, A9N_RIGHTS_ALL, 0, 0), 0);
        prev = big_desc(h, BIG, i);
    }
    uint32_t top = harness_depth(slot_at(h, 10));
    struct cap_slot *parent = captree_parent(slot_at(h, 10));
    assert_int_equal(call_on_small_stack(h, harness_desc(h, H_SELF), A9N_NODE_REMOVE, 10), 0);
    assert_int_equal(harness_depth(big_slot(h, BIG, 0)), top);
    assert_ptr_equal(captree_parent(big_slot(h, BIG, 0)), parent);
    for (unsigned i = 1; i < 4000; i++)
        assert_ptr_equal(captree_parent(big_slot(h, BIG, i)), big_slot(h, BIG, i - 1));
}

static void revoke_of_a_wide_generic_destroys_every_child(void **state)
{
    struct harness *h = *state;
    make_big_nodes(h, 1);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 19, 1, 5), 0);
    /* 2048 notification ports, and a minted child of each. */
    assert_int_equal(harness_call(h, harness_desc(h, 5), A9N_GENERIC_CONVERT,
                                  A9N_OBJECT_NOTIFICATION_PORT, 0, 2048, harness_desc(h, BIG), 0),
                     0);
    for (unsigned i = 0; i < 2048; i++)
        assert_int_equal(harness_call(h, harness_desc(h, BIG), A9N_NODE_MINT, 2048 + i,
                                      big_desc(h, BIG, i), A9N_RIGHT_WRITE, i + 1, 0),
                         0);
    harness_check(h);
    unsigned long before = count_list(&h->boot_generic);
    assert_int_equal(call_on_small_stack(h, harness_desc(h, H_SELF), A9N_NODE_REVOKE, 5), 0);
    assert_int_equal(count_list(&h->boot_generic), before - 4096);
    assert_int_equal(cap_generic_watermark(&slot_at(h, 5)->cap), 0);
    for (unsigned i = 0; i < 4096; i++)
        assert_true(slot_is_empty(big_slot(h, BIG, i)));
}

/* --- Nodes that hold Nodes --------------------------------------------------------------- */

/* BIG[0] -> Node 0, whose slot 0 holds the only capability to Node 1, ... to Node n-1. */
static void build_node_chain(struct harness *h, unsigned n)
{
    make_big_nodes(h, 1);
    assert_int_equal(harness_call(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                  A9N_OBJECT_NODE, 1, n, harness_desc(h, BIG), 0),
                     0);
    for (unsigned i = n - 1; i > 0; i--)
        assert_int_equal(harness_call(h, big_desc(h, BIG, i - 1), A9N_NODE_MOVE, 0,
                                      big_desc(h, BIG, i), 0, 0, 0),
                         0);
    for (unsigned i = 1; i < n; i++)
        assert_true(slot_is_empty(big_slot(h, BIG, i)));
    harness_check(h);
}

#define CHAIN 4000

static void removing_the_head_of_a_node_chain_uses_bounded_stack(void **state)
{
    struct harness *h = *state;
    build_node_chain(h, CHAIN);
    unsigned long before = count_list(&h->boot_generic);
    assert_int_equal(call_on_small_stack(h, harness_desc(h, BIG), A9N_NODE_REMOVE, 0), 0);
    assert_int_equal(count_list(&h->boot_generic), before - CHAIN);
    assert_true(reaper_is_empty());
}

static void revoking_the_generic_under_a_node_chain_uses_bounded_stack(void **state)
{
    struct harness *h = *state;
    build_node_chain(h, CHAIN);
    assert_int_equal(call_on_small_stack(h, harness_desc(h, H_SELF), A9N_NODE_REVOKE, H_GENERIC),
                     0);
    assert_true(slot_is_empty(slot_at(h, BIG)));
    assert_int_equal(cap_generic_watermark(&slot_at(h, H_GENERIC)->cap), 0);
}

static void a_node_holding_itself_lives_until_its_generic_is_revoked(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 2, 1, 10), 0);
    struct cap_slot *inner = cap_node_slots(&slot_at(h, 10)->cap);
    assert_int_equal(
        harness_call(h, harness_desc(h, 10), A9N_NODE_COPY, 3, harness_desc(h, 10), 0, 0, 0), 0);
    assert_int_equal(h_remove(h, 10), 0);
    /* Unreachable but not freed: its own slot still refers to it. */
    assert_int_equal(inner[3].cap.type, A9N_OBJECT_NODE);
    harness_check(h);
    assert_int_equal(h_revoke(h, H_GENERIC), 0);
    assert_true(slot_is_empty(&inner[3]));
    assert_int_equal(cap_generic_watermark(&slot_at(h, H_GENERIC)->cap), 0);
}

static void a_revoke_may_destroy_the_node_that_holds_the_revoked_capability(void **state)
{
    struct harness *h = *state;
    /* G (in root[5]) makes Node N (root[10]); then G moves into N[0]. */
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 14, 1, 5), 0);
    assert_int_equal(h_convert(h, 5, A9N_OBJECT_NODE, 2, 1, 10), 0);
    struct cap_slot *inner = cap_node_slots(&slot_at(h, 10)->cap);
    assert_int_equal(
        harness_call(h, harness_desc(h, 10), A9N_NODE_MOVE, 0, harness_desc(h, 5), 0, 0, 0), 0);
    harness_check(h);
    /* Revoking G through N destroys N's only capability, so N and G itself go too. */
    assert_int_equal(harness_call(h, harness_desc(h, 10), A9N_NODE_REVOKE, 0, 0, 0, 0, 0), 0);
    assert_true(slot_is_empty(slot_at(h, 10)));
    assert_true(slot_is_empty(&inner[0]));
    assert_int_equal(cap_generic_watermark(&slot_at(h, H_GENERIC)->cap), 0);
}

static void removing_a_node_destroys_what_only_it_held(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 3, 1, 10), 0);
    a9n_word node = harness_desc(h, 10);
    a9n_word port = a9n_descriptor_append(node, 1, 3);
    assert_int_equal(harness_call(h, harness_desc(h, H_GENERIC), A9N_GENERIC_CONVERT,
                                  A9N_OBJECT_IPC_PORT, 0, 1, node, 1),
                     0);
    assert_int_equal(harness_call(h, node, A9N_NODE_MINT, 2, port, A9N_RIGHT_READ, 9, 0), 0);
    assert_int_equal(harness_call(h, harness_desc(h, H_SELF), A9N_NODE_COPY, 11, port, 0, 0, 0), 0);
    struct ipc_port *p = hal_phys_to_virt(slot_at(h, 11)->cap.object);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_PROCESS, 0, 1, 12), 0);
    struct process *w = hal_phys_to_virt(slot_at(h, 12)->cap.object);
    process_block(w, &p->waiters);
    assert_int_equal(h_remove(h, 10), 0);
    /* The port survives through root[11]; the minted child in the Node is gone. */
    assert_int_equal(w->state, PROCESS_BLOCKED);
    assert_false(captree_has_children(slot_at(h, 11)));
    assert_int_equal(h_remove(h, 11), 0);
    assert_int_equal(w->state, PROCESS_READY);
}

static void a_process_and_its_root_node_die_together(void **state)
{
    struct harness *h = *state;
    /* A second process whose root Node holds the only other capability to itself. */
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_PROCESS, 0, 1, 10), 0);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 2, 1, 11), 0);
    struct process *p = hal_phys_to_virt(slot_at(h, 10)->cap.object);
    slot_move(slot_at(h, 11), &p->slots[PROCESS_SLOT_ROOT_NODE]);
    struct cap_slot *inner = cap_node_slots(&p->slots[PROCESS_SLOT_ROOT_NODE].cap);
    slot_copy(slot_at(h, 10), &inner[1], A9N_RIGHTS_ALL);
    p->state = PROCESS_READY;
    assert_int_equal(h_remove(h, 10), 0);
    /* A cycle: still alive, unreachable. The Generic's revoke ends it. */
    assert_int_equal(p->state, PROCESS_READY);
    harness_check(h);
    assert_int_equal(h_revoke(h, H_GENERIC), 0);
    assert_int_equal(p->state, PROCESS_INACTIVE);
    assert_true(slot_is_empty(&p->slots[PROCESS_SLOT_ROOT_NODE]));
}

/* --- Tree shape -------------------------------------------------------------------------- */

static void copies_are_siblings_and_mints_are_children(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 10), 0);
    assert_int_equal(h_mint(h, 11, 10, A9N_RIGHTS_ALL, 0), 0);
    assert_int_equal(h_copy(h, 12, 10), 0);
    assert_int_equal(h_copy(h, 13, 11), 0);
    /* List: G, 12, 10, 13, 11 */
    assert_ptr_equal(harness_next(slot_at(h, H_GENERIC)), slot_at(h, 12));
    assert_ptr_equal(harness_next(slot_at(h, 12)), slot_at(h, 10));
    assert_ptr_equal(harness_next(slot_at(h, 10)), slot_at(h, 13));
    assert_ptr_equal(harness_next(slot_at(h, 13)), slot_at(h, 11));
    assert_ptr_equal(captree_parent(slot_at(h, 13)), slot_at(h, 10));
    assert_ptr_equal(captree_parent(slot_at(h, 12)), slot_at(h, H_GENERIC));
}

static void the_whole_tree_is_one_walkable_list(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 2, 3, 10), 0);
    assert_int_equal(h_mint(h, 20, 10, A9N_RIGHT_READ, 0), 0);
    assert_ptr_equal(captree_first(slot_at(h, 20)), &h->boot_generic);
    unsigned long full = 2; /* the boot slots */
    for (unsigned i = 0; i < 64; i++)
        full += !slot_is_empty(slot_at(h, i));
    for (unsigned i = 0; i < PROCESS_SLOT_COUNT; i++)
        full += !slot_is_empty(&h->caller->slots[i]);
    assert_int_equal(count_list(&h->boot_generic), full);
}

static void a_new_root_goes_after_the_previous_roots_subtree(void **state)
{
    struct harness *h = *state;
    struct cap_slot extra = {0};
    assert_true(generic_make_root(&extra.cap, FAKEHAL_BASE + (12ull << 20), 20, false));
    captree_insert_root(&h->boot_generic, &extra);
    assert_true(captree_is_last(&extra));
    assert_ptr_equal(captree_next_sibling(&h->boot_generic), &extra);
    assert_null(harness_next(&extra)); /* the end of the walk */
    assert_int_equal(harness_depth(&extra), 0);
    assert_null(captree_parent(&extra));
    captree_unlink(&extra);
    assert_true(captree_is_last(&h->boot_generic));
}

/* --- Rights never widen ------------------------------------------------------------------ */

static void no_derivation_widens_rights(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 10), 0);
    for (unsigned have = 0; have <= A9N_RIGHTS_ALL; have++) {
        assert_int_equal(h_copy(h, 11, 10), 0);
        assert_int_equal(h_demote(h, 11, have), 0);
        for (unsigned want = 0; want <= A9N_RIGHTS_ALL; want++) {
            a9n_error e = h_mint(h, 12, 11, want, 0);
            bool allowed = (have & A9N_RIGHT_COPY) && (want & ~have) == 0;
            assert_int_equal(e == A9N_SUCCESS, allowed);
            if (e == A9N_SUCCESS) {
                assert_int_equal(slot_at(h, 12)->cap.rights, want);
                assert_int_equal(h_remove(h, 12), 0);
            }
            e = h_copy(h, 12, 11);
            assert_int_equal(e == A9N_SUCCESS, (have & A9N_RIGHT_COPY) != 0);
            if (e == A9N_SUCCESS) {
                assert_int_equal(slot_at(h, 12)->cap.rights, have);
                assert_int_equal(h_remove(h, 12), 0);
            }
            assert_int_equal(h_move(h, 13, 11), 0);
            assert_int_equal(slot_at(h, 13)->cap.rights, have);
            assert_int_equal(h_move(h, 11, 13), 0);
            e = h_demote(h, 11, want);
            assert_int_equal(e == A9N_SUCCESS, (want & ~have) == 0);
            assert_int_equal(slot_at(h, 11)->cap.rights, e == A9N_SUCCESS ? want : have);
            if (e == A9N_SUCCESS && want != have) {
                assert_int_equal(h_remove(h, 11), 0);
                assert_int_equal(h_copy(h, 11, 10), 0);
                assert_int_equal(h_demote(h, 11, have), 0);
            }
        }
        assert_int_equal(h_remove(h, 11), 0);
    }
}

static void a_chain_of_derivations_only_narrows(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NOTIFICATION_PORT, 0, 1, 10), 0);
    unsigned rights = A9N_RIGHTS_ALL;
    unsigned src = 10;
    const unsigned drop[] = {A9N_RIGHT_MODIFY, A9N_RIGHT_WRITE, A9N_RIGHT_READ};
    for (unsigned i = 0; i < 3; i++) {
        unsigned dst = 20 + i;
        rights &= ~drop[i];
        assert_int_equal(h_mint(h, dst, src, rights, 0), 0);
        /* Asking the new capability for any dropped right fails, whatever the path. */
        for (unsigned j = 0; j <= i; j++) {
            assert_int_equal(h_mint(h, 30, dst, rights | drop[j], 0), A9N_ERROR_PERMISSION_DENIED);
            assert_int_equal(h_demote(h, dst, rights | drop[j]), A9N_ERROR_PERMISSION_DENIED);
        }
        src = dst;
    }
    assert_int_equal(slot_at(h, 22)->cap.rights, A9N_RIGHT_COPY);
    assert_int_equal(h_demote(h, 22, 0), 0);
    assert_int_equal(h_copy(h, 30, 22), A9N_ERROR_PERMISSION_DENIED);
    assert_int_equal(h_mint(h, 30, 22, 0, 0), A9N_ERROR_PERMISSION_DENIED);
}

/* --- The invariant checker catches what it should ---------------------------------------- */

static bool state_is_valid(struct harness *h)
{
    char why[256];
    struct cap_slot *loose[] = {&h->boot_generic, &h->boot_process};
    return invariants_check_slots(loose, 2, why, sizeof(why));
}

/* A sibling ring that does not close, or a last child that names another parent, is
 * caught. */
static void checker_catches_a_first_slot_off_the_root_and_a_broken_link(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 2, 10), 0);
    struct cap_slot *s = slot_at(h, 10), *t = slot_at(h, 11);
    struct cap_slot *prev = s->prev;
    s->prev = NULL;
    assert_false(state_is_valid(h));
    s->prev = prev;
    assert_true(state_is_valid(h));
    struct cap_slot *next = t->next;
    assert_true(captree_is_last(t));
    t->next = (struct cap_slot *)((uintptr_t)s | CAPTREE_PARENT);
    assert_false(state_is_valid(h));
    t->next = next;
    struct cap_slot *first = slot_at(h, H_GENERIC)->child;
    slot_at(h, H_GENERIC)->child = first == s ? t : s;
    assert_false(state_is_valid(h));
    slot_at(h, H_GENERIC)->child = first;
    assert_true(state_is_valid(h));
}

static void checker_catches_objects_outside_the_watermark(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 2, 10), 0);
    struct cap *g = &slot_at(h, H_GENERIC)->cap;
    uint64_t wm = g->data[0];
    g->data[0] = 64; /* the second port would now lie in free memory */
    assert_false(state_is_valid(h));
    g->data[0] = wm;
    assert_true(state_is_valid(h));
}

static void checker_catches_lost_and_dangling_slots(void **state)
{
    struct harness *h = *state;
    /* A full slot nobody linked. */
    slot_at(h, 40)->cap = slot_at(h, H_PROCESS)->cap;
    assert_false(state_is_valid(h));
    memset(&slot_at(h, 40)->cap, 0, sizeof(struct cap));
    /* A linked slot in a Node nobody refers to any more. */
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 2, 1, 10), 0);
    struct cap_slot *inner = cap_node_slots(&slot_at(h, 10)->cap);
    slot_copy(slot_at(h, H_PROCESS), &inner[0], A9N_RIGHTS_ALL);
    struct cap saved = slot_at(h, 10)->cap;
    slot_at(h, 10)->cap.type = A9N_OBJECT_IPC_PORT; /* the Node's capability "vanishes" */
    slot_at(h, 10)->cap.data[0] = 0;
    assert_false(state_is_valid(h));
    slot_at(h, 10)->cap = saved;
    assert_true(state_is_valid(h));
}

static void checker_catches_a_split_run_and_a_stale_watermark(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 2, 10), 0);
    struct cap saved = slot_at(h, 11)->cap;
    assert_int_equal(h_copy(h, 12, 10), 0);
    /* The list is G, 12, 10, 11. Pointing root[12] at the second port splits the second
     * port's capabilities (12 and 11) around root[10]. */
    slot_at(h, 12)->cap.object = saved.object;
    assert_false(state_is_valid(h));
    slot_at(h, 12)->cap.object = slot_at(h, 10)->cap.object;
    assert_true(state_is_valid(h));
    assert_int_equal(h_revoke(h, H_GENERIC), 0);
    slot_at(h, H_GENERIC)->cap.data[0] = 4096;
    assert_false(state_is_valid(h));
    slot_at(h, H_GENERIC)->cap.data[0] = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(revoke_of_a_deep_mint_chain_uses_bounded_stack),
        HARNESS_TEST(remove_of_the_top_of_a_deep_chain_promotes_it),
        HARNESS_TEST(revoke_of_a_wide_generic_destroys_every_child),
        HARNESS_TEST(removing_the_head_of_a_node_chain_uses_bounded_stack),
        HARNESS_TEST(revoking_the_generic_under_a_node_chain_uses_bounded_stack),
        HARNESS_TEST(a_node_holding_itself_lives_until_its_generic_is_revoked),
        HARNESS_TEST(a_revoke_may_destroy_the_node_that_holds_the_revoked_capability),
        HARNESS_TEST(removing_a_node_destroys_what_only_it_held),
        HARNESS_TEST(a_process_and_its_root_node_die_together),
        HARNESS_TEST(copies_are_siblings_and_mints_are_children),
        HARNESS_TEST(the_whole_tree_is_one_walkable_list),
        HARNESS_TEST(a_new_root_goes_after_the_previous_roots_subtree),
        HARNESS_TEST(no_derivation_widens_rights),
        HARNESS_TEST(a_chain_of_derivations_only_narrows),
        HARNESS_TEST(checker_catches_a_first_slot_off_the_root_and_a_broken_link),
        HARNESS_TEST(checker_catches_objects_outside_the_watermark),
        HARNESS_TEST(checker_catches_lost_and_dangling_slots),
        HARNESS_TEST(checker_catches_a_split_run_and_a_stale_watermark),
    };
    return cmocka_run_group_tests_name("core_tree", tests, NULL, NULL);
}
