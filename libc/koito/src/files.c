/* The read-only file store (koito_files.h): a table in the image, descriptors over it. */
#include <koito_files.h>
#include <string.h>

/* errno values (the same in newlib and on Linux); this file does not include errno.h so
 * that it builds the same on the host (tests) and against newlib. */
enum { E_NOENT = 2, E_BADF = 9, E_INVAL = 22, E_MFILE = 24, E_ROFS = 30 };

extern const struct koito_file_table koito_file_table __attribute__((weak));

static struct open_file {
    const struct koito_file_entry *file; /* NULL: free */
    uint64_t offset;
} open_files[KOITO_FILE_OPEN_MAX];

const struct koito_file_entry *koito_file_find(const char *path)
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
    if (fd < KOITO_FILE_FD_FIRST || fd >= KOITO_FILE_FD_FIRST + KOITO_FILE_OPEN_MAX)
        return NULL;
    struct open_file *o = &open_files[fd - KOITO_FILE_FD_FIRST];
    return o->file != NULL ? o : NULL;
}

bool koito_file_is_open(int fd)
{
    return lookup(fd) != NULL;
}

int koito_file_open(const char *path, bool write)
{
    const struct koito_file_entry *f = koito_file_find(path);
    if (write)
        return -E_ROFS; /* nothing here can change, and nothing can be created */
    if (f == NULL)
        return -E_NOENT;
    for (int i = 0; i < KOITO_FILE_OPEN_MAX; i++) {
        if (open_files[i].file == NULL) {
            open_files[i] = (struct open_file){f, 0};
            return KOITO_FILE_FD_FIRST + i;
        }
    }
    return -E_MFILE;
}

long koito_file_read(int fd, void *buf, size_t len)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -E_BADF;
    uint64_t left = o->offset < o->file->size ? o->file->size - o->offset : 0;
    size_t n = len < left ? len : (size_t)left;
    memcpy(buf, o->file->data + o->offset, n);
    o->offset += n;
    return (long)n;
}

int64_t koito_file_seek(int fd, int64_t offset, int whence)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -E_BADF;
    int64_t base = whence == 0   ? 0
                   : whence == 1 ? (int64_t)o->offset
                   : whence == 2 ? (int64_t)o->file->size
                                 : -1;
    /* A seek past the end is allowed (reads there return 0); before the start is not. */
    if (base < 0 || (offset < 0 && -offset > base) || (offset > 0 && offset > INT64_MAX - base))
        return -E_INVAL;
    o->offset = (uint64_t)(base + offset);
    return (int64_t)o->offset;
}

int koito_file_size(int fd, uint64_t *size)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -E_BADF;
    *size = o->file->size;
    return 0;
}

int koito_file_close(int fd)
{
    struct open_file *o = lookup(fd);
    if (o == NULL)
        return -E_BADF;
    o->file = NULL;
    return 0;
}
