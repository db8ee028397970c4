/*
 * POSIX functions newlib declares but leaves to the system, as KOITO can answer them: the
 * only files are the read-only store's (koito_files.h), there is one user and no links.
 * Programs that call them (SQLite's shell) link and get a clean answer at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <koito_files.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

int access(const char *path, int mode)
{
    if (koito_files_find(path) == NULL) {
        errno = ENOENT;
        return -1;
    }
    if (mode & (W_OK | X_OK)) {
        errno = mode & W_OK ? EROFS : EACCES; /* packed files are data, read-only */
        return -1;
    }
    return 0;
}

int lstat(const char *path, struct stat *st); /* newlib declares it only for some targets */
int lstat(const char *path, struct stat *st)
{
    return stat(path, st); /* no links */
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    errno = koito_files_find(path) != NULL ? EINVAL : ENOENT; /* never a link */
    return -1;
}

/* The root is the only folder (the store's names are paths below it). */
int chdir(const char *path)
{
    if (path[0] == '/' && path[1] == 0)
        return 0;
    errno = koito_files_find(path) != NULL ? ENOTDIR : ENOENT;
    return -1;
}

static int read_only(void)
{
    errno = EROFS;
    return -1;
}

int chmod(const char *path, mode_t mode)
{
    (void)path;
    (void)mode;
    return read_only();
}

int mkdir(const char *path, mode_t mode)
{
    (void)path;
    (void)mode;
    return read_only();
}

int symlink(const char *target, const char *path)
{
    (void)target;
    (void)path;
    return read_only();
}

int utimes(const char *path, const struct timeval times[2])
{
    (void)path;
    (void)times;
    return read_only();
}

/* One user, root, with no entry in a password database (there is none). */
uid_t getuid(void)
{
    return 0;
}

struct passwd *getpwuid(uid_t uid)
{
    (void)uid;
    return NULL;
}

/* The processor time of times() (the TSC since the start); nothing else is counted. */
int getrusage(int who, struct rusage *usage)
{
    if (who != RUSAGE_SELF) {
        errno = EINVAL;
        return -1;
    }
    struct tms t;
    times(&t);
    long ms = (long)t.tms_utime * 1000 / CLK_TCK;
    *usage = (struct rusage){.ru_utime = {ms / 1000, (ms % 1000) * 1000}};
    return 0;
}
