/*
 * The read-only file store: files declared under `files:` in the system file and packed into
 * the program's image by the build (capgen writes the table, files/<image>.asm). newlib's
 * system layer (_open, _read, _lseek, _fstat, _close) calls these for descriptors from
 * KOITO_FILE_FD_FIRST on. Every function returns minus an errno value on failure
 * (ENOENT, EROFS, EBADF, EINVAL, EMFILE), never blocks and never changes a file.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    KOITO_FILE_FD_FIRST = 3, /* 0, 1 and 2 are the console's */
    KOITO_FILE_OPEN_MAX = 16,
};

/* The table capgen writes (a weak symbol here: a program with no files has none). */
struct koito_file_entry {
    const char *name;
    const unsigned char *data;
    uint64_t size;
};
struct koito_file_table {
    uint64_t count;
    struct koito_file_entry entry[];
};

/* Opens `path` ("name", "/name" or "./name") for reading; `write` (any of write access,
 * create, truncate, append) is refused with EROFS. Returns a descriptor. */
int koito_file_open(const char *path, bool write);
long koito_file_read(int fd, void *buf, size_t len);
/* whence: 0 from the start, 1 from the offset, 2 from the end (SEEK_SET/CUR/END). */
int64_t koito_file_seek(int fd, int64_t offset, int whence);
/* The file's size, for fstat. */
int koito_file_size(int fd, uint64_t *size);
int koito_file_close(int fd);
/* Whether `fd` is an open descriptor of the store. */
bool koito_file_is_open(int fd);
/* The packed file `path`, or NULL (programs that want the bytes without a descriptor). */
const struct koito_file_entry *koito_file_find(const char *path);
