/* The read-only file store (koito_files.h): a table in the image, descriptors over it. The
 * host unit test (test/unit/console/test_files.c) builds this file against glibc. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <koito_files.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

extern const struct koito_file_table koito_file_table __attribute__((weak));

static struct open_file {
    const struct koito_file_entry *file; /* NULL: free */
    uint64_t offset;
} open_files[KOITO_FILES_OPEN_MAX];

const struct koito_file_entry *koito_files_find(const char *path)
{
    if (&koito_file_table == NULL || path == NULL)
        return NULL;
    while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
        path += path[0] == '/' ? 1 : 2;
    for (uint64_t i = 0; i < koito_file_table.count; i++)
        if (strcmp(koito_file_table.entry[i].name, path) == 0)
            return &koito_file_table.entry[i];
    return NULL;
}

static struct open_file *lookup(int fd)
{
    if (fd < KOITO_FILES_FD_FIRST || fd >= KOITO_FILES_FD_FIRST + KOITO_FILES_OPEN_MAX)
        return NULL;
    struct open_file *o = &open_files[fd - KOITO_FILES_FD_FIRST];
    return o->file != NULL ? o : NULL;
}

int koito_files_open(const char *path, int flags, int mode)
{
    (void)mode;
    /* Nothing here can change and nothing can be created. */
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND)))
        return -EROFS;
    const struct koito_file_entry *f = koito_files_find(path);
    if (f == NULL)
        return -ENOENT;
    for (int i = 0; i < KOITO_FILES_OPEN_MAX; i++) {
        if (open_files[i].file == NULL) {
            open_files[i] = (struct open_file){f, 0};
            return KOITO_FILES_FD_FIRST + i;
        }
    }
    return -EMFILE;
}

long koito_files_read(int fd, void *buf, size_t len)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -EBADF;
    uint64_t left = o->offset < o->file->size ? o->file->size - o->offset : 0;
    size_t n = len < left ? len : (size_t)left;
    memcpy(buf, o->file->data + o->offset, n);
    o->offset += n;
    return (long)n;
}

long koito_files_lseek(int fd, long offset, int whence)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -EBADF;
    long base = whence == SEEK_SET   ? 0
                : whence == SEEK_CUR ? (long)o->offset
                : whence == SEEK_END ? (long)o->file->size
                                     : -1;
    if (base < 0 || (offset < 0 && -offset > base) || (offset > 0 && offset > LONG_MAX - base))
        return -EINVAL;
    o->offset = (uint64_t)(base + offset);
    return (long)o->offset;
}

int koito_files_fstat(int fd, struct stat *st)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -EBADF;
    *st = (struct stat){.st_mode = S_IFREG | 0444, .st_nlink = 1, .st_size = (off_t)o->file->size};
    return 0;
}

int koito_files_close(int fd)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -EBADF;
    o->file = NULL;
    return 0;
}
