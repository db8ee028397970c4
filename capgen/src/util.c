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

static void diag_line(struct diag *d, struct pos p, const char *kind, const char *fmt, va_list ap)
{
    if (p.line)
        fprintf(d->out, "%s:%u:%u: %s: ", d->file, p.line, p.col, kind);
    else
        fprintf(d->out, "%s: %s: ", d->file, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
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
        fprintf(d->out, "%s: error: too many errors, stopping\n", d->file);
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

/* Edit distance with transpositions (optimal string alignment), for "did you mean"; words
 * longer than 64 bytes never match. */
static unsigned edit_distance(const char *s, const char *t)
{
    size_t n = strlen(s), m = strlen(t);
    if (n > 64 || m > 64)
        return 1000;
    unsigned rows[3][65];
    unsigned *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned best = prev[j - 1] + (s[i - 1] != t[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            cur[j] = best;
        }
        unsigned *spare = before;
        before = prev;
        prev = cur;
        cur = spare;
    }
    return prev[m];
}

const char *closest_name(const char *word, const char *const *candidates, size_t count)
{
    size_t len = strlen(word);
    unsigned limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    unsigned best_distance = limit + 1;
    for (size_t i = 0; i < count; i++) {
        unsigned dist = edit_distance(word, candidates[i]);
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
