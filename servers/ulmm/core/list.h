/*
 * Doubly linked lists threaded through an array of entries, by index: the slab's free and
 * per-client lists, the buddy's per-order free lists and per-client lists. Every operation
 * is O(1); an entry is on at most one list at a time.
 */
#pragma once

#include <stdint.h>

#define ULMM_NIL UINT32_MAX

enum ulmm_state {
    ULMM_ABSENT = 0,    /* buddy: no capability for this block (an ancestor is whole) */
    ULMM_FREE = 1,      /* on a free list */
    ULMM_SPLIT = 2,     /* buddy: converted into its two halves */
    ULMM_USED = 3,      /* given to a client (or kept by the server: owner 0) */
    ULMM_SET_ASIDE = 4, /* buddy: a free block kept for clients' promised large frames */
};

/* One slab object slot or one buddy tree node: 12 bytes. */
struct ulmm_entry {
    uint32_t prev, next;
    uint16_t owner; /* client id while ULMM_USED */
    uint8_t state;
    uint8_t pad;
};

_Static_assert(sizeof(struct ulmm_entry) == 12, "buddy_layout.h counts 12 bytes per entry");

static inline void ulmm_list_push(struct ulmm_entry *e, uint32_t *head, uint32_t i)
{
    e[i].prev = ULMM_NIL;
    e[i].next = *head;
    if (*head != ULMM_NIL)
        e[*head].prev = i;
    *head = i;
}

static inline void ulmm_list_unlink(struct ulmm_entry *e, uint32_t *head, uint32_t i)
{
    if (e[i].prev != ULMM_NIL)
        e[e[i].prev].next = e[i].next;
    else
        *head = e[i].next;
    if (e[i].next != ULMM_NIL)
        e[e[i].next].prev = e[i].prev;
    e[i].prev = e[i].next = ULMM_NIL;
}
