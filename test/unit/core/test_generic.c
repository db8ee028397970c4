/* Generic CONVERT: every type, alignment, exact fit, limits, device memory, every error, and
 * the watermark reset that makes memory reusable. */
#include "test_common.h"

#define CHILD_NODE 12 /* root[12]: a Node of radix 8 for conversions with large counts */

static struct cap *generic_cap(struct harness *h)
{
    return &slot_at(h, H_GENERIC)->cap;
}

static bool memory_is_zero(paddr_t pa, uint64_t size)
{
    const unsigned char *p = hal_phys_to_virt(pa);
    for (uint64_t i = 0; i < size; i++)
        if (p[i] != 0)
            return false;
    return true;
}

static a9n_error convert_into(struct harness *h, a9n_word generic, a9n_word type, a9n_word bits,
                              a9n_word count, a9n_word node, a9n_word index)
{
    return harness_call(h, harness_desc(h, generic), A9N_GENERIC_CONVERT, type, bits, count, node,
                        index);
}

static void convert_makes_each_memory_object_type(void **state)
{
    struct harness *h = *state;
    const struct {
        unsigned type, specific, bits;
    } cases[] = {
        {A9N_OBJECT_NODE, 3, 9},
        {A9N_OBJECT_GENERIC, 12, 12},
        {A9N_OBJECT_FRAME, 12, 12},
        {A9N_OBJECT_FRAME, 21, 21},
        {A9N_OBJECT_ADDRESS_SPACE, 0, 12},
        {A9N_OBJECT_PAGE_TABLE, 0, 12},
        {A9N_OBJECT_PROCESS, 0, A9N_PROCESS_BITS},
        {A9N_OBJECT_IPC_PORT, 0, 6},
        {A9N_OBJECT_NOTIFICATION_PORT, 0, 6},
    };
    /* A Generic of 2^23 (the 2 MiB frame needs room), made in root[5]. */
    assert_int_equal(
        harness_call(h, harness_desc(h, H_SELF), A9N_NODE_REMOVE, H_GENERIC, 0, 0, 0, 0), 0);
    unsigned bits;
    uint64_t offset;
    assert_int_equal(generic_check(&h->boot_generic.cap, A9N_OBJECT_GENERIC, 23, 1, &bits, &offset),
                     0);
    generic_convert(&h->boot_generic, A9N_OBJECT_GENERIC, bits, offset, 1, slot_at(h, 5));
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t before = cap_generic_watermark(&slot_at(h, 5)->cap);
        assert_int_equal(h_convert(h, 5, cases[i].type, cases[i].specific, 1, 20 + i), 0);
        struct cap_slot *s = slot_at(h, 20 + i);
        assert_int_equal(s->cap.type, cases[i].type);
        assert_int_equal(s->cap.rights, A9N_RIGHTS_ALL);
        assert_int_equal(s->cap.object & ((1ull << cases[i].bits) - 1), 0);
        assert_true(s->cap.object >= slot_at(h, 5)->cap.object + before);
        assert_int_equal(cap_generic_watermark(&slot_at(h, 5)->cap),
                         s->cap.object + (1ull << cases[i].bits) - slot_at(h, 5)->cap.object);
        assert_ptr_equal(captree_parent(s), slot_at(h, 5));
        /* Cleared memory, except what the type sets up: a Process's user context, an
         * Address Space's kernel half. */
        if (cases[i].type == A9N_OBJECT_ADDRESS_SPACE)
            assert_true(memory_is_zero(s->cap.object, 1ull << (cases[i].bits - 1)));
        else if (cases[i].type != A9N_OBJECT_GENERIC && cases[i].type != A9N_OBJECT_PROCESS)
            assert_true(memory_is_zero(s->cap.object, 1ull << cases[i].bits));
    }
    assert_int_equal(cap_node_radix(&slot_at(h, 20)->cap), 3);
    assert_int_equal(cap_generic_bits(&slot_at(h, 21)->cap), 12);
    assert_int_equal(slot_at(h, 23)->cap.data[0], 21);
}

static void convert_aligns_the_watermark_to_the_object_size(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 10), 0);
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 64);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 12, 1, 11), 0);
    assert_int_equal(slot_at(h, 11)->cap.object - generic_cap(h)->object, 4096);
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 8192);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 12), 0);
    assert_int_equal(slot_at(h, 12)->cap.object - generic_cap(h)->object, 8192);
}

static void convert_places_count_objects_in_order(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NOTIFICATION_PORT, 0, 5, 10), 0);
    struct cap_slot *prev = slot_at(h, H_GENERIC);
    for (unsigned i = 0; i < 5; i++) {
        struct cap_slot *s = slot_at(h, 10 + i);
        assert_int_equal(s->cap.object, generic_cap(h)->object + 64 * i);
        assert_ptr_equal(harness_next(prev), s); /* in creation order, first under it */
        assert_ptr_equal(captree_parent(s), slot_at(h, H_GENERIC));
        prev = s;
    }
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 5 * 64);
}

static void convert_allows_an_exact_fit(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 12, 1, 5), 0);
    /* One frame fills the 4 KiB Generic exactly ... */
    assert_int_equal(h_convert(h, 5, A9N_OBJECT_FRAME, 12, 1, 10), A9N_SUCCESS);
    assert_int_equal(cap_generic_watermark(&slot_at(h, 5)->cap), 4096);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, 5, A9N_OBJECT_IPC_PORT, 0, 1, 11));
    /* ... and so do 64 ports. */
    assert_int_equal(h_revoke(h, 5), 0);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 7, 1, CHILD_NODE), 0);
    a9n_word child = harness_desc(h, CHILD_NODE);
    assert_int_equal(convert_into(h, 5, A9N_OBJECT_IPC_PORT, 0, 64, child, 64), A9N_SUCCESS);
    assert_int_equal(cap_generic_watermark(&slot_at(h, 5)->cap), 4096);
}

static void convert_into_a_generic_of_the_same_size_is_an_exact_fit(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, GENERIC_BITS, 1, 5), 0);
    assert_int_equal(cap_generic_bits(&slot_at(h, 5)->cap), GENERIC_BITS);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 6));
    assert_int_equal(h_convert(h, 5, A9N_OBJECT_IPC_PORT, 0, 1, 6), 0);
}

static void convert_needs_write_on_the_generic(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_demote(h, H_GENERIC, A9N_RIGHT_READ | A9N_RIGHT_MODIFY), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 10));
}

static void convert_rejects_unknown_operations(void **state)
{
    struct harness *h = *state;
    for (a9n_word op = 0; op < 8; op++) {
        if (op == A9N_GENERIC_CONVERT || op == A9N_GENERIC_CONVERT_FILLED)
            continue;
        EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION,
                             harness_call(h, harness_desc(h, H_GENERIC), op, A9N_OBJECT_IPC_PORT, 0,
                                          1, harness_desc(h, H_SELF), 10));
    }
}

static void convert_rejects_types_that_are_not_memory_objects(void **state)
{
    struct harness *h = *state;
    const a9n_word types[] = {A9N_OBJECT_NONE,
                              A9N_OBJECT_DEBUG,
                              A9N_OBJECT_INTERRUPT_REGION,
                              A9N_OBJECT_INTERRUPT_PORT,
                              A9N_OBJECT_IO_PORT,
                              A9N_OBJECT_TYPE_COUNT,
                              ~0ull};
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                             h_convert(h, H_GENERIC, types[i], 0, 1, 10));
}

static void convert_rejects_bad_specific_bits(void **state)
{
    struct harness *h = *state;
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 0, 1, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 21, 1, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 5, 1, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 13, 1, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 0, 1, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_PROCESS, 11, 1, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 1ull << 32, 1, 10));
}

static void convert_rejects_a_count_of_zero(void **state)
{
    struct harness *h = *state;
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_ARGUMENT,
                         h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 0, 10));
}

static void convert_rejects_objects_that_do_not_fit(void **state)
{
    struct harness *h = *state;
    /* Larger than the Generic. */
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, GENERIC_BITS + 1, 1, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 21, 1, 10));
    /* Too many: 2^20 / 2^14 = 64 radix-8 Nodes fit, 65 do not (checked before the slots). */
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 8, 65, 0));
    /* A count so large that count << bits overflows 64 bits. */
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 12, 1ull << 60, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 12, ~0ull, 10));
    /* After alignment there is no room left. */
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, GENERIC_BITS - 1, 1, 10), 0);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 11), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_NOT_ENOUGH_MEMORY,
                         h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, GENERIC_BITS - 1, 1, 12));
}

static void convert_checks_the_destination_node(void **state)
{
    struct harness *h = *state;
    EXPECT_FAILS_CLEANLY(
        h, A9N_ERROR_INVALID_DESCRIPTOR,
        convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, A9N_DESCRIPTOR_INVALID, 0));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INVALID_DEPTH,
                         convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 2ull << 56, 0));
    EXPECT_FAILS_CLEANLY(
        h, A9N_ERROR_EMPTY_SLOT,
        convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, harness_desc(h, 40), 0));
    EXPECT_FAILS_CLEANLY(
        h, A9N_ERROR_WRONG_TYPE,
        convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, harness_desc(h, H_PROCESS), 0));
    assert_int_equal(h_mint(h, 4, H_SELF, A9N_RIGHTS_ALL & ~A9N_RIGHT_WRITE, 0), 0);
    EXPECT_FAILS_CLEANLY(
        h, A9N_ERROR_PERMISSION_DENIED,
        convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, harness_desc(h, 4), 10));
}

static void convert_checks_the_destination_range(void **state)
{
    struct harness *h = *state;
    a9n_word self = harness_desc(h, H_SELF);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE,
                         convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, self, 64));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE,
                         convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 2, self, 63));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_INDEX_OUT_OF_RANGE,
                         convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, self, ~0ull));
    assert_int_equal(convert_into(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, self, 63), 0);
}

static void convert_needs_every_destination_slot_empty(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_copy(h, 12, H_PROCESS), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED,
                         h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 5, 10));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_SLOT_OCCUPIED,
                         h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 1, 12));
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 2, 10), 0);
}

static void convert_of_a_node_makes_empty_slots(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 4, 1, 10), 0);
    struct cap_slot *slots = cap_node_slots(&slot_at(h, 10)->cap);
    for (unsigned i = 0; i < 16; i++) {
        assert_true(slot_is_empty(&slots[i]));
        assert_null(slots[i].next);
        assert_null(slots[i].child);
        assert_int_equal(slots[i].reap, 0);
    }
}

/* Device memory: a root Generic near the top of the arena, as boot would hand out MMIO. */
static struct cap_slot *add_device_generic(struct harness *h, unsigned index)
{
    struct cap_slot *s = slot_at(h, index);
    assert_true(generic_make_root(&s->cap, FAKEHAL_BASE + (8ull << 20), 16, true));
    captree_insert_root(&h->boot_generic, s);
    return s;
}

static void a_device_generic_only_becomes_frames(void **state)
{
    struct harness *h = *state;
    struct cap_slot *dev = add_device_generic(h, 5);
    unsigned char *mmio = hal_phys_to_virt(dev->cap.object);
    memset(mmio, 0x5a, 4096);
    const a9n_word others[] = {A9N_OBJECT_NODE, A9N_OBJECT_GENERIC, A9N_OBJECT_IPC_PORT,
                               A9N_OBJECT_PROCESS, A9N_OBJECT_PAGE_TABLE};
    const a9n_word others_bits[] = {2, 12, 0, 0, 0};
    for (unsigned i = 0; i < 5; i++)
        EXPECT_FAILS_CLEANLY(h, A9N_ERROR_ILLEGAL_OPERATION,
                             h_convert(h, 5, others[i], others_bits[i], 1, 10));
    assert_int_equal(h_convert(h, 5, A9N_OBJECT_FRAME, 12, 2, 10), A9N_SUCCESS);
    struct cap_slot *frame = slot_at(h, 10);
    assert_int_equal(frame->cap.object, dev->cap.object);
    assert_true(frame->cap.data[1] & CAP_FRAME_DEVICE);
    /* Device memory is not RAM: converting it must not write to it. */
    assert_int_equal(mmio[0], 0x5a);
    assert_int_equal(mmio[4095], 0x5a);
    assert_int_equal(h_revoke(h, 5), 0);
    assert_int_equal(cap_generic_watermark(&dev->cap), 0);
}

static void a_root_generic_must_be_aligned_and_sized(void **state)
{
    struct cap c;
    assert_false(generic_make_root(&c, FAKEHAL_BASE + 4096, 16, false));
    assert_false(generic_make_root(&c, FAKEHAL_BASE, 5, false));
    assert_false(generic_make_root(&c, FAKEHAL_BASE, 53, false));
    assert_true(generic_make_root(&c, FAKEHAL_BASE + 65536, 16, false));
    assert_int_equal(cap_generic_bits(&c), 16);
    assert_int_equal(cap_generic_watermark(&c), 0);
}

/* --- Watermark reset --------------------------------------------------------------------- */

static void removing_the_last_child_resets_the_watermark(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_IPC_PORT, 0, 3, 10), 0);
    assert_int_equal(h_copy(h, 20, 11), 0);
    assert_int_equal(h_remove(h, 10), 0);
    assert_int_equal(h_remove(h, 12), 0);
    assert_int_equal(h_remove(h, 11), 0);
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 192); /* the copy is a child too */
    assert_int_equal(h_remove(h, 20), 0);
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 0);
}

static void revoking_a_generic_resets_its_watermark(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_FRAME, 12, 4, 10), 0);
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 2, 1, 14), 0);
    assert_int_equal(h_revoke(h, H_GENERIC), 0);
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 0);
    for (unsigned i = 10; i <= 14; i++)
        assert_true(slot_is_empty(slot_at(h, i)));
}

static void convert_revoke_convert_reuses_the_same_memory(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_NODE, 8, 1, CHILD_NODE), 0);
    a9n_word child = harness_desc(h, CHILD_NODE);
    paddr_t first = 0;
    /* The child Node lives in the Generic too; use a fresh sub-Generic for the cycles. */
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 16, 1, 5), 0);
    for (int cycle = 0; cycle < 100; cycle++) {
        a9n_word type = cycle % 3 == 0   ? A9N_OBJECT_IPC_PORT
                        : cycle % 3 == 1 ? A9N_OBJECT_FRAME
                                         : A9N_OBJECT_NODE;
        a9n_word bits = type == A9N_OBJECT_FRAME ? 12 : type == A9N_OBJECT_NODE ? 3 : 0;
        a9n_word count = type == A9N_OBJECT_FRAME ? 16 : 100;
        assert_int_equal(convert_into(h, 5, type, bits, count, child, 0), A9N_SUCCESS);
        struct cap_slot *slots = cap_node_slots(&slot_at(h, CHILD_NODE)->cap);
        if (cycle == 0)
            first = slots[0].cap.object;
        assert_int_equal(slots[0].cap.object, first);
        assert_true(memory_is_zero(slots[0].cap.object, 64));
        if (cycle % 2 == 0) {
            assert_int_equal(h_revoke(h, 5), 0);
        } else {
            for (a9n_word i = 0; i < count; i++)
                assert_int_equal(harness_call(h, child, A9N_NODE_REMOVE, i, 0, 0, 0, 0), 0);
        }
        assert_int_equal(cap_generic_watermark(&slot_at(h, 5)->cap), 0);
        harness_check(h);
        /* Dirty the freed memory, so the next cycle's zeroing is checked. */
        memset(hal_phys_to_virt(first), 0xee, 4096);
    }
}

static void a_generic_whose_capability_is_removed_leaves_its_objects_to_its_parent(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 12, 1, 5), 0);
    assert_int_equal(h_convert(h, 5, A9N_OBJECT_IPC_PORT, 0, 2, 10), 0);
    uint64_t wm = cap_generic_watermark(generic_cap(h));
    assert_int_equal(h_remove(h, 5), 0);
    assert_ptr_equal(captree_parent(slot_at(h, 10)), slot_at(h, H_GENERIC));
    assert_int_equal(cap_generic_watermark(generic_cap(h)), wm);
    assert_int_equal(h_remove(h, 10), 0);
    assert_int_equal(cap_generic_watermark(generic_cap(h)), wm);
    assert_int_equal(h_remove(h, 11), 0);
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 0);
}

static void objects_of_a_nested_generic_die_when_the_outer_one_is_revoked(void **state)
{
    struct harness *h = *state;
    assert_int_equal(h_convert(h, H_GENERIC, A9N_OBJECT_GENERIC, 16, 1, 5), 0);
    assert_int_equal(h_convert(h, 5, A9N_OBJECT_GENERIC, 12, 2, 6), 0);
    assert_int_equal(h_convert(h, 6, A9N_OBJECT_IPC_PORT, 0, 3, 10), 0);
    assert_int_equal(h_convert(h, 7, A9N_OBJECT_FRAME, 12, 1, 13), 0);
    assert_int_equal(h_revoke(h, H_GENERIC), 0);
    for (unsigned i = 5; i <= 13; i++)
        assert_true(i == 8 || i == 9 || slot_is_empty(slot_at(h, i)));
    assert_int_equal(cap_generic_watermark(generic_cap(h)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HARNESS_TEST(convert_makes_each_memory_object_type),
        HARNESS_TEST(convert_aligns_the_watermark_to_the_object_size),
        HARNESS_TEST(convert_places_count_objects_in_order),
        HARNESS_TEST(convert_allows_an_exact_fit),
        HARNESS_TEST(convert_into_a_generic_of_the_same_size_is_an_exact_fit),
        HARNESS_TEST(convert_needs_write_on_the_generic),
        HARNESS_TEST(convert_rejects_unknown_operations),
        HARNESS_TEST(convert_rejects_types_that_are_not_memory_objects),
        HARNESS_TEST(convert_rejects_bad_specific_bits),
        HARNESS_TEST(convert_rejects_a_count_of_zero),
        HARNESS_TEST(convert_rejects_objects_that_do_not_fit),
        HARNESS_TEST(convert_checks_the_destination_node),
        HARNESS_TEST(convert_checks_the_destination_range),
        HARNESS_TEST(convert_needs_every_destination_slot_empty),
        HARNESS_TEST(convert_of_a_node_makes_empty_slots),
        HARNESS_TEST(a_device_generic_only_becomes_frames),
        HARNESS_TEST(a_root_generic_must_be_aligned_and_sized),
        HARNESS_TEST(removing_the_last_child_resets_the_watermark),
        HARNESS_TEST(revoking_a_generic_resets_its_watermark),
        HARNESS_TEST(convert_revoke_convert_reuses_the_same_memory),
        HARNESS_TEST(a_generic_whose_capability_is_removed_leaves_its_objects_to_its_parent),
        HARNESS_TEST(objects_of_a_nested_generic_die_when_the_outer_one_is_revoked),
    };
    return cmocka_run_group_tests_name("core_generic", tests, NULL, NULL);
}
