/*
 * A console reader (test/systems/console-read.cap.yaml runs two of them at once). It
 * reads lines from the console and prints each as "reader NAME: LINE", or, for a line too
 * long for one console WRITE (which keeps output from two writers whole only up to
 * KOITO_CONSOLE_CHUNK bytes), as "reader NAME: #LENGTH SUM" with a weighted sum of its bytes
 * (the sum of byte i times i + 1, from 0, modulo 1000003). A line "quit" ends
 * this reader; a line "end" or the end of input (Ctrl-D) stops the machine with success.
 * Reader "a" first checks that the console refuses malformed READs.
 */
#include READER_CAPS_HEADER
#include <koito.h>
#include <koito_console.h>
#include <liba9n.h>
#include <string.h>

static void say(const char *s, size_t n)
{
    koito_console_print(CAP_console, s, n);
}

static void say_str(const char *s)
{
    say(s, strlen(s));
}

/* A READ asking for `count` bytes: the console must answer INVALID_ARGUMENT. */
static bool refused(a9n_word count)
{
    struct a9n_message m = {.info = 2, .word = {KOITO_CONSOLE_READ, count}};
    return a9n_ipc_port_call(CAP_console, &m) == A9N_SUCCESS &&
           m.word[0] == A9N_ERROR_INVALID_ARGUMENT;
}

int main(void)
{
    static const char name[] = READER_NAME;
    if (name[0] == 'a') {
        bool ok = refused(0) && refused(KOITO_CONSOLE_CHUNK + 1) && refused(~0ull);
        say_str(ok ? "reader a: malformed READs refused\n"
                   : "reader a: FAIL: malformed READ taken\n");
        if (!ok)
            koito_console_shutdown(CAP_console, false);
    }
    char prefix[16] = "reader ?: ";
    prefix[7] = name[0];
    for (;;) {
        char line[200];
        long n = koito_console_read_line(CAP_console, CAP_input, line, sizeof line - 1);
        if (n < 0) {
            say_str("reader: FAIL: READ failed\n");
            koito_console_shutdown(CAP_console, false);
        }
        if (n == 0) {
            say(prefix, 10);
            say_str("end of input\n");
            koito_console_shutdown(CAP_console, true);
        }
        char out[KOITO_CONSOLE_CHUNK];
        memcpy(out, prefix, 10);
        size_t len = 10;
        size_t text = line[n - 1] == '\n' ? (size_t)n - 1 : (size_t)n;
        if (text + 11 <= sizeof out) {
            memcpy(out + len, line, text);
            len += text;
        } else {
            unsigned long sum = 0;
            for (size_t i = 0; i < text; i++)
                sum = (sum + (unsigned char)line[i] * (i + 1)) % 1000003;
            len += (size_t)snprintf(out + len, sizeof out - len, "#%zu %lu", text, sum);
        }
        out[len++] = '\n';
        say(out, len);
        if (n == 5 && memcmp(line, "quit\n", 5) == 0)
            koito_console_park(CAP_console);
        if (n == 4 && memcmp(line, "end\n", 4) == 0)
            koito_console_shutdown(CAP_console, true);
    }
}
