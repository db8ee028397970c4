/* The file store seam: open() of any path reaches koito_files_open. KOITO has no file store
 * yet, so every path is ENOENT and no descriptor above 2 is ever open. (The read-only store
 * of files packed into the image replaces this file.) */
#include <errno.h>
#include <koito_files.h>

int koito_files_open(const char *path, int flags, int mode)
{
    (void)path;
    (void)flags;
    (void)mode;
    return -ENOENT;
}

long koito_files_read(int fd, void *buf, size_t len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return -EBADF;
}

long koito_files_lseek(int fd, long offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    return -EBADF;
}

int koito_files_close(int fd)
{
    (void)fd;
    return -EBADF;
}

int koito_files_fstat(int fd, struct stat *st)
{
    (void)fd;
    (void)st;
    return -EBADF;
}
