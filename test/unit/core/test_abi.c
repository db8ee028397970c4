/* The ABI header: sizes, numbers, descriptor helpers, layouts. */
#include "test_common.h"

static void object_sizes_are_powers_of_two_per_type(void **state)
{
    assert_int_equal(a9n_object_bits(A9N_OBJECT_NODE, 1), A9N_SLOT_BITS + 1);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_NODE, 8), 14);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_NODE, A9N_NODE_RADIX_MAX),
                     A9N_SLOT_BITS + A9N_NODE_RADIX_MAX);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_GENERIC, 6), 6);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_GENERIC, 52), 52);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_FRAME, 12), 12);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_FRAME, 21), 21);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_ADDRESS_SPACE, 0), 12);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_PAGE_TABLE, 0), 12);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_PROCESS, 0), A9N_PROCESS_BITS);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_IPC_PORT, 0), A9N_IPC_PORT_BITS);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_NOTIFICATION_PORT, 0), A9N_NOTIFICATION_PORT_BITS);
}

static void object_sizes_reject_bad_specific_bits(void **state)
{
    assert_int_equal(a9n_object_bits(A9N_OBJECT_NODE, 0), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_NODE, A9N_NODE_RADIX_MAX + 1), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_GENERIC, 5), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_GENERIC, 53), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_FRAME, 0), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_FRAME, 13), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_PROCESS, 1), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_IPC_PORT, 6), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_NODE, 1ull << 40), 0);
    /* The capability-only types have no size at all. */
    assert_int_equal(a9n_object_bits(A9N_OBJECT_DEBUG, 0), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_IO_PORT, 0), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_INTERRUPT_REGION, 0), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_INTERRUPT_PORT, 0), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_TYPE_COUNT, 0), 0);
    /* ASID Control is a singleton; an ASID Pool is made by MAKE_POOL, never by CONVERT. */
    assert_int_equal(a9n_object_bits(A9N_OBJECT_ASID_CONTROL, 0), 0);
    assert_int_equal(a9n_object_bits(A9N_OBJECT_ASID_POOL, 0), 0);
}

static void convertible_types_are_exactly_the_memory_objects(void **state)
{
    for (unsigned t = 0; t < A9N_OBJECT_TYPE_COUNT + 2; t++) {
        bool has_size = false;
        for (unsigned b = 0; b <= 64; b++)
            has_size |= a9n_object_bits(t, b) != 0;
        assert_int_equal(a9n_object_is_convertible(t), has_size);
    }
    assert_int_equal(A9N_OBJECT_TYPE_COUNT, 15);
}

static void kernel_structures_fit_their_abi_sizes(void **state)
{
    assert_int_equal(sizeof(struct cap_slot), 1u << A9N_SLOT_BITS);
    assert_true(sizeof(struct process) <= 1u << A9N_PROCESS_BITS);
    assert_true(sizeof(struct ipc_port) <= 1u << A9N_IPC_PORT_BITS);
    assert_true(sizeof(struct notification_port) <= 1u << A9N_NOTIFICATION_PORT_BITS);
    assert_int_equal(sizeof(struct a9n_ipc_buffer), 4096);
    assert_int_equal(sizeof(struct a9n_boot_info), 4096);
}

static void ipc_buffer_message_index_is_the_mr_number(void **state)
{
    assert_int_equal(offsetof(struct a9n_ipc_buffer, message[9]), 9 * sizeof(a9n_word));
    assert_int_equal(offsetof(struct a9n_ipc_buffer, transfer_source),
                     A9N_MR_COUNT * sizeof(a9n_word));
    assert_int_equal(A9N_MR_REGISTER_COUNT, 9);
    assert_int_equal(A9N_MR_DESCRIPTOR, 0);
    assert_int_equal(A9N_MR_OPERATION, 1);
    assert_int_equal(A9N_MR_ERROR, 1);
}

static void descriptor_helpers_encode_depth_and_bits(void **state)
{
    a9n_word d = a9n_descriptor_root(5, 8);
    assert_int_equal(a9n_descriptor_depth(d), 8);
    assert_true(d == ((8ull << 56) | (5ull << 48)));
    a9n_word d2 = a9n_descriptor_append(d, 3, 4);
    assert_int_equal(a9n_descriptor_depth(d2), 12);
    assert_true(d2 == ((12ull << 56) | (5ull << 48) | (3ull << 44)));
    /* A full 56-bit path. */
    a9n_word full = 0;
    for (int i = 0; i < 7; i++)
        full = a9n_descriptor_append(full, 0xff, 8);
    assert_true(full == ((56ull << 56) | ((1ull << 56) - 1)));
}

static void descriptor_helpers_refuse_misuse(void **state)
{
    assert_true(a9n_descriptor_root(256, 8) == A9N_DESCRIPTOR_INVALID);
    assert_true(a9n_descriptor_root(0, 0) == A9N_DESCRIPTOR_INVALID);
    assert_true(a9n_descriptor_root(0, 57) == A9N_DESCRIPTOR_INVALID);
    a9n_word d = a9n_descriptor_root(1, 50);
    assert_true(a9n_descriptor_append(d, 0, 7) == A9N_DESCRIPTOR_INVALID);
    assert_true(a9n_descriptor_append(A9N_DESCRIPTOR_INVALID, 0, 1) == A9N_DESCRIPTOR_INVALID);
}

static void error_and_rights_numbers_are_stable(void **state)
{
    assert_int_equal(A9N_SUCCESS, 0);
    assert_int_equal(A9N_ERROR_ILLEGAL_OPERATION, 1);
    assert_int_equal(A9N_ERROR_PERMISSION_DENIED, 2);
    assert_int_equal(A9N_ERROR_INVALID_DESCRIPTOR, 3);
    assert_int_equal(A9N_ERROR_INVALID_DEPTH, 4);
    assert_int_equal(A9N_ERROR_INVALID_ARGUMENT, 5);
    assert_int_equal(A9N_ERROR_NOT_ENOUGH_MEMORY, 6);
    assert_int_equal(A9N_RIGHT_READ | A9N_RIGHT_WRITE | A9N_RIGHT_COPY | A9N_RIGHT_MODIFY,
                     A9N_RIGHTS_ALL);
    assert_int_equal(A9N_SYSCALL_CAPABILITY_CALL, -1);
    assert_int_equal(A9N_SYSCALL_YIELD, -2);
}

static void root_slot_layout_is_fixed(void **state)
{
    assert_int_equal(A9N_ROOT_SLOT_NULL, 0);
    assert_int_equal(A9N_ROOT_SLOT_NODE, 1);
    assert_int_equal(A9N_ROOT_SLOT_PROCESS, 2);
    assert_true(A9N_ROOT_SLOT_DEBUG < A9N_ROOT_SLOT_VARIABLE);
    assert_true(A9N_ROOT_SLOT_VARIABLE + A9N_BOOT_INFO_GENERIC_MAX <= 1u << A9N_ROOT_NODE_RADIX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(object_sizes_are_powers_of_two_per_type),
        cmocka_unit_test(object_sizes_reject_bad_specific_bits),
        cmocka_unit_test(convertible_types_are_exactly_the_memory_objects),
        cmocka_unit_test(kernel_structures_fit_their_abi_sizes),
        cmocka_unit_test(ipc_buffer_message_index_is_the_mr_number),
        cmocka_unit_test(descriptor_helpers_encode_depth_and_bits),
        cmocka_unit_test(descriptor_helpers_refuse_misuse),
        cmocka_unit_test(error_and_rights_numbers_are_stable),
        cmocka_unit_test(root_slot_layout_is_fixed),
    };
    return cmocka_run_group_tests_name("core_abi", tests, NULL, NULL);
}
