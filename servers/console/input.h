/*
 * The console's line discipline: bytes from the UART become lines that READ hands out.
 * Pure bookkeeping (no system calls), so the host unit tests run it as it is.
 *
 * A ring of CONSOLE_INPUT_SIZE bytes holds complete lines first, then the line being typed.
 * CR counts as a newline (a CR LF pair as one), backspace/DEL removes the last byte typed,
 * Ctrl-D ends input: on an empty line it is an end-of-input record (a READ of 0 bytes), after
 * text it hands the text out without a newline. A full ring drops further bytes (counted)
 * and hands out what it holds as a line, so a reader never waits on a line that cannot end.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CONSOLE_INPUT_SIZE = 1024, CONSOLE_EOF = 0x04 };

struct console_input {
    uint8_t ring[CONSOLE_INPUT_SIZE];
    size_t head;     /* the next byte to hand out */
    size_t count;    /* bytes held, complete lines first */
    size_t complete; /* of them, bytes of complete lines (readable) */
    size_t dropped;  /* bytes lost to a full ring */
    bool after_cr;   /* the last byte was a CR: an LF right after it is the same newline */
    bool owned;      /* the first line was handed out in part, to `owner` */
    uint64_t owner;
};

/* Takes one byte from the UART. Returns true when it completed a line (readers to wake). */
bool console_input_byte(struct console_input *in, uint8_t byte);

/* Hands up to `max` bytes of the first complete line to the client `who` (its IPC
 * identifier). Returns the count, or -1 when nothing is there for `who`: no complete line,
 * or another client is half way through the first one. *line_end tells whether the bytes
 * end their line; 0 bytes with *line_end is the end-of-input record. */
long console_input_read(struct console_input *in, uint64_t who, uint8_t *out, size_t max,
                        bool *line_end);

/* Whether a complete line waits (after a READ: wake another reader for it). */
static inline bool console_input_ready(const struct console_input *in)
{
    return in->complete > 0;
}
