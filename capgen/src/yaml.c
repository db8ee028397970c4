/*
 * YAML -> a plain tree of scalars, mappings and sequences, each with its position.
 * libyaml's event API does the parsing; this file refuses what a configuration file never
 * needs and what could blow up: aliases (an alias can multiply the document exponentially),
 * nesting deeper than CAPGEN_MAX_DEPTH, more than CAPGEN_MAX_NODES nodes, more than one
 * document, keys that are not scalars, and duplicate keys.
 *
 * Tags are respected, not dropped: `!!str 200` and `! 200` are strings (as if quoted),
 * `!!int`, `!!bool` and `!!null` must hold what they say, `!!map` and `!!seq` must tag a
 * mapping and a list; any other tag is an error (a value is never silently retyped).
 */
#include "capgen.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct open_node {
    struct ynode *node;
    struct ynode *key; /* mapping: a key waiting for its value */
    size_t cap;
};

struct loader {
    struct arena *arena;
    struct diag *diag;
    const char *data;
    size_t size;
    struct open_node stack[CAPGEN_MAX_DEPTH + 1];
    unsigned depth;
    size_t nodes;
    struct ynode *root;
};

static struct pos mark_pos(yaml_mark_t m)
{
    return (struct pos){(uint32_t)m.line + 1, (uint32_t)m.column + 1};
}

/* The position of a byte offset (for reader errors, which carry no mark). */
static struct pos offset_pos(const char *data, size_t size, size_t offset)
{
    struct pos p = {1, 1};
    for (size_t i = 0; i < offset && i < size; i++) {
        if (data[i] == '\n') {
            p.line++;
            p.col = 1;
        } else {
            p.col++;
        }
    }
    return p;
}

static void grow(struct arena *a, void **array, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *n = arena_alloc(a, ncap * elem);
    if (count)
        memcpy(n, *array, count * elem);
    *array = n;
    *cap = ncap;
}

/* Hangs a finished (or just opened) node under its parent. */
static bool attach(struct loader *l, struct ynode *n)
{
    if (l->depth == 0) {
        l->root = n;
        return true;
    }
    struct open_node *parent = &l->stack[l->depth - 1];
    struct ynode *p = parent->node;
    if (p->type == Y_SEQUENCE) {
        void *items = p->items;
        grow(l->arena, &items, &parent->cap, p->count, sizeof(struct ynode *));
        p->items = items;
        p->items[p->count++] = n;
        return true;
    }
    if (!parent->key) {
        if (n->type != Y_SCALAR) {
            diag_error(l->diag, n->pos, "a mapping key must be a plain name");
            return false;
        }
        parent->key = n;
        return true;
    }
    void *pairs = p->pairs;
    grow(l->arena, &pairs, &parent->cap, p->count, sizeof(struct ypair));
    p->pairs = pairs;
    p->pairs[p->count++] = (struct ypair){parent->key, n};
    parent->key = NULL;
    return true;
}

static int compare_pairs(const void *x, const void *y)
{
    const struct ypair *a = x, *b = y;
    int c = strcmp(a->key->text, b->key->text);
    if (c)
        return c;
    if (a->key->pos.line != b->key->pos.line)
        return a->key->pos.line < b->key->pos.line ? -1 : 1;
    return a->key->pos.col < b->key->pos.col ? -1 : a->key->pos.col > b->key->pos.col;
}

/* Duplicate keys are an error (YAML says so; libyaml does not check). */
static bool check_duplicates(struct loader *l, struct ynode *m)
{
    if (m->count < 2)
        return true;
    struct ypair *sorted = arena_alloc(l->arena, m->count * sizeof(*sorted));
    memcpy(sorted, m->pairs, m->count * sizeof(*sorted));
    qsort(sorted, m->count, sizeof(*sorted), compare_pairs);
    bool ok = true;
    for (size_t i = 1; i < m->count; i++) {
        if (strcmp(sorted[i].key->text, sorted[i - 1].key->text) == 0) {
            diag_error(l->diag, sorted[i].key->pos, "duplicate key '%s' (first at line %u)",
                       sorted[i].key->text, sorted[i - 1].key->pos.line);
            ok = false;
        }
    }
    return ok;
}

static struct ynode *new_node(struct loader *l, enum ynode_type type, yaml_mark_t mark)
{
    if (++l->nodes > CAPGEN_MAX_NODES) {
        diag_error(l->diag, mark_pos(mark), "the file has more than %u YAML nodes",
                   CAPGEN_MAX_NODES);
        return NULL;
    }
    struct ynode *n = arena_alloc(l->arena, sizeof(*n));
    n->type = type;
    n->pos = mark_pos(mark);
    return n;
}

#define YAML_CORE "tag:yaml.org,2002:"

static bool plain_matches(const char *text, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(text, *words) == 0)
            return true;
    return false;
}

static bool looks_like_int(const char *t)
{
    bool hex = t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
    const char *digits = hex ? t + 2 : t;
    return *digits &&
           strspn(digits, hex ? "0123456789abcdefABCDEF" : "0123456789") == strlen(digits);
}

/*
 * What a tag means for a node: false after an error. A scalar tagged as a string becomes a
 * quoted scalar (never a number or a keyword).
 */
static bool apply_tag(struct loader *l, const char *tag, struct ynode *n)
{
    if (!tag)
        return true;
    static const char *const bools[] = {"true", "false", NULL};
    static const char *const nulls[] = {"", "~", "null", NULL};
    const char *core =
        strncmp(tag, YAML_CORE, strlen(YAML_CORE)) == 0 ? tag + strlen(YAML_CORE) : NULL;
    const char *shown = core ? arena_printf(l->arena, "!!%s", core) : tag;
    bool scalar = n->type == Y_SCALAR;
    const char *expected = NULL;
    if (strcmp(tag, "!") == 0) { /* "not a plain scalar": a string, or just a collection */
        n->plain = false;
        return true;
    }
    if (core && strcmp(core, "str") == 0)
        expected = scalar ? NULL : "a string";
    else if (core && strcmp(core, "map") == 0)
        expected = n->type == Y_MAPPING ? NULL : "a mapping";
    else if (core && strcmp(core, "seq") == 0)
        expected = n->type == Y_SEQUENCE ? NULL : "a list";
    else if (core && strcmp(core, "int") == 0)
        expected = scalar && looks_like_int(n->text) ? NULL : "an integer";
    else if (core && strcmp(core, "bool") == 0)
        expected = scalar && plain_matches(n->text, bools) ? NULL : "true or false";
    else if (core && strcmp(core, "null") == 0)
        expected = scalar && plain_matches(n->text, nulls) ? NULL : "null";
    else {
        diag_error(l->diag, n->pos,
                   "unknown YAML tag '%s' (capgen knows !!str, !!int, !!bool, !!null, !!map "
                   "and !!seq)",
                   shown);
        return false;
    }
    if (expected) {
        diag_error(l->diag, n->pos, "the value tagged %s is not %s", shown, expected);
        return false;
    }
    if (scalar) /* !!str 200 is the string "200"; !!int "12" is the number 12 */
        n->plain = strcmp(core, "str") != 0;
    return true;
}

static bool open_collection(struct loader *l, enum ynode_type type, yaml_mark_t mark,
                            const char *tag)
{
    if (l->depth >= CAPGEN_MAX_DEPTH) {
        diag_error(l->diag, mark_pos(mark), "nesting deeper than %u levels", CAPGEN_MAX_DEPTH);
        return false;
    }
    struct ynode *n = new_node(l, type, mark);
    if (!n || !apply_tag(l, tag, n) || !attach(l, n))
        return false;
    l->stack[l->depth++] = (struct open_node){n, NULL, 0};
    return true;
}

static bool on_event(struct loader *l, yaml_event_t *e, unsigned *documents)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*documents > 1) {
            diag_error(l->diag, mark_pos(e->start_mark), "only one YAML document is allowed");
            return false;
        }
        return true;
    case YAML_ALIAS_EVENT:
        diag_error(l->diag, mark_pos(e->start_mark),
                   "YAML aliases are not allowed (*%s): write the value out",
                   (const char *)e->data.alias.anchor);
        return false;
    case YAML_SCALAR_EVENT: {
        size_t len = e->data.scalar.length;
        const char *text = (const char *)e->data.scalar.value;
        if (len > CAPGEN_MAX_SCALAR) {
            diag_error(l->diag, mark_pos(e->start_mark), "a scalar longer than %u bytes",
                       CAPGEN_MAX_SCALAR);
            return false;
        }
        if (memchr(text, 0, len)) {
            diag_error(l->diag, mark_pos(e->start_mark), "a scalar containing a NUL character");
            return false;
        }
        struct ynode *n = new_node(l, Y_SCALAR, e->start_mark);
        if (!n)
            return false;
        n->text = arena_strndup(l->arena, text, len);
        n->length = len;
        n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        return apply_tag(l, (const char *)e->data.scalar.tag, n) && attach(l, n);
    }
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(l, Y_SEQUENCE, e->start_mark,
                               (const char *)e->data.sequence_start.tag);
    case YAML_MAPPING_START_EVENT:
        return open_collection(l, Y_MAPPING, e->start_mark,
                               (const char *)e->data.mapping_start.tag);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        if (l->depth == 0)
            return false; /* libyaml never does this */
        struct ynode *n = l->stack[--l->depth].node;
        return n->type == Y_SEQUENCE || check_duplicates(l, n);
    }
    default:
        return true;
    }
}

struct ynode *yaml_load(struct arena *a, struct diag *d, const char *data, size_t size)
{
    if (size > CAPGEN_MAX_FILE_BYTES) {
        diag_error(d, (struct pos){1, 1}, "the file is larger than %u bytes",
                   CAPGEN_MAX_FILE_BYTES);
        return NULL;
    }
    struct loader l = {.arena = a, .diag = d, .data = data, .size = size};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diag_error(d, (struct pos){0, 0}, "cannot initialise the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
    bool ok = true, done = false;
    unsigned documents = 0;
    while (ok && !done) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            struct pos p = parser.error == YAML_READER_ERROR
                               ? offset_pos(data, size, parser.problem_offset)
                               : mark_pos(parser.problem_mark);
            const char *problem = parser.problem ? parser.problem : "malformed YAML";
            if (parser.context)
                diag_error(d, p, "YAML syntax: %s (%s at line %u)", problem, parser.context,
                           (unsigned)parser.context_mark.line + 1);
            else
                diag_error(d, p, "YAML syntax: %s", problem);
            ok = false;
            break;
        }
        done = e.type == YAML_STREAM_END_EVENT;
        ok = on_event(&l, &e, &documents);
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&parser);
    if (!ok)
        return NULL;
    if (!l.root) {
        diag_error(d, (struct pos){1, 1},
                   "the file is empty: expected a mapping with 'system' and 'processes'");
        return NULL;
    }
    return l.root;
}
