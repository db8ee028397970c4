/* Node operations: COPY, MOVE, MINT, DEMOTE, REMOVE, REVOKE: each success path, each error,
 * and that every failed call leaves the whole state byte for byte unchanged. */
#include "test_common.h"

#include <hal/hal_user.h>

#define PORT          10 /* root[10] = an IPC Port made in each test that needs one */
#define NO_WRITE_NODE 4

static struct cap_slot *make(struct harness *h, unsigned type, unsigned index)
{
    assert_int_equal(h_convert(h, H_GENERIC, type, 0, 1, index), A9N_SUCCESS);
    return slot_at(h, index);
}

/* root[NO_WRITE_NODE] = the root Node minted with every right but `missing`. */
static a9n_word node_without(struct harness *h, unsigned missing)
{
    assert_int_equal(h_mint(h, NO_WRITE_NODE, H_SELF, A9N_RIGHTS_ALL & ~missing, 0), 0);
    return harness_desc(h, NO_WRITE_NODE);
}

static a9n_error call_on(struct harness *h, a9n_word node, a9n_word op, a9n_word a2, a9n_word a3,
                         a9n_word a4, a9n_word a5)
{
    return harness_call(h, node, op, a2, a3, a4, a5, 0);
}

/* --- COPY -------------------------------------------------------------------------------- */

static void copy_duplicates_the_capability_as_a_sibling(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_copy(h, 11, PORT), A9N_SUCCESS);
    struct cap_slot *copy = slot_at(h, 11);
    assert_memory_equal(&copy->cap, &port->cap, sizeof(struct cap));
    assert_int_equal(harness_depth(copy), harness_depth(port));
    assert_ptr_equal(copy->next, port);
    assert_ptr_equal(captree_parent(copy), slot_at(h, H_GENERIC));
}

static void copy_keeps_rights_and_identifier(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 42), 0);
    assert_int_equal(h_copy(h, 12, 11), A9N_SUCCESS);
    assert_int_equal(slot_at(h, 12)->cap.rights, A9N_RIGHT_WRITE | A9N_RIGHT_COPY);
    assert_int_equal(cap_identifier(&slot_at(h, 12)->cap), 42);
}

static void copy_needs_write_on_the_node(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    a9n_word node = node_without(h, A9N_RIGHT_WRITE);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, node, A9N_NODE_COPY, 11, harness_desc(h, PORT), 0, 0));
}

static void copy_rejects_an_index_out_of_range(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE, h_copy(h, 64, PORT));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE, h_copy(h, 1ull << 63, PORT));
}

static void copy_rejects_an_occupied_destination(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED, h_copy(h, H_PROCESS, PORT));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED, h_copy(h, PORT, PORT));
}

static void copy_rejects_a_bad_source_descriptor(void **state)
{
    struct harness *h = *state;
    a9n_word self = harness_desc(h, H_SELF);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_DESCRIPTOR,
                         call_on(h, self, A9N_NODE_COPY, 11, A9N_DESCRIPTOR_INVALID, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_DEPTH,
                         call_on(h, self, A9N_NODE_COPY, 11, 3ull << 56, 0, 0));
}

static void copy_rejects_an_empty_source(void **state)
{
    struct harness *h = *state;
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_EMPTY_SLOT, h_copy(h, 11, 30));
}

static void copy_of_a_generic_is_illegal(void **state)
{
    struct harness *h = *state;
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION, h_copy(h, 11, H_GENERIC));
}

static void copy_needs_the_copy_right_on_the_source(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_demote(h, PORT, A9N_RIGHT_READ | A9N_RIGHT_WRITE), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED, h_copy(h, 11, PORT));
}

/* --- MOVE -------------------------------------------------------------------------------- */

static void move_relocates_the_capability_and_its_tree_position(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHT_READ, 0), 0);
    struct cap before = port->cap;
    struct cap_slot *prev = port->prev;
    uint32_t depth = harness_depth(port);
    assert_int_equal(h_move(h, 20, PORT), A9N_SUCCESS);
    struct cap_slot *moved = slot_at(h, 20);
    assert_true(slot_is_empty(port));
    assert_null(port->prev);
    assert_null(port->next);
    assert_memory_equal(&moved->cap, &before, sizeof(before));
    assert_ptr_equal(moved->prev, prev == port ? moved : prev); /* an only child: itself */
    assert_ptr_equal(moved->child, slot_at(h, 11));
    assert_ptr_equal(harness_next(moved), slot_at(h, 11));
    assert_int_equal(harness_depth(moved), depth);
    assert_ptr_equal(captree_parent(slot_at(h, 11)), moved);
}

static void move_needs_no_right_on_the_capability_itself(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_demote(h, PORT, 0), 0);
    assert_int_equal(h_move(h, 20, PORT), A9N_SUCCESS);
    assert_int_equal(slot_at(h, 20)->cap.rights, 0);
}

/* A descriptor of root[index] that passes through root[via] (a copy of the root Node). */
static a9n_word through(struct harness *h, unsigned via, unsigned index)
{
    return a9n_descriptor_append(harness_desc(h, via), index, h->root_radix);
}

static void move_needs_modify_on_the_node_holding_the_source(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    node_without(h, A9N_RIGHT_MODIFY);
    /* Into a Node we may write, out of one we may not change: refused, nothing moves. */
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, harness_desc(h, H_SELF), A9N_NODE_MOVE, 20,
                                 through(h, NO_WRITE_NODE, PORT), 0, 0));
    /* The same slot reached through a Node capability with MODIFY moves. */
    assert_int_equal(
        call_on(h, harness_desc(h, H_SELF), A9N_NODE_MOVE, 20, through(h, H_SELF, PORT), 0, 0),
        A9N_SUCCESS);
    assert_true(slot_is_empty(slot_at(h, PORT)));
    assert_int_equal(slot_at(h, 20)->cap.type, A9N_OBJECT_IPC_PORT);
}

static void rights_zero_node_capability_changes_nothing(void **state)
{
    /* Someone's Node reached through a capability without rights: nothing goes in, nothing
     * comes out by MOVE, nothing is removed, demoted or revoked. What the slots hold may
     * still be used and, with COPY on them, copied (reaching is not changing). */
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHTS_ALL, 0), 0);
    assert_int_equal(h_mint(h, NO_WRITE_NODE, H_SELF, 0, 0), 0);
    a9n_word weak = harness_desc(h, NO_WRITE_NODE), self = harness_desc(h, H_SELF);
    a9n_word src = through(h, NO_WRITE_NODE, PORT);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, self, A9N_NODE_MOVE, 20, src, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, weak, A9N_NODE_COPY, 20, harness_desc(h, PORT), 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, weak, A9N_NODE_MOVE, 20, harness_desc(h, PORT), 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, weak, A9N_NODE_MINT, 20, harness_desc(h, PORT), 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, weak, A9N_NODE_REMOVE, PORT, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, weak, A9N_NODE_REVOKE, PORT, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, weak, A9N_NODE_DEMOTE, PORT, 0, 0, 0));
    assert_int_equal(call_on(h, self, A9N_NODE_COPY, 20, src, 0, 0), A9N_SUCCESS);
    assert_int_equal(slot_at(h, 11)->cap.type, A9N_OBJECT_IPC_PORT);
}

static void move_of_a_generic_keeps_its_children_and_watermark(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    uint64_t wm = cap_generic_watermark(&slot_at(h, H_GENERIC)->cap);
    assert_int_equal(h_move(h, 30, H_GENERIC), A9N_SUCCESS);
    assert_int_equal(cap_generic_watermark(&slot_at(h, 30)->cap), wm);
    assert_ptr_equal(captree_parent(slot_at(h, PORT)), slot_at(h, 30));
    assert_int_equal(h_revoke(h, 30), A9N_SUCCESS);
    assert_true(slot_is_empty(slot_at(h, PORT)));
}

static void move_needs_write_on_the_node(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    a9n_word node = node_without(h, A9N_RIGHT_WRITE);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, node, A9N_NODE_MOVE, 11, harness_desc(h, PORT), 0, 0));
}

static void move_rejects_bad_destinations_and_sources(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE, h_move(h, 64, PORT));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED, h_move(h, PORT, PORT));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_EMPTY_SLOT, h_move(h, 11, 12));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_DESCRIPTOR,
                         call_on(h, harness_desc(h, H_SELF), A9N_NODE_MOVE, 11, 1, 0, 0));
}

/* --- MINT -------------------------------------------------------------------------------- */

static void mint_makes_a_child_with_narrower_rights(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHT_READ, 0), A9N_SUCCESS);
    struct cap_slot *child = slot_at(h, 11);
    assert_int_equal(child->cap.rights, A9N_RIGHT_READ);
    assert_int_equal(child->cap.object, port->cap.object);
    assert_int_equal(harness_depth(child), harness_depth(port) + 1);
    assert_ptr_equal(port->child, child);
    assert_ptr_equal(captree_parent(child), port);
}

static void mint_sets_the_identifier_of_ports(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    make(h, A9N_OBJECT_NOTIFICATION_PORT, 20);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHT_WRITE, 0x1234), A9N_SUCCESS);
    assert_int_equal(cap_identifier(&slot_at(h, 11)->cap), 0x1234);
    assert_int_equal(h_mint(h, 21, 20, A9N_RIGHT_WRITE, ~0ull), A9N_SUCCESS);
    assert_true(cap_identifier(&slot_at(h, 21)->cap) == ~0ull);
    assert_int_equal(cap_identifier(&slot_at(h, PORT)->cap), 0);
}

static void mint_rejects_rights_wider_than_the_source(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_demote(h, PORT, A9N_RIGHT_READ | A9N_RIGHT_COPY), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         h_mint(h, 11, PORT, A9N_RIGHT_READ | A9N_RIGHT_WRITE, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED, h_mint(h, 11, PORT, A9N_RIGHTS_ALL, 0));
}

static void mint_rejects_unknown_rights_bits(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT, h_mint(h, 11, PORT, 0x10, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT, h_mint(h, 11, PORT, 1ull << 63, 0));
}

static void mint_identifier_is_only_for_ports(void **state)
{
    struct harness *h = *state;
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT, h_mint(h, 11, H_SELF, A9N_RIGHTS_ALL, 5));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_mint(h, 11, H_PROCESS, A9N_RIGHTS_ALL, 5));
    assert_int_equal(h_mint(h, 11, H_SELF, A9N_RIGHT_READ, 0), A9N_SUCCESS);
    assert_int_equal(slot_at(h, 11)->cap.data[0], slot_at(h, H_SELF)->cap.data[0]);
}

static void mint_cannot_change_an_identifier(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHTS_ALL, 7), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED, h_mint(h, 12, 11, A9N_RIGHTS_ALL, 8));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED, h_mint(h, 12, 11, A9N_RIGHTS_ALL, 7));
    assert_int_equal(h_mint(h, 12, 11, A9N_RIGHT_WRITE, 0), A9N_SUCCESS);
    assert_int_equal(cap_identifier(&slot_at(h, 12)->cap), 7);
}

static void mint_of_a_generic_is_illegal(void **state)
{
    struct harness *h = *state;
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION,
                         h_mint(h, 11, H_GENERIC, A9N_RIGHT_READ, 0));
}

static void mint_needs_the_copy_right_on_the_source(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_demote(h, PORT, A9N_RIGHT_WRITE), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED, h_mint(h, 11, PORT, A9N_RIGHT_WRITE, 0));
}

static void mint_checks_destination_and_source_like_copy(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE, h_mint(h, 99, PORT, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED, h_mint(h, H_SELF, PORT, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_EMPTY_SLOT, h_mint(h, 11, 12, 0, 0));
    a9n_word node = node_without(h, A9N_RIGHT_WRITE);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, node, A9N_NODE_MINT, 11, harness_desc(h, PORT), 0, 0));
}

/* --- DEMOTE ------------------------------------------------------------------------------ */

static void demote_narrows_rights_in_place(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    struct cap_slot *prev = port->prev;
    assert_int_equal(h_demote(h, PORT, A9N_RIGHT_READ | A9N_RIGHT_COPY), A9N_SUCCESS);
    assert_int_equal(port->cap.rights, A9N_RIGHT_READ | A9N_RIGHT_COPY);
    assert_ptr_equal(port->prev, prev);
    assert_int_equal(h_demote(h, PORT, A9N_RIGHT_READ | A9N_RIGHT_COPY), A9N_SUCCESS);
    assert_int_equal(h_demote(h, PORT, 0), A9N_SUCCESS);
    assert_int_equal(port->cap.rights, 0);
}

static void demote_rejects_widening_and_unknown_bits(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_demote(h, PORT, A9N_RIGHT_READ), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED, h_demote(h, PORT, A9N_RIGHT_WRITE));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT, h_demote(h, PORT, 0x30));
}

static void demote_needs_modify_and_a_full_slot_in_range(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    a9n_word node = node_without(h, A9N_RIGHT_MODIFY);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, node, A9N_NODE_DEMOTE, PORT, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE, h_demote(h, 64, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_EMPTY_SLOT, h_demote(h, 33, 0));
}

static void demote_leaves_derived_capabilities_alone(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHT_READ | A9N_RIGHT_WRITE, 0), 0);
    assert_int_equal(h_demote(h, PORT, A9N_RIGHT_MODIFY), 0);
    assert_int_equal(slot_at(h, 11)->cap.rights, A9N_RIGHT_READ | A9N_RIGHT_WRITE);
    /* ...but revoking the demoted parent still takes them back. */
    assert_int_equal(h_revoke(h, PORT), 0);
    assert_true(slot_is_empty(slot_at(h, 11)));
}

/* --- REMOVE ------------------------------------------------------------------------------ */

static void remove_empties_the_slot(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_copy(h, 11, PORT), 0);
    assert_int_equal(h_remove(h, PORT), A9N_SUCCESS);
    assert_true(slot_is_empty(port));
    assert_null(port->next);
    assert_null(port->prev);
    assert_ptr_equal(captree_parent(slot_at(h, 11)), slot_at(h, H_GENERIC));
}

static void remove_needs_modify_and_a_full_slot_in_range(void **state)
{
    struct harness *h = *state;
    a9n_word node = node_without(h, A9N_RIGHT_MODIFY);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, node, A9N_NODE_REMOVE, H_PROCESS, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE, h_remove(h, 64));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_EMPTY_SLOT, h_remove(h, 40));
}

static void remove_promotes_children_to_the_parent(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    uint32_t depth = harness_depth(port);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHT_READ | A9N_RIGHT_COPY, 0), 0);
    assert_int_equal(h_mint(h, 12, 11, A9N_RIGHT_READ, 0), 0);
    assert_int_equal(h_remove(h, PORT), A9N_SUCCESS);
    assert_int_equal(harness_depth(slot_at(h, 11)), depth);
    assert_int_equal(harness_depth(slot_at(h, 12)), depth + 1);
    assert_ptr_equal(captree_parent(slot_at(h, 11)), slot_at(h, H_GENERIC));
    assert_ptr_equal(captree_parent(slot_at(h, 12)), slot_at(h, 11));
}

static void remove_of_the_last_ipc_port_capability_wakes_its_waiters(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    struct ipc_port *p = hal_phys_to_virt(port->cap.object);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_PROCESS, 0, 2, 20), 0);
    struct process *a = hal_phys_to_virt(slot_at(h, 20)->cap.object);
    struct process *b = hal_phys_to_virt(slot_at(h, 21)->cap.object);
    process_block(a, &p->waiters);
    process_block(b, &p->waiters);
    assert_int_equal(h_copy(h, 11, PORT), 0);
    assert_int_equal(h_remove(h, PORT), 0);
    assert_int_equal(a->state, PROCESS_BLOCKED); /* a copy still refers to the port */
    assert_int_equal(h_remove(h, 11), 0);
    assert_int_equal(a->state, PROCESS_READY);
    assert_int_equal(b->state, PROCESS_READY);
    assert_int_equal(hal_syscall_mr(&a->context, A9N_MR_ERROR), A9N_ERROR_DESTROYED);
    assert_int_equal(hal_syscall_mr(&b->context, A9N_MR_ERROR), A9N_ERROR_DESTROYED);
    assert_null(p->waiters.head);
}

static void remove_of_the_last_notification_capability_wakes_its_waiters(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_NOTIFICATION_PORT, PORT);
    struct notification_port *n = hal_phys_to_virt(port->cap.object);
    struct cap_slot *ps = make(h, A9N_OBJECT_PROCESS, 20);
    struct process *a = hal_phys_to_virt(ps->cap.object);
    process_block(a, &n->waiters);
    assert_int_equal(h_remove(h, PORT), 0);
    assert_int_equal(a->state, PROCESS_READY);
    assert_int_equal(hal_syscall_mr(&a->context, A9N_MR_ERROR), A9N_ERROR_DESTROYED);
}

static void remove_of_the_last_process_capability_stops_it(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    struct ipc_port *p = hal_phys_to_virt(port->cap.object);
    struct cap_slot *ps = make(h, A9N_OBJECT_PROCESS, 20);
    struct process *a = hal_phys_to_virt(ps->cap.object);
    struct cap_slot *qs = make(h, A9N_OBJECT_PROCESS, 21);
    struct process *b = hal_phys_to_virt(qs->cap.object);
    process_block(a, &p->waiters);
    process_block(b, &p->waiters);
    assert_int_equal(h_remove(h, 20), 0);
    assert_int_equal(a->state, PROCESS_INACTIVE);
    assert_ptr_equal(p->waiters.head, b);
    assert_ptr_equal(p->waiters.tail, b);
    assert_null(b->queue_prev);
}

static void removing_a_process_releases_the_capabilities_it_holds(void **state)
{
    struct harness *h = *state;
    struct cap_slot *ps = make(h, A9N_OBJECT_PROCESS, 20);
    struct process *a = hal_phys_to_virt(ps->cap.object);
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    struct ipc_port *p = hal_phys_to_virt(port->cap.object);
    /* The process holds the only other capability to the port (as its resolver port). */
    slot_move(port, &a->slots[PROCESS_SLOT_RESOLVER]);
    struct cap_slot *waiter_slot = make(h, A9N_OBJECT_PROCESS, 21);
    struct process *w = hal_phys_to_virt(waiter_slot->cap.object);
    process_block(w, &p->waiters);
    assert_int_equal(h_remove(h, 20), 0);
    assert_true(slot_is_empty(&a->slots[PROCESS_SLOT_RESOLVER]));
    assert_int_equal(w->state, PROCESS_READY);
    assert_int_equal(hal_syscall_mr(&w->context, A9N_MR_ERROR), A9N_ERROR_DESTROYED);
}

/* --- REVOKE ------------------------------------------------------------------------------ */

static void revoke_destroys_descendants_and_keeps_the_capability(void **state)
{
    struct harness *h = *state;
    struct cap_slot *port = make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_mint(h, 11, PORT, A9N_RIGHTS_ALL, 1), 0);
    assert_int_equal(h_mint(h, 12, 11, A9N_RIGHT_READ | A9N_RIGHT_COPY, 0), 0);
    assert_int_equal(h_copy(h, 13, 12), 0);
    assert_int_equal(h_revoke(h, PORT), A9N_SUCCESS);
    for (unsigned i = 11; i <= 13; i++)
        assert_true(slot_is_empty(slot_at(h, i)));
    assert_false(slot_is_empty(port));
    assert_false(captree_has_children(port));
}

static void revoke_leaves_copies_alone(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    assert_int_equal(h_copy(h, 11, PORT), 0);
    assert_int_equal(h_mint(h, 12, 11, A9N_RIGHT_READ, 0), 0);
    assert_int_equal(h_revoke(h, PORT), A9N_SUCCESS);
    assert_false(slot_is_empty(slot_at(h, 11)));
    assert_false(slot_is_empty(slot_at(h, 12)));
    assert_int_equal(h_revoke(h, 11), A9N_SUCCESS);
    assert_true(slot_is_empty(slot_at(h, 12)));
}

static void revoke_without_children_changes_nothing(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, PORT);
    struct snapshot *s = snapshot_take(h);
    assert_int_equal(h_revoke(h, PORT), A9N_SUCCESS);
    snapshot_assert_same(s, h);
}

static void revoke_needs_modify_and_a_full_slot_in_range(void **state)
{
    struct harness *h = *state;
    a9n_word node = node_without(h, A9N_RIGHT_MODIFY);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         call_on(h, node, A9N_NODE_REVOKE, H_GENERIC, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE, h_revoke(h, 1000));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_EMPTY_SLOT, h_revoke(h, 40));
}

/* --- Dispatch ---------------------------------------------------------------------------- */

static void unknown_node_operations_are_illegal(void **state)
{
    struct harness *h = *state;
    a9n_word self = harness_desc(h, H_SELF);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION, call_on(h, self, 0, 11, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION, call_on(h, self, 7, 11, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION, call_on(h, self, ~0ull, 11, 0, 0, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION,
                         call_on(h, self, A9N_GENERIC_CONVERT + 100, 0, 0, 0, 0));
}

static void page_tables_have_no_operations(void **state)
{
    /* A Page Table is mapped and unmapped through its Address Space. */
    struct harness *h = *state;
    const unsigned types[] = {A9N_OBJECT_PAGE_TABLE};
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        a9n_word bits = types[i] == A9N_OBJECT_FRAME ? 12 : 0;
        assert_int_equal(h_convert(h, H_GENERIC, types[i], bits, 1, 20 + i), 0);
        for (a9n_word op = 0; op < 8; op++)
            EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION,
                                 harness_call(h, harness_desc(h, 20 + i), op, 0, 0, 0, 0, 0));
    }
}

static void message_registers_report_success_and_errors(void **state)
{
    struct harness *h = *state;
    a9n_word ok[A9N_MR_REGISTER_COUNT] = {harness_desc(h, H_SELF), A9N_NODE_COPY, 11,
                                          harness_desc(h, H_PROCESS)};
    struct cap_message m = {.mr = ok};
    assert_int_equal(cap_call(h->caller, &m), A9N_SUCCESS);
    assert_int_equal(m.mr[A9N_MR_SUCCESS], 1);
    assert_int_equal(m.mr[A9N_MR_ERROR], A9N_SUCCESS);
    a9n_word refused[A9N_MR_REGISTER_COUNT] = {harness_desc(h, H_SELF), A9N_NODE_COPY, 11,
                                               harness_desc(h, H_PROCESS)};
    struct cap_message f = {.mr = refused};
    assert_int_equal(cap_call(h->caller, &f), A9N_ERROR_SLOT_OCCUPIED);
    assert_int_equal(f.mr[A9N_MR_SUCCESS], 0);
    assert_int_equal(f.mr[A9N_MR_ERROR], A9N_ERROR_SLOT_OCCUPIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(copy_duplicates_the_capability_as_a_sibling),
        HARNESS_TEST(copy_keeps_rights_and_identifier),
        HARNESS_TEST(copy_needs_write_on_the_node),
        HARNESS_TEST(copy_rejects_an_index_out_of_range),
        HARNESS_TEST(copy_rejects_an_occupied_destination),
        HARNESS_TEST(copy_rejects_a_bad_source_descriptor),
        HARNESS_TEST(copy_rejects_an_empty_source),
        HARNESS_TEST(copy_of_a_generic_is_illegal),
        HARNESS_TEST(copy_needs_the_copy_right_on_the_source),
        HARNESS_TEST(move_relocates_the_capability_and_its_tree_position),
        HARNESS_TEST(move_needs_no_right_on_the_capability_itself),
        HARNESS_TEST(move_needs_modify_on_the_node_holding_the_source),
        HARNESS_TEST(rights_zero_node_capability_changes_nothing),
        HARNESS_TEST(move_of_a_generic_keeps_its_children_and_watermark),
        HARNESS_TEST(move_needs_write_on_the_node),
        HARNESS_TEST(move_rejects_bad_destinations_and_sources),
        HARNESS_TEST(mint_makes_a_child_with_narrower_rights),
        HARNESS_TEST(mint_sets_the_identifier_of_ports),
        HARNESS_TEST(mint_rejects_rights_wider_than_the_source),
        HARNESS_TEST(mint_rejects_unknown_rights_bits),
        HARNESS_TEST(mint_identifier_is_only_for_ports),
        HARNESS_TEST(mint_cannot_change_an_identifier),
        HARNESS_TEST(mint_of_a_generic_is_illegal),
        HARNESS_TEST(mint_needs_the_copy_right_on_the_source),
        HARNESS_TEST(mint_checks_destination_and_source_like_copy),
        HARNESS_TEST(demote_narrows_rights_in_place),
        HARNESS_TEST(demote_rejects_widening_and_unknown_bits),
        HARNESS_TEST(demote_needs_modify_and_a_full_slot_in_range),
        HARNESS_TEST(demote_leaves_derived_capabilities_alone),
        HARNESS_TEST(remove_empties_the_slot),
        HARNESS_TEST(remove_needs_modify_and_a_full_slot_in_range),
        HARNESS_TEST(remove_promotes_children_to_the_parent),
        HARNESS_TEST(remove_of_the_last_ipc_port_capability_wakes_its_waiters),
        HARNESS_TEST(remove_of_the_last_notification_capability_wakes_its_waiters),
        HARNESS_TEST(remove_of_the_last_process_capability_stops_it),
        HARNESS_TEST(removing_a_process_releases_the_capabilities_it_holds),
        HARNESS_TEST(revoke_destroys_descendants_and_keeps_the_capability),
        HARNESS_TEST(revoke_leaves_copies_alone),
        HARNESS_TEST(revoke_without_children_changes_nothing),
        HARNESS_TEST(revoke_needs_modify_and_a_full_slot_in_range),
        HARNESS_TEST(unknown_node_operations_are_illegal),
        HARNESS_TEST(page_tables_have_no_operations),
        HARNESS_TEST(message_registers_report_success_and_errors),
    };
    return cmocka_run_group_tests_name("core_node", tests, NULL, NULL);
}
