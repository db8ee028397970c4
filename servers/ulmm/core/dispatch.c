/* Decoding a ULMM request (see dispatch.h): check everything, then call the core. */
#include "dispatch.h"

#include "kernel.h"

#include <a9n/object.h>

/* Starts the reply with its error word; returns the error, so handlers end with it. */
static enum ulmm_error answer(struct ulmm_reply *r, enum ulmm_error e)
{
    /* Only what the reply sends: words past `length` are never read. */
    r->word[0] = e;
    r->length = 1;
    r->transfer = false;
    return e;
}

/* Whether `cache` names a cache this server has (an undeclared one has no objects). */
static bool cache_ok(const struct ulmm_server *s, a9n_word cache)
{
    return cache < s->caches && s->cache[cache].count != 0;
}

static void put(struct ulmm_reply *r, a9n_word w)
{
    r->word[r->length++] = w;
}

/* The client id a badge stands for, or 0 when it names no client. */
static unsigned client_of(a9n_word badge)
{
    return badge >= 1 && badge <= ULMM_MAX_CLIENTS ? (unsigned)badge : 0;
}

static enum ulmm_error slab_alloc(struct ulmm_server *s, unsigned c, const a9n_word *m,
                                  struct ulmm_reply *r)
{
    if (!cache_ok(s, m[1]))
        return answer(r, ULMM_E_INVALID);
    struct ulmm_slab *k = &s->cache[m[1]];
    uint32_t index;
    enum ulmm_error e = ulmm_slab_alloc(k, c, &index);
    answer(r, e);
    if (e != ULMM_OK)
        return e;
    put(r, index);
    r->transfer = true;
    r->transfer_slot = k->object_base + index;
    return ULMM_OK;
}

static enum ulmm_error buddy_alloc(struct ulmm_server *s, unsigned c, const a9n_word *m,
                                   struct ulmm_reply *r)
{
    /* The servers hand out pages and large pages, nothing else. */
    if (s->buddy == NULL || (m[1] != A9N_FRAME_BITS && m[1] != A9N_LARGE_FRAME_BITS))
        return answer(r, ULMM_E_INVALID);
    uint32_t handle;
    enum ulmm_error e =
        ulmm_buddy_alloc(s->buddy, c, (unsigned)m[1], A9N_OBJECT_FRAME, m[1], &handle);
    answer(r, e);
    if (e != ULMM_OK)
        return e;
    uint64_t offset;
    unsigned order;
    a9n_word object;
    ulmm_buddy_lookup(s->buddy, c, handle, &offset, &order, &object);
    put(r, handle);
    r->transfer = true;
    r->transfer_slot = object;
    return ULMM_OK;
}

/* A Page Table from the page_table cache, mapped at m[1] in the Address Space that came
 * with the request. If the kernel will not map it (no Address Space came, the address is
 * not user space, no table is missing there), the table goes back at once. */
static enum ulmm_error table_map(struct ulmm_server *s, unsigned c, unsigned caps,
                                 const a9n_word *m, struct ulmm_reply *r)
{
    if (caps == 0 || !cache_ok(s, ULMM_CACHE_PAGE_TABLE))
        return answer(r, ULMM_E_INVALID);
    struct ulmm_slab *k = &s->cache[ULMM_CACHE_PAGE_TABLE];
    uint32_t index;
    enum ulmm_error e = ulmm_slab_alloc(k, c, &index);
    if (e != ULMM_OK)
        return answer(r, e);
    if (ulmm_kernel_map_table(s->scratch, k->object_base + index, m[1]) != A9N_SUCCESS) {
        ulmm_slab_free(k, c, index);
        return answer(r, ULMM_E_INVALID);
    }
    answer(r, ULMM_OK);
    put(r, index);
    return ULMM_OK;
}

static enum ulmm_error stats_cache(struct ulmm_server *s, const a9n_word *m, struct ulmm_reply *r)
{
    if (!cache_ok(s, m[1]))
        return answer(r, ULMM_E_INVALID);
    const struct ulmm_slab *k = &s->cache[m[1]];
    answer(r, ULMM_OK);
    put(r, k->count);
    put(r, k->free);
    put(r, k->allocs);
    put(r, k->frees);
    put(r, k->refused_quota);
    put(r, k->refused_exhausted);
    return ULMM_OK;
}

static enum ulmm_error stats_order(struct ulmm_server *s, const a9n_word *m, struct ulmm_reply *r)
{
    struct ulmm_buddy *b = s->buddy;
    if (b == NULL || m[1] < b->min_bits || m[1] > b->pool_bits)
        return answer(r, ULMM_E_INVALID);
    ulmm_buddy_settle(b); /* the tree as eager merging keeps it: counts that mean something */
    answer(r, ULMM_OK);
    put(r, b->order[m[1]].free);
    put(r, b->order[m[1]].used);
    put(r, b->splits);
    put(r, b->merges);
    put(r, m[1] == b->large_order ? b->set_aside : 0);
    return ULMM_OK;
}

static enum ulmm_error stats_client(struct ulmm_server *s, unsigned c, const a9n_word *m,
                                    struct ulmm_reply *r)
{
    if (m[1] == ULMM_STATS_BUDDY && s->buddy != NULL) {
        const struct ulmm_buddy_client *bc = &s->buddy->client[c];
        answer(r, ULMM_OK);
        put(r, bc->used);
        put(r, bc->quota);
        put(r, bc->peak);
        put(r, bc->large_used);
        put(r, bc->large_quota);
        return ULMM_OK;
    }
    if (!cache_ok(s, m[1]))
        return answer(r, ULMM_E_INVALID);
    const struct ulmm_slab_client *kc = &s->cache[m[1]].client[c];
    answer(r, ULMM_OK);
    put(r, kc->used);
    put(r, kc->quota);
    put(r, kc->peak);
    return ULMM_OK;
}

/* Everything client `dead` (1..ULMM_MAX_CLIENTS) holds goes back; how many objects. */
static a9n_word reclaim_client(struct ulmm_server *s, unsigned dead)
{
    a9n_word n = 0;
    for (unsigned i = 0; i < s->caches; i++)
        if (cache_ok(s, i))
            n += ulmm_slab_reclaim(&s->cache[i], dead);
    if (s->buddy != NULL)
        n += ulmm_buddy_reclaim(s->buddy, dead);
    return n;
}

static enum ulmm_error reclaim(struct ulmm_server *s, a9n_word badge, const a9n_word *m,
                               struct ulmm_reply *r)
{
    unsigned dead = client_of(m[1]);
    if (badge != s->supervisor || dead == 0)
        return answer(r, ULMM_E_INVALID);
    a9n_word n = reclaim_client(s, dead);
    answer(r, ULMM_OK);
    put(r, n);
    return ULMM_OK;
}

a9n_word ulmm_deaths(struct ulmm_server *s, a9n_word bits)
{
    a9n_word n = 0;
    /* Bit c - 1 is client c: every word names clients only, so none is refused. */
    for (; bits != 0; bits &= bits - 1) {
        n += reclaim_client(s, (unsigned)__builtin_ctzll(bits) + 1);
        s->deaths++;
    }
    return n;
}

enum ulmm_error ulmm_dispatch(struct ulmm_server *s, a9n_word badge, const a9n_word *msg,
                              unsigned length, unsigned caps, struct ulmm_reply *r)
{
    /* Every operation reads words 0..2; a shorter message reads as zeros, never past it. */
    a9n_word padded[3] = {0, 0, 0};
    const a9n_word *m = msg;
    if (length < 3) {
        for (unsigned i = 0; i < length; i++)
            padded[i] = msg[i];
        m = padded;
    }
    if (m[0] == ULMM_OP_RECLAIM)
        return reclaim(s, badge, m, r);
    /* Statistics of caches and orders are for any badge (the supervisor watches them). */
    if (m[0] == ULMM_OP_STATS_CACHE)
        return stats_cache(s, m, r);
    if (m[0] == ULMM_OP_STATS_ORDER)
        return stats_order(s, m, r);
    /* The supervisor reads any client's account (word 2 names it): Alpha's inspection. */
    if (m[0] == ULMM_OP_STATS_CLIENT && badge == s->supervisor) {
        unsigned named = m[2] <= ULMM_MAX_CLIENTS ? client_of(m[2]) : 0;
        return named != 0 ? stats_client(s, named, m, r) : answer(r, ULMM_E_INVALID);
    }
    unsigned c = client_of(badge);
    if (c == 0)
        return answer(r, ULMM_E_INVALID);
    switch (m[0]) {
    case ULMM_OP_SLAB_ALLOC:
        return slab_alloc(s, c, m, r);
    case ULMM_OP_SLAB_FREE:
        if (!cache_ok(s, m[1]) || m[2] > UINT32_MAX)
            return answer(r, ULMM_E_INVALID);
        return answer(r, ulmm_slab_free(&s->cache[m[1]], c, (uint32_t)m[2]));
    case ULMM_OP_BUDDY_ALLOC:
        return buddy_alloc(s, c, m, r);
    case ULMM_OP_BUDDY_FREE:
        if (s->buddy == NULL || m[1] > UINT32_MAX)
            return answer(r, ULMM_E_INVALID);
        return answer(r, ulmm_buddy_free(s->buddy, c, (uint32_t)m[1]));
    case ULMM_OP_TABLE_MAP:
        return table_map(s, c, caps, m, r);
    case ULMM_OP_STATS_CLIENT:
        return stats_client(s, c, m, r);
    default:
        return answer(r, ULMM_E_INVALID);
    }
}
