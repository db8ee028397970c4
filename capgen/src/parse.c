/*
 * The schema: YAML tree -> model. This file checks what one value can be checked for on its
 * own (keys, types, ranges, name syntax); check.c does everything that relates two values.
 * Every error names the thing it is about by its YAML name and points at the value.
 */
#include "capgen.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    struct arena *arena;
    struct diag *diag;
    struct system *sys;
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *type_name(const struct ynode *n)
{
    switch (n->type) {
    case Y_MAPPING:
        return "a mapping";
    case Y_SEQUENCE:
        return "a list";
    case Y_SCALAR:
        break;
    }
    return n->plain ? "a plain value" : "a quoted string";
}

static bool is_null(const struct ynode *n)
{
    return n->type == Y_SCALAR && n->plain &&
           (n->length == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0);
}

static bool want(struct parser *ps, const struct ynode *n, enum ynode_type type, const char *what)
{
    if (n->type == type)
        return true;
    static const char *const names[] = {"a value", "a mapping", "a list"};
    diag_error(ps->diag, n->pos, "%s must be %s, not %s", what, names[type], type_name(n));
    return false;
}

/* Unknown keys are errors, with the closest known key as a hint. */
static bool known_keys(struct parser *ps, const struct ynode *m, const char *const *keys,
                       size_t count, const char *what)
{
    bool ok = true;
    for (size_t i = 0; i < m->count; i++) {
        const struct ynode *k = m->pairs[i].key;
        bool found = false;
        for (size_t j = 0; j < count && !found; j++)
            found = strcmp(k->text, keys[j]) == 0;
        if (found)
            continue;
        ok = false;
        if (ps->diag->stopped)
            break; /* past the error limit: no more work, no more lines */
        const char *hint = closest_name(k->text, keys, count);
        if (hint)
            diag_error(ps->diag, k->pos, "%s: unknown key '%s' (did you mean '%s'?)", what, k->text,
                       hint);
        else
            diag_error(ps->diag, k->pos, "%s: unknown key '%s'", what, k->text);
    }
    return ok;
}

static struct ynode *lookup(const struct ynode *m, const char *key)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->pairs[i].key->text, key) == 0)
            return m->pairs[i].value;
    return NULL;
}

static struct pos key_pos(const struct ynode *m, const char *key)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->pairs[i].key->text, key) == 0)
            return m->pairs[i].key->pos;
    return m->pos;
}

static struct ynode *required(struct parser *ps, const struct ynode *m, const char *key,
                              const char *what)
{
    struct ynode *v = lookup(m, key);
    if (!v)
        diag_error(ps->diag, m->pos, "%s: missing required key '%s'", what, key);
    return v;
}

/* --- Values ------------------------------------------------------------------------- */

enum number_result { NUMBER_OK, NUMBER_BAD, NUMBER_RANGE };

/*
 * Decimal digits, or 0x and hex digits, and nothing before them: no sign, no space, no
 * second prefix (strtoull would take "0x0x10" and " 12"). Stops at the first other byte
 * (`end`), so sizes can carry a suffix. NUMBER_RANGE: the digits exceed 2^64 - 1.
 */
static enum number_result parse_number_text(const char *s, uint64_t *out, const char **end)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    uint64_t v = 0;
    bool range = false;
    const char *start = s;
    for (;; s++) {
        unsigned digit;
        if (*s >= '0' && *s <= '9')
            digit = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            digit = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            digit = (unsigned)(*s - 'A' + 10);
        else
            break;
        if (v > (UINT64_MAX - digit) / base)
            range = true;
        else
            v = v * base + digit;
    }
    if (s == start)
        return NUMBER_BAD;
    *out = v;
    *end = s;
    return range ? NUMBER_RANGE : NUMBER_OK;
}

static void not_a_number(struct parser *ps, const struct ynode *n, const char *what)
{
    diag_error(ps->diag, n->pos, "%s must be a number, not %s%s%s%s", what, type_name(n),
               n->type == Y_SCALAR ? " '" : "", n->type == Y_SCALAR ? n->text : "",
               n->type == Y_SCALAR ? "'" : "");
}

/* A number in min..max; out of range says so, with the range. */
static bool number_in(struct parser *ps, const struct ynode *n, const char *what, uint64_t min,
                      uint64_t max, uint64_t *out)
{
    const char *end = NULL;
    enum number_result r = NUMBER_BAD;
    if (n->type == Y_SCALAR && n->plain && n->text[0] != '-')
        r = parse_number_text(n->text, out, &end);
    if (r != NUMBER_BAD && *end)
        r = NUMBER_BAD;
    if (r == NUMBER_BAD) {
        if (n->type == Y_SCALAR && n->plain && n->text[0] == '-')
            diag_error(ps->diag, n->pos, "%s must not be negative", what);
        else
            not_a_number(ps, n, what);
        return false;
    }
    if (r == NUMBER_RANGE || *out < min || *out > max) {
        if (r == NUMBER_RANGE)
            diag_error(ps->diag, n->pos, "%s %s is out of range (%llu..%llu)", what, n->text,
                       (unsigned long long)min, (unsigned long long)max);
        else
            diag_error(ps->diag, n->pos, "%s %llu is out of range (%llu..%llu)", what,
                       (unsigned long long)*out, (unsigned long long)min, (unsigned long long)max);
        return false;
    }
    return true;
}

static bool number(struct parser *ps, const struct ynode *n, const char *what, uint64_t *out)
{
    return number_in(ps, n, what, 0, UINT64_MAX, out);
}

/* A number whose caller checks a narrower range and says it: digits beyond 2^64 - 1 read as
 * UINT64_MAX, so they meet that check (and its message) instead of a wider one. */
static bool number_capped(struct parser *ps, const struct ynode *n, const char *what, uint64_t *out)
{
    const char *end;
    if (n->type == Y_SCALAR && n->plain && parse_number_text(n->text, out, &end) == NUMBER_RANGE &&
        !*end) {
        *out = UINT64_MAX;
        return true;
    }
    return number(ps, n, what, out);
}

/* A size: bytes, with an optional K, M, G or T suffix (powers of 1024). */
static bool size_value(struct parser *ps, const struct ynode *n, const char *what, uint64_t max,
                       uint64_t *out)
{
    const char *end;
    uint64_t v;
    enum number_result r = NUMBER_BAD;
    if (n->type == Y_SCALAR && n->plain)
        r = parse_number_text(n->text, &v, &end);
    if (r == NUMBER_BAD) {
        diag_error(ps->diag, n->pos, "%s must be a size such as 4096, 16K, 2M or 1G, not %s%s%s%s",
                   what, type_name(n), n->type == Y_SCALAR ? " '" : "",
                   n->type == Y_SCALAR ? n->text : "", n->type == Y_SCALAR ? "'" : "");
        return false;
    }
    unsigned shift = 0;
    if (*end) {
        const char *units = "KMGT";
        const char *u = strchr(units, *end);
        if (!u || end[1]) {
            diag_error(ps->diag, n->pos, "%s: unknown size suffix in '%s' (use K, M, G or T)", what,
                       n->text);
            return false;
        }
        shift = 10 * (unsigned)(u - units + 1);
    }
    if (r == NUMBER_RANGE || v > (UINT64_MAX >> shift)) {
        char limit[32];
        format_size(limit, sizeof(limit), max);
        diag_error(ps->diag, n->pos, "%s '%s' is out of range (at most %s)", what, n->text, limit);
        return false;
    }
    *out = v << shift;
    return true;
}

static bool is_identifier(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

/* Names become C identifiers (CAP_<name>) and tree words: letters, digits, '_'. */
static bool name_ok(struct parser *ps, const struct ynode *n, const char *what)
{
    if (n->type != Y_SCALAR) {
        diag_error(ps->diag, n->pos, "%s must be a name, not %s", what, type_name(n));
        return false;
    }
    if (n->length > CAPGEN_MAX_NAME) {
        diag_error(ps->diag, n->pos, "%s '%.20s...' is longer than %u characters", what, n->text,
                   CAPGEN_MAX_NAME);
        return false;
    }
    if (!is_identifier(n->text)) {
        diag_error(ps->diag, n->pos,
                   "%s '%s' is not a valid name (letters, digits and '_', not starting with a "
                   "digit)",
                   what, n->text);
        return false;
    }
    return true;
}

static const char *name_value(struct parser *ps, const struct ynode *n, const char *what)
{
    return name_ok(ps, n, what) ? n->text : NULL;
}

/* The system's and images' names are only printed or become file names, so they may also
 * hold '-' and '.' (but never '/'). */
static const char *file_name(struct parser *ps, const struct ynode *n, const char *what)
{
    bool ok = n->type == Y_SCALAR && n->length > 0 && n->length <= CAPGEN_MAX_NAME &&
              isalnum((unsigned char)n->text[0]);
    for (size_t i = 0; ok && i < n->length; i++)
        ok = isalnum((unsigned char)n->text[i]) || strchr("_-.", n->text[i]);
    if (!ok) {
        diag_error(ps->diag, n->pos,
                   "%s must be 1..%u letters, digits, '_', '-' or '.', starting with a letter or "
                   "digit",
                   what, CAPGEN_MAX_NAME);
        return NULL;
    }
    return n->text;
}

static const char *const cap_rights[] = {"read", "write", "copy", "modify"};
static const char *const map_rights[] = {"read", "write", "execute"};

/* A list of rights; `map` selects map permissions (read, write, execute). */
static bool rights_value(struct parser *ps, const struct ynode *n, const char *what, bool map,
                         unsigned *out)
{
    if (!want(ps, n, Y_SEQUENCE, arena_printf(ps->arena, "%s: rights", what)))
        return false;
    const char *const *names = map ? map_rights : cap_rights;
    size_t count = map ? COUNT(map_rights) : COUNT(cap_rights);
    unsigned bits = 0;
    bool ok = true;
    for (size_t i = 0; i < n->count; i++) {
        const struct ynode *r = n->items[i];
        if (r->type != Y_SCALAR) {
            diag_error(ps->diag, r->pos, "%s: a right must be a name, not %s", what, type_name(r));
            ok = false;
            continue;
        }
        size_t j = 0;
        while (j < count && strcmp(r->text, names[j]) != 0)
            j++;
        if (j == count) {
            if (!map && strcmp(r->text, "execute") == 0)
                diag_error(ps->diag, r->pos,
                           "%s: 'execute' is not a capability right (read, write, copy, "
                           "modify); it is a map permission",
                           what);
            else if (map && (strcmp(r->text, "copy") == 0 || strcmp(r->text, "modify") == 0))
                diag_error(ps->diag, r->pos,
                           "%s: '%s' is a capability right, not a map permission (read, "
                           "write, execute)",
                           what, r->text);
            else if (!ps->diag->stopped) {
                const char *hint = closest_name(r->text, names, count);
                if (hint)
                    diag_error(ps->diag, r->pos, "%s: unknown right '%s' (did you mean '%s'?)",
                               what, r->text, hint);
                else
                    diag_error(ps->diag, r->pos, "%s: unknown right '%s'", what, r->text);
            }
            ok = false;
            continue;
        }
        if (bits & (1u << j)) {
            diag_error(ps->diag, r->pos, "%s: right '%s' is listed twice", what, r->text);
            ok = false;
        }
        bits |= 1u << j;
    }
    if (!ok)
        return false;
    if (map) {
        /* read, write, execute -> A9N_MAP_*; READ is implied by any mapping */
        *out = A9N_MAP_READ | ((bits & 2) ? A9N_MAP_WRITE : 0) | ((bits & 4) ? A9N_MAP_EXECUTE : 0);
    } else {
        *out = ((bits & 1) ? A9N_RIGHT_READ : 0) | ((bits & 2) ? A9N_RIGHT_WRITE : 0) |
               ((bits & 4) ? A9N_RIGHT_COPY : 0) | ((bits & 8) ? A9N_RIGHT_MODIFY : 0);
    }
    return true;
}

/* --- system, objects ----------------------------------------------------------------- */

static bool parse_system_key(struct parser *ps, const struct ynode *n)
{
    static const char *const keys[] = {"name", "memory", "inspect"};
    if (!want(ps, n, Y_MAPPING, "system"))
        return false;
    const struct ynode *inspect = lookup(n, "inspect");
    if (inspect) {
        ps->sys->inspect_pos = inspect->pos;
        if (inspect->type == Y_SCALAR && inspect->plain &&
            (strcmp(inspect->text, "true") == 0 || strcmp(inspect->text, "false") == 0)) {
            ps->sys->inspect = strcmp(inspect->text, "true") == 0;
        } else {
            diag_error(ps->diag, inspect->pos, "system.inspect is true or false");
            return false;
        }
    }
    bool ok = known_keys(ps, n, keys, COUNT(keys), "system");
    const struct ynode *name = required(ps, n, "name", "system");
    const struct ynode *memory = required(ps, n, "memory", "system");
    if (name) {
        ps->sys->name = file_name(ps, name, "system.name");
        ps->sys->name_pos = name->pos;
        ok &= ps->sys->name != NULL;
    }
    if (memory) {
        ps->sys->memory_pos = memory->pos;
        if (!size_value(ps, memory, "system.memory", CAPGEN_MAX_MEMORY, &ps->sys->memory)) {
            ok = false;
        } else if (ps->sys->memory == 0 || ps->sys->memory > CAPGEN_MAX_MEMORY) {
            diag_error(ps->diag, memory->pos, "system.memory must be between 1 and 1T");
            ok = false;
        }
    }
    return ok && name && memory;
}

static const char *const object_types[] = {"ipc_port", "notification_port", "memory"};

static bool parse_object(struct parser *ps, const struct ynode *key, const struct ynode *n)
{
    const char *name = key->text;
    const char *what = arena_printf(ps->arena, "object '%s'", name);
    if (!name_ok(ps, key, "object name"))
        return false;
    if (!want(ps, n, Y_MAPPING, what))
        return false;
    static const char *const keys[] = {"type", "size", "page"};
    bool ok = known_keys(ps, n, keys, COUNT(keys), what);
    const struct ynode *type = required(ps, n, "type", what);
    if (!type)
        return false;
    struct object *o = arena_alloc(ps->arena, sizeof(*o));
    o->name = name;
    o->pos = key->pos;
    size_t t = 0;
    if (type->type == Y_SCALAR)
        while (t < COUNT(object_types) && strcmp(type->text, object_types[t]) != 0)
            t++;
    if (type->type != Y_SCALAR || t == COUNT(object_types)) {
        const char *hint = type->type == Y_SCALAR && !ps->diag->stopped
                               ? closest_name(type->text, object_types, COUNT(object_types))
                               : NULL;
        if (hint)
            diag_error(ps->diag, type->pos, "%s: unknown type '%s' (did you mean '%s'?)", what,
                       type->text, hint);
        else
            diag_error(ps->diag, type->pos,
                       "%s: type must be ipc_port, notification_port or memory", what);
        return false;
    }
    o->kind = (enum object_kind)t;
    const struct ynode *size = lookup(n, "size"), *page = lookup(n, "page");
    if (o->kind != OBJECT_MEMORY) {
        if (size || page) {
            diag_error(ps->diag, key_pos(n, size ? "size" : "page"),
                       "%s: '%s' only applies to memory objects, not %s", what,
                       size ? "size" : "page", type->text);
            return false;
        }
    } else {
        o->page_bits = A9N_FRAME_BITS;
        uint64_t page_size = 0;
        if (page) {
            if (!size_value(ps, page, arena_printf(ps->arena, "%s: page", what),
                            1ull << A9N_LARGE_FRAME_BITS, &page_size))
                return false;
            if (page_size == (1ull << A9N_LARGE_FRAME_BITS))
                o->page_bits = A9N_LARGE_FRAME_BITS;
            else if (page_size != (1ull << A9N_FRAME_BITS)) {
                diag_error(ps->diag, page->pos, "%s: page must be 4K or 2M", what);
                return false;
            }
        }
        if (!size) {
            diag_error(ps->diag, n->pos,
                       "%s: missing required key 'size' (memory objects "
                       "have a size)",
                       what);
            return false;
        }
        if (!size_value(ps, size, arena_printf(ps->arena, "%s: size", what), CAPGEN_MAX_REGION,
                        &o->size))
            return false;
        if (o->size == 0 || o->size > CAPGEN_MAX_REGION) {
            diag_error(ps->diag, size->pos, "%s: size must be between 1 and 1G", what);
            return false;
        }
        uint64_t unit = 1ull << o->page_bits;
        if (o->size % unit) {
            uint64_t rounded = (o->size + unit - 1) & ~(unit - 1);
            char a[32], b[32];
            format_size(a, sizeof(a), o->size);
            format_size(b, sizeof(b), rounded);
            diag_warning(ps->diag, size->pos, "%s: size %s rounded up to %s (whole pages)", what, a,
                         b);
            o->size = rounded;
        }
        o->pages = (uint32_t)(o->size >> o->page_bits);
    }
    if (ok)
        vec_push(ps->arena, &ps->sys->objects, o);
    return ok;
}

/* --- processes ----------------------------------------------------------------------- */

static const char *const cap_keys[] = {
    "object",       "rights",       "badge", "slot", "io_port",
    "irq",          "notification", "debug", "self", "interrupt_region",
    "image_frames", "asid_pool",    "quota"};

static bool parse_quota(struct parser *ps, struct cap *c, const struct ynode *n, const char *what);

static bool parse_cap(struct parser *ps, struct process *p, const struct ynode *key,
                      const struct ynode *n)
{
    const char *what = arena_printf(ps->arena, "capability '%s.%s'", p->name, key->text);
    if (!name_ok(ps, key, arena_printf(ps->arena, "process '%s': capability name", p->name)) ||
        !want(ps, n, Y_MAPPING, what))
        return false;
    bool ok = known_keys(ps, n, cap_keys, COUNT(cap_keys), what);
    struct cap *c = arena_alloc(ps->arena, sizeof(*c));
    c->name = key->text;
    c->pos = key->pos;
    c->owner = p;
    c->count = 1;
    static const char *const kinds[] = {"object",           "io_port",      "irq",  "debug",
                                        "interrupt_region", "image_frames", "self", "asid_pool"};
    enum { KINDS = sizeof kinds / sizeof kinds[0] };
    const struct ynode *kind_value[KINDS];
    int kind = -1;
    for (int k = 0; k < KINDS; k++) {
        kind_value[k] = lookup(n, kinds[k]);
        if (!kind_value[k])
            continue;
        if (kind >= 0) {
            diag_error(ps->diag, key_pos(n, kinds[k]), "%s: '%s' and '%s' cannot be combined", what,
                       kinds[kind], kinds[k]);
            return false;
        }
        kind = k;
    }
    if (kind < 0) {
        diag_error(ps->diag, n->pos,
                   "%s: needs one of 'object', 'io_port', 'irq', 'debug', 'interrupt_region', "
                   "'image_frames', 'self' or 'asid_pool'",
                   what);
        return false;
    }
    const struct ynode *v = kind_value[kind];
    static const enum cap_kind kind_of[] = {CAP_OBJECT,     CAP_IO_PORT, CAP_IRQ,  CAP_DEBUG,
                                            CAP_IRQ_REGION, CAP_IMAGE,   CAP_SELF, CAP_ASID_POOL};
    c->kind = kind_of[kind];
    /* keys that belong to one kind only */
    if (c->kind != CAP_OBJECT && lookup(n, "badge")) {
        diag_error(ps->diag, key_pos(n, "badge"),
                   "%s: a badge only applies to ipc_port and notification_port capabilities", what);
        ok = false;
    }
    if (c->kind != CAP_IRQ && lookup(n, "notification")) {
        diag_error(ps->diag, key_pos(n, "notification"),
                   "%s: 'notification' only applies to irq capabilities", what);
        ok = false;
    }
    switch (c->kind) {
    case CAP_OBJECT:
        c->object_name = name_value(ps, v, arena_printf(ps->arena, "%s: object", what));
        c->object_pos = v->pos;
        ok &= c->object_name != NULL;
        break;
    case CAP_IO_PORT: {
        c->io_pos = v->pos;
        uint64_t first, last;
        const char *w = arena_printf(ps->arena, "%s: io_port", what);
        if (v->type == Y_SCALAR) {
            if (!number_in(ps, v, w, 0, 0xffff, &first))
                return false;
            last = first;
        } else {
            if (v->type != Y_SEQUENCE || v->count != 2) {
                diag_error(ps->diag, v->pos, "%s must be [first, last] or one port", w);
                return false;
            }
            if (!number_in(ps, v->items[0], w, 0, 0xffff, &first) ||
                !number_in(ps, v->items[1], w, 0, 0xffff, &last))
                return false;
            if (first > last) {
                diag_error(ps->diag, v->pos, "%s: first port 0x%llx is above last port 0x%llx", w,
                           (unsigned long long)first, (unsigned long long)last);
                return false;
            }
        }
        c->io_first = (uint16_t)first;
        c->io_last = (uint16_t)last;
        c->rights = A9N_RIGHT_READ | A9N_RIGHT_WRITE;
        break;
    }
    case CAP_IRQ: {
        uint64_t line;
        c->irq_pos = v->pos;
        if (!number_in(ps, v, arena_printf(ps->arena, "%s: irq", what), 0, CAPGEN_IRQ_MAX, &line))
            return false;
        if (line == CAPGEN_IRQ_CASCADE) {
            diag_error(ps->diag, v->pos,
                       "%s: irq 2 is not a device line (the PIC cascade; ISA IRQ 0 arrives "
                       "there)",
                       what);
            return false;
        }
        c->irq = (uint8_t)line;
        c->rights = A9N_RIGHT_READ | A9N_RIGHT_WRITE;
        const struct ynode *nt = lookup(n, "notification");
        if (nt) {
            c->notification_name =
                name_value(ps, nt, arena_printf(ps->arena, "%s: notification", what));
            c->notification_pos = nt->pos;
            ok &= c->notification_name != NULL;
        }
        break;
    }
    case CAP_DEBUG:
    case CAP_IRQ_REGION:
    case CAP_IMAGE:
    case CAP_ASID_POOL:
        if (v->type != Y_SCALAR || !v->plain || strcmp(v->text, "true") != 0) {
            diag_error(ps->diag, v->pos, "%s: %s must be true", what, kinds[kind]);
            return false;
        }
        /* Its own image, to share with children: read and copy unless more is declared
         * (write lets the holder map its own code writable elsewhere). */
        c->rights = c->kind == CAP_IMAGE ? A9N_RIGHT_READ | A9N_RIGHT_COPY : A9N_RIGHT_WRITE;
        if (c->kind == CAP_IMAGE)
            c->count = CAPGEN_IMAGE_SLOTS;
        break;
    case CAP_SELF: {
        static const char *const selves[] = {"node", "process", "address_space"};
        bool found = false;
        for (int k = 0; k < 3 && v->type == Y_SCALAR; k++) {
            if (strcmp(v->text, selves[k]) == 0) {
                c->self = (enum self_kind)k;
                found = true;
            }
        }
        if (!found) {
            diag_error(ps->diag, v->pos,
                       "%s: self must be node, process or address_space (the process's own)", what);
            return false;
        }
        c->rights = A9N_RIGHTS_ALL;
        break;
    }
    case CAP_POOL:
        break;
    }
    const struct ynode *rights = lookup(n, "rights");
    if (rights) {
        c->rights_pos = rights->pos;
        ok &= rights_value(ps, rights, what, false, &c->rights);
    } else if (c->kind == CAP_OBJECT) {
        c->rights = A9N_RIGHT_READ | A9N_RIGHT_WRITE;
        c->rights_pos = c->pos;
    } else {
        c->rights_pos = c->pos;
    }
    const struct ynode *badge = lookup(n, "badge");
    if (badge && c->kind == CAP_OBJECT) {
        c->badge_pos = badge->pos;
        if (number_in(ps, badge, arena_printf(ps->arena, "%s: badge", what), 1, UINT64_MAX,
                      &c->badge))
            c->has_badge = true;
        else
            ok = false;
    }
    const struct ynode *quota = lookup(n, "quota");
    if (quota)
        ok &= parse_quota(ps, c, quota, what);
    const struct ynode *slot = lookup(n, "slot");
    if (slot) {
        uint64_t s;
        c->slot_pos = slot->pos;
        if (number_capped(ps, slot, arena_printf(ps->arena, "%s: slot", what), &s)) {
            if (s == 0) {
                diag_error(ps->diag, slot->pos,
                           "%s: slot 0 is the null slot (descriptor 0 names nothing)", what);
                ok = false;
            } else if (s > 0xffff) {
                diag_error(ps->diag, slot->pos, "%s: slot %s is out of range (1..65535)", what,
                           slot->text);
                ok = false;
            } else {
                c->slot = (uint32_t)s;
                c->has_slot = true;
            }
        } else {
            ok = false;
        }
    }
    if (ok)
        vec_push(ps->arena, &p->caps, c);
    return ok;
}

static bool parse_map(struct parser *ps, struct process *p, size_t index, const struct ynode *n)
{
    const char *what = arena_printf(ps->arena, "map %zu of process '%s'", index + 1, p->name);
    if (!want(ps, n, Y_MAPPING, what))
        return false;
    static const char *const keys[] = {"object", "address", "rights"};
    bool ok = known_keys(ps, n, keys, COUNT(keys), what);
    struct map *m = arena_alloc(ps->arena, sizeof(*m));
    m->pos = n->pos;
    const struct ynode *object = required(ps, n, "object", what);
    const struct ynode *address = required(ps, n, "address", what);
    if (!object || !address)
        return false;
    m->object_name = name_value(ps, object, arena_printf(ps->arena, "%s: object", what));
    m->object_pos = object->pos;
    ok &= m->object_name != NULL;
    m->address_pos = address->pos;
    ok &= number(ps, address, arena_printf(ps->arena, "%s: address", what), &m->address);
    const struct ynode *rights = lookup(n, "rights");
    if (rights) {
        m->rights_pos = rights->pos;
        ok &= rights_value(ps, rights, what, true, &m->attributes);
    } else {
        m->rights_pos = n->pos;
        m->attributes = A9N_MAP_READ | A9N_MAP_WRITE;
    }
    if (ok)
        vec_push(ps->arena, &p->maps, m);
    return ok;
}

/* ULMM caches: the object types a slab can hold, with the CONVERT arguments. */
static const struct {
    const char *key;
    enum a9n_object_type type;
    unsigned specific_bits;
} slab_types[] = {
    {"process", A9N_OBJECT_PROCESS, 0},
    {"address_space", A9N_OBJECT_ADDRESS_SPACE, 0},
    {"page_table", A9N_OBJECT_PAGE_TABLE, 0},
    {"frame", A9N_OBJECT_FRAME, A9N_FRAME_BITS},
    {"large_frame", A9N_OBJECT_FRAME, A9N_LARGE_FRAME_BITS},
    {"ipc_port", A9N_OBJECT_IPC_PORT, 0},
    {"notification_port", A9N_OBJECT_NOTIFICATION_PORT, 0},
    {"node", A9N_OBJECT_NODE, 4},
};

/* `quota: { ipc_port: 8, buddy: 1M }` on a client's capability to a memory server's port:
 * objects per slab type (0 .. 65536, the most a cache holds) and Buddy bytes (whole pages).
 * quota.c checks what it refers to and that everything fits. */
static bool parse_quota(struct parser *ps, struct cap *c, const struct ynode *n, const char *what)
{
    const char *w = arena_printf(ps->arena, "%s: quota", what);
    if (!want(ps, n, Y_MAPPING, w) || !known_keys(ps, n, capgen_quota_keys, CAPGEN_QUOTA_KINDS, w))
        return false;
    bool ok = true;
    c->has_quota = true;
    c->quota_pos = n->pos;
    for (unsigned k = 0; k < CAPGEN_QUOTA_KINDS; k++) {
        const struct ynode *v = lookup(n, capgen_quota_keys[k]);
        if (!v)
            continue;
        const char *wk = arena_printf(ps->arena, "%s: %s", w, capgen_quota_keys[k]);
        if (k == CAPGEN_QUOTA_BUDDY_LARGE) {
            ok &= number_in(ps, v, wk, 0, 512, &c->quota[k]); /* 1 GiB */
        } else if (k == CAPGEN_QUOTA_BUDDY) {
            ok &= size_value(ps, v, wk, CAPGEN_MAX_REGION, &c->quota[k]);
            if (ok && c->quota[k] % 4096 != 0) {
                diag_error(ps->diag, v->pos, "%s must be whole 4K pages, not %s", wk, v->text);
                ok = false;
            }
        } else {
            ok &= number_in(ps, v, wk, 0, 65536, &c->quota[k]);
        }
    }
    return ok;
}

static unsigned ceil_log2(uint64_t v)
{
    unsigned bits = 0;
    while (bits < 63 && (1ull << bits) < v)
        bits++;
    return bits;
}

static struct pool *new_pool(struct parser *ps, struct process *p, const char *key, struct pos pos)
{
    struct pool *pl = arena_alloc(ps->arena, sizeof(*pl));
    pl->key = key;
    pl->pos = pos;
    pl->cap_name = strcmp(key, "buddy") == 0 ? "buddy" : arena_printf(ps->arena, "slab_%s", key);
    pl->object_name = arena_printf(ps->arena, "%s.%s", p->name, pl->cap_name);
    vec_push(ps->arena, &p->pools, pl);
    return pl;
}

static bool parse_slabs(struct parser *ps, struct process *p, const struct ynode *n)
{
    const char *what = arena_printf(ps->arena, "process '%s': slabs", p->name);
    if (!want(ps, n, Y_MAPPING, what))
        return false;
    const char *keys[COUNT(slab_types)];
    for (size_t i = 0; i < COUNT(slab_types); i++)
        keys[i] = slab_types[i].key;
    bool ok = known_keys(ps, n, keys, COUNT(keys), what);
    /* in the fixed order of slab_types, so the plan does not depend on the file's order */
    for (size_t i = 0; i < COUNT(slab_types); i++) {
        const struct ynode *v = lookup(n, slab_types[i].key);
        if (!v)
            continue;
        const char *w = arena_printf(ps->arena, "%s: %s", what, slab_types[i].key);
        uint64_t count = 0, radix = slab_types[i].specific_bits;
        if (slab_types[i].type == A9N_OBJECT_NODE && v->type == Y_MAPPING) {
            static const char *const node_keys[] = {"count", "radix"};
            if (!known_keys(ps, v, node_keys, COUNT(node_keys), w)) {
                ok = false;
                continue;
            }
            const struct ynode *c = required(ps, v, "count", w), *r = lookup(v, "radix");
            if (!c || !number_in(ps, c, w, 1, CAPGEN_MAX_SLAB_COUNT, &count) ||
                (r && !number_in(ps, r, arena_printf(ps->arena, "%s: radix", w), A9N_NODE_RADIX_MIN,
                                 A9N_NODE_RADIX_MAX, &radix))) {
                ok = false;
                continue;
            }
        } else if (!number_in(ps, v, w, 1, CAPGEN_MAX_SLAB_COUNT, &count)) {
            ok = false;
            continue;
        }
        struct pool *pl = new_pool(ps, p, slab_types[i].key, key_pos(n, slab_types[i].key));
        pl->type = slab_types[i].type;
        pl->specific_bits = (unsigned)radix;
        pl->count = count;
        unsigned object_bits = a9n_object_bits(pl->type, pl->specific_bits);
        pl->bytes = a9n_object_bytes(object_bits, count);
        pl->bits = ceil_log2(pl->bytes);
        if (pl->bits < A9N_FRAME_BITS)
            pl->bits = A9N_FRAME_BITS; /* pools are whole pages */
    }
    return ok;
}

static const char *const process_keys[] = {"image",    "priority", "stack",       "node_radix",
                                           "resolver", "fault",    "exit_notice", "caps",
                                           "maps",     "slabs",    "buddy",       "files"};

/* The fault policies, by enum alpha_fault_policy. */
static const char *const fault_policies[] = {"stop", "restart", "halt"};

static bool parse_fault_policy(struct parser *ps, struct process *p, const struct ynode *n,
                               const char *what)
{
    p->fault_pos = n->pos;
    p->has_fault_policy = true;
    size_t k = 0;
    if (n->type == Y_SCALAR)
        while (k < COUNT(fault_policies) && strcmp(n->text, fault_policies[k]) != 0)
            k++;
    if (n->type == Y_SCALAR && k < COUNT(fault_policies)) {
        p->fault_policy = (unsigned)k;
        return true;
    }
    const char *hint = n->type == Y_SCALAR && !ps->diag->stopped
                           ? closest_name(n->text, fault_policies, COUNT(fault_policies))
                           : NULL;
    if (hint)
        diag_error(ps->diag, n->pos, "%s: fault: unknown policy '%s' (did you mean '%s'?)", what,
                   n->text, hint);
    else if (n->type == Y_SCALAR)
        diag_error(ps->diag, n->pos, "%s: fault: unknown policy '%s' (stop, restart or halt)", what,
                   n->text);
    else
        diag_error(ps->diag, n->pos, "%s: fault: the policy is a word: stop, restart or halt",
                   what);
    return false;
}

static bool parse_process(struct parser *ps, const struct ynode *key, const struct ynode *n,
                          uint32_t order)
{
    if (!name_ok(ps, key, "process name"))
        return false;
    struct process *p = arena_alloc(ps->arena, sizeof(*p));
    p->name = key->text;
    p->pos = key->pos;
    p->order = order;
    const char *what = arena_printf(ps->arena, "process '%s'", p->name);
    if (!want(ps, n, Y_MAPPING, what))
        return false;
    bool ok = known_keys(ps, n, process_keys, COUNT(process_keys), what);
    const struct ynode *image = required(ps, n, "image", what);
    if (image) {
        p->image = file_name(ps, image, arena_printf(ps->arena, "%s: image", what));
        p->image_pos = image->pos;
        ok &= p->image != NULL;
    } else {
        ok = false;
    }
    uint64_t v;
    const struct ynode *priority = lookup(n, "priority");
    p->priority = CAPGEN_DEFAULT_PRIORITY;
    p->priority_pos = p->pos;
    if (priority) {
        p->priority_pos = priority->pos;
        if (!number_capped(ps, priority, arena_printf(ps->arena, "%s: priority", what), &v)) {
            ok = false;
        } else if (v > CAPGEN_PRIORITY_MAX) {
            diag_error(ps->diag, priority->pos,
                       "%s: priority %s is out of range (0..254; 255 is Alpha's)", what,
                       priority->text);
            ok = false;
        } else {
            p->priority = (unsigned)v;
        }
    }
    const struct ynode *stack = lookup(n, "stack");
    p->stack = CAPGEN_DEFAULT_STACK;
    p->stack_pos = p->pos;
    if (stack) {
        p->stack_pos = stack->pos;
        if (!size_value(ps, stack, arena_printf(ps->arena, "%s: stack", what), CAPGEN_MAX_STACK,
                        &p->stack)) {
            ok = false;
        } else if (p->stack == 0 || p->stack % CAPGEN_PAGE || p->stack > CAPGEN_MAX_STACK) {
            diag_error(ps->diag, stack->pos, "%s: stack must be a multiple of 4K between 4K and 1M",
                       what);
            ok = false;
        }
    }
    const struct ynode *radix = lookup(n, "node_radix");
    if (radix) {
        p->radix_pos = radix->pos;
        if (number_in(ps, radix, arena_printf(ps->arena, "%s: node_radix", what),
                      A9N_NODE_RADIX_MIN, 16, &v)) {
            p->radix = (unsigned)v;
            p->has_radix = true;
        } else {
            ok = false;
        }
    }
    const struct ynode *resolver = lookup(n, "resolver");
    if (resolver) {
        p->resolver_name = name_value(ps, resolver, arena_printf(ps->arena, "%s: resolver", what));
        p->resolver_pos = resolver->pos;
        ok &= p->resolver_name != NULL;
    }
    const struct ynode *fault = lookup(n, "fault");
    if (fault)
        ok &= parse_fault_policy(ps, p, fault, what);
    const struct ynode *notice = lookup(n, "exit_notice");
    if (notice) {
        p->exit_notice_name =
            name_value(ps, notice, arena_printf(ps->arena, "%s: exit_notice", what));
        p->exit_notice_pos = notice->pos;
        ok &= p->exit_notice_name != NULL;
    }
    const struct ynode *caps = lookup(n, "caps");
    p->caps_pos = p->pos;
    if (caps && !is_null(caps)) {
        p->caps_pos = caps->pos;
        const char *w = arena_printf(ps->arena, "%s: caps", what);
        if (want(ps, caps, Y_MAPPING, w)) {
            if (caps->count > CAPGEN_MAX_CAPS) {
                diag_error(ps->diag, caps->pos, "%s: more than %u capabilities", w,
                           CAPGEN_MAX_CAPS);
                ok = false;
            } else {
                for (size_t i = 0; i < caps->count && !ps->diag->stopped; i++)
                    ok &= parse_cap(ps, p, caps->pairs[i].key, caps->pairs[i].value);
            }
        } else {
            ok = false;
        }
    }
    const struct ynode *maps = lookup(n, "maps");
    if (maps && !is_null(maps)) {
        const char *w = arena_printf(ps->arena, "%s: maps", what);
        if (want(ps, maps, Y_SEQUENCE, w)) {
            if (maps->count > CAPGEN_MAX_MAPS) {
                diag_error(ps->diag, maps->pos, "%s: more than %u maps", w, CAPGEN_MAX_MAPS);
                ok = false;
            } else {
                for (size_t i = 0; i < maps->count && !ps->diag->stopped; i++)
                    ok &= parse_map(ps, p, i, maps->items[i]);
            }
        } else {
            ok = false;
        }
    }
    const struct ynode *slabs = lookup(n, "slabs");
    if (slabs && !is_null(slabs))
        ok &= parse_slabs(ps, p, slabs);
    const struct ynode *buddy = lookup(n, "buddy");
    if (buddy) {
        uint64_t bytes;
        const char *w = arena_printf(ps->arena, "%s: buddy", what);
        if (!size_value(ps, buddy, w, CAPGEN_MAX_REGION, &bytes)) {
            ok = false;
        } else if (bytes < CAPGEN_PAGE || bytes > CAPGEN_MAX_REGION || (bytes & (bytes - 1))) {
            diag_error(ps->diag, buddy->pos,
                       "%s: the pool must be a power of two between 4K and 1G", w);
            ok = false;
        } else {
            struct pool *pl = new_pool(ps, p, "buddy", key_pos(n, "buddy"));
            pl->type = A9N_OBJECT_GENERIC;
            pl->count = 1;
            pl->bytes = bytes;
            pl->bits = ceil_log2(bytes);
            pl->specific_bits = pl->bits;
        }
    }
    const struct ynode *files = lookup(n, "files");
    if (files && !is_null(files)) {
        p->files_pos = files->pos;
        ok &= files_parse(ps->arena, ps->diag, p, files);
    }
    if (ok)
        vec_push(ps->arena, &ps->sys->processes, p);
    return ok;
}

bool system_parse(struct arena *a, struct diag *d, struct ynode *root, struct system *sys)
{
    struct parser ps = {a, d, sys};
    if (!want(&ps, root, Y_MAPPING, "the file"))
        return false;
    static const char *const keys[] = {"system", "objects", "processes"};
    bool ok = known_keys(&ps, root, keys, COUNT(keys), "the file");
    const struct ynode *system = required(&ps, root, "system", "the file");
    const struct ynode *processes = required(&ps, root, "processes", "the file");
    if (system)
        ok &= parse_system_key(&ps, system);
    else
        ok = false;
    const struct ynode *objects = lookup(root, "objects");
    if (objects && !is_null(objects)) {
        if (!want(&ps, objects, Y_MAPPING, "objects")) {
            ok = false;
        } else if (objects->count > CAPGEN_MAX_OBJECTS) {
            diag_error(d, objects->pos, "objects: more than %u objects", CAPGEN_MAX_OBJECTS);
            ok = false;
        } else {
            for (size_t i = 0; i < objects->count && !d->stopped; i++)
                ok &= parse_object(&ps, objects->pairs[i].key, objects->pairs[i].value);
        }
    }
    if (!processes)
        return false;
    if (!want(&ps, processes, Y_MAPPING, "processes"))
        return false;
    if (processes->count == 0) {
        diag_error(d, processes->pos, "processes: the system has no process");
        return false;
    }
    if (processes->count > CAPGEN_MAX_PROCESSES) {
        diag_error(d, processes->pos, "processes: more than %u processes", CAPGEN_MAX_PROCESSES);
        return false;
    }
    for (size_t i = 0; i < processes->count && !d->stopped; i++)
        ok &= parse_process(&ps, processes->pairs[i].key, processes->pairs[i].value, (uint32_t)i);
    ok = ok && files_check(d, sys);
    return ok && !d->stopped;
}
