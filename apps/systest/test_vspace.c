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

/* Maps the Frame in `frame` writable at `va` in our own space, making tables as needed. */
static volatile uint8_t *view(unsigned frame, a9n_word va)
{
    for (int i = 0; i < 4; i++) {
        a9n_word missing;
        a9n_error e =
            a9n_address_space_map(D(SLOT_ADDRESS_SPACE), D(frame), va, A9N_MAP_WRITE, &missing);
        if (e == A9N_SUCCESS)
            return (volatile uint8_t *)va;
        if (e != A9N_ERROR_MISSING_TABLE ||
            a9n_address_space_map(D(SLOT_ADDRESS_SPACE), D(make(A9N_OBJECT_PAGE_TABLE, 0)), va, 0,
                                  NULL) != A9N_SUCCESS)
            return NULL;
    }
    return NULL;
}

/* Frame COPY: the bytes arrive at the offset asked, nothing around them changes, and the
 * source keeps them; neither Frame needs a mapping (the destination has none here). */
TEST(frame_copy_copies_the_range)
{
    unsigned a = make(A9N_OBJECT_FRAME, 12), b = make(A9N_OBJECT_FRAME, 12);
    volatile uint8_t *pa = view(a, SCRATCH_ADDRESS + 0x10000);
    CHECK(pa != NULL);
    for (unsigned i = 0; i < 4096; i++)
        pa[i] = (uint8_t)(i * 7 + 1);
    CHECK_OK(a9n_frame_copy(D(b), D(a), 100, 4000, 96));
    CHECK_OK(a9n_frame_copy(D(b), D(a), 0, 0, 0)); /* nothing, at the ends too */
    CHECK_OK(a9n_frame_copy(D(b), D(a), 4096, 4096, 0));
    volatile uint8_t *pb = view(b, SCRATCH_ADDRESS + 0x11000);
    CHECK(pb != NULL);
    for (unsigned i = 0; i < 4096; i++)
        CHECK_EQ(pb[i], i >= 4000 ? (uint8_t)((i - 3900) * 7 + 1) : 0);
    /* Within one Frame, overlapping: as memmove. */
    CHECK_OK(a9n_frame_copy(D(a), D(a), 0, 1, 8));
    CHECK_EQ(pa[1], 1);
    CHECK_EQ(pa[8], (uint8_t)(7 * 7 + 1));
    CHECK_EQ(pa[9], (uint8_t)(9 * 7 + 1));
    CHECK_OK(a9n_address_space_unmap(D(SLOT_ADDRESS_SPACE), D(a)));
    CHECK_OK(a9n_address_space_unmap(D(SLOT_ADDRESS_SPACE), D(b)));
}

/* Frame COPY refuses: a destination without WRITE, a source without READ, a source that is
 * no Frame or no capability, ranges that leave either Frame (or wrap around), more than a
 * page; an unknown Frame operation. Nothing is written when refused. */
TEST(frame_copy_refuses_bad_arguments)
{
    unsigned a = make(A9N_OBJECT_FRAME, 12), b = make(A9N_OBJECT_FRAME, 12);
    unsigned ro = slot_alloc(), wo = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(b), A9N_RIGHT_READ, 0));
    CHECK_OK(a9n_node_mint(ROOT, wo, D(a), A9N_RIGHT_WRITE, 0));
    CHECK_EQ(a9n_frame_copy(D(ro), D(a), 0, 0, 8), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_frame_copy(D(b), D(wo), 0, 0, 8), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_frame_copy(D(b), D(make_port()), 0, 0, 8), A9N_ERROR_WRONG_TYPE);
    CHECK_EQ(a9n_frame_copy(D(b), D(slot_alloc()), 0, 0, 8), A9N_ERROR_EMPTY_SLOT);
    CHECK_EQ(a9n_frame_copy(D(b), A9N_DESCRIPTOR_INVALID, 0, 0, 8), A9N_ERROR_INVALID_DESCRIPTOR);
    CHECK_EQ(a9n_frame_copy(D(b), D(a), 0, 0, 4097), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_frame_copy(D(b), D(a), 4000, 0, 97), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_frame_copy(D(b), D(a), 0, 4000, 97), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_frame_copy(D(b), D(a), 4097, 0, 0), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_frame_copy(D(b), D(a), ~0ull, 0, 2), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_frame_copy(D(b), D(a), 0, ~0ull - 1, 4), A9N_ERROR_INVALID_ARGUMENT);
    struct a9n_regs r = {{D(b), A9N_FRAME_COPY + 1}};
    CHECK_EQ(a9n_capability_call(&r), A9N_ERROR_ILLEGAL_OPERATION);
    /* A bad length at a good place wrote nothing. */
    volatile uint8_t *pa = view(a, SCRATCH_ADDRESS + 0x12000);
    CHECK(pa != NULL);
    pa[0] = 0x5a;
    CHECK_EQ(a9n_frame_copy(D(b), D(a), 0, 0, 4097), A9N_ERROR_INVALID_ARGUMENT);
    volatile uint8_t *pb = view(b, SCRATCH_ADDRESS + 0x13000);
    CHECK(pb != NULL);
    CHECK_EQ(pb[0], 0);
    CHECK_OK(a9n_address_space_unmap(D(SLOT_ADDRESS_SPACE), D(a)));
    CHECK_OK(a9n_address_space_unmap(D(SLOT_ADDRESS_SPACE), D(b)));
}

/* Generic CONVERT_FILLED over memory that held other bytes: a child Generic's Frame is
 * written and removed (the Generic's watermark goes back to 0), and the Frame made filled
 * from the same memory holds the source's range and zero everywhere else. */
TEST(generic_convert_filled_fills_over_old_memory)
{
    unsigned a = make(A9N_OBJECT_FRAME, 12), g = make(A9N_OBJECT_GENERIC, 14);
    unsigned old = slot_alloc(), f = slot_alloc();
    CHECK(a != 0 && g != 0);
    volatile uint8_t *pa = view(a, SCRATCH_ADDRESS + 0x14000);
    CHECK(pa != NULL);
    for (unsigned i = 0; i < 4096; i++)
        pa[i] = (uint8_t)(i * 5 + 3);
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_FRAME, 12, 1, ROOT, old));
    a9n_word where, again;
    CHECK_OK(a9n_frame_get_address(D(old), &where));
    volatile uint8_t *po = view(old, SCRATCH_ADDRESS + 0x15000);
    CHECK(po != NULL);
    for (unsigned i = 0; i < 4096; i++)
        po[i] = 0xee;
    CHECK_OK(a9n_address_space_unmap(D(SLOT_ADDRESS_SPACE), D(old)));
    CHECK_OK(a9n_node_remove(ROOT, old));
    CHECK_OK(a9n_generic_convert_filled(D(g), D(a), 100, 3000, 96, ROOT, f));
    CHECK_OK(a9n_frame_get_address(D(f), &again));
    CHECK_EQ(again, where); /* the same memory */
    volatile uint8_t *pf = view(f, SCRATCH_ADDRESS + 0x16000);
    CHECK(pf != NULL);
    for (unsigned i = 0; i < 4096; i++)
        CHECK_EQ(pf[i], i >= 3000 && i < 3096 ? (uint8_t)((i - 2900) * 5 + 3) : 0);
    CHECK_OK(a9n_address_space_unmap(D(SLOT_ADDRESS_SPACE), D(a)));
    CHECK_OK(a9n_address_space_unmap(D(SLOT_ADDRESS_SPACE), D(f)));
}

/* CONVERT_FILLED refuses, each with its own error and nothing made: ranges that leave either
 * Frame (or wrap), a source that is no Frame, no capability or not readable, a full
 * destination slot or no Node, a Generic without a page left. */
TEST(generic_convert_filled_refuses_bad_arguments)
{
    unsigned a = make(A9N_OBJECT_FRAME, 12), g = make(A9N_OBJECT_GENERIC, 12);
    unsigned wo = slot_alloc(), s = slot_alloc(), t = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, wo, D(a), A9N_RIGHT_WRITE, 0));
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), 4000, 0, 97, ROOT, s),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), 0, 4000, 97, ROOT, s),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), 0, 0, 4097, ROOT, s),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), ~0ull, 0, 2, ROOT, s),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), 0, ~0ull - 1, 4, ROOT, s),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(make_port()), 0, 0, 8, ROOT, s),
             A9N_ERROR_WRONG_TYPE);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(slot_alloc()), 0, 0, 8, ROOT, s),
             A9N_ERROR_EMPTY_SLOT);
    CHECK_EQ(a9n_generic_convert_filled(D(g), A9N_DESCRIPTOR_INVALID, 0, 0, 8, ROOT, s),
             A9N_ERROR_INVALID_DESCRIPTOR);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(wo), 0, 0, 8, ROOT, s),
             A9N_ERROR_PERMISSION_DENIED);
    /* (A Generic without WRITE cannot be made: its capability is never minted; the host
     * test convert_filled_fills_and_never_shows_old_memory covers it.) */
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), 0, 0, 8, ROOT, a), A9N_ERROR_SLOT_OCCUPIED);
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), 0, 0, 8, D(a), 0), A9N_ERROR_WRONG_TYPE);
    CHECK_EQ(a9n_node_remove(ROOT, s), A9N_ERROR_EMPTY_SLOT); /* nothing was made */
    /* The one page the Generic has, then none. */
    CHECK_OK(a9n_generic_convert_filled(D(g), D(a), 0, 0, 8, ROOT, s));
    CHECK_EQ(a9n_generic_convert_filled(D(g), D(a), 0, 0, 8, ROOT, t), A9N_ERROR_NOT_ENOUGH_MEMORY);
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

/* ---- issue 9, finding 1: page tables never outlive their mappings ---- */

/* Three tables and a frame at `va` in a new Address Space. */
struct chain {
    unsigned as, t2, t1, t0, f;
};

static bool chain_at(struct chain *c, a9n_word va)
{
    c->as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    c->t2 = make(A9N_OBJECT_PAGE_TABLE, 0);
    c->t1 = make(A9N_OBJECT_PAGE_TABLE, 0);
    c->t0 = make(A9N_OBJECT_PAGE_TABLE, 0);
    c->f = make(A9N_OBJECT_FRAME, 12);
    return a9n_address_space_map(D(c->as), D(c->t2), va, 0, NULL) == A9N_SUCCESS &&
           a9n_address_space_map(D(c->as), D(c->t1), va, 0, NULL) == A9N_SUCCESS &&
           a9n_address_space_map(D(c->as), D(c->t0), va, 0, NULL) == A9N_SUCCESS &&
           a9n_address_space_map(D(c->as), D(c->f), va, A9N_MAP_WRITE, NULL) == A9N_SUCCESS;
}

TEST(vspace_unmap_below_an_unmapped_parent_unmaps_nothing)
{
    struct chain c;
    CHECK(chain_at(&c, VA));
    CHECK_OK(a9n_address_space_unmap(D(c.as), D(c.t2)));
    /* The parent took everything below with it: the child is not mapped any more, and
     * saying SUCCESS here (as before) would hide that it still held entries. */
    CHECK_EQ(a9n_address_space_unmap(D(c.as), D(c.t1)), A9N_ERROR_NOT_MAPPED);
    CHECK_EQ(a9n_address_space_unmap(D(c.as), D(c.t0)), A9N_ERROR_NOT_MAPPED);
    CHECK_EQ(a9n_address_space_unmap(D(c.as), D(c.f)), A9N_ERROR_NOT_MAPPED);
    CHECK_EQ(a9n_address_space_unmap(D(c.as), D(make(A9N_OBJECT_FRAME, 12))), A9N_ERROR_NOT_MAPPED);
}

TEST(vspace_unlinked_table_relinked_elsewhere_is_empty)
{
    struct chain c;
    CHECK(chain_at(&c, VA));
    CHECK_OK(a9n_address_space_unmap(D(c.as), D(c.t1)));
    /* The exploit: "unmap" the orphaned level-0 table (it used to say SUCCESS and keep its
     * entries), then link it again as a level-2 table: had it kept its entry, the frame
     * would now pose as a level-1 table under it, its bytes read as entries. */
    a9n_error unmapped = a9n_address_space_unmap(D(c.as), D(c.t0));
    a9n_word other = 0x0000400000000000ull;
    CHECK_OK(a9n_address_space_map(D(c.as), D(c.t0), other, 0, NULL));
    unsigned index = (unsigned)((VA >> 12) & 511);
    a9n_word level;
    CHECK_OK(a9n_address_space_get_unset_depth(D(c.as), other + ((a9n_word)index << 30), &level));
    CHECK_EQ(level, 1);
    CHECK_EQ(unmapped, A9N_ERROR_NOT_MAPPED);
}

TEST(vspace_frame_deleted_below_an_unlinked_table_is_gone)
{
    struct chain c;
    CHECK(chain_at(&c, VA));
    CHECK_OK(a9n_address_space_unmap(D(c.as), D(c.t1)));
    a9n_error unmapped = a9n_address_space_unmap(D(c.as), D(c.t0)); /* as in the exploit */
    CHECK_OK(a9n_node_remove(ROOT, c.f));
    /* Link the tables back: the deleted frame's entry must not be there (it was memory that
     * could be a kernel object by now), so the address takes a new frame. */
    CHECK_OK(a9n_address_space_map(D(c.as), D(c.t1), VA, 0, NULL));
    CHECK_EQ(a9n_address_space_map(D(c.as), D(c.t0), VA, 0, NULL), A9N_SUCCESS);
    a9n_word level;
    CHECK_OK(a9n_address_space_get_unset_depth(D(c.as), VA, &level));
    CHECK_EQ(level, A9N_DEPTH_NONE);
    CHECK_OK(a9n_address_space_map(D(c.as), D(make(A9N_OBJECT_FRAME, 12)), VA, 0, NULL));
    CHECK_EQ(unmapped, A9N_ERROR_NOT_MAPPED);
}

TEST(vspace_map_below_a_large_frame_is_address_in_use)
{
    /* A 2 MiB frame and its tables do not fit the test's 2 MiB Generic: take 4 MiB from the
     * pool, and give it back at the end. */
    unsigned g = slot_alloc();
    CHECK_OK(a9n_generic_convert(D(pool_generic), A9N_OBJECT_GENERIC, 22, 1, ROOT, g));
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    unsigned t[3], big = slot_alloc(), small = slot_alloc(), t0 = slot_alloc();
    for (int i = 0; i < 3; i++)
        t[i] = slot_alloc();
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_FRAME, 21, 1, ROOT, big));
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_PAGE_TABLE, 0, 1, ROOT, t[0]));
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_PAGE_TABLE, 0, 1, ROOT, t[1]));
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_PAGE_TABLE, 0, 1, ROOT, t0));
    CHECK_OK(a9n_generic_convert(D(g), A9N_OBJECT_FRAME, 12, 1, ROOT, small));
    CHECK_OK(a9n_address_space_map(D(as), D(t[0]), VA, 0, NULL));
    CHECK_OK(a9n_address_space_map(D(as), D(t[1]), VA, 0, NULL));
    CHECK_OK(a9n_address_space_map(D(as), D(big), VA, 0, NULL));
    CHECK_EQ(a9n_address_space_map(D(as), D(small), VA + 0x5000, 0, NULL),
             A9N_ERROR_ADDRESS_IN_USE);
    CHECK_EQ(a9n_address_space_map(D(as), D(t0), VA + 0x5000, 0, NULL), A9N_ERROR_ADDRESS_IN_USE);
    CHECK_OK(a9n_node_revoke(ROOT, g));
}

/* ---- issue 9, finding 6: ASIDs are a delegated resource ---- */

/* A fresh Address Space without an ASID, or 0. */
static unsigned bare_space(void)
{
    unsigned s = slot_alloc();
    return a9n_generic_convert(D(test_generic), A9N_OBJECT_ADDRESS_SPACE, 0, 1, ROOT, s) ==
                   A9N_SUCCESS
               ? s
               : 0;
}

TEST(vspace_asid_pool_runs_out_alone)
{
#ifdef SYSTEST_DECLARED
    /* Our pool is our own (Alpha made it for us): we exhaust it, nobody else. */
    unsigned pool = SLOT_ASID_POOL;
#else
    /* A new pool, as the first process would make one for a child. */
    unsigned pool = slot_alloc();
    CHECK_OK(
        a9n_asid_control_make_pool(D(A9N_ROOT_SLOT_ASID_CONTROL), D(test_generic), ROOT, pool));
#endif
    unsigned first = 0, s = 0;
    for (unsigned i = 0; i < A9N_ASID_POOL_ENTRIES; i++) {
        s = bare_space();
        CHECK(s != 0);
        CHECK_OK(a9n_asid_pool_assign(D(pool), D(s)));
        if (i == 0)
            first = s;
    }
    unsigned extra = bare_space();
    CHECK_EQ(a9n_asid_pool_assign(D(pool), D(extra)), A9N_ERROR_NO_ASID);
    /* No ASID, no use. */
    CHECK_EQ(a9n_address_space_map(D(extra), D(make(A9N_OBJECT_PAGE_TABLE, 0)), VA, 0, NULL),
             A9N_ERROR_NO_ASID);
#ifndef SYSTEST_DECLARED
    /* The first process's own pool is untouched. */
    CHECK_OK(a9n_asid_pool_assign(D(SLOT_ASID_POOL), D(extra)));
    extra = bare_space();
#endif
    /* A destroyed Address Space gives its ASID back. */
    CHECK_OK(a9n_node_remove(ROOT, first));
    CHECK_OK(a9n_asid_pool_assign(D(pool), D(extra)));
    CHECK_EQ(a9n_asid_pool_assign(D(pool), D(bare_space())), A9N_ERROR_NO_ASID);
}

TEST(vspace_asid_operations_refuse_bad_input)
{
    unsigned as = bare_space(), frame = make(A9N_OBJECT_FRAME, 12);
    CHECK_EQ(a9n_asid_pool_assign(D(SLOT_ASID_POOL), D(frame)), A9N_ERROR_WRONG_TYPE);
    unsigned copy = slot_alloc();
    CHECK_OK(a9n_node_copy(ROOT, copy, D(as)));
    CHECK_EQ(a9n_asid_pool_assign(D(SLOT_ASID_POOL), D(as)), A9N_ERROR_ILLEGAL_OPERATION);
    CHECK_OK(a9n_node_remove(ROOT, copy));
    CHECK_OK(a9n_asid_pool_assign(D(SLOT_ASID_POOL), D(as)));
    CHECK_EQ(a9n_asid_pool_assign(D(SLOT_ASID_POOL), D(as)), A9N_ERROR_ILLEGAL_OPERATION);
    unsigned weak = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, weak, D(SLOT_ASID_POOL), A9N_RIGHT_READ, 0));
    CHECK_EQ(a9n_asid_pool_assign(D(weak), D(bare_space())), A9N_ERROR_PERMISSION_DENIED);
#ifndef SYSTEST_DECLARED
    CHECK_EQ(
        a9n_asid_control_make_pool(D(A9N_ROOT_SLOT_ASID_CONTROL), D(frame), ROOT, slot_alloc()),
        A9N_ERROR_WRONG_TYPE);
#endif
}

#ifndef SYSTEST_DECLARED
/*
 * A child with its own Node holding a Generic, an ASID Pool the first process made for it,
 * a Notification Port and an IPC Port: it makes Address Spaces until its pool says NO_ASID.
 * (Before ASID Pools, a child with 8 MiB could take every ASID of the system.)
 */
#define CHILD_RADIX   4
#define CHILD_SLOT(i) a9n_descriptor_root((i), CHILD_RADIX)
enum {
    CHILD_NODE = 1,
    CHILD_GENERIC = 2,
    CHILD_POOL = 3,
    CHILD_SPACES = 4,
    CHILD_NOTE = 5,
    CHILD_PORT = 6,
    CHILD_SPACES_RADIX = 9
};

static volatile a9n_word child_assigned, child_error;

static void child_drain_asids(a9n_word arg)
{
    a9n_word spaces = CHILD_SLOT(CHILD_SPACES);
    a9n_error e = a9n_generic_convert(CHILD_SLOT(CHILD_GENERIC), A9N_OBJECT_NODE,
                                      CHILD_SPACES_RADIX, 1, CHILD_SLOT(CHILD_NODE), CHILD_SPACES);
    a9n_word n = 0;
    while (e == A9N_SUCCESS && n < (1u << CHILD_SPACES_RADIX)) {
        e = a9n_generic_convert(CHILD_SLOT(CHILD_GENERIC), A9N_OBJECT_ADDRESS_SPACE, 0, 1, spaces,
                                n);
        if (e == A9N_SUCCESS)
            e = a9n_asid_pool_assign(CHILD_SLOT(CHILD_POOL),
                                     a9n_descriptor_append(spaces, n, CHILD_SPACES_RADIX));
        if (e == A9N_SUCCESS)
            n++;
    }
    child_assigned = n;
    child_error = e;
    a9n_notification_port_notify(CHILD_SLOT(CHILD_NOTE));
    for (;;) {
        struct a9n_message m = {0};
        a9n_ipc_port_receive(CHILD_SLOT(CHILD_PORT), &m);
    }
}

TEST(vspace_child_exhausts_only_its_own_asid_pool)
{
    child_assigned = 0;
    child_error = A9N_SUCCESS;
    unsigned note = make(A9N_OBJECT_NOTIFICATION_PORT, 0), port = make_port();
    unsigned pool = slot_alloc(), g = slot_alloc();
    CHECK_OK(
        a9n_asid_control_make_pool(D(A9N_ROOT_SLOT_ASID_CONTROL), D(test_generic), ROOT, pool));
    /* 2 MiB of its own: room for more Address Spaces than a pool names. */
    CHECK_OK(a9n_generic_convert(D(pool_generic), A9N_OBJECT_GENERIC, 21, 1, ROOT, g));
    struct child c;
    CHECK(child_create(&c, child_drain_asids, 0, 100, 0, 0));
    CHECK_OK(a9n_node_copy(D(c.node), CHILD_NODE, D(c.node)));
    CHECK_OK(a9n_node_move(D(c.node), CHILD_GENERIC, D(g)));
    CHECK_OK(a9n_node_copy(D(c.node), CHILD_POOL, D(pool)));
    CHECK_OK(a9n_node_copy(D(c.node), CHILD_NOTE, D(note)));
    CHECK_OK(a9n_node_copy(D(c.node), CHILD_PORT, D(port)));
    a9n_word w;
    CHECK_OK(a9n_notification_port_wait(D(note), &w));
    CHECK_EQ(child_error, A9N_ERROR_NO_ASID);
    CHECK_EQ(child_assigned, A9N_ASID_POOL_ENTRIES);
    /* The first process still makes Address Spaces from its own pool. */
    unsigned mine = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    CHECK(mine != 0);
    CHECK_OK(a9n_address_space_map(D(mine), D(make(A9N_OBJECT_PAGE_TABLE, 0)), VA, 0, NULL));
    /* The child's memory goes back to the pool Generic whole. */
    CHECK_OK(a9n_node_revoke(D(c.node), CHILD_GENERIC));
    CHECK_OK(a9n_node_remove(D(c.node), CHILD_GENERIC));
}
#endif
