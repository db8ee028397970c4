/* Address Spaces, Page Tables and Frames. */
#include "systest.h"

#define ROOT D(SLOT_NODE)
#define VA   0x40000000ull

TEST(vspace_unset_depth_walks_down)
{
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    a9n_word level;
    static const a9n_word expect[] = {2, 1, 0, A9N_DEPTH_NONE};
    for (int i = 0; i < 4; i++) {
        CHECK_OK(a9n_address_space_get_unset_depth(D(as), VA, &level));
        CHECK_EQ(level, expect[i]);
        if (i < 3)
            CHECK_OK(a9n_address_space_map(D(as), D(make(A9N_OBJECT_PAGE_TABLE, 0)), VA, 0, NULL));
    }
    /* Every table exists: one more is refused. */
    CHECK_EQ(a9n_address_space_map(D(as), D(make(A9N_OBJECT_PAGE_TABLE, 0)), VA, 0, NULL),
             A9N_ERROR_ADDRESS_IN_USE);
}

TEST(vspace_map_frame_reports_missing_table)
{
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    a9n_word missing = 0;
    CHECK_EQ(a9n_address_space_map(D(as), D(frame), VA, A9N_MAP_WRITE, &missing),
             A9N_ERROR_MISSING_TABLE);
    CHECK_EQ(missing, 2);
}

static unsigned space_with_tables(a9n_word va)
{
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    for (int i = 0; i < 3; i++)
        if (a9n_address_space_map(D(as), D(make(A9N_OBJECT_PAGE_TABLE, 0)), va, 0, NULL) !=
            A9N_SUCCESS)
            return 0;
    return as;
}

TEST(vspace_map_unmap_frame)
{
    unsigned as = space_with_tables(VA);
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    CHECK(as != 0);
    CHECK_OK(a9n_address_space_map(D(as), D(frame), VA, A9N_MAP_WRITE, NULL));
    CHECK_EQ(a9n_address_space_map(D(as), D(frame), VA + 0x1000, 0, NULL),
             A9N_ERROR_ALREADY_MAPPED);
    unsigned other = make(A9N_OBJECT_FRAME, 12);
    CHECK_EQ(a9n_address_space_map(D(as), D(other), VA, 0, NULL), A9N_ERROR_ADDRESS_IN_USE);
    CHECK_OK(a9n_address_space_unmap(D(as), D(frame)));
    CHECK_EQ(a9n_address_space_unmap(D(as), D(frame)), A9N_ERROR_NOT_MAPPED);
    CHECK_OK(a9n_address_space_map(D(as), D(other), VA, 0, NULL));
}

TEST(vspace_copy_maps_again)
{
    unsigned as = space_with_tables(VA);
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    unsigned copy = slot_alloc();
    CHECK_OK(a9n_address_space_map(D(as), D(frame), VA, 0, NULL));
    CHECK_OK(a9n_node_copy(ROOT, copy, D(frame)));
    CHECK_OK(a9n_address_space_map(D(as), D(copy), VA + 0x1000, 0, NULL));
}

TEST(vspace_refuses_bad_addresses)
{
    unsigned as = space_with_tables(VA);
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    CHECK_EQ(a9n_address_space_map(D(as), D(frame), VA + 8, 0, NULL), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_address_space_map(D(as), D(frame), 0xffff800000000000ull, 0, NULL),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_address_space_map(D(as), D(frame), VA, 0x80, NULL), A9N_ERROR_INVALID_ARGUMENT);
    a9n_word level;
    CHECK_EQ(a9n_address_space_get_unset_depth(D(as), A9N_USER_TOP, &level),
             A9N_ERROR_INVALID_ARGUMENT);
    unsigned port = make_port();
    CHECK_EQ(a9n_address_space_map(D(as), D(port), VA, 0, NULL), A9N_ERROR_WRONG_TYPE);
}

TEST(vspace_frame_rights_bound_the_mapping)
{
    unsigned as = space_with_tables(VA);
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    unsigned ro = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(frame), A9N_RIGHT_READ, 0));
    CHECK_EQ(a9n_address_space_map(D(as), D(ro), VA, A9N_MAP_WRITE, NULL),
             A9N_ERROR_PERMISSION_DENIED);
    CHECK_OK(a9n_address_space_map(D(as), D(ro), VA, 0, NULL));
    unsigned none = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, none, D(frame), 0, 0));
    CHECK_EQ(a9n_address_space_map(D(as), D(none), VA + 0x1000, 0, NULL),
             A9N_ERROR_PERMISSION_DENIED);
}

TEST(vspace_page_tables_cannot_be_copied)
{
    unsigned pt = make(A9N_OBJECT_PAGE_TABLE, 0);
    CHECK_EQ(a9n_node_copy(ROOT, slot_alloc(), D(pt)), A9N_ERROR_ILLEGAL_OPERATION);
}

TEST(frame_get_address_is_aligned_and_distinct)
{
    unsigned a = make(A9N_OBJECT_FRAME, 12), b = make(A9N_OBJECT_FRAME, 12);
    a9n_word pa, pb;
    CHECK_OK(a9n_frame_get_address(D(a), &pa));
    CHECK_OK(a9n_frame_get_address(D(b), &pb));
    CHECK(pa % 4096 == 0 && pb % 4096 == 0 && pa != pb);
    unsigned none = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, none, D(a), A9N_RIGHT_WRITE, 0));
    CHECK_EQ(a9n_frame_get_address(D(none), &pa), A9N_ERROR_PERMISSION_DENIED);
}

/* Memory written through one mapping is seen through another: a shared frame. */
TEST(vspace_shared_frame_in_own_space)
{
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    CHECK(frame != 0);
    a9n_word missing;
    a9n_word as = D(SLOT_ADDRESS_SPACE);
    for (int i = 0; i < 4; i++) {
        a9n_error e = a9n_address_space_map(as, D(frame), SCRATCH_ADDRESS, A9N_MAP_WRITE, &missing);
        if (e == A9N_SUCCESS)
            break;
        CHECK_EQ(e, A9N_ERROR_MISSING_TABLE);
        CHECK_OK(
            a9n_address_space_map(as, D(make(A9N_OBJECT_PAGE_TABLE, 0)), SCRATCH_ADDRESS, 0, NULL));
    }
    unsigned copy = slot_alloc();
    CHECK_OK(a9n_node_copy(D(SLOT_NODE), copy, D(frame)));
    CHECK_OK(a9n_address_space_map(as, D(copy), SCRATCH_ADDRESS + 0x1000, 0, NULL));
    volatile a9n_word *w = (volatile a9n_word *)SCRATCH_ADDRESS;
    volatile a9n_word *r = (volatile a9n_word *)(SCRATCH_ADDRESS + 0x1000);
    w[3] = 0x1234abcd;
    CHECK_EQ(r[3], 0x1234abcd);
    /* Deleting the capability unmaps the page (the cleanup does; here explicitly). */
    CHECK_OK(a9n_address_space_unmap(as, D(copy)));
    CHECK_OK(a9n_address_space_unmap(as, D(frame)));
}
