/* A static SLAB cache: one child Generic per object slot (see slab.h). */
#include "slab.h"

#include "kernel.h"

#include <a9n/object.h>

enum ulmm_error ulmm_slab_init(struct ulmm_slab *s, const struct ulmm_slab_config *cfg, void *meta)
{
    unsigned bits = a9n_object_bits(cfg->type, cfg->specific_bits);
    if (!a9n_object_is_convertible(cfg->type) || bits < A9N_GENERIC_MIN_BITS || cfg->count == 0 ||
        cfg->count == ULMM_NIL || meta == NULL)
        return ULMM_E_INVALID;
    *s = (struct ulmm_slab){
        .type = cfg->type,
        .specific_bits = cfg->specific_bits,
        .object_bits = bits,
        .count = cfg->count,
        .generic_base = cfg->generic_base,
        .object_base = cfg->object_base,
        .entry = meta,
        .free_head = ULMM_NIL,
    };
    for (unsigned c = 0; c <= ULMM_MAX_CLIENTS; c++)
        s->client[c] = (struct ulmm_slab_client){.quota = cfg->quota[c]};
    s->client[0].quota = 0;
    if (ulmm_kernel_convert(cfg->generic, A9N_OBJECT_GENERIC, bits, cfg->count,
                            cfg->generic_base) != A9N_SUCCESS)
        return ULMM_E_KERNEL;
    /* Pushed from the top down, so slot 0 is given out first (easier to read in a trace). */
    for (uint32_t i = cfg->count; i-- > 0;) {
        s->entry[i] = (struct ulmm_entry){.state = ULMM_FREE, .next = s->free_head};
        s->free_head = i;
    }
    s->free = cfg->count;
    return ULMM_OK;
}

enum ulmm_error ulmm_slab_alloc(struct ulmm_slab *s, unsigned client, uint32_t *index)
{
    if (client == 0 || client > ULMM_MAX_CLIENTS)
        return ULMM_E_INVALID;
    struct ulmm_slab_client *c = &s->client[client];
    if (c->used >= c->quota) {
        s->refused_quota++;
        return ULMM_E_QUOTA;
    }
    uint32_t i = s->free_head;
    if (i == ULMM_NIL) {
        s->refused_exhausted++;
        return ULMM_E_EXHAUSTED;
    }
    if (ulmm_kernel_convert(s->generic_base + i, s->type, s->specific_bits, 1,
                            s->object_base + i) != A9N_SUCCESS)
        return ULMM_E_KERNEL;
    s->free_head = s->entry[i].next;
    s->free--;
    s->entry[i].state = ULMM_USED;
    s->entry[i].owner = (uint16_t)client;
    if (++c->used > c->peak)
        c->peak = c->used;
    s->allocs++;
    *index = i;
    return ULMM_OK;
}

static enum ulmm_error release(struct ulmm_slab *s, uint32_t i)
{
    struct ulmm_slab_client *c = &s->client[s->entry[i].owner];
    if (ulmm_kernel_revoke(s->generic_base + i) != A9N_SUCCESS)
        return ULMM_E_KERNEL;
    c->used--;
    s->entry[i].state = ULMM_FREE;
    s->entry[i].owner = 0;
    s->entry[i].next = s->free_head;
    s->free_head = i;
    s->free++;
    s->frees++;
    return ULMM_OK;
}

enum ulmm_error ulmm_slab_free(struct ulmm_slab *s, unsigned client, uint32_t index)
{
    if (client == 0 || client > ULMM_MAX_CLIENTS || index >= s->count ||
        s->entry[index].state != ULMM_USED)
        return ULMM_E_INVALID;
    if (s->entry[index].owner != client)
        return ULMM_E_NOT_OWNER;
    return release(s, index);
}

uint32_t ulmm_slab_reclaim(struct ulmm_slab *s, unsigned client)
{
    if (client == 0 || client > ULMM_MAX_CLIENTS)
        return 0;
    /* A walk over the cache, not a per-client list: a death may take O(count), and in
     * exchange allocate and free keep no list of the client's (the slab cycle's cost). */
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->count && s->client[client].used != 0; i++)
        if (s->entry[i].state == ULMM_USED && s->entry[i].owner == client) {
            if (release(s, i) != ULMM_OK)
                break;
            n++;
        }
    return n;
}
