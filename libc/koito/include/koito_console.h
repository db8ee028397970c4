/*
 * The console protocol (servers/console): a client CALLs the console's IPC Port with
 *   MR4 = operation, MR5 = byte count, MR6..MR8 = up to 24 bytes of text (WRITE)
 *   MR4 = KOITO_CONSOLE_SHUTDOWN, MR5 = 0 for success or 1 for failure (the machine stops)
 *   MR4 = KOITO_CONSOLE_PARK: never answered, so the caller stays blocked for good (a
 *         program that has nothing left to do and holds nothing else to wait on)
 *   MR4 = KOITO_CONSOLE_READ, MR5 = most bytes wanted (1..24): the next bytes of the first
 *         complete input line, never past its end. Answer MR4 = 0, MR5 = count (with
 *         KOITO_CONSOLE_LINE_END set when these bytes end the line), MR6..MR8 = the bytes
 *         (count 0: end of input, Ctrl-D on an empty line), or MR4 =
 *         KOITO_CONSOLE_NO_LINE when no complete line is there yet (or another client is
 *         half way through the first one): the caller then WAITs on the console's input
 *         Notification Port, which the console notifies when lines are there, and asks again.
 * and gets MR4 = 0 on success (or an a9n_error: INVALID_ARGUMENT for a bad count or
 * operation, ILLEGAL_OPERATION for READ from a console the system gave no input to).
 */
#pragma once

#include <a9n/abi.h>
#include <stddef.h>

enum {
    KOITO_CONSOLE_WRITE = 1,
    KOITO_CONSOLE_SHUTDOWN = 2,
    KOITO_CONSOLE_PARK = 3,
    KOITO_CONSOLE_READ = 4,
    KOITO_CONSOLE_CHUNK = 24,
    /* A READ's answer when no line is ready: not an a9n_error (those stay below 256). */
    KOITO_CONSOLE_NO_LINE = 0x100,
    KOITO_CONSOLE_LINE_END = 0x100, /* in a READ answer's count */
    KOITO_CONSOLE_LINE_MAX = 256,   /* koito_console_printf's line buffer */
};

/* Writes `len` bytes through the console behind `port` (a descriptor). */
a9n_error koito_console_print(a9n_word port, const char *s, size_t len);
/* Formats like printf into a line of at most KOITO_CONSOLE_LINE_MAX - 1 bytes (the rest is
 * cut) and writes it through the console behind `port`. */
a9n_error koito_console_printf(a9n_word port, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Blocks the caller for good (see KOITO_CONSOLE_PARK). */
_Noreturn void koito_console_park(a9n_word port);
/* Reads one input line (or its first `len` bytes) into `buf` through the console behind
 * `port`, waiting on `wait` (its input Notification Port) while no line is there. Returns
 * the byte count (0 at end of input) or minus an a9n_error. With `wait` 0 it does not wait:
 * -KOITO_CONSOLE_NO_LINE then says that no line is ready. */
long koito_console_read_line(a9n_word port, a9n_word wait, char *buf, size_t len);
/* Asks the console to stop the machine with a verdict. */
a9n_error koito_console_shutdown(a9n_word port, bool success);
