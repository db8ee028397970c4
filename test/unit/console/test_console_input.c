/* The console's line discipline (servers/console/input.c): lines, pieces, owners, editing,
 * end of input, a full ring. */
#include "input.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static struct console_input in;

static bool type(const char *s, size_t n)
{
    bool line = false;
    for (size_t i = 0; i < n; i++)
        line |= console_input_byte(&in, (uint8_t)s[i]);
    return line;
}

/* Reads one piece for `who`; returns it as a string ("" for end of input, NULL for none). */
static const char *piece(uint64_t who, size_t max, bool *end)
{
    static char out[CONSOLE_INPUT_SIZE + 1];
    long n = console_input_read(&in, who, (uint8_t *)out, max, end);
    if (n < 0)
        return NULL;
    out[n] = 0;
    return out;
}

static int reset(void **state)
{
    (void)state;
    memset(&in, 0, sizeof in);
    return 0;
}

static void test_nothing_before_a_newline(void **state)
{
    bool end;
    assert_false(type("abc", 3));
    assert_null(piece(1, 24, &end));
    assert_true(type("\n", 1));
    assert_string_equal(piece(1, 24, &end), "abc\n");
    assert_true(end);
    assert_null(piece(1, 24, &end));
}

static void test_lines_one_at_a_time(void **state)
{
    bool end;
    type("one\ntwo\n", 8);
    assert_string_equal(piece(1, 24, &end), "one\n");
    assert_true(console_input_ready(&in));
    assert_string_equal(piece(2, 24, &end), "two\n");
    assert_false(console_input_ready(&in));
}

static void test_cr_lf_and_cr_are_one_newline(void **state)
{
    bool end;
    type("a\r\nb\rc\n", 7);
    assert_string_equal(piece(1, 24, &end), "a\n");
    assert_string_equal(piece(1, 24, &end), "b\n");
    assert_string_equal(piece(1, 24, &end), "c\n");
}

static void test_backspace_edits_only_the_open_line(void **state)
{
    bool end;
    type("ab\nxy\x7fz\b\bq\n", 12);
    assert_string_equal(piece(1, 24, &end), "ab\n");
    assert_string_equal(piece(1, 24, &end), "q\n");
    type("\b\b\bk\n", 5); /* nothing open to erase: the complete lines stay */
    assert_string_equal(piece(1, 24, &end), "k\n");
}

static void test_a_long_line_stays_with_its_reader(void **state)
{
    bool end;
    type("0123456789abcdef\nnext\n", 22);
    assert_string_equal(piece(7, 10, &end), "0123456789");
    assert_false(end);
    assert_null(piece(8, 10, &end)); /* another client waits for the line's end */
    assert_string_equal(piece(7, 10, &end), "abcdef\n");
    assert_true(end);
    assert_string_equal(piece(8, 10, &end), "next\n");
}

static void test_ctrl_d_ends_input_or_flushes(void **state)
{
    bool end;
    type("\x04", 1);
    assert_string_equal(piece(1, 24, &end), "");
    assert_true(end);
    type("half\x04", 5);
    assert_string_equal(piece(1, 24, &end), "half");
    assert_true(end);
    type("x\n\x04", 3);
    assert_string_equal(piece(1, 24, &end), "x\n");
    assert_string_equal(piece(1, 24, &end), "");
    assert_null(piece(1, 24, &end));
}

static void test_a_full_ring_drops_and_hands_out(void **state)
{
    bool end;
    for (int i = 0; i < CONSOLE_INPUT_SIZE + 5; i++)
        type("z", 1);
    assert_int_equal(in.dropped, 5);
    assert_true(console_input_ready(&in));
    size_t total = 0;
    bool last_end = false;
    for (const char *p; (p = piece(1, 24, &end)) != NULL; last_end = end)
        total += strlen(p);
    assert_int_equal(total, CONSOLE_INPUT_SIZE);
    assert_true(last_end); /* the ring's content went out as one line */
    type("ok\n", 3);       /* the ring wraps around */
    assert_string_equal(piece(2, 24, &end), "ok\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_nothing_before_a_newline, reset),
        cmocka_unit_test_setup(test_lines_one_at_a_time, reset),
        cmocka_unit_test_setup(test_cr_lf_and_cr_are_one_newline, reset),
        cmocka_unit_test_setup(test_backspace_edits_only_the_open_line, reset),
        cmocka_unit_test_setup(test_a_long_line_stays_with_its_reader, reset),
        cmocka_unit_test_setup(test_ctrl_d_ends_input_or_flushes, reset),
        cmocka_unit_test_setup(test_a_full_ring_drops_and_hands_out, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
