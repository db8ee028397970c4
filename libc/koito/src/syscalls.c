/*
 * newlib's system layer. newlib for x86_64-elf calls these under their POSIX names (read,
 * write, ...; its MISSING_SYSCALL_NAMES configuration); the _names are aliases of the same
 * functions. Descriptors 0, 1 and 2 are the console; others go to the file store
 * (koito_files.h). What KOITO has no service for fails with a clear errno, at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <koito.h>
#include <koito_files.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

enum { KOITO_PID = 1 }; /* a process knows no other, so its own number is fixed */

/* A result of the store or console: n >= 0, or -errno. */
static long result(long n)
{
    if (n < 0) {
        errno = (int)-n;
        return -1;
    }
    return n;
}

static bool console(int fd)
{
    return fd >= 0 && fd <= 2;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
    if (fd == STDIN_FILENO)
        return (int)result(koito_console_read(buf, len));
    if (console(fd))
        return (int)result(-EBADF); /* stdout and stderr are write-only */
    return (int)result(koito_files_read(fd, buf, len));
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
    if (fd == STDOUT_FILENO || fd == STDERR_FILENO) {
        koito_console_write(buf, len);
        return (int)len;
    }
    /* stdin is read-only and the file store is read-only. */
    return (int)result(-EBADF);
}

int open(const char *path, int flags, ...)
{
    int mode = 0;
    va_list ap;
    va_start(ap, flags);
    if (flags & O_CREAT)
        mode = va_arg(ap, int);
    va_end(ap);
    if (path == NULL)
        return (int)result(-EFAULT);
    return (int)result(koito_files_open(path, flags, mode));
}

int close(int fd)
{
    if (console(fd))
        return 0; /* the console stays; closing it only forgets the descriptor's stream */
    return (int)result(koito_files_close(fd));
}

off_t lseek(int fd, off_t offset, int whence)
{
    if (console(fd))
        return result(-ESPIPE);
    return result(koito_files_lseek(fd, offset, whence));
}

int fstat(int fd, struct stat *st)
{
    if (console(fd)) {
        *st = (struct stat){.st_mode = S_IFCHR | 0600, .st_blksize = 0};
        return 0;
    }
    return (int)result(koito_files_fstat(fd, st));
}

int stat(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int r = fstat(fd, st);
    close(fd);
    return r;
}

int isatty(int fd)
{
    if (console(fd))
        return 1;
    errno = fd < 0 ? EBADF : ENOTTY;
    return 0;
}

pid_t getpid(void)
{
    return KOITO_PID;
}

/* Signals: there are none to deliver to another process; a signal to ourselves (abort())
 * ends the program with 128 + the signal's number, as a shell would report it. */
int kill(pid_t pid, int sig)
{
    if (pid != KOITO_PID && pid != 0) {
        errno = ESRCH;
        return -1;
    }
    if (sig < 0 || sig >= NSIG) {
        errno = EINVAL;
        return -1;
    }
    if (sig != 0)
        _exit(128 + sig);
    return 0;
}

/* No processes made by a program, no links, no writable files. */
int fork(void)
{
    errno = ENOSYS;
    return -1;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    (void)path;
    (void)argv;
    (void)envp;
    errno = ENOSYS;
    return -1;
}

int wait(int *status)
{
    (void)status;
    errno = ECHILD;
    return -1;
}

int link(const char *from, const char *to)
{
    (void)from;
    (void)to;
    errno = EROFS;
    return -1;
}

int unlink(const char *path)
{
    (void)path;
    errno = EROFS;
    return -1;
}

_READ_WRITE_RETURN_TYPE _read(int fd, void *buf, size_t len) __attribute__((alias("read")));
_READ_WRITE_RETURN_TYPE _write(int fd, const void *buf, size_t len) __attribute__((alias("write")));
int _open(const char *path, int flags, ...) __attribute__((alias("open")));
int _close(int fd) __attribute__((alias("close")));
off_t _lseek(int fd, off_t offset, int whence) __attribute__((alias("lseek")));
int _fstat(int fd, struct stat *st) __attribute__((alias("fstat")));
int _stat(const char *path, struct stat *st) __attribute__((alias("stat")));
int _isatty(int fd) __attribute__((alias("isatty")));
pid_t _getpid(void) __attribute__((alias("getpid")));
int _kill(pid_t pid, int sig) __attribute__((alias("kill")));
int _fork(void) __attribute__((alias("fork")));
int _execve(const char *path, char *const argv[], char *const envp[])
    __attribute__((alias("execve")));
int _wait(int *status) __attribute__((alias("wait")));
int _link(const char *from, const char *to) __attribute__((alias("link")));
int _unlink(const char *path) __attribute__((alias("unlink")));
