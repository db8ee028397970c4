/*
 * The read-only file store in a running system (test/systems/files.cap.yaml): the files
 * the system file packs into this image are found by name, read in pieces, sought and
 * measured; names that are not there and writes are refused with the right errno.
 */
#include <caps/filecheck.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_files.h>
#include <string.h>

static unsigned passed, failed;

static void say(const char *s)
{
    koito_console_print(CAP_console, s, strlen(s));
}

static void check(bool ok, const char *what)
{
    char line[120];
    snprintf(line, sizeof line, "%s %u - %s\n", ok ? "ok" : "not ok", passed + failed + 1, what);
    say(line);
    if (ok)
        passed++;
    else
        failed++;
}

int main(void)
{
    int fd = koito_file_open("/greeting.txt", false);
    check(fd >= KOITO_FILE_FD_FIRST, "open a packed file by name");
    uint64_t size = 0;
    check(koito_file_size(fd, &size) == 0 && size == 96, "its size is the host file's");
    /* Read it in pieces of 7 bytes and print it, so the test compares it with the host's. */
    char text[128];
    size_t got = 0;
    long n;
    while ((n = koito_file_read(fd, text + got, 7)) > 0)
        got += (size_t)n;
    check(n == 0 && got == size, "read to the end in pieces");
    say("filecheck: --- greeting.txt ---\n");
    koito_console_print(CAP_console, text, got);
    say("filecheck: --- end ---\n");
    char tail[8] = {0};
    check(koito_file_seek(fd, -7, 2) == 89 && koito_file_read(fd, tail, 7) == 7 &&
              memcmp(tail, "space.\n", 7) == 0,
          "seek from the end and read");
    check(koito_file_seek(fd, -1, 0) == -22, "seek before the start: EINVAL");
    check(koito_file_close(fd) == 0 && koito_file_read(fd, tail, 1) == -9, "closed: EBADF");
    check(koito_file_open("missing.txt", false) == -2, "a name not packed: ENOENT");
    check(koito_file_open("greeting.txt", true) == -30, "write access: EROFS");
    fd = koito_file_open("sub/empty", false);
    check(fd >= KOITO_FILE_FD_FIRST && koito_file_read(fd, tail, 8) == 0,
          "an empty file under a folder name");
    char summary[64];
    snprintf(summary, sizeof summary, "%u passed, %u failed\n", passed, failed);
    say(summary);
    koito_console_shutdown(CAP_console, failed == 0);
    return 0;
}
