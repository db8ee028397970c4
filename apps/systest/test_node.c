/* Node operations through the system call, with their error codes. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

TEST(node_copy_keeps_rights_and_object)
{
    unsigned port = make_port();
    unsigned copy = slot_alloc();
    CHECK(port != 0);
    CHECK_OK(a9n_node_copy(ROOT, copy, D(port)));
    a9n_word id;
    CHECK_OK(a9n_ipc_port_identify(D(copy), &id));
    CHECK_EQ(id, 0);
}

TEST(node_copy_errors)
{
    unsigned port = make_port();
    unsigned used = make_port();
    unsigned empty = slot_alloc();
    CHECK_EQ(a9n_node_copy(ROOT, used, D(port)), A9N_ERROR_SLOT_OCCUPIED);
    CHECK_EQ(a9n_node_copy(ROOT, slot_alloc(), D(empty)), A9N_ERROR_EMPTY_SLOT);
    CHECK_EQ(a9n_node_copy(ROOT, 1u << ROOT_RADIX, D(port)), A9N_ERROR_INDEX_OUT_OF_RANGE);
    CHECK_EQ(a9n_node_copy(ROOT, slot_alloc(), D(test_generic)), A9N_ERROR_ILLEGAL_OPERATION);
}

TEST(node_copy_needs_copy_right)
{
    unsigned port = make_port();
    unsigned weak = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, weak, D(port), A9N_RIGHT_READ | A9N_RIGHT_WRITE, 0));
    CHECK_EQ(a9n_node_copy(ROOT, slot_alloc(), D(weak)), A9N_ERROR_PERMISSION_DENIED);
}

TEST(node_mint_narrows_and_never_widens)
{
    unsigned port = make_port();
    unsigned narrow = slot_alloc(), wider = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, narrow, D(port), A9N_RIGHT_READ | A9N_RIGHT_COPY, 0));
    /* WRITE is gone: sending through the narrowed capability is refused. */
    struct a9n_message m = {0};
    CHECK_EQ(a9n_ipc_port_send(D(narrow), &m), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_node_mint(ROOT, wider, D(narrow), A9N_RIGHTS_ALL, 0), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_node_mint(ROOT, wider, D(port), 0x10, 0), A9N_ERROR_INVALID_ARGUMENT);
}

TEST(node_mint_sets_identifier_once)
{
    unsigned port = make_port();
    unsigned badged = slot_alloc(), again = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(port), A9N_RIGHTS_ALL, 42));
    a9n_word id;
    CHECK_OK(a9n_ipc_port_identify(D(badged), &id));
    CHECK_EQ(id, 42);
    CHECK_EQ(a9n_node_mint(ROOT, again, D(badged), A9N_RIGHTS_ALL, 7), A9N_ERROR_PERMISSION_DENIED);
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    CHECK_EQ(a9n_node_mint(ROOT, again, D(frame), A9N_RIGHTS_ALL, 7), A9N_ERROR_INVALID_ARGUMENT);
}

TEST(node_move_empties_source)
{
    unsigned port = make_port();
    unsigned to = slot_alloc();
    CHECK_OK(a9n_node_move(ROOT, to, D(port)));
    a9n_word id;
    CHECK_EQ(a9n_ipc_port_identify(D(port), &id), A9N_ERROR_EMPTY_SLOT);
    CHECK_OK(a9n_ipc_port_identify(D(to), &id));
}

TEST(node_demote_drops_rights)
{
    unsigned port = make_port();
    CHECK_OK(a9n_node_demote(ROOT, port, A9N_RIGHT_READ));
    struct a9n_message m = {0};
    CHECK_EQ(a9n_ipc_port_send(D(port), &m), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_node_demote(ROOT, port, A9N_RIGHT_READ | A9N_RIGHT_WRITE),
             A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_node_demote(ROOT, slot_alloc(), 0), A9N_ERROR_EMPTY_SLOT);
}

TEST(node_remove_and_revoke)
{
    unsigned port = make_port();
    unsigned a = slot_alloc(), b = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, a, D(port), A9N_RIGHTS_ALL, 1));
    CHECK_OK(a9n_node_mint(ROOT, b, D(a), A9N_RIGHT_WRITE, 0));
    CHECK_OK(a9n_node_revoke(ROOT, port)); /* a and b derive from port */
    a9n_word id;
    CHECK_EQ(a9n_ipc_port_identify(D(a), &id), A9N_ERROR_EMPTY_SLOT);
    CHECK_EQ(a9n_ipc_port_identify(D(b), &id), A9N_ERROR_EMPTY_SLOT);
    CHECK_OK(a9n_ipc_port_identify(D(port), &id));
    CHECK_OK(a9n_node_remove(ROOT, port));
    CHECK_EQ(a9n_node_remove(ROOT, port), A9N_ERROR_EMPTY_SLOT);
}

TEST(node_needs_rights_on_itself)
{
    unsigned node = make(A9N_OBJECT_NODE, 3);
    unsigned ro = slot_alloc();
    unsigned port = make_port();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(node), A9N_RIGHT_READ, 0));
    CHECK_EQ(a9n_node_copy(D(ro), 0, D(port)), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_node_remove(D(ro), 0), A9N_ERROR_PERMISSION_DENIED);
    CHECK_OK(a9n_node_copy(D(node), 0, D(port)));
    CHECK_EQ(a9n_node_copy(D(node), 8, D(port)), A9N_ERROR_INDEX_OUT_OF_RANGE);
}

TEST(descriptors_through_nested_nodes)
{
    unsigned inner = make(A9N_OBJECT_NODE, 4);
    unsigned port = make_port();
    CHECK_OK(a9n_node_mint(D(inner), 5, D(port), A9N_RIGHTS_ALL, 99));
    a9n_word nested = a9n_descriptor_append(D(inner), 5, 4);
    a9n_word id;
    CHECK_OK(a9n_ipc_port_identify(nested, &id));
    CHECK_EQ(id, 99);
    /* Depth ends inside the inner Node's index bits. */
    a9n_word partial = a9n_descriptor_append(D(inner), 1, 2);
    CHECK_EQ(a9n_ipc_port_identify(partial, &id), A9N_ERROR_INVALID_DEPTH);
    /* Depth goes on past a slot that is not a Node. */
    CHECK_EQ(a9n_ipc_port_identify(a9n_descriptor_append(nested, 0, 4), &id),
             A9N_ERROR_INVALID_DEPTH);
    CHECK_EQ(a9n_ipc_port_identify(~0ull, &id), A9N_ERROR_INVALID_DESCRIPTOR);
}

/* Someone's Node reached through a capability without rights: nothing may leave it by
 * MOVE, as nothing may be removed from it or put into it (issue 9, finding 4). */
TEST(node_move_out_needs_modify_on_the_source_node)
{
    unsigned node = make(A9N_OBJECT_NODE, 3);
    unsigned port = make_port();
    unsigned weak = slot_alloc(), strong = slot_alloc(), to = slot_alloc();
    CHECK_OK(a9n_node_copy(D(node), 2, D(port)));
    CHECK_OK(a9n_node_mint(ROOT, weak, D(node), 0, 0));
    CHECK_OK(a9n_node_mint(ROOT, strong, D(node), A9N_RIGHT_MODIFY, 0));
    a9n_word through_weak = a9n_descriptor_append(D(weak), 2, 3);
    CHECK_EQ(a9n_node_remove(D(weak), 2), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_node_copy(D(weak), 3, D(port)), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_node_move(ROOT, to, through_weak), A9N_ERROR_PERMISSION_DENIED);
    a9n_word id;
    CHECK_OK(a9n_ipc_port_identify(through_weak, &id)); /* still there, and still usable */
    /* MODIFY on the Node holding it is what MOVE needs (as REMOVE does). */
    CHECK_OK(a9n_node_move(ROOT, to, a9n_descriptor_append(D(strong), 2, 3)));
    CHECK_EQ(a9n_ipc_port_identify(through_weak, &id), A9N_ERROR_EMPTY_SLOT);
    CHECK_OK(a9n_ipc_port_identify(D(to), &id));
}

/* A mapped Frame keeps its mapping's rights in the page table: DEMOTE may not take READ or
 * WRITE away under it (the mapping would stay writable), only after UNMAP. */
TEST(node_demote_of_a_mapped_frame_keeps_its_mapping_rights)
{
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    CHECK(frame != 0);
    a9n_word as = D(SLOT_ADDRESS_SPACE);
    for (int i = 0; i < 4; i++) {
        a9n_error e = a9n_address_space_map(as, D(frame), SCRATCH_ADDRESS, A9N_MAP_WRITE, NULL);
        if (e == A9N_SUCCESS)
            break;
        CHECK_EQ(e, A9N_ERROR_MISSING_TABLE);
        CHECK_OK(
            a9n_address_space_map(as, D(make(A9N_OBJECT_PAGE_TABLE, 0)), SCRATCH_ADDRESS, 0, NULL));
    }
    CHECK_EQ(a9n_node_demote(ROOT, frame, A9N_RIGHT_READ | A9N_RIGHT_COPY),
             A9N_ERROR_ALREADY_MAPPED);
    CHECK_EQ(a9n_node_demote(ROOT, frame, A9N_RIGHT_WRITE), A9N_ERROR_ALREADY_MAPPED);
    CHECK_OK(a9n_node_demote(ROOT, frame, A9N_RIGHT_READ | A9N_RIGHT_WRITE)); /* keeps both */
    *(volatile a9n_word *)SCRATCH_ADDRESS = 1;
    CHECK_OK(a9n_address_space_unmap(as, D(frame)));
    CHECK_OK(a9n_node_demote(ROOT, frame, A9N_RIGHT_READ));
}
