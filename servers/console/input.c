/* The console's line discipline (input.h). */
#include "input.h"

static size_t at(const struct console_input *in, size_t i)
{
    return (in->head + i) % CONSOLE_INPUT_SIZE;
}

static void push(struct console_input *in, uint8_t byte)
{
    in->ring[at(in, in->count)] = byte;
    in->count++;
}

/* Everything held becomes readable; returns true when that is something new. */
static bool end_line(struct console_input *in)
{
    bool grew = in->complete < in->count;
    in->complete = in->count;
    return grew;
}

bool console_input_byte(struct console_input *in, uint8_t byte)
{
    bool after_cr = in->after_cr;
    in->after_cr = byte == '\r';
    if (byte == '\n' && after_cr)
        return false;
    if (byte == '\r')
        byte = '\n';
    if (byte == 0x08 || byte == 0x7f) {
        if (in->count > in->complete)
            in->count--;
        return false;
    }
    if (byte == CONSOLE_EOF) {
        if (in->count > in->complete)
            return end_line(in); /* text typed so far goes out as it is */
        if (in->count == CONSOLE_INPUT_SIZE) {
            in->dropped++;
            return false;
        }
        push(in, CONSOLE_EOF); /* a record of its own: a READ of 0 bytes */
        return end_line(in);
    }
    if (in->count == CONSOLE_INPUT_SIZE) {
        in->dropped++;
        return end_line(in);
    }
    push(in, byte);
    if (byte == '\n' || in->count == CONSOLE_INPUT_SIZE)
        return end_line(in);
    return false;
}

long console_input_read(struct console_input *in, uint64_t who, uint8_t *out, size_t max,
                        bool *line_end)
{
    *line_end = false;
    if (in->complete == 0 || (in->owned && in->owner != who))
        return -1;
    if (in->ring[in->head] == CONSOLE_EOF) {
        in->head = at(in, 1);
        in->count--;
        in->complete--;
        in->owned = false;
        *line_end = true;
        return 0;
    }
    size_t n = 0;
    while (n < max && n < in->complete) {
        uint8_t b = in->ring[at(in, n)];
        if (b == CONSOLE_EOF)
            break;
        out[n++] = b;
        if (b == '\n')
            break;
    }
    in->head = at(in, n);
    in->count -= n;
    in->complete -= n;
    /* The line ends at a newline, at the end of the readable bytes (a line flushed by Ctrl-D
     * or a full ring) or before an end-of-input record. */
    *line_end = out[n - 1] == '\n' || in->complete == 0 || in->ring[in->head] == CONSOLE_EOF;
    in->owned = !*line_end;
    in->owner = who;
    return (long)n;
}
