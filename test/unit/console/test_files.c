/* koito-libc's read-only file store (libc/koito/src/files.c) over a table like capgen's. */
#include <koito_files.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static const unsigned char hello[] = "hello, file\n";
static const unsigned char empty[1];

/* What files/<image>.asm defines: count, then name, data and size per file. */
const struct {
    uint64_t count;
    struct koito_file_entry entry[3];
} koito_file_table = {
    3,
    {{"hello.txt", hello, sizeof hello - 1}, {"dir/empty", empty, 0}, {"dir/hello.txt", hello, 5}}};

static void test_open_read_close(void **state)
{
    int fd = koito_file_open("hello.txt", false);
    assert_true(fd >= KOITO_FILE_FD_FIRST);
    char buf[64];
    assert_int_equal(koito_file_read(fd, buf, 5), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(koito_file_read(fd, buf, sizeof buf), 7);
    assert_memory_equal(buf, ", file\n", 7);
    assert_int_equal(koito_file_read(fd, buf, sizeof buf), 0); /* end of file */
    assert_int_equal(koito_file_close(fd), 0);
    assert_int_equal(koito_file_read(fd, buf, 1), -9); /* EBADF once closed */
    assert_int_equal(koito_file_close(fd), -9);
}

static void test_names(void **state)
{
    assert_non_null(koito_file_find("/hello.txt"));
    assert_non_null(koito_file_find("./dir/hello.txt"));
    assert_int_equal(koito_file_find("dir/hello.txt")->size, 5);
    assert_null(koito_file_find("hello"));
    assert_null(koito_file_find("dir"));
    assert_int_equal(koito_file_open("missing.txt", false), -2); /* ENOENT */
    assert_int_equal(koito_file_open("hello.txt", true), -30);   /* EROFS */
    assert_int_equal(koito_file_open("new.txt", true), -30);
}

static void test_seek_and_size(void **state)
{
    int fd = koito_file_open("hello.txt", false);
    uint64_t size = 0;
    assert_int_equal(koito_file_size(fd, &size), 0);
    assert_int_equal(size, 12);
    assert_int_equal(koito_file_seek(fd, -4, 2), 8);
    char buf[8];
    assert_int_equal(koito_file_read(fd, buf, sizeof buf), 4);
    assert_memory_equal(buf, "ile\n", 4);
    assert_int_equal(koito_file_seek(fd, 100, 0), 100); /* past the end: reads give 0 */
    assert_int_equal(koito_file_read(fd, buf, sizeof buf), 0);
    assert_int_equal(koito_file_seek(fd, -101, 1), -22); /* before the start: EINVAL */
    assert_int_equal(koito_file_seek(fd, 0, 3), -22);    /* unknown whence */
    assert_int_equal(koito_file_seek(fd, INT64_MAX, 1), -22);
    assert_int_equal(koito_file_seek(fd, -2, 1), 98);
    assert_int_equal(koito_file_seek(2, 0, 0), -9); /* the console's: not ours */
    assert_int_equal(koito_file_close(fd), 0);
}

static void test_descriptor_limit(void **state)
{
    int fds[KOITO_FILE_OPEN_MAX];
    for (int i = 0; i < KOITO_FILE_OPEN_MAX; i++) {
        fds[i] = koito_file_open("dir/empty", false);
        assert_int_equal(fds[i], KOITO_FILE_FD_FIRST + i);
    }
    assert_int_equal(koito_file_open("dir/empty", false), -24); /* EMFILE */
    assert_false(koito_file_is_open(KOITO_FILE_FD_FIRST + KOITO_FILE_OPEN_MAX));
    assert_false(koito_file_is_open(-1));
    for (int i = 0; i < KOITO_FILE_OPEN_MAX; i++)
        assert_int_equal(koito_file_close(fds[i]), 0);
    assert_int_equal(koito_file_open("dir/empty", false), KOITO_FILE_FD_FIRST);
    assert_int_equal(koito_file_close(KOITO_FILE_FD_FIRST), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_read_close),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_seek_and_size),
        cmocka_unit_test(test_descriptor_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
