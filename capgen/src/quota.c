/*
 * ULMM quotas: a client's `quota:` on its capability to a memory server's port says how many
 * objects of each slab type and how many Buddy bytes it may hold. The check proves that
 * every client's whole quota fits at once: per server and type, the quotas add up to at
 * most the cache's count, and the Buddy quotas to at most what the pool keeps for clients
 * (buddy_layout.h). A declared client is then never refused within its quota for lack of
 * objects or pages. The server's caps header carries the table it enforces.
 */
#include "capgen.h"

#include <buddy_layout.h>
#include <koito_ulmm.h>
#include <string.h>

const char *const capgen_quota_keys[CAPGEN_QUOTA_KINDS] = {
    "process",  "address_space",     "page_table", "frame", "large_frame",
    "ipc_port", "notification_port", "node",       "buddy", "buddy_large"};

static const struct pool *server_pool(const struct process *s, unsigned kind)
{
    /* 2 MiB frames set aside come out of the Buddy pool. */
    const char *key =
        capgen_quota_keys[kind == CAPGEN_QUOTA_BUDDY_LARGE ? CAPGEN_QUOTA_BUDDY : kind];
    for (size_t i = 0; i < s->pools.count; i++) {
        const struct pool *pl = s->pools.items[i];
        if (strcmp(pl->key, key) == 0)
            return pl;
    }
    return NULL;
}

/* The process that receives on the port `c` names and has pools to serve from. */
static struct process *find_server(const struct system *sys, const struct cap *c)
{
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *s = sys->processes.items[i];
        if (s->pools.count == 0)
            continue;
        for (size_t j = 0; j < s->caps.count; j++) {
            const struct cap *d = s->caps.items[j];
            if (d->kind == CAP_OBJECT && d->object == c->object && (d->rights & A9N_RIGHT_READ))
                return s;
        }
    }
    return NULL;
}

/* The client side of one quota: what it names exists, and the badge tells it apart. */
static bool check_client(struct diag *d, struct system *sys, struct process *p, struct cap *c)
{
    const char *name = c->name;
    if (c->kind != CAP_OBJECT || c->object == NULL || c->object->kind != OBJECT_IPC_PORT ||
        !(c->rights & A9N_RIGHT_WRITE)) {
        diag_error(d, c->quota_pos,
                   "capability '%s.%s': a quota only applies to a send capability to a memory "
                   "server's ipc_port",
                   p->name, name);
        return false;
    }
    if (!c->has_badge || c->badge > ULMM_CLIENTS_MAX) {
        diag_error(d, c->quota_pos,
                   "capability '%s.%s': a quota needs a badge 1..%u: the server knows its "
                   "clients by badge",
                   p->name, name, ULMM_CLIENTS_MAX);
        return false;
    }
    c->quota_server = find_server(sys, c);
    if (c->quota_server == NULL) {
        diag_error(d, c->quota_pos,
                   "capability '%s.%s': no process with slabs or buddy receives on '%s'", p->name,
                   name, c->object->name);
        return false;
    }
    bool ok = true;
    for (unsigned k = 0; k < CAPGEN_QUOTA_KINDS; k++)
        if (c->quota[k] != 0 && server_pool(c->quota_server, k) == NULL) {
            diag_error(d, c->quota_pos, "capability '%s.%s': quota of %s, but '%s' has no %s %s",
                       p->name, name, capgen_quota_keys[k], c->quota_server->name,
                       capgen_quota_keys[k >= CAPGEN_QUOTA_BUDDY ? CAPGEN_QUOTA_BUDDY : k],
                       k >= CAPGEN_QUOTA_BUDDY ? "pool" : "cache");
            ok = false;
        }
    return ok;
}

/* What one pool can give its clients: objects, bytes, or whole aligned 2 MiB blocks (those
 * the server's own block does not touch). */
static uint64_t capacity(const struct pool *pl, unsigned kind)
{
    if (kind == CAPGEN_QUOTA_BUDDY)
        return ulmm_buddy_client_bytes(pl->bits);
    if (kind == CAPGEN_QUOTA_BUDDY_LARGE)
        return ulmm_buddy_large_blocks(pl->bits);
    return pl->count;
}

void check_quotas(struct arena *a, struct diag *d, struct system *sys)
{
    (void)a;
    struct vec clients = {0};
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++) {
            struct cap *c = p->caps.items[j];
            if (c->has_quota && check_client(d, sys, p, c))
                vec_push(a, &clients, c);
        }
    }
    /* Per server: one quota per badge, and the sums fit. */
    for (size_t i = 0; i < clients.count; i++) {
        struct cap *c = clients.items[i];
        for (size_t j = 0; j < i; j++) {
            const struct cap *e = clients.items[j];
            if (e->quota_server == c->quota_server && e->badge == c->badge)
                diag_error(d, c->quota_pos,
                           "capability '%s.%s': '%s.%s' already has a quota on '%s' with badge "
                           "%llu",
                           c->owner->name, c->name, e->owner->name, e->name, c->quota_server->name,
                           (unsigned long long)c->badge);
        }
    }
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *s = sys->processes.items[i];
        for (unsigned k = 0; k < CAPGEN_QUOTA_KINDS; k++) {
            const struct pool *pl = server_pool(s, k);
            if (pl == NULL)
                continue;
            uint64_t sum = 0;
            for (size_t j = 0; j < clients.count; j++) {
                const struct cap *c = clients.items[j];
                if (c->quota_server != s)
                    continue;
                sum += c->quota[k];
                /* Bytes: the 2 MiB frames set aside are bytes of the pool too. */
                if (k == CAPGEN_QUOTA_BUDDY)
                    sum += c->quota[CAPGEN_QUOTA_BUDDY_LARGE] << A9N_LARGE_FRAME_BITS;
            }
            if (sum > capacity(pl, k))
                diag_error(d, pl->pos,
                           "the quotas of %s on '%s' add up to %llu%s, but it has %llu%s: a "
                           "client could be refused within its quota",
                           capgen_quota_keys[k], s->name, (unsigned long long)sum,
                           k == CAPGEN_QUOTA_BUDDY         ? " bytes (2 MiB frames included)"
                           : k == CAPGEN_QUOTA_BUDDY_LARGE ? " frames of 2 MiB"
                                                           : "",
                           (unsigned long long)capacity(pl, k),
                           k == CAPGEN_QUOTA_BUDDY ? " bytes for clients"
                           : k == CAPGEN_QUOTA_BUDDY_LARGE
                               ? " whole aligned 2 MiB blocks for clients"
                               : "");
        }
    }
}

/* The memory server that reads notification `n` (its `deaths` capability), or NULL. */
static struct process *death_reader(const struct system *sys, const struct object *n)
{
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *s = sys->processes.items[i];
        for (size_t j = 0; s->pools.count != 0 && j < s->caps.count; j++) {
            const struct cap *d = s->caps.items[j];
            if (d->kind == CAP_OBJECT && d->object == n && (d->rights & A9N_RIGHT_READ) &&
                strcmp(d->name, "deaths") == 0)
                return s;
        }
    }
    return NULL;
}

/* Whether server `s` passes deaths on to the server reading `port`: its `forward`
 * capability (servers/ulmm/serve.c) is a supervisor's capability to that port. */
static bool forwards_to(const struct process *s, const struct object *port)
{
    for (size_t j = 0; j < s->caps.count; j++) {
        const struct cap *d = s->caps.items[j];
        if (d->kind == CAP_OBJECT && d->object == port && strcmp(d->name, "forward") == 0 &&
            d->has_badge && d->badge == ULMM_SUPERVISOR_BADGE && (d->rights & A9N_RIGHT_WRITE))
            return true;
    }
    return false;
}

static bool has_cap_named(const struct process *s, const char *name)
{
    for (size_t j = 0; j < s->caps.count; j++)
        if (strcmp(((const struct cap *)s->caps.items[j])->name, name) == 0)
            return true;
    return false;
}

/*
 * `exit_notice:` of a client: the kernel tells the memory server that reads the notification
 * (its `deaths` capability) when the client ends, with the bit of its client id
 * (1 << (badge - 1)); the server takes everything back and passes the death on to the other
 * servers the client holds quotas at (its `forward` capability). So the client needs one
 * badge at all of them, and every one of them must hear of it.
 */
void check_exit_notices(struct diag *d, struct system *sys)
{
    /* Only the kernel may write to a death port (through exit notices): a capability that
     * could NOTIFY it would report the death of whichever clients its identifier names. */
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++) {
            const struct cap *c = p->caps.items[j];
            if (c->kind == CAP_OBJECT && c->object != NULL &&
                c->object->kind == OBJECT_NOTIFICATION_PORT && (c->rights & A9N_RIGHT_WRITE) &&
                death_reader(sys, c->object) != NULL)
                diag_error(d, c->pos,
                           "capability '%s.%s': '%s' is a memory server's death port: only exit "
                           "notices may write to it, or deaths could be forged",
                           p->name, c->name, c->object->name);
        }
    }
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        if (p->exit_notice == NULL)
            continue;
        struct process *s = death_reader(sys, p->exit_notice);
        if (s == NULL) {
            diag_error(d, p->exit_notice_pos,
                       "process '%s': exit_notice '%s': no memory server reads it (as its "
                       "capability 'deaths')",
                       p->name, p->exit_notice->name);
            continue;
        }
        const struct cap *first = NULL;
        bool ok = true;
        for (size_t j = 0; j < p->caps.count && ok; j++) {
            const struct cap *c = p->caps.items[j];
            if (!c->has_quota || c->quota_server == NULL)
                continue;
            if (first != NULL && c->badge != first->badge) {
                diag_error(d, p->exit_notice_pos,
                           "process '%s': exit_notice: its quotas have badges %llu ('%s') and "
                           "%llu ('%s'); its death is told once, so it needs one badge",
                           p->name, (unsigned long long)first->badge, first->name,
                           (unsigned long long)c->badge, c->name);
                ok = false;
            }
            if (first == NULL)
                first = c;
            if (ok && c->quota_server != s && !forwards_to(s, c->object)) {
                diag_error(d, p->exit_notice_pos,
                           "process '%s': exit_notice: it holds a quota on '%s', but '%s' (which "
                           "reads '%s') does not pass deaths on to it: give '%s' a capability "
                           "'forward' to '%s' with badge %u",
                           p->name, c->quota_server->name, s->name, p->exit_notice->name, s->name,
                           c->object->name, ULMM_SUPERVISOR_BADGE);
                ok = false;
            }
            if (ok && c->quota_server != s && has_cap_named(c->quota_server, "forward")) {
                diag_error(d, p->exit_notice_pos,
                           "process '%s': exit_notice: '%s' passes deaths on to '%s', which passes "
                           "them on itself: a chain could wait on itself",
                           p->name, s->name, c->quota_server->name);
                ok = false;
            }
        }
        if (ok && first == NULL) {
            diag_error(d, p->exit_notice_pos,
                       "process '%s': exit_notice: it holds no quota, so no server knows it",
                       p->name);
            ok = false;
        }
        if (ok)
            p->exit_notice_identifier = 1ull << (first->badge - 1);
    }
}

void emit_quota_table(FILE *out, const struct system *sys, const struct process *server)
{
    unsigned n = 0;
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++) {
            const struct cap *c = p->caps.items[j];
            if (!c->has_quota || c->quota_server != server)
                continue;
            for (unsigned k = 0; k < CAPGEN_QUOTA_KINDS; k++) {
                if (n++ == 0)
                    fprintf(out, "\n/* ULMM quotas, proved to fit by capgen check: {badge, cache "
                                 "(ULMM_CACHE_*; 8: Buddy bytes; 9: 2 MiB frames set aside), "
                                 "amount} */\n"
                                 "#define ULMM_QUOTAS {");
                else
                    fprintf(out, ", ");
                fprintf(out, "{%llu, %u, %llu}", (unsigned long long)c->badge, k,
                        (unsigned long long)c->quota[k]);
            }
        }
    }
    if (n > 0)
        fprintf(out, "}\n#define ULMM_QUOTA_COUNT %u\n", n);
}
