/* koito-libc's read-only file store (libc/koito/src/files.c) over a table like capgen's. */
#include <errno.h>
#include <fcntl.h>
#include <koito_files.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

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
    int fd = koito_files_open("hello.txt", O_RDONLY, 0);
    assert_true(fd >= KOITO_FILES_FD_FIRST);
    char buf[64];
    assert_int_equal(koito_files_read(fd, buf, 5), 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(koito_files_read(fd, buf, sizeof buf), 7);
    assert_memory_equal(buf, ", file\n", 7);
    assert_int_equal(koito_files_read(fd, buf, sizeof buf), 0); /* end of file */
    assert_int_equal(koito_files_close(fd), 0);
    assert_int_equal(koito_files_read(fd, buf, 1), -EBADF);
    assert_int_equal(koito_files_close(fd), -EBADF);
}

static void test_names_and_refusals(void **state)
{
    assert_non_null(koito_files_find("/hello.txt"));
    assert_non_null(koito_files_find("./dir/hello.txt"));
    assert_int_equal(koito_files_find("dir/hello.txt")->size, 5);
    assert_null(koito_files_find("hello"));
    assert_null(koito_files_find("dir"));
    assert_int_equal(koito_files_open("missing.txt", O_RDONLY, 0), -ENOENT);
    assert_int_equal(koito_files_open("hello.txt", O_WRONLY, 0), -EROFS);
    assert_int_equal(koito_files_open("hello.txt", O_RDWR, 0), -EROFS);
    assert_int_equal(koito_files_open("hello.txt", O_RDONLY | O_TRUNC, 0), -EROFS);
    assert_int_equal(koito_files_open("new.txt", O_WRONLY | O_CREAT, 0644), -EROFS);
}

static void test_seek_and_stat(void **state)
{
    int fd = koito_files_open("hello.txt", O_RDONLY, 0);
    struct stat st;
    assert_int_equal(koito_files_fstat(fd, &st), 0);
    assert_int_equal(st.st_size, 12);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(koito_files_lseek(fd, -4, SEEK_END), 8);
    char buf[8];
    assert_int_equal(koito_files_read(fd, buf, sizeof buf), 4);
    assert_memory_equal(buf, "ile\n", 4);
    assert_int_equal(koito_files_lseek(fd, 100, SEEK_SET), 100); /* past the end: reads 0 */
    assert_int_equal(koito_files_read(fd, buf, sizeof buf), 0);
    assert_int_equal(koito_files_lseek(fd, -101, SEEK_CUR), -EINVAL); /* before the start */
    assert_int_equal(koito_files_lseek(fd, 0, 3), -EINVAL);           /* unknown whence */
    assert_int_equal(koito_files_lseek(fd, LONG_MAX, SEEK_CUR), -EINVAL);
    assert_int_equal(koito_files_lseek(fd, -2, SEEK_CUR), 98);
    assert_int_equal(koito_files_lseek(2, 0, SEEK_SET), -EBADF); /* the console's: not ours */
    assert_int_equal(koito_files_fstat(-1, &st), -EBADF);
    assert_int_equal(koito_files_close(fd), 0);
}

static void test_descriptor_limit(void **state)
{
    int fds[KOITO_FILES_OPEN_MAX];
    for (int i = 0; i < KOITO_FILES_OPEN_MAX; i++) {
        fds[i] = koito_files_open("dir/empty", O_RDONLY, 0);
        assert_int_equal(fds[i], KOITO_FILES_FD_FIRST + i);
    }
    assert_int_equal(koito_files_open("dir/empty", O_RDONLY, 0), -EMFILE);
    assert_int_equal(koito_files_close(KOITO_FILES_FD_FIRST + KOITO_FILES_OPEN_MAX), -EBADF);
    for (int i = 0; i < KOITO_FILES_OPEN_MAX; i++)
        assert_int_equal(koito_files_close(fds[i]), 0);
    assert_int_equal(koito_files_open("dir/empty", O_RDONLY, 0), KOITO_FILES_FD_FIRST);
    assert_int_equal(koito_files_close(KOITO_FILES_FD_FIRST), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_read_close),
        cmocka_unit_test(test_names_and_refusals),
        cmocka_unit_test(test_seek_and_stat),
        cmocka_unit_test(test_descriptor_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
