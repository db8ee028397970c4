/*
 * koito-libc, the part every program needs first: console output through the Debug
 * capability, formatted printing, and leaving. A program's capabilities are named by the
 * descriptors below; they default to the first process's slot layout (a9n/boot.h) and a
 * runtime that starts processes elsewhere sets them before main.
 */
#pragma once

#include <a9n/abi.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* The word the creator passed in RDI (the first process: its boot info's address). */
extern a9n_word koito_start_argument;

extern a9n_word koito_debug_cap;   /* Debug: console output */
extern a9n_word koito_process_cap; /* the program's own Process: _exit suspends it */

void koito_console_write(const char *s, size_t len);
__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int snprintf(char *buf, size_t size, const char *fmt, ...);
int puts(const char *s);

/* Leaves QEMU with a verdict through its isa-debug-exit device (port 0xf4), given an IO Port
 * capability that covers it; then ends the program. For test systems. */
_Noreturn void koito_qemu_exit(a9n_word io_port, bool success);

/* Ends the program: suspends its own Process. Never returns. */
_Noreturn void _exit(int status);
