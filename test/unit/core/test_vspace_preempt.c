/*
 * Preemptible page-table clearing (core/vspace.c, core/slot.c): UNMAP of a Page Table,
 * REMOVE of a mapped Page Table, REMOVE of the last capability to an Address Space, REMOVE
 * of an ASID Pool whose spaces hold trees, REVOKE of the Generic everything came from,
 * REMOVE of a Node whose emptying (the reaper) deletes an Address Space, and CONFIGURE
 * replacing a Process's last Address Space capability. Each runs on big, sparse trees
 * (hundreds of tables, most of each table empty: the costly case), once without interrupts
 * and then with a fake interrupt pending at every 1st, 2nd and 7th question. Every run must
 * end in exactly the same state (the whole arena, byte for byte), the invariants (the
 * page-table invariant included: vspace_check_invariants) must hold at every stop, and the
 * preempted runs must really have stopped.
 */
#include "test_common.h"

#include <a9n/process.h>
#include <a9n/vspace.h>
#include <core/asid.h>
#include <core/preempt.h>
#include <core/vspace.h>

enum {
    V_RADIX = 10,
    R_CONTROL = 4, /* ASID Control */
    R_G2 = 8,      /* the Generic everything below comes from */
    R_POOL = 9,
    R_SPACE = 10, /* two Address Spaces: 10 and 11 */
    R_NODE = 12,  /* a small Node, for the reaper */
    R_PROC = 13,  /* a Process, for CONFIGURE */
    R_TABLES = 16,
    L0_TABLES = 128, /* level-0 tables per space, one frame in each */
    PER_SPACE = 2 + L0_TABLES + L0_TABLES,
};

enum op {
    OP_UNMAP_TABLE,
    OP_REMOVE_TABLE,
    OP_REMOVE_SPACE,
    OP_REMOVE_POOL,
    OP_REVOKE_GENERIC,
    OP_REMOVE_NODE,
    OP_CONFIGURE,
    OP_COUNT,
};

static const char *const op_name[OP_COUNT] = {
    "UNMAP of a level-2 table",
    "REMOVE of a mapped level-2 table",
    "REMOVE of an Address Space",
    "REMOVE of an ASID Pool",
    "REVOKE of the Generic",
    "REMOVE of a Node holding an Address Space",
    "CONFIGURE replacing a Process's Address Space",
};

static unsigned table_slot(unsigned space, unsigned k)
{
    return R_TABLES + space * PER_SPACE + k; /* k: 0 level 2, 1 level 1, 2.. level 0 */
}

static unsigned frame_slot(unsigned space, unsigned k)
{
    return R_TABLES + space * PER_SPACE + 2 + L0_TABLES + k;
}

static void map_direct(struct harness *h, unsigned as, unsigned target, uint64_t va, unsigned a)
{
    assert_int_equal(vspace_map(&slot_at(h, as)->cap, &slot_at(h, target)->cap, va, a),
                     A9N_SUCCESS);
}

/* Two Address Spaces from a pool of their own, each with a level-2 and a level-1 table and
 * L0_TABLES level-0 tables holding one frame each (at 2 MiB steps: each level-0 table is
 * mostly empty). Everything comes from R_G2. */
static void build(struct harness *h)
{
    harness_setup(h, V_RADIX, 23);
    slot_at(h, R_CONTROL)->cap =
        (struct cap){.type = A9N_OBJECT_ASID_CONTROL, .rights = A9N_RIGHTS_ALL};
    captree_insert_root(&h->boot_generic, slot_at(h, R_CONTROL));
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 22, 1, R_G2), A9N_SUCCESS);
    assert_int_equal(harness_call(h, harness_desc(h, R_CONTROL), A9N_ASID_CONTROL_MAKE_POOL,
                                  harness_desc(h, R_G2), harness_desc(h, H_SELF), R_POOL, 0, 0),
                     A9N_SUCCESS);
    assert_int_equal(h_convert(h, R_G2, A9N_OBJECT_ADDRESS_SPACE, 0, 2, R_SPACE), A9N_SUCCESS);
    assert_int_equal(h_convert(h, R_G2, A9N_OBJECT_NODE, 2, 1, R_NODE), A9N_SUCCESS);
    assert_int_equal(h_convert(h, R_G2, A9N_OBJECT_PROCESS, 0, 1, R_PROC), A9N_SUCCESS);
    for (unsigned s = 0; s < 2; s++) {
        unsigned as = R_SPACE + s;
        assert_int_equal(harness_call(h, harness_desc(h, R_POOL), A9N_ASID_POOL_ASSIGN,
                                      harness_desc(h, as), 0, 0, 0, 0),
                         A9N_SUCCESS);
        assert_int_equal(
            h_convert(h, R_G2, A9N_OBJECT_PAGE_TABLE, 0, 2 + L0_TABLES, table_slot(s, 0)),
            A9N_SUCCESS);
        assert_int_equal(h_convert(h, R_G2, A9N_OBJECT_FRAME, 12, L0_TABLES, frame_slot(s, 0)),
                         A9N_SUCCESS);
        map_direct(h, as, table_slot(s, 0), 0, 0);
        map_direct(h, as, table_slot(s, 1), 0, 0);
        for (unsigned k = 0; k < L0_TABLES; k++) {
            uint64_t va = (uint64_t)k << 21;
            map_direct(h, as, table_slot(s, 2 + k), va, 0);
            map_direct(h, as, frame_slot(s, k), va + 0x1000 * (k % 512), A9N_MAP_WRITE);
        }
    }
    /* Space 1 and its level-2 table live in the small Node (for the reaper), and the
     * Process uses space 0 through a copy (for CONFIGURE). */
    struct cap_slot *node = cap_node_slots(&slot_at(h, R_NODE)->cap);
    slot_move(slot_at(h, R_SPACE + 1), &node[0]);
    slot_move(slot_at(h, table_slot(1, 0)), &node[1]);
    harness_check(h);
}

static a9n_error run_op(struct harness *h, enum op op, unsigned long *stops)
{
    a9n_word self = harness_desc(h, H_SELF);
    switch (op) {
    case OP_UNMAP_TABLE:
        return harness_call_restarting(h, harness_desc(h, R_SPACE), A9N_ADDRESS_SPACE_UNMAP,
                                       harness_desc(h, table_slot(0, 0)), 0, 0, 0, 0, stops);
    case OP_REMOVE_TABLE:
        return harness_call_restarting(h, self, A9N_NODE_REMOVE, table_slot(0, 0), 0, 0, 0, 0,
                                       stops);
    case OP_REMOVE_SPACE:
        return harness_call_restarting(h, self, A9N_NODE_REMOVE, R_SPACE, 0, 0, 0, 0, stops);
    case OP_REMOVE_POOL:
        return harness_call_restarting(h, self, A9N_NODE_REMOVE, R_POOL, 0, 0, 0, 0, stops);
    case OP_REVOKE_GENERIC:
        return harness_call_restarting(h, self, A9N_NODE_REVOKE, R_G2, 0, 0, 0, 0, stops);
    case OP_REMOVE_NODE:
        return harness_call_restarting(h, self, A9N_NODE_REMOVE, R_NODE, 0, 0, 0, 0, stops);
    case OP_CONFIGURE: {
        /* The Process holds the last capability to space 0 (prepare); it is given the
         * Node's space 1 instead, which replaces (and destroys) space 0. */
        return harness_call_restarting(
            h, harness_desc(h, R_PROC), A9N_PROCESS_CONFIGURE, A9N_PROCESS_CONFIGURE_ADDRESS_SPACE,
            a9n_descriptor_append(harness_desc(h, R_NODE), 0, 2), 0, 0, 0, stops);
    }
    default:
        return A9N_ERROR_FATAL;
    }
}

/* The state before the operation (for CONFIGURE: the Process holds the last capability to
 * space 0). */
static void prepare(struct harness *h, enum op op)
{
    build(h);
    if (op == OP_CONFIGURE) {
        assert_int_equal(harness_call(h, harness_desc(h, R_PROC), A9N_PROCESS_CONFIGURE,
                                      A9N_PROCESS_CONFIGURE_ADDRESS_SPACE, harness_desc(h, R_SPACE),
                                      0, 0, 0),
                         A9N_SUCCESS);
        assert_int_equal(h_remove(h, R_SPACE), A9N_SUCCESS);
        harness_check(h);
    }
}

/* The checks after the operation, the same for every run. */
static void after(struct harness *h, enum op op)
{
    harness_check(h);
    assert_true(reaper_is_empty());
    switch (op) {
    case OP_UNMAP_TABLE:
    case OP_REMOVE_TABLE:
        assert_false(vspace_cap_is_mapped(&slot_at(h, table_slot(0, 1))->cap));
        assert_false(vspace_cap_is_mapped(&slot_at(h, frame_slot(0, 5))->cap));
        assert_non_null(vspace_root(&slot_at(h, R_SPACE)->cap));
        break;
    case OP_REMOVE_SPACE:
    case OP_REMOVE_POOL:
    case OP_CONFIGURE:
        assert_false(vspace_cap_is_mapped(&slot_at(h, table_slot(0, 0))->cap));
        assert_false(vspace_cap_is_mapped(&slot_at(h, frame_slot(0, 5))->cap));
        break;
    case OP_REVOKE_GENERIC:
        assert_true(slot_is_empty(slot_at(h, table_slot(0, 0))));
        break;
    default: /* the Node held space 1 */
        assert_true(vspace_cap_is_mapped(&slot_at(h, frame_slot(0, 5))->cap));
        break;
    }
    /* Space 1 is untouched except where it dies with its pool, Generic or Node. */
    bool space1_dies = op == OP_REMOVE_POOL || op == OP_REVOKE_GENERIC || op == OP_REMOVE_NODE;
    if (!space1_dies)
        assert_true(vspace_cap_is_mapped(&slot_at(h, frame_slot(1, 7))->cap));
    else if (op != OP_REVOKE_GENERIC)
        assert_false(vspace_cap_is_mapped(&slot_at(h, frame_slot(1, 7))->cap));
}

/*
 * The work between two questions, seen from outside: how many of the test's Page Table
 * capabilities are mapped. A step of the walk (VSPACE_CLEAR_BUDGET units, 512 or more per
 * level-0 table here) unlinks only a few tables; an unbounded clearing unlinks a whole
 * tree (130 tables) between two questions.
 */
static struct harness *probed;
static unsigned last_mapped, worst_drop;

static unsigned mapped_tables(void)
{
    unsigned n = 0;
    for (unsigned s = 0; s < 2; s++)
        for (unsigned k = 0; k < 2 + L0_TABLES; k++) {
            struct cap_slot *t = slot_at(probed, table_slot(s, k));
            if (k == 0 && s == 1) {
                /* In the small Node, while it lives (a dying one is a zombie). */
                const struct cap *node = &slot_at(probed, R_NODE)->cap;
                if (node->type != A9N_OBJECT_NODE)
                    continue;
                t = &cap_node_slots(node)[1];
            }
            if (t->cap.type == A9N_OBJECT_PAGE_TABLE && vspace_cap_is_mapped(&t->cap))
                n++;
        }
    return n;
}

static void probe(void)
{
    unsigned now = mapped_tables();
    if (now < last_mapped && last_mapped - now > worst_drop)
        worst_drop = last_mapped - now;
    last_mapped = now;
}

enum { MAX_TABLES_PER_STEP = VSPACE_CLEAR_BUDGET / 512 + 2 };

static void one_op(void **state, enum op op)
{
    struct harness *h = *state;
    static unsigned char *reference;
    if (reference == NULL)
        reference = malloc(FAKEHAL_SIZE);
    unsigned long stops = 0;
    prepare(h, op);
    assert_int_equal(run_op(h, op, &stops), A9N_SUCCESS);
    assert_int_equal(stops, 0);
    after(h, op);
    memcpy(reference, fakehal_arena(), FAKEHAL_SIZE);
    struct harness plain = *h;

    static const unsigned every[] = {1, 2, 7};
    static const unsigned long at_least[] = {16, 8, 2};
    for (unsigned k = 0; k < 3; k++) {
        prepare(h, op);
        preempt_set_budget(1);
        fakearch_preempt_every = every[k];
        stops = 0;
        probed = h;
        last_mapped = mapped_tables();
        worst_drop = 0;
        fakearch_on_question = probe;
        assert_int_equal(run_op(h, op, &stops), A9N_SUCCESS);
        fakearch_on_question = NULL;
        fakearch_preempt_every = 0;
        /* No step between two questions unlinked more than a step's worth of tables. */
        print_message("  at most %u tables unlinked between two questions\n", worst_drop);
        assert_true(worst_drop <= MAX_TABLES_PER_STEP);
        print_message("%s, interrupt every %u questions: %lu preemptions\n", op_name[op], every[k],
                      stops);
        assert_true(stops >= at_least[k]);
        after(h, op);
        assert_true(memcmp(reference, fakehal_arena(), FAKEHAL_SIZE) == 0);
        assert_true(memcmp(&plain, h, sizeof plain) == 0);
    }
}

static void unmap_of_a_big_table(void **state)
{
    one_op(state, OP_UNMAP_TABLE);
}

static void remove_of_a_big_mapped_table(void **state)
{
    one_op(state, OP_REMOVE_TABLE);
}

static void remove_of_a_big_address_space(void **state)
{
    one_op(state, OP_REMOVE_SPACE);
}

static void remove_of_a_pool_with_big_spaces(void **state)
{
    one_op(state, OP_REMOVE_POOL);
}

static void revoke_of_everything(void **state)
{
    one_op(state, OP_REVOKE_GENERIC);
}

static void reaper_deleting_a_big_space(void **state)
{
    one_op(state, OP_REMOVE_NODE);
}

static void configure_replacing_a_big_space(void **state)
{
    one_op(state, OP_CONFIGURE);
}

/* Stopped once, the objects are whole: the Address Space whose REMOVE was preempted is
 * still assigned and usable (MAP works, its cleared part stays clear), and the restart
 * finishes and frees its ASID. A preempted UNMAP leaves the table mapped. */
static void between_stops_every_object_is_whole(void **state)
{
    struct harness *h = *state;
    build(h);
    preempt_set_budget(1);
    fakearch_preempt_every = 3;
    assert_int_equal(h_remove(h, R_SPACE), A9N_PREEMPTED);
    fakearch_preempt_every = 0;
    harness_check_preempted(h);
    assert_int_equal(slot_at(h, R_SPACE)->cap.type, A9N_OBJECT_ADDRESS_SPACE);
    assert_non_null(vspace_root(&slot_at(h, R_SPACE)->cap));
    /* The level-2 table is still linked; what was cleared is gone from it. */
    assert_true(vspace_cap_is_mapped(&slot_at(h, table_slot(0, 0))->cap));
    assert_false(vspace_cap_is_mapped(&slot_at(h, frame_slot(0, 0))->cap));
    /* MAP in between works where the tables are still linked (the last level-0 table is
     * cleared last), and the restart undoes it: the space dies. */
    a9n_word last = ((a9n_word)(L0_TABLES - 1) << 21) + 0x2000;
    assert_int_equal(harness_call(h, harness_desc(h, R_SPACE), A9N_ADDRESS_SPACE_MAP,
                                  harness_desc(h, frame_slot(0, 0)), last, 0, 0, 0),
                     A9N_SUCCESS);
    harness_check(h);
    unsigned long stops = 0;
    assert_int_equal(harness_call_restarting(h, harness_desc(h, H_SELF), A9N_NODE_REMOVE, R_SPACE,
                                             0, 0, 0, 0, &stops),
                     A9N_SUCCESS);
    assert_true(slot_is_empty(slot_at(h, R_SPACE)));
    assert_false(vspace_cap_is_mapped(&slot_at(h, frame_slot(0, 0))->cap));
    for (unsigned k = 0; k < 2 + L0_TABLES; k++) {
        const uint64_t *t = hal_phys_to_virt(slot_at(h, table_slot(0, k))->cap.object);
        for (unsigned i = 0; i < 512; i++)
            assert_int_equal(t[i], 0);
    }
    /* Its ASID is free again: a new space gets it. */
    assert_int_equal(h_convert(h, R_G2, A9N_OBJECT_ADDRESS_SPACE, 0, 1, R_SPACE), A9N_SUCCESS);
    assert_int_equal(harness_call(h, harness_desc(h, R_POOL), A9N_ASID_POOL_ASSIGN,
                                  harness_desc(h, R_SPACE), 0, 0, 0, 0),
                     A9N_SUCCESS);
    harness_check(h);

    /* A preempted UNMAP: the table stays mapped, partly cleared; bad input still fails. */
    preempt_set_budget(1);
    fakearch_preempt_every = 1;
    a9n_word t = a9n_descriptor_append(harness_desc(h, R_NODE), 1, 2);
    assert_int_equal(harness_call(h, a9n_descriptor_append(harness_desc(h, R_NODE), 0, 2),
                                  A9N_ADDRESS_SPACE_UNMAP, t, 0, 0, 0, 0),
                     A9N_PREEMPTED);
    fakearch_preempt_every = 0;
    harness_check_preempted(h);
    assert_true(vspace_cap_is_mapped(&cap_node_slots(&slot_at(h, R_NODE)->cap)[1].cap));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_MAPPED,
                         harness_call(h, harness_desc(h, R_SPACE), A9N_ADDRESS_SPACE_UNMAP,
                                      harness_desc(h, table_slot(1, 1)), 0, 0, 0, 0));
    assert_int_equal(harness_call_restarting(h,
                                             a9n_descriptor_append(harness_desc(h, R_NODE), 0, 2),
                                             A9N_ADDRESS_SPACE_UNMAP, t, 0, 0, 0, 0, &stops),
                     A9N_SUCCESS);
    assert_false(vspace_cap_is_mapped(&cap_node_slots(&slot_at(h, R_NODE)->cap)[1].cap));
    harness_check(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(unmap_of_a_big_table),
        HARNESS_TEST(remove_of_a_big_mapped_table),
        HARNESS_TEST(remove_of_a_big_address_space),
        HARNESS_TEST(remove_of_a_pool_with_big_spaces),
        HARNESS_TEST(revoke_of_everything),
        HARNESS_TEST(reaper_deleting_a_big_space),
        HARNESS_TEST(configure_replacing_a_big_space),
        HARNESS_TEST(between_stops_every_object_is_whole),
    };
    return cmocka_run_group_tests_name("core_vspace_preempt", tests, NULL, NULL);
}
