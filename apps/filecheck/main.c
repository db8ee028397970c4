/*
 * The read-only file store in a running system (test/systems/files.cap.yaml), through
 * newlib's stdio and koito-libc: the files the system file packs into this image open by
 * name, read in pieces, seek and stat; names that are not there and writes are refused with
 * the right errno.
 */
#include <caps/filecheck.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_heap.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned passed, failed;

int lstat(const char *path, struct stat *st); /* koito-libc's; newlib declares it for few targets */

/* fopen's FILE and its buffer come from malloc: a small heap of our own. */
static char heap[64 * 1024];

void koito_setup(void)
{
    koito_console_port = CAP_console;
    koito_heap_static(heap, sizeof heap);
}

static void check(bool ok, const char *what)
{
    printf("%s %u - %s\n", ok ? "ok" : "not ok", passed + failed + 1, what);
    if (ok)
        passed++;
    else
        failed++;
}

int main(void)
{
    FILE *f = fopen("/greeting.txt", "r");
    check(f != NULL, "fopen a packed file by name");
    struct stat st;
    check(f && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 96,
          "fstat: a regular file of the host file's size");
    /* Read it in pieces of 7 bytes and print it: the test compares it with the host's. */
    char text[128];
    size_t got = 0, n;
    while (f && (n = fread(text + got, 1, 7, f)) > 0)
        got += n;
    check(f && feof(f) && !ferror(f) && got == 96, "fread to the end in pieces");
    printf("filecheck: --- greeting.txt ---\n%.*sfilecheck: --- end ---\n", (int)got, text);
    char tail[8] = {0};
    check(f && fseek(f, -7, SEEK_END) == 0 && ftell(f) == 89 && fread(tail, 1, 7, f) == 7 &&
              memcmp(tail, "space.\n", 7) == 0,
          "fseek from the end, ftell, fread");
    check(f && fseek(f, -1, SEEK_SET) != 0 && errno == EINVAL, "seek before the start: EINVAL");
    int fd = f ? fileno(f) : -1;
    check(f && fclose(f) == 0 && read(fd, tail, 1) == -1 && errno == EBADF, "closed: EBADF");
    errno = 0;
    check(fopen("missing.txt", "r") == NULL && errno == ENOENT, "a name not packed: ENOENT");
    check(fopen("greeting.txt", "w") == NULL && errno == EROFS, "fopen for writing: EROFS");
    check(open("new.txt", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS, "O_CREAT: EROFS");
    f = fopen("sub/empty", "r");
    check(f != NULL && fgetc(f) == EOF && feof(f), "an empty file under a folder name");
    /* The POSIX calls koito-libc answers over the store (posix.c, dirent.c). */
    check(access("greeting.txt", R_OK) == 0 && access("/greeting.txt", F_OK) == 0,
          "access: a packed file is there and readable");
    errno = 0;
    check(access("greeting.txt", W_OK) == -1 && errno == EROFS, "access for writing: EROFS");
    check(access("missing.txt", F_OK) == -1 && errno == ENOENT, "access a name not packed: ENOENT");
    check(lstat("greeting.txt", &st) == 0 && st.st_size == 96, "lstat is stat (no links)");
    char link[16];
    check(readlink("greeting.txt", link, sizeof link) == -1 && errno == EINVAL,
          "readlink of a file: EINVAL");
    check(opendir("greeting.txt") == NULL && errno == ENOTDIR, "opendir of a file: ENOTDIR");
    check(opendir("sub") == NULL && errno == ENOENT, "opendir of anything else: ENOENT");
    check(mkdir("new", 0755) == -1 && errno == EROFS && chmod("greeting.txt", 0) == -1 &&
              errno == EROFS,
          "mkdir, chmod: EROFS");
    check(chdir("/") == 0 && chdir("greeting.txt") == -1 && errno == ENOTDIR,
          "chdir: the root only");
    printf("%u passed, %u failed\n", passed, failed);
    fflush(stdout);
    koito_console_shutdown(CAP_console, failed == 0);
    return 0;
}
