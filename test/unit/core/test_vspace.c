/*
 * Address Spaces, Page Tables, Frames and ASID Pools over the fake HAL (the real x86_64
 * table logic, kernel/arch/x86_64/vspace.c, on arena memory).
 *
 * The invariant of core/vspace.h is checked after every step twice: by the kernel's own
 * checker (harness_check) and by an independent walk here that reads the raw x86_64
 * entries: every present user entry at every level points to an object a capability in
 * the root Node refers to, whose mapping record names exactly that entry; every Page Table
 * that is not linked is all zero. The random sequences at the end do this after each of
 * thousands of calls.
 */
#include "test_common.h"
#include "test_rng.h"

#include <a9n/vspace.h>
#include <core/asid.h>
#include <core/vspace.h>
#include <hal/hal_vspace.h>
#include <stdio.h>

#define V_RADIX   10
#define V_GENERIC 23
#define S_CONTROL 4    /* ASID Control */
#define S_POOL    5    /* the ASID Pool MAKE_POOL makes */
#define S_FIRST   8    /* first free slot for the tests' objects */
#define S_END     1024 /* 2^V_RADIX */
#define VA        0x0000123456789000ull

static struct harness H;

static a9n_word d(unsigned i)
{
    return harness_desc(&H, i);
}

static a9n_error map(unsigned as, unsigned target, a9n_word va, a9n_word attributes)
{
    return harness_call(&H, d(as), A9N_ADDRESS_SPACE_MAP, d(target), va, attributes, 0, 0);
}

static a9n_error unmap(unsigned as, unsigned target)
{
    return harness_call(&H, d(as), A9N_ADDRESS_SPACE_UNMAP, d(target), 0, 0, 0, 0);
}

static a9n_error make_pool(unsigned generic, unsigned index)
{
    return harness_call(&H, d(S_CONTROL), A9N_ASID_CONTROL_MAKE_POOL, d(generic), d(H_SELF), index,
                        0, 0);
}

static a9n_error assign(unsigned pool, unsigned as)
{
    return harness_call(&H, d(pool), A9N_ASID_POOL_ASSIGN, d(as), 0, 0, 0, 0);
}

static unsigned next_slot;

/* A new object in the next free slot (the test fails if CONVERT does). */
static unsigned make(unsigned type, unsigned bits)
{
    unsigned s = next_slot++;
    assert_int_equal(h_convert(&H, H_GENERIC, type, bits, 1, s), A9N_SUCCESS);
    return s;
}

/* A new Address Space with an ASID from S_POOL. */
static unsigned make_space(void)
{
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    assert_int_equal(assign(S_POOL, as), A9N_SUCCESS);
    return as;
}

static void *root_of(unsigned as)
{
    return vspace_root(&H.root[as].cap);
}

static uint64_t *table_memory(unsigned slot)
{
    return hal_phys_to_virt(H.root[slot].cap.object);
}

static bool all_zero(unsigned slot)
{
    const uint64_t *t = table_memory(slot);
    for (unsigned i = 0; i < 512; i++)
        if (t[i] != 0)
            return false;
    return true;
}

/* ---- the independent walk over raw x86_64 entries ---- */

enum { PTE_P = 1, PTE_U = 4, PTE_PS = 0x80 };
#define PTE_ADDR 0x000FFFFFFFFFF000ull

/* The root slot of a Frame or Page Table capability whose record names (asid, va) and
 * whose object is `pa`, of the right kind for an entry of `level`; -1 if none. */
static int named_by(uint32_t asid, uint64_t va, unsigned level, bool leaf, paddr_t pa)
{
    for (unsigned s = 0; s < S_END; s++) {
        const struct cap *c = &H.root[s].cap;
        if (c->object != pa || !(c->data[1] & CAP_MAPPED))
            continue;
        if (((c->data[1] >> 16) & 0xffff) != asid || (c->data[0] & ~0xfffull) != va)
            continue;
        if (leaf && c->type == A9N_OBJECT_FRAME && (c->data[0] & 0xff) == 12 + 9 * level)
            return (int)s;
        if (!leaf && c->type == A9N_OBJECT_PAGE_TABLE && (c->data[0] & 0xff) + 1 == level)
            return (int)s;
    }
    return -1;
}

static bool linked[S_END];

static void walk_table(uint32_t asid, const uint64_t *t, unsigned level, uint64_t base)
{
    unsigned n = level == 3 ? 256 : 512;
    for (unsigned i = 0; i < n; i++) {
        uint64_t e = t[i];
        if (!(e & PTE_P))
            continue;
        assert_true(e & PTE_U);
        uint64_t va = base + ((uint64_t)i << (12 + 9 * level));
        bool leaf = level == 0 || (e & PTE_PS);
        int s = named_by(asid, va, level, leaf, e & PTE_ADDR);
        if (s < 0)
            fail_msg("entry %u at level %u (va %#llx) is named by no capability", i, level,
                     (unsigned long long)va);
        if (!leaf) {
            assert_false(linked[s]); /* one table, one place */
            linked[s] = true;
            walk_table(asid, hal_phys_to_virt(e & PTE_ADDR), level - 1, va);
        }
    }
}

static void check_tables(void)
{
    harness_check(&H);
    memset(linked, 0, sizeof linked);
    for (unsigned s = 0; s < S_END; s++) {
        const struct cap *c = &H.root[s].cap;
        if (c->type != A9N_OBJECT_ADDRESS_SPACE)
            continue;
        bool seen = false; /* copies share one space: walk it once */
        for (unsigned k = 0; k < s; k++)
            seen |=
                H.root[k].cap.type == A9N_OBJECT_ADDRESS_SPACE && H.root[k].cap.object == c->object;
        if (seen)
            continue;
        void *root = vspace_root(c);
        if (root == NULL) {
            for (unsigned i = 0; i < 256; i++)
                assert_int_equal(((uint64_t *)hal_phys_to_virt(c->object))[i], 0);
            continue;
        }
        walk_table((uint32_t)(c->data[0] & 0xffffffff), root, 3, 0);
    }
    for (unsigned s = 0; s < S_END; s++)
        if (H.root[s].cap.type == A9N_OBJECT_PAGE_TABLE && !linked[s] && !all_zero(s))
            fail_msg("Page Table in slot %u is not linked but holds entries", s);
}

/* ---- setup ---- */

static int setup(void **state)
{
    harness_setup(&H, V_RADIX, V_GENERIC);
    /* ASID Control, as boot gives it to the first process. */
    H.root[S_CONTROL].cap = (struct cap){.type = A9N_OBJECT_ASID_CONTROL, .rights = A9N_RIGHTS_ALL};
    captree_insert_root(&H.boot_generic, &H.root[S_CONTROL]);
    assert_int_equal(make_pool(H_GENERIC, S_POOL), A9N_SUCCESS);
    next_slot = S_FIRST;
    check_tables();
    return 0;
}

static int teardown(void **state)
{
    check_tables();
    return 0;
}

#define VTEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* Three tables and a frame at VA: slots t2, t1, t0, f. */
struct chain {
    unsigned as, t2, t1, t0, f;
};

static struct chain chain_at(unsigned as, a9n_word va)
{
    struct chain c = {.as = as};
    c.t2 = make(A9N_OBJECT_PAGE_TABLE, 0);
    c.t1 = make(A9N_OBJECT_PAGE_TABLE, 0);
    c.t0 = make(A9N_OBJECT_PAGE_TABLE, 0);
    c.f = make(A9N_OBJECT_FRAME, 12);
    assert_int_equal(map(as, c.t2, va, 0), A9N_SUCCESS);
    assert_int_equal(map(as, c.t1, va, 0), A9N_SUCCESS);
    assert_int_equal(map(as, c.t0, va, 0), A9N_SUCCESS);
    assert_int_equal(map(as, c.f, va, A9N_MAP_WRITE), A9N_SUCCESS);
    check_tables();
    return c;
}

/* ---- finding 1: tables never outlive their mappings ---- */

static void unmap_parent_then_child_says_not_mapped(void **state)
{
    struct chain c = chain_at(make_space(), VA);
    assert_int_equal(unmap(c.as, c.t2), A9N_SUCCESS);
    check_tables();
    /* Everything below went with it, emptied: the child unmaps nothing now. */
    assert_true(all_zero(c.t2) && all_zero(c.t1) && all_zero(c.t0));
    assert_int_equal(unmap(c.as, c.t1), A9N_ERROR_NOT_MAPPED);
    assert_int_equal(unmap(c.as, c.t0), A9N_ERROR_NOT_MAPPED);
    assert_int_equal(unmap(c.as, c.f), A9N_ERROR_NOT_MAPPED);
    paddr_t pa;
    assert_false(hal_vspace_lookup(root_of(c.as), VA, &pa));
}

static void relinked_table_shows_nothing_old(void **state)
{
    struct chain c = chain_at(make_space(), VA);
    assert_int_equal(unmap(c.as, c.t1), A9N_SUCCESS);
    /* The level-0 table that mapped the frame, linked again as a level-2 table elsewhere:
     * it must be empty, so nothing below it resolves. */
    a9n_word other = 0x0000400000000000ull;
    assert_int_equal(map(c.as, c.t0, other, 0), A9N_SUCCESS);
    assert_int_equal(table_memory(c.t0)[0], (uint64_t)0);
    paddr_t pa;
    for (unsigned i = 0; i < 512; i++)
        assert_false(hal_vspace_lookup(root_of(c.as), other + ((uint64_t)i << 30), &pa));
    check_tables();
    /* And the frame maps again only once tables lead to it. */
    assert_int_equal(map(c.as, c.f, other, 0), A9N_ERROR_MISSING_TABLE);
}

static void deleting_a_frame_below_an_unlinked_table_leaves_nothing(void **state)
{
    struct chain c = chain_at(make_space(), VA);
    paddr_t frame = H.root[c.f].cap.object;
    assert_int_equal(unmap(c.as, c.t2), A9N_SUCCESS);
    assert_int_equal(h_remove(&H, c.f), A9N_SUCCESS);
    check_tables();
    /* No table anywhere holds the frame. */
    for (unsigned s = S_FIRST; s < next_slot; s++)
        if (H.root[s].cap.type == A9N_OBJECT_PAGE_TABLE)
            for (unsigned i = 0; i < 512; i++)
                assert_int_not_equal(table_memory(s)[i] & PTE_ADDR, frame);
}

static void deleting_a_mapped_table_empties_its_subtree(void **state)
{
    struct chain c = chain_at(make_space(), VA);
    unsigned f2 = make(A9N_OBJECT_FRAME, 12);
    assert_int_equal(map(c.as, f2, VA + 0x1000, 0), A9N_SUCCESS);
    assert_int_equal(h_remove(&H, c.t1), A9N_SUCCESS);
    check_tables();
    assert_true(all_zero(c.t0));
    assert_true(all_zero(c.t2));
    paddr_t pa;
    assert_false(hal_vspace_lookup(root_of(c.as), VA, &pa));
    /* The frames are free to map again (their records went stale). */
    unsigned t1 = make(A9N_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(map(c.as, t1, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(c.as, c.t0, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(c.as, c.f, VA, 0), A9N_SUCCESS);
    assert_true(hal_vspace_lookup(root_of(c.as), VA, &pa));
    assert_int_equal(pa, H.root[c.f].cap.object);
}

static void unmap_of_nothing_is_an_error(void **state)
{
    unsigned a = make_space(), b = make_space();
    unsigned f = make(A9N_OBJECT_FRAME, 12), t = make(A9N_OBJECT_PAGE_TABLE, 0);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NOT_MAPPED, unmap(a, f));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NOT_MAPPED, unmap(a, t));
    assert_int_equal(map(b, t, VA, 0), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NOT_MAPPED, unmap(a, t)); /* mapped, but elsewhere */
    assert_int_equal(unmap(b, t), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NOT_MAPPED, unmap(b, t));
}

static void map_below_a_large_frame_is_address_in_use(void **state)
{
    unsigned as = make_space();
    unsigned t2 = make(A9N_OBJECT_PAGE_TABLE, 0), t1 = make(A9N_OBJECT_PAGE_TABLE, 0);
    unsigned big = make(A9N_OBJECT_FRAME, 21), small = make(A9N_OBJECT_FRAME, 12);
    unsigned t0 = make(A9N_OBJECT_PAGE_TABLE, 0);
    a9n_word va = 0x0000000040000000ull;
    assert_int_equal(map(as, t2, va, 0), A9N_SUCCESS);
    assert_int_equal(map(as, t1, va, 0), A9N_SUCCESS);
    assert_int_equal(map(as, big, va, 0), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ADDRESS_IN_USE, map(as, small, va + 0x5000, 0));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ADDRESS_IN_USE, map(as, t0, va + 0x5000, 0));
}

static void a_dead_space_leaves_every_table_empty(void **state)
{
    struct chain c = chain_at(make_space(), VA);
    assert_int_equal(h_remove(&H, c.as), A9N_SUCCESS);
    check_tables();
    assert_true(all_zero(c.t2) && all_zero(c.t1) && all_zero(c.t0));
    /* Stale records do not block the objects: they map into a new space. */
    unsigned as = make_space();
    assert_int_equal(map(as, c.t2, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(as, c.t1, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(as, c.t0, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(as, c.f, VA, 0), A9N_SUCCESS);
}

/* The mapping Debug INTROSPECT reports for a Frame (vspace_mapping_report: one walk of the
 * tables): the root and the access every level allows, and 0 as soon as the entry does not
 * map exactly this frame of this size, user-accessible all the way. */
static void mapping_report_reads_the_entry_and_its_access(void **state)
{
    struct chain c = chain_at(make_space(), VA);
    uint64_t as = hal_virt_to_phys(root_of(c.as));
    struct cap *f = &H.root[c.f].cap;
    assert_int_equal(vspace_mapping_report(f), as | A9N_MAP_READ | A9N_MAP_WRITE);
    /* A Page Table reports its root alone. */
    assert_int_equal(vspace_mapping_report(&H.root[c.t0].cap), as);
    /* Read-only and executable, mapped from a second frame. */
    unsigned rx = make(A9N_OBJECT_FRAME, 12);
    assert_int_equal(map(c.as, rx, VA + 0x1000, A9N_MAP_EXECUTE), A9N_SUCCESS);
    assert_int_equal(vspace_mapping_report(&H.root[rx].cap), as | A9N_MAP_READ | A9N_MAP_EXECUTE);
    uint64_t *leaf = &table_memory(c.t0)[(VA >> 12) & 511];
    uint64_t *inner = &table_memory(c.t2)[(VA >> 30) & 511];
    uint64_t saved_leaf = *leaf, saved_inner = *inner;
    /* An inner entry without WRITE takes WRITE away from what it covers. */
    *inner &= ~2ull;
    assert_int_equal(vspace_mapping_report(f), as | A9N_MAP_READ);
    /* An inner entry that is not user-accessible: nothing is mapped for the user. */
    *inner = saved_inner & ~(uint64_t)PTE_U;
    assert_int_equal(vspace_mapping_report(f), 0);
    *inner = saved_inner;
    /* The leaf names another frame, or is not user-accessible: not this frame's mapping. */
    *leaf = (saved_leaf & ~PTE_ADDR) | H.root[rx].cap.object;
    assert_int_equal(vspace_mapping_report(f), 0);
    *leaf = saved_leaf & ~(uint64_t)PTE_U;
    assert_int_equal(vspace_mapping_report(f), 0);
    *leaf = saved_leaf;
    assert_int_equal(vspace_mapping_report(f), as | A9N_MAP_READ | A9N_MAP_WRITE);
    /* Unmapped: 0, and 0 for a record that went stale with its table. */
    assert_int_equal(unmap(c.as, rx), A9N_SUCCESS);
    assert_int_equal(vspace_mapping_report(&H.root[rx].cap), 0);
    assert_int_equal(unmap(c.as, c.t1), A9N_SUCCESS);
    assert_int_equal(vspace_mapping_report(f), 0);
    /* A 2 MiB frame: its level-1 entry, marked large; a level-0 table there is no frame. */
    unsigned space = make_space();
    unsigned t2 = make(A9N_OBJECT_PAGE_TABLE, 0), t1 = make(A9N_OBJECT_PAGE_TABLE, 0);
    unsigned big = make(A9N_OBJECT_FRAME, 21);
    a9n_word va = 0x0000000040000000ull;
    assert_int_equal(map(space, t2, va, 0), A9N_SUCCESS);
    assert_int_equal(map(space, t1, va, 0), A9N_SUCCESS);
    assert_int_equal(map(space, big, va, A9N_MAP_WRITE), A9N_SUCCESS);
    uint64_t root2 = hal_virt_to_phys(root_of(space));
    assert_int_equal(vspace_mapping_report(&H.root[big].cap), root2 | A9N_MAP_READ | A9N_MAP_WRITE);
    uint64_t *large = &table_memory(t1)[(va >> 21) & 511];
    saved_leaf = *large;
    *large &= ~(uint64_t)PTE_PS;
    assert_int_equal(vspace_mapping_report(&H.root[big].cap), 0);
    *large = saved_leaf;
}

/* ---- finding 6: ASIDs are accounted ---- */

static void a_pool_runs_out_with_its_own_error(void **state)
{
    unsigned spaces[A9N_ASID_POOL_ENTRIES];
    for (unsigned i = 0; i < A9N_ASID_POOL_ENTRIES; i++)
        spaces[i] = make_space();
    unsigned extra = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NO_ASID, assign(S_POOL, extra));
    /* Without an ASID an Address Space is usable for nothing. */
    unsigned f = make(A9N_OBJECT_FRAME, 12);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NO_ASID, map(extra, f, VA, 0));
    /* Another pool (whoever holds ASID Control decides) still has ASIDs. */
    unsigned pool2 = next_slot++;
    assert_int_equal(make_pool(H_GENERIC, pool2), A9N_SUCCESS);
    assert_int_equal(assign(pool2, extra), A9N_SUCCESS);
    /* A destroyed Address Space gives its ASID back, with a new generation. */
    uint64_t old = H.root[spaces[7]].cap.data[0];
    assert_int_equal(h_remove(&H, spaces[7]), A9N_SUCCESS);
    unsigned again = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    assert_int_equal(assign(S_POOL, again), A9N_SUCCESS);
    uint64_t now = H.root[again].cap.data[0];
    assert_int_equal(now & 0xffffffff, old & 0xffffffff);
    assert_int_not_equal(now >> 32, old >> 32);
}

static void a_stale_record_dies_with_its_generation(void **state)
{
    unsigned as = make_space();
    unsigned t2 = make(A9N_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(map(as, t2, VA, 0), A9N_SUCCESS);
    assert_int_equal(h_remove(&H, as), A9N_SUCCESS);
    /* The same ASID again: the table's record (old generation) must not count. */
    unsigned as2 = make_space();
    assert_int_equal(map(as2, t2, VA, 0), A9N_SUCCESS);
    assert_int_equal(unmap(as2, t2), A9N_SUCCESS);
}

static void assign_refuses_bad_requests(void **state)
{
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    unsigned f = make(A9N_OBJECT_FRAME, 12);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_WRONG_TYPE, assign(S_POOL, f));
    unsigned t = make(A9N_OBJECT_PAGE_TABLE, 0);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ILLEGAL_OPERATION, assign(t, as)); /* not a pool */
    assert_int_equal(h_demote(&H, S_POOL, A9N_RIGHT_READ | A9N_RIGHT_COPY), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_PERMISSION_DENIED, assign(S_POOL, as));
    unsigned pool = next_slot++;
    assert_int_equal(make_pool(H_GENERIC, pool), A9N_SUCCESS);
    /* Copies would not carry the ASID: assign before copying. */
    unsigned copy = next_slot++;
    assert_int_equal(h_copy(&H, copy, as), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ILLEGAL_OPERATION, assign(pool, as));
    assert_int_equal(h_remove(&H, copy), A9N_SUCCESS);
    assert_int_equal(assign(pool, as), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ILLEGAL_OPERATION, assign(pool, as)); /* has one */
}

static void make_pool_refuses_bad_requests(void **state)
{
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_WRONG_TYPE, make_pool(S_POOL, S_FIRST));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_SLOT_OCCUPIED, make_pool(H_GENERIC, S_POOL));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ILLEGAL_OPERATION,
                         harness_call(&H, d(S_CONTROL), A9N_ASID_CONTROL_MAKE_POOL + 1,
                                      d(H_GENERIC), d(H_SELF), S_FIRST, 0, 0));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ILLEGAL_OPERATION,
                         harness_call(&H, d(S_POOL), A9N_ASID_POOL_ASSIGN + 1, 0, 0, 0, 0, 0));
    /* A read-only ASID Control makes nothing. */
    unsigned ro = next_slot++;
    assert_int_equal(h_mint(&H, ro, S_CONTROL, A9N_RIGHT_READ, 0), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_PERMISSION_DENIED,
                         harness_call(&H, d(ro), A9N_ASID_CONTROL_MAKE_POOL, d(H_GENERIC),
                                      d(H_SELF), S_FIRST + 10, 0, 0));
    /* The directory is finite: once full, MAKE_POOL says NO_ASID (memory is not the limit). */
    unsigned made = 1;
    while (made < ASID_POOL_COUNT) {
        assert_int_equal(make_pool(H_GENERIC, next_slot++), A9N_SUCCESS);
        made++;
    }
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NO_ASID, make_pool(H_GENERIC, next_slot));
    /* Deleting a pool frees its directory entry. */
    assert_int_equal(h_remove(&H, next_slot - 1), A9N_SUCCESS);
    assert_int_equal(make_pool(H_GENERIC, next_slot - 1), A9N_SUCCESS);
}

static void deleting_a_pool_releases_its_spaces(void **state)
{
    unsigned pool = next_slot++;
    assert_int_equal(make_pool(H_GENERIC, pool), A9N_SUCCESS);
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    assert_int_equal(assign(pool, as), A9N_SUCCESS);
    struct chain c = chain_at(as, VA);
    assert_int_equal(h_remove(&H, pool), A9N_SUCCESS);
    check_tables();
    assert_null(root_of(as));
    assert_true(all_zero(c.t2) && all_zero(c.t1) && all_zero(c.t0));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NO_ASID, map(as, c.f, VA, 0));
    /* A released space may take an ASID again and starts empty. */
    assert_int_equal(assign(S_POOL, as), A9N_SUCCESS);
    assert_int_equal(hal_vspace_missing_level(root_of(as), VA), 2);
}

/* ---- random sequences ---- */

/* Few distinct addresses, so tables are shared, collide and nest. */
/* ---- Frame COPY ---- */

static a9n_error frame_copy(unsigned dst, unsigned src, a9n_word from, a9n_word to, a9n_word length)
{
    return harness_call(&H, d(dst), A9N_FRAME_COPY, d(src), from, to, length, 0);
}

static uint8_t *bytes_of(unsigned slot)
{
    return hal_phys_to_virt(H.root[slot].cap.object);
}

static void frame_copy_copies_and_checks_everything(void **state)
{
    (void)state;
    unsigned a = make(A9N_OBJECT_FRAME, 12), b = make(A9N_OBJECT_FRAME, 12);
    for (unsigned i = 0; i < 4096; i++)
        bytes_of(a)[i] = (uint8_t)(i * 3 + 1);
    assert_int_equal(frame_copy(b, a, 10, 4090, 6), A9N_SUCCESS);
    for (unsigned i = 0; i < 4096; i++)
        assert_int_equal(bytes_of(b)[i], i >= 4090 ? (uint8_t)((i - 4080) * 3 + 1) : 0);
    /* Past either end, wrapping, more than a page: refused, nothing written. */
    assert_int_equal(frame_copy(b, a, 4091, 0, 6), A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(frame_copy(b, a, 0, 4091, 6), A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(frame_copy(b, a, ~0ull, 0, 2), A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(frame_copy(b, a, 0, 0, A9N_FRAME_COPY_MAX + 1), A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(bytes_of(b)[0], 0);
    /* Rights: WRITE on the destination, READ on the source. */
    H.root[b].cap.rights = A9N_RIGHT_READ;
    assert_int_equal(frame_copy(b, a, 0, 0, 1), A9N_ERROR_PERMISSION_DENIED);
    H.root[b].cap.rights = A9N_RIGHTS_ALL;
    H.root[a].cap.rights = A9N_RIGHT_WRITE;
    assert_int_equal(frame_copy(b, a, 0, 0, 1), A9N_ERROR_PERMISSION_DENIED);
    H.root[a].cap.rights = A9N_RIGHTS_ALL;
    /* A source that is no Frame, or nothing. */
    assert_int_equal(frame_copy(b, H_GENERIC, 0, 0, 1), A9N_ERROR_WRONG_TYPE);
    assert_int_equal(frame_copy(b, next_slot, 0, 0, 1), A9N_ERROR_EMPTY_SLOT);
    /* Device Frames take no part, either way (reading device memory may have effects). */
    H.root[a].cap.data[1] |= CAP_FRAME_DEVICE;
    assert_int_equal(frame_copy(b, a, 0, 0, 1), A9N_ERROR_INVALID_ARGUMENT);
    assert_int_equal(frame_copy(a, b, 0, 0, 1), A9N_ERROR_INVALID_ARGUMENT);
    H.root[a].cap.data[1] &= ~CAP_FRAME_DEVICE;
    assert_int_equal(bytes_of(b)[0], 0);
    assert_int_equal(frame_copy(b, a, 0, 0, 1), A9N_SUCCESS);
    assert_int_equal(bytes_of(b)[0], 1);
}

/* Generic CONVERT_FILLED with all six arguments (MR2..MR7). */
static a9n_error convert_filled(unsigned generic, unsigned src, a9n_word from, a9n_word to,
                                a9n_word length, a9n_word node, a9n_word index)
{
    a9n_word mr[A9N_MR_REGISTER_COUNT] = {
        d(generic), A9N_GENERIC_CONVERT_FILLED, d(src), from, to, length, node, index, 0};
    struct cap_message m = {.mr = mr};
    return cap_call(H.caller, &m);
}

/* CONVERT_FILLED: the new Frame holds the source's range at its offset and zero everywhere
 * else, over memory that held other bytes (never cleared first, never shown); it refuses
 * every bad argument before anything changes. */
static void convert_filled_fills_and_never_shows_old_memory(void **state)
{
    (void)state;
    unsigned a = make(A9N_OBJECT_FRAME, 12);
    for (unsigned i = 0; i < 4096; i++)
        bytes_of(a)[i] = (uint8_t)(i * 5 + 3);
    /* Old contents where the next Frame will go: above the watermark and the cleared mark. */
    struct cap *g = &H.root[H_GENERIC].cap;
    uint64_t start = cap_generic_watermark(g) > cap_generic_zeroed(g) ? cap_generic_watermark(g)
                                                                      : cap_generic_zeroed(g);
    start = (start + 4095) & ~4095ull;
    memset(hal_phys_to_virt(g->object + start), 0xee, 2 * 4096);
    unsigned f = next_slot++;
    assert_int_equal(convert_filled(H_GENERIC, a, 100, 3000, 96, d(H_SELF), f), A9N_SUCCESS);
    assert_int_equal(H.root[f].cap.type, A9N_OBJECT_FRAME);
    assert_int_equal(H.root[f].cap.object, g->object + start);
    assert_int_equal(cap_generic_watermark(g), start + 4096);
    for (unsigned i = 0; i < 4096; i++)
        assert_int_equal(bytes_of(f)[i], i >= 3000 && i < 3096 ? (uint8_t)((i - 2900) * 5 + 3) : 0);
    /* It is an ordinary Frame: it maps, and the next CONVERT clears what lies after it. */
    unsigned as = make_space(), b = next_slot++;
    assert_int_equal(h_convert(&H, H_GENERIC, A9N_OBJECT_FRAME, 12, 1, b), A9N_SUCCESS);
    for (unsigned i = 0; i < 4096; i++)
        assert_int_equal(bytes_of(b)[i], 0);
    unsigned t2 = make(A9N_OBJECT_PAGE_TABLE, 0), t1 = make(A9N_OBJECT_PAGE_TABLE, 0),
             t0 = make(A9N_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(map(as, t2, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(as, t1, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(as, t0, VA, 0), A9N_SUCCESS);
    assert_int_equal(map(as, f, VA, A9N_MAP_WRITE), A9N_SUCCESS);
    /* A whole page, and nothing (all zero). */
    unsigned whole = next_slot++, none = next_slot++;
    assert_int_equal(convert_filled(H_GENERIC, a, 0, 0, 4096, d(H_SELF), whole), A9N_SUCCESS);
    assert_int_equal(memcmp(bytes_of(whole), bytes_of(a), 4096), 0);
    assert_int_equal(convert_filled(H_GENERIC, a, 4096, 4096, 0, d(H_SELF), none), A9N_SUCCESS);
    for (unsigned i = 0; i < 4096; i++)
        assert_int_equal(bytes_of(none)[i], 0);
    /* Refused, each with its own error; nothing made, the watermark where it was. */
    uint64_t mark = cap_generic_watermark(g);
    unsigned s = next_slot;
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_INVALID_ARGUMENT,
                         convert_filled(H_GENERIC, a, 4000, 0, 97, d(H_SELF), s));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_INVALID_ARGUMENT,
                         convert_filled(H_GENERIC, a, 0, 4000, 97, d(H_SELF), s));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_INVALID_ARGUMENT,
                         convert_filled(H_GENERIC, a, ~0ull, 0, 2, d(H_SELF), s));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_INVALID_ARGUMENT,
                         convert_filled(H_GENERIC, a, 0, ~0ull - 1, 4, d(H_SELF), s));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_INVALID_ARGUMENT,
                         convert_filled(H_GENERIC, a, 0, 0, 4097, d(H_SELF), s));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_WRONG_TYPE,
                         convert_filled(H_GENERIC, as, 0, 0, 1, d(H_SELF), s));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_EMPTY_SLOT,
                         convert_filled(H_GENERIC, s + 1, 0, 0, 1, d(H_SELF), s));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_SLOT_OCCUPIED,
                         convert_filled(H_GENERIC, a, 0, 0, 1, d(H_SELF), f));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_INDEX_OUT_OF_RANGE,
                         convert_filled(H_GENERIC, a, 0, 0, 1, d(H_SELF), S_END));
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_WRONG_TYPE, convert_filled(H_GENERIC, a, 0, 0, 1, d(a), 0));
    /* Rights: READ on the source, WRITE on the Generic. */
    H.root[a].cap.rights = A9N_RIGHT_WRITE;
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_PERMISSION_DENIED,
                         convert_filled(H_GENERIC, a, 0, 0, 1, d(H_SELF), s));
    H.root[a].cap.rights = A9N_RIGHTS_ALL;
    H.root[H_GENERIC].cap.rights = A9N_RIGHT_READ;
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_PERMISSION_DENIED,
                         convert_filled(H_GENERIC, a, 0, 0, 1, d(H_SELF), s));
    H.root[H_GENERIC].cap.rights = A9N_RIGHTS_ALL;
    /* No device memory either way: a device source, a device Generic. */
    H.root[a].cap.data[1] |= CAP_FRAME_DEVICE;
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_INVALID_ARGUMENT,
                         convert_filled(H_GENERIC, a, 0, 0, 1, d(H_SELF), s));
    H.root[a].cap.data[1] &= ~CAP_FRAME_DEVICE;
    H.root[H_GENERIC].cap.data[1] |= CAP_GENERIC_DEVICE;
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_ILLEGAL_OPERATION,
                         convert_filled(H_GENERIC, a, 0, 0, 1, d(H_SELF), s));
    H.root[H_GENERIC].cap.data[1] &= ~CAP_GENERIC_DEVICE;
    assert_int_equal(cap_generic_watermark(g), mark);
    assert_int_equal(H.root[s].cap.type, 0);
    /* A Generic with no page left. */
    unsigned small = make(A9N_OBJECT_GENERIC, 12), t = next_slot++;
    assert_int_equal(convert_filled(small, a, 0, 0, 8, d(H_SELF), t), A9N_SUCCESS);
    EXPECT_FAILS_CLEANLY(&H, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         convert_filled(small, a, 0, 0, 8, d(H_SELF), next_slot));
}

static a9n_word random_va(void)
{
    static const uint64_t top[] = {0, 0x0000008000000000ull, 0x00007f8000000000ull};
    return top[pick(8) == 0 ? 1 + pick(2) : 0] + ((uint64_t)pick(2) << 30) +
           ((uint64_t)pick(2) << 21) + ((uint64_t)pick(3) << 12);
}

#define R_SLOTS 48

/* A random slot of the range holding `type` (or of `type2`), else any slot: calls are
 * type-guided most of the time, so the mapping paths are reached, and random otherwise. */
static unsigned random_of(unsigned type, unsigned type2)
{
    /* Address Spaces: mostly the first one, so its tables grow deep and collide. */
    unsigned start = type == A9N_OBJECT_ADDRESS_SPACE && pick(4) != 0 ? 0 : pick(R_SLOTS);
    for (unsigned k = 0; k < R_SLOTS; k++) {
        unsigned s = S_FIRST + (start + k) % R_SLOTS;
        if (H.root[s].cap.type == type || H.root[s].cap.type == type2)
            return s;
    }
    return S_FIRST + start;
}

static void run_random(uint64_t seed, unsigned steps)
{
    rng = seed;
    unsigned counts[A9N_ERROR_COUNT] = {0};
    for (unsigned step = 0; step < steps; step++) {
        unsigned s = S_FIRST + pick(R_SLOTS), t = S_FIRST + pick(R_SLOTS);
        const struct cap *c = &H.root[s].cap;
        a9n_error e;
        unsigned op = pick(100);
        int kind = 0; /* 1: MAP, 2: UNMAP */
        if (c->type == A9N_OBJECT_NONE && op < 40) {
            static const unsigned types[] = {A9N_OBJECT_PAGE_TABLE, A9N_OBJECT_PAGE_TABLE,
                                             A9N_OBJECT_FRAME,      A9N_OBJECT_FRAME,
                                             A9N_OBJECT_FRAME,      A9N_OBJECT_ADDRESS_SPACE};
            unsigned type = types[pick(6)];
            unsigned bits = type == A9N_OBJECT_FRAME ? (pick(32) == 0 ? 21 : 12) : 0;
            e = h_convert(&H, H_GENERIC, type, bits, 1, s);
            if (e == A9N_SUCCESS && type == A9N_OBJECT_ADDRESS_SPACE && pick(8) != 0)
                e = assign(S_POOL, s);
        } else if (op < 75) {
            /* MAP t into s (sometimes of any type: wrong types are part of it). */
            if (pick(8) != 0) {
                s = random_of(A9N_OBJECT_ADDRESS_SPACE, A9N_OBJECT_ADDRESS_SPACE);
                t = random_of(A9N_OBJECT_FRAME, A9N_OBJECT_PAGE_TABLE);
            }
            kind = 1;
            a9n_word attributes = H.root[t].cap.type == A9N_OBJECT_FRAME ? pick(8) : 0;
            e = map(s, t, random_va(), attributes);
        } else if (op < 85) {
            if (pick(8) != 0) {
                s = random_of(A9N_OBJECT_ADDRESS_SPACE, A9N_OBJECT_ADDRESS_SPACE);
                t = random_of(A9N_OBJECT_FRAME, A9N_OBJECT_PAGE_TABLE);
            }
            kind = 2;
            e = unmap(s, t);
        } else if (op < 92) {
            e = h_remove(&H, s);
        } else if (op < 97) {
            e = c->type == A9N_OBJECT_NONE ? h_copy(&H, s, t) : h_copy(&H, t, s);
        } else if (op < 98) {
            e = h_move(&H, t, s);
        } else {
            /* Everything goes: the Generic converts whole again. */
            e = h_revoke(&H, H_GENERIC);
            assert_int_equal(H.root[H_GENERIC].cap.data[0], 0);
        }
        counts[e < A9N_ERROR_COUNT ? e : 0]++;
        if (kind != 0 && e == A9N_SUCCESS && H.root[s].cap.type == A9N_OBJECT_ADDRESS_SPACE) {
            /* What MAP made resolves, and what UNMAP took does not. */
            const struct cap *tc = &H.root[t].cap;
            paddr_t pa;
            if (tc->type == A9N_OBJECT_FRAME) {
                uint64_t va = tc->data[0] & ~0xfffull;
                bool found = hal_vspace_lookup(root_of(s), va, &pa) && pa == tc->object;
                assert_int_equal(found, kind == 1);
            }
        }
        check_tables();
        if (H.root[S_POOL].cap.type == A9N_OBJECT_NONE)
            assert_int_equal(make_pool(H_GENERIC, S_POOL), A9N_SUCCESS);
    }
    for (unsigned e = 0; e < A9N_ERROR_COUNT; e++)
        if (counts[e] != 0)
            printf("seed %#llx: error %u x %u\n", (unsigned long long)seed, e, counts[e]);
    /* The sequence really exercised the mapping paths, both ways. */
    assert_true(counts[A9N_SUCCESS] > steps / 5);
    assert_true(counts[A9N_ERROR_MISSING_TABLE] > 0);
    assert_true(counts[A9N_ERROR_ADDRESS_IN_USE] > 0);
    assert_true(counts[A9N_ERROR_NOT_MAPPED] > 0);
    assert_true(counts[A9N_ERROR_ALREADY_MAPPED] > 0);
}

static void random_mapping_sequences_keep_the_invariant(void **state)
{
    run_random(0x5eed0001, 3000);
    run_random(0x5eed0002, 3000);
    run_random(0x5eed0003, 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        VTEST(unmap_parent_then_child_says_not_mapped),
        VTEST(relinked_table_shows_nothing_old),
        VTEST(deleting_a_frame_below_an_unlinked_table_leaves_nothing),
        VTEST(deleting_a_mapped_table_empties_its_subtree),
        VTEST(unmap_of_nothing_is_an_error),
        VTEST(map_below_a_large_frame_is_address_in_use),
        VTEST(a_dead_space_leaves_every_table_empty),
        VTEST(a_pool_runs_out_with_its_own_error),
        VTEST(a_stale_record_dies_with_its_generation),
        VTEST(assign_refuses_bad_requests),
        VTEST(make_pool_refuses_bad_requests),
        VTEST(deleting_a_pool_releases_its_spaces),
        VTEST(random_mapping_sequences_keep_the_invariant),
        VTEST(frame_copy_copies_and_checks_everything),
        VTEST(mapping_report_reads_the_entry_and_its_access),
        VTEST(convert_filled_fills_and_never_shows_old_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
