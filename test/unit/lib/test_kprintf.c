/* The kernel's printf engine: every conversion, padding, truncation, console batching. */
#include "console_capture.h"

#include <kernel/kprintf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static char out[256];

static void test_integers(void **state)
{
    ksnprintf(out, sizeof out, "%d %i %u %d", 42, -7, 3000000000u, 0);
    assert_string_equal(out, "42 -7 3000000000 0");
    ksnprintf(out, sizeof out, "%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
    assert_string_equal(out, "-9223372036854775808 18446744073709551615");
    ksnprintf(out, sizeof out, "%zu %llu", (size_t)12, 99ull);
    assert_string_equal(out, "12 99");
}

static void test_hex_and_pointers(void **state)
{
    ksnprintf(out, sizeof out, "%x %X %lx", 0xbeefu, 0xbeefu, 0xffffffff80000000ul);
    assert_string_equal(out, "beef BEEF ffffffff80000000");
    ksnprintf(out, sizeof out, "%p", (void *)0x1000);
    assert_string_equal(out, "0x1000");
}

static void test_width_and_flags(void **state)
{
    ksnprintf(out, sizeof out, "[%016lx] [%5d] [%-5d] [%-4s] [%4s] [%05d]", 0xabcul, 42, 42, "ab",
              "ab", -42);
    assert_string_equal(out, "[0000000000000abc] [   42] [42   ] [ab  ] [  ab] [-0042]");
}

static void test_chars_strings_percent(void **state)
{
    ksnprintf(out, sizeof out, "%c%s%%%s", 'A', "9N", (const char *)NULL);
    assert_string_equal(out, "A9N%(null)");
}

static void test_unknown_conversion_is_literal(void **state)
{
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"
    ksnprintf(out, sizeof out, "a%qb %", 1);
#pragma clang diagnostic pop
    assert_string_equal(out, "a%qb %");
}

static void test_truncation_reports_full_length(void **state)
{
    char small[6];
    size_t n = ksnprintf(small, sizeof small, "%s", "microkernel");
    assert_int_equal(n, 11);
    assert_string_equal(small, "micro");
    assert_int_equal(ksnprintf(NULL, 0, "%d", 12345), 5);
}

static void test_console_output_matches_buffer_output(void **state)
{
    console_capture_reset();
    char expect[600];
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    kprintf("line %d\n%s\n", 1, big); /* longer than one console chunk */
    ksnprintf(expect, sizeof expect, "line %d\n%s\n", 1, big);
    assert_string_equal(console_capture_text(), expect);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_hex_and_pointers),
        cmocka_unit_test(test_width_and_flags),
        cmocka_unit_test(test_chars_strings_percent),
        cmocka_unit_test(test_unknown_conversion_is_literal),
        cmocka_unit_test(test_truncation_reports_full_length),
        cmocka_unit_test(test_console_output_matches_buffer_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
