/* The arena, diagnostics and small helpers every stage uses. */
#include "capgen.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    struct arena_block *next;
    max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t bytes)
{
    struct arena_block *b = calloc(1, sizeof(*b) + (bytes ? bytes : 1));
    if (!b) {
        fputs("capgen: out of memory\n", stderr);
        exit(2);
    }
    b->next = a->head;
    a->head = b;
    return b->data;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    va_end(ap);
    return p;
}

void arena_free(struct arena *a)
{
    while (a->head) {
        struct arena_block *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

void vec_push(struct arena *a, struct vec *v, void *item)
{
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void **items = arena_alloc(a, cap * sizeof(void *));
        if (v->count)
            memcpy(items, v->items, v->count * sizeof(void *));
        v->items = items;
        v->cap = cap;
    }
    v->items[v->count++] = item;
}

/*
 * Bytes a terminal or a reader could take for something else: C0 and C1 controls, DEL,
 * invalid UTF-8, line and paragraph separators, and the bidirectional overrides (text that
 * reads differently from what it is). Each is written as \xNN, so a diagnostic is always
 * exactly one line of what the file holds.
 */
static size_t unsafe_length(const unsigned char *s)
{
    if (s[0] < 0x20 || s[0] == 0x7f)
        return 0;
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (n == 0 || s[0] > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    uint32_t cp = n == 2 ? (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f)
                  : n == 3
                      ? (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f)
                      : (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
                            (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
    bool overlong = (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff));
    bool hidden = (cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) ||
                  (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
                  cp == 0x200e || cp == 0x200f || cp == 0xfeff;
    return overlong || hidden ? 0 : n;
}

static void put_escaped(FILE *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        size_t n = unsafe_length(s);
        if (n == 0) {
            fprintf(out, "\\x%02x", *s++);
        } else {
            fwrite(s, 1, n, out);
            s += n;
        }
    }
}

const char *escape_text(struct arena *a, const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        fputs("capgen: out of memory\n", stderr);
        exit(2);
    }
    put_escaped(f, text);
    fclose(f);
    char *copy = arena_strndup(a, buf ? buf : "", buf ? len : 0);
    free(buf);
    return copy;
}

const char *escape_c(struct arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = arena_alloc(a, 4 * n + 1), *p = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)text[i];
        bool close_comment = ch == '/' && i > 0 && text[i - 1] == '*';
        bool trigraph = ch == '?' && i > 0 && text[i - 1] == '?';
        if (ch == '\\' || ch == '"') {
            *p++ = '\\';
            *p++ = (char)ch;
        } else if (ch < 0x20 || ch >= 0x7f || close_comment || trigraph) {
            p += sprintf(p, "\\%03o", ch);
        } else {
            *p++ = (char)ch;
        }
    }
    *p = 0;
    return out;
}

static void diag_line(struct diag *d, struct pos p, const char *kind, const char *fmt, va_list ap)
{
    char *message = NULL;
    if (vasprintf(&message, fmt, ap) < 0) {
        fputs("capgen: out of memory\n", stderr);
        exit(2);
    }
    put_escaped(d->out, d->file);
    if (p.line)
        fprintf(d->out, ":%u:%u: %s: ", p.line, p.col, kind);
    else
        fprintf(d->out, ": %s: ", kind);
    put_escaped(d->out, message);
    fputc('\n', d->out);
    free(message);
}

void diag_error(struct diag *d, struct pos p, const char *fmt, ...)
{
    if (d->stopped)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_line(d, p, "error", fmt, ap);
    va_end(ap);
    if (++d->errors >= CAPGEN_MAX_ERRORS) {
        put_escaped(d->out, d->file);
        fputs(": error: too many errors, stopping\n", d->out);
        d->stopped = true;
    }
}

void diag_warning(struct diag *d, struct pos p, const char *fmt, ...)
{
    if (d->stopped)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_line(d, p, "warning", fmt, ap);
    va_end(ap);
    d->warnings++;
}

/*
 * Edit distance with transpositions (optimal string alignment), for "did you mean", but
 * only up to `limit`: cells more than `limit` off the diagonal can never come back under
 * it, and a row whose every cell is over it ends the search. So one comparison costs
 * O(length * limit), never O(length^2); words longer than 64 bytes never match.
 */
static unsigned edit_distance(const char *s, const char *t, unsigned limit)
{
    size_t n = strlen(s), m = strlen(t);
    if (n > 64 || m > 64 || (n > m ? n - m : m - n) > limit)
        return limit + 1;
    unsigned rows[3][65];
    unsigned *before = rows[0], *prev = rows[1], *cur = rows[2];
    unsigned over = limit + 1;
    for (size_t j = 0; j <= m; j++)
        prev[j] = j <= limit ? (unsigned)j : over;
    for (size_t i = 1; i <= n; i++) {
        size_t lo = i > limit ? i - limit : 1, hi = i + limit < m ? i + limit : m;
        for (size_t j = 0; j <= m; j++)
            cur[j] = over;
        if (i <= limit)
            cur[0] = (unsigned)i;
        unsigned row_best = cur[0];
        for (size_t j = lo; j <= hi; j++) {
            unsigned best = prev[j - 1] + (s[i - 1] != t[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            cur[j] = best > over ? over : best;
            if (cur[j] < row_best)
                row_best = cur[j];
        }
        if (row_best > limit)
            return over;
        unsigned *spare = before;
        before = prev;
        prev = cur;
        cur = spare;
    }
    return prev[m];
}

/* At most this many candidates are compared: a hint is a courtesy, never a cost. */
#define CLOSEST_MAX_CANDIDATES 4096

const char *closest_name(const char *word, const char *const *candidates, size_t count)
{
    size_t len = strlen(word);
    unsigned limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    unsigned best_distance = limit + 1;
    if (count > CLOSEST_MAX_CANDIDATES)
        count = CLOSEST_MAX_CANDIDATES;
    for (size_t i = 0; i < count && best_distance > 1; i++) {
        unsigned dist = edit_distance(word, candidates[i], best_distance - 1);
        if (dist < best_distance) {
            best = candidates[i];
            best_distance = dist;
        }
    }
    return best;
}

const char *object_kind_name(enum object_kind k)
{
    switch (k) {
    case OBJECT_IPC_PORT:
        return "ipc_port";
    case OBJECT_NOTIFICATION_PORT:
        return "notification_port";
    case OBJECT_MEMORY:
        return "memory";
    }
    return "?";
}

void format_size(char *buf, size_t len, uint64_t bytes)
{
    static const char units[] = "KMGT";
    int unit = -1;
    while (bytes && unit < 3 && bytes % 1024 == 0) {
        bytes /= 1024;
        unit++;
    }
    if (unit < 0)
        snprintf(buf, len, "%llu", (unsigned long long)bytes);
    else
        snprintf(buf, len, "%llu%c", (unsigned long long)bytes, units[unit]);
}

void format_rights(char *buf, unsigned rights)
{
    char *p = buf;
    if (rights & A9N_RIGHT_READ)
        *p++ = 'r';
    if (rights & A9N_RIGHT_WRITE)
        *p++ = 'w';
    if (rights & A9N_RIGHT_COPY)
        *p++ = 'c';
    if (rights & A9N_RIGHT_MODIFY)
        *p++ = 'm';
    if (p == buf)
        *p++ = '-';
    *p = 0;
}

const char *capgen_type_word(unsigned type, const char *frame)
{
    switch (type) {
    case A9N_OBJECT_NODE:
        return "node";
    case A9N_OBJECT_GENERIC:
        return "generic";
    case A9N_OBJECT_ADDRESS_SPACE:
        return "address_space";
    case A9N_OBJECT_FRAME:
        return frame;
    case A9N_OBJECT_PROCESS:
        return "process";
    case A9N_OBJECT_IPC_PORT:
        return "ipc_port";
    case A9N_OBJECT_NOTIFICATION_PORT:
        return "notification_port";
    default:
        return "?";
    }
}
