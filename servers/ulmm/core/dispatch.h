/*
 * One request to a ULMM server, decoded, checked and answered (libc/koito/include/
 * koito_ulmm.h has the protocol). Pure policy: the caller does the IPC. Every word of a
 * request may be hostile: anything that is not exactly a valid request gets an error
 * reply and changes nothing.
 */
#pragma once

#include "buddy.h"
#include "slab.h"

#include <koito_ulmm.h>

struct ulmm_server {
    struct ulmm_slab *cache; /* the static caches, by cache number */
    unsigned caches;
    struct ulmm_buddy *buddy; /* NULL: no Buddy pool */
    a9n_word supervisor;      /* the badge allowed to RECLAIM (it learns of deaths) */
    a9n_word scratch;         /* the slot where a request's first capability arrives */
    uint64_t deaths;          /* clients whose death it learned (ulmm_deaths) */
};

struct ulmm_reply {
    a9n_word word[ULMM_REPLY_MAX];
    unsigned length;
    bool transfer;          /* send the capability in transfer_slot with the reply */
    a9n_word transfer_slot; /* a slot of the server's own space */
};

/* A death notice: the word of the server's `deaths` Notification Port, where the kernel
 * ORs bit c - 1 when client c ends (its Process's exit notice, a9n/process.h). Everything
 * each of those clients held goes back; returns how many objects. */
a9n_word ulmm_deaths(struct ulmm_server *s, a9n_word bits);

/* Answers one request of `length` words that brought `caps` capabilities (the first in
 * s->scratch); returns the reply's error word. The caller empties the scratch slots. */
enum ulmm_error ulmm_dispatch(struct ulmm_server *s, a9n_word badge, const a9n_word *msg,
                              unsigned length, unsigned caps, struct ulmm_reply *r);
