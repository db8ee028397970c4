/* Directories (sys/dirent.h): KOITO has none, so nothing opens and nothing is listed. */
#include <dirent.h>
#include <errno.h>
#include <koito_files.h>

DIR *opendir(const char *path)
{
    errno = koito_files_find(path) != NULL ? ENOTDIR : ENOENT;
    return NULL;
}

DIR *fdopendir(int fd)
{
    errno = fd >= 0 && fd <= 2 ? ENOTDIR : EBADF;
    return NULL;
}

/* A DIR never exists, so a call with one is a caller's mistake: EBADF. */
struct dirent *readdir(DIR *dir)
{
    (void)dir;
    errno = EBADF;
    return NULL;
}

int closedir(DIR *dir)
{
    (void)dir;
    errno = EBADF;
    return -1;
}

void rewinddir(DIR *dir)
{
    (void)dir;
}
