/*
 * The read-only file store behind open/read/lseek/close/fstat for descriptors above 2 (0, 1
 * and 2 are the console): files declared under `files:` in the system file and packed into
 * the program's image by the build (capgen writes their table, files/<image>.asm). Each
 * function returns what the system call returns, or a negative errno: ENOENT (a name not
 * packed), EROFS (write access, O_CREAT, O_TRUNC, O_APPEND), EBADF, EINVAL, EMFILE. Nothing
 * blocks, nothing changes a file.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

enum {
    KOITO_FILES_FD_FIRST = 3, /* 0, 1 and 2 are the console's */
    KOITO_FILES_OPEN_MAX = 16,
};

/* The table capgen writes (a weak symbol: a program with no files has none). */
struct koito_file_entry {
    const char *name;
    const unsigned char *data;
    uint64_t size;
};
struct koito_file_table {
    uint64_t count;
    struct koito_file_entry entry[];
};

/* `path`: "name", "/name" or "./name". Returns a descriptor >= 3. */
int koito_files_open(const char *path, int flags, int mode);
long koito_files_read(int fd, void *buf, size_t len);
/* Past the end is allowed (reads there give 0), before the start is EINVAL. */
long koito_files_lseek(int fd, long offset, int whence);
int koito_files_close(int fd);
int koito_files_fstat(int fd, struct stat *st);
/* The packed file `path`, or NULL (for programs that want the bytes without a descriptor). */
const struct koito_file_entry *koito_files_find(const char *path);

/* Runs `run` on each packed file whose name starts with `prefix` and ends with `suffix`, in
 * packing order, between the lines "==== LABEL: NAME ====" and "==== end: NAME status S ===="
 * (the ported programs' tests cut one transcript per file at them), flushing stdout and
 * stderr around each run. Returns how many ran; adds those with a nonzero status to *failed. */
unsigned koito_files_run_each(const char *prefix, const char *suffix, const char *label,
                              int (*run)(const char *name), unsigned *failed);
