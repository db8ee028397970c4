/*
 * koito-libc: newlib (the C library: stdio, stdlib, string, math) over KOITO's own system
 * layer (libc/koito/src). This header names what is KOITO's: the capabilities the system
 * layer uses and how a program hands them over.
 *
 * A program's capabilities are named by descriptors. They default to the first process's
 * slot layout (a9n/boot.h); a program of a declared system sets the ones it holds, from its
 * caps header, in koito_setup() (called before main) or at the top of main.
 */
#pragma once

#include <a9n/abi.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The word the creator passed in RDI (the first process: its boot info's address). */
extern a9n_word koito_start_argument;

extern a9n_word koito_debug_cap;     /* Debug: console output when there is no console port */
extern a9n_word koito_process_cap;   /* the program's own Process: exit() suspends it */
extern a9n_word koito_console_port;  /* the console server (0: none, write through Debug) */
extern a9n_word koito_console_input; /* its input Notification Port: stdin waits there */
/* The program's IPC buffer, if Debug WRITE may use it (NULL: 48 bytes a call, in registers).
 * With it a call carries 2,024 bytes (registers, then the buffer from MR9 on): a first
 * process that prints much (Alpha's state) makes a fortieth of the calls. Whatever the
 * buffer held is overwritten by each write. */
extern struct a9n_ipc_buffer *koito_debug_buffer;

/* Optional: a program (or a port's glue file) defines it to set the capabilities above, a
 * heap (koito_heap.h), a clock (koito_time_rtc) and main's arguments before main runs. */
void koito_setup(void);
extern int koito_argc; /* main's argc and argv: 1 and {"program", NULL} by default */
extern char **koito_argv;

/* crt0's next step: koito_setup, main, exit (libc/koito/src/start.c). */
_Noreturn void koito_start(void);

/* Writes `len` bytes to the console (the console server if there is one, else Debug). */
void koito_console_write(const char *s, size_t len);

/* Reads up to `len` bytes of console input, one line at most: the number read, 0 at end of
 * input, or a negative errno (ENOSYS without a console or one without input, EAGAIN when no
 * line is ready and koito_console_input is 0). stdin's read() goes through it. */
long koito_console_read(char *buf, size_t len);

/* Time (libc/koito/src/time.c): the TSC counts; the RTC, if the program has an IO Port
 * capability for CMOS ports 0x70-0x71, gives the wall-clock time at the first reading. */
void koito_time_rtc(a9n_word io_port);
uint64_t koito_tsc(void);
uint64_t koito_tsc_hz(void); /* CPUID leaf 0x15 or 0x16; else 1 GHz (QEMU -icount shift=0) */

/* Leaves QEMU with a verdict through its isa-debug-exit device (port 0xf4), given an IO Port
 * capability that covers it; then ends the program. For test systems. */
_Noreturn void koito_qemu_exit(a9n_word io_port, bool success);

/* Ends the program at once, without flushing stdio (exit() flushes, then calls this):
 * suspends its own Process; if it holds none, it faults on purpose, so the kernel suspends
 * it (no resolver) or its resolver learns of it. Never returns, never spins. */
_Noreturn void _exit(int status);
