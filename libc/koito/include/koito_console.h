/*
 * The console protocol (servers/console): a client CALLs the console's IPC Port with
 *   MR4 = operation, MR5 = byte count, MR6..MR8 = up to 24 bytes of text (WRITE)
 *   MR4 = KOITO_CONSOLE_SHUTDOWN, MR5 = 0 for success or 1 for failure (the machine stops)
 *   MR4 = KOITO_CONSOLE_PARK: never answered, so the caller stays blocked for good (a
 *         program that has nothing left to do and holds nothing else to wait on)
 * and gets MR4 = 0 on success.
 */
#pragma once

#include <a9n/abi.h>
#include <stddef.h>

enum {
    KOITO_CONSOLE_WRITE = 1,
    KOITO_CONSOLE_SHUTDOWN = 2,
    KOITO_CONSOLE_PARK = 3,
    KOITO_CONSOLE_CHUNK = 24,
};

/* Writes `len` bytes through the console behind `port` (a descriptor). */
a9n_error koito_console_print(a9n_word port, const char *s, size_t len);
/* Blocks the caller for good (see KOITO_CONSOLE_PARK). */
_Noreturn void koito_console_park(a9n_word port);
/* Asks the console to stop the machine with a verdict. */
a9n_error koito_console_shutdown(a9n_word port, bool success);
