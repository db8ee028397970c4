/* Generic CONVERT through the system call. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

TEST(generic_convert_every_type)
{
    static const unsigned types[][2] = {
        {A9N_OBJECT_NODE, 2},          {A9N_OBJECT_GENERIC, 12},
        {A9N_OBJECT_ADDRESS_SPACE, 0}, {A9N_OBJECT_PAGE_TABLE, 0},
        {A9N_OBJECT_FRAME, 12},        {A9N_OBJECT_PROCESS, 0},
        {A9N_OBJECT_IPC_PORT, 0},      {A9N_OBJECT_NOTIFICATION_PORT, 0},
    };
    for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++)
        CHECK(make(types[i][0], types[i][1]) != 0);
}

TEST(generic_convert_errors)
{
    unsigned dest = slot_alloc();
    unsigned used = make_port();
    a9n_word g = D(test_generic);
    CHECK_EQ(a9n_generic_convert(g, 99, 0, 1, ROOT, dest), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert(g, A9N_OBJECT_DEBUG, 0, 1, ROOT, dest),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert(g, A9N_OBJECT_FRAME, 13, 1, ROOT, dest),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert(g, A9N_OBJECT_IPC_PORT, 0, 0, ROOT, dest),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert(g, A9N_OBJECT_IPC_PORT, 0, 1, ROOT, used),
             A9N_ERROR_SLOT_OCCUPIED);
    CHECK_EQ(a9n_generic_convert(g, A9N_OBJECT_FRAME, 12, 1000, ROOT, dest),
             A9N_ERROR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(a9n_generic_convert(g, A9N_OBJECT_IPC_PORT, 0, 1, D(used), 0), A9N_ERROR_WRONG_TYPE);
}

TEST(generic_exact_fit_then_full)
{
    /* The test's Generic is 2 MiB: 512 frames fit exactly, one more does not. */
    unsigned node = make(A9N_OBJECT_NODE, 10);
    CHECK(node != 0);
    unsigned half = make(A9N_OBJECT_GENERIC, 20);
    CHECK(half != 0);
    CHECK_OK(a9n_generic_convert(D(half), A9N_OBJECT_FRAME, 12, 256, D(node), 0));
    CHECK_EQ(a9n_generic_convert(D(half), A9N_OBJECT_FRAME, 12, 1, D(node), 256),
             A9N_ERROR_NOT_ENOUGH_MEMORY);
}

TEST(generic_reuse_after_revoke)
{
    unsigned g = make(A9N_OBJECT_GENERIC, 16);
    unsigned node = make(A9N_OBJECT_NODE, 5);
    CHECK(g != 0 && node != 0);
    a9n_word first, again;
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_FRAME, 12, 16, D(node), 0));
    CHECK_OK(a9n_frame_get_address(a9n_descriptor_append(D(node), 0, 5), &first));
    CHECK_EQ(a9n_generic_convert(D(g), A9N_OBJECT_FRAME, 12, 1, D(node), 16),
             A9N_ERROR_NOT_ENOUGH_MEMORY);
    CHECK_OK(a9n_node_revoke(ROOT, g)); /* no children left: the watermark resets */
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_FRAME, 12, 16, D(node), 0));
    CHECK_OK(a9n_frame_get_address(a9n_descriptor_append(D(node), 0, 5), &again));
    CHECK_EQ(again, first);
}

TEST(generic_needs_write_right)
{
    unsigned g = make(A9N_OBJECT_GENERIC, 14);
    unsigned moved = slot_alloc();
    CHECK_OK(a9n_node_move(ROOT, moved, D(g)));
    CHECK_OK(a9n_node_demote(ROOT, moved, A9N_RIGHT_READ));
    CHECK_EQ(a9n_generic_convert(D(moved), A9N_OBJECT_IPC_PORT, 0, 1, ROOT, slot_alloc()),
             A9N_ERROR_PERMISSION_DENIED);
}
