/* a9n_error_name(): every code of a9n/error.h has its own name, spelled as the enum spells
 * it; anything else is "UNKNOWN". */
#include <a9n_error_name.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* The enum's own spelling, through the preprocessor: a name that drifts from the code it
 * names fails here. */
#define CODE(c)                                                                                    \
    {                                                                                              \
        c, #c                                                                                      \
    }
static const struct {
    a9n_error code;
    const char *spelled;
} codes[] = {
    CODE(A9N_SUCCESS),
    CODE(A9N_ERROR_ILLEGAL_OPERATION),
    CODE(A9N_ERROR_PERMISSION_DENIED),
    CODE(A9N_ERROR_INVALID_DESCRIPTOR),
    CODE(A9N_ERROR_INVALID_DEPTH),
    CODE(A9N_ERROR_INVALID_ARGUMENT),
    CODE(A9N_ERROR_NOT_ENOUGH_MEMORY),
    CODE(A9N_ERROR_INDEX_OUT_OF_RANGE),
    CODE(A9N_ERROR_EMPTY_SLOT),
    CODE(A9N_ERROR_SLOT_OCCUPIED),
    CODE(A9N_ERROR_WRONG_TYPE),
    CODE(A9N_ERROR_DESTROYED),
    CODE(A9N_ERROR_FATAL),
    CODE(A9N_ERROR_CANCELED),
    CODE(A9N_ERROR_MISSING_TABLE),
    CODE(A9N_ERROR_ADDRESS_IN_USE),
    CODE(A9N_ERROR_ALREADY_MAPPED),
    CODE(A9N_ERROR_NOT_MAPPED),
    CODE(A9N_ERROR_IN_USE),
    CODE(A9N_ERROR_NO_ASID),
};

static void test_every_code_named_as_spelled(void **state)
{
    (void)state;
    assert_int_equal(sizeof(codes) / sizeof(codes[0]), A9N_ERROR_COUNT);
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        assert_int_equal(codes[i].code, i);
        const char *want = codes[i].spelled + (i == 0 ? strlen("A9N_") : strlen("A9N_ERROR_"));
        assert_string_equal(a9n_error_name(codes[i].code), want);
    }
}

static void test_names_are_distinct(void **state)
{
    (void)state;
    for (unsigned a = 0; a < A9N_ERROR_COUNT; a++)
        for (unsigned b = a + 1; b < A9N_ERROR_COUNT; b++)
            assert_string_not_equal(a9n_error_name((a9n_error)a), a9n_error_name((a9n_error)b));
}

static void test_no_code_is_unknown(void **state)
{
    (void)state;
    assert_string_equal(a9n_error_name(A9N_ERROR_COUNT), "UNKNOWN");
    assert_string_equal(a9n_error_name((a9n_error)(A9N_ERROR_COUNT + 1)), "UNKNOWN");
    assert_string_equal(a9n_error_name((a9n_error)1000), "UNKNOWN");
    assert_string_equal(a9n_error_name((a9n_error)-1), "UNKNOWN");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_named_as_spelled),
        cmocka_unit_test(test_names_are_distinct),
        cmocka_unit_test(test_no_code_is_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
