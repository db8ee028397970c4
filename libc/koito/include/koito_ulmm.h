/*
 * The ULMM protocol: what a client sends to the ULMM server (static slabs) and to the
 * Buddy server, and what it gets back. Shared by the servers (servers/ulmm/core/dispatch.c)
 * and the client library.
 *
 * A request is a CALL on the client's badged capability to the server's port:
 *   word 0  the operation (enum ulmm_op), then its arguments.
 * The reply:
 *   word 0  enum ulmm_error (servers/ulmm/core/error.h; 0 = done), then the results.
 * An allocation's reply carries one capability (the object) into the slot the client named
 * as its receive destination (transfer_destination_node/index in its IPC buffer).
 * The server knows the client only by the capability's badge: badge = client id, 1..64.
 * A Buddy client's quota is bytes plus, optionally, 2 MiB frames set aside for it at start
 * (`buddy_large`): BUDDY_ALLOC of order 21 takes those first, whatever other clients did.
 *
 * Page Tables (like Generics) have exactly one capability, so they cannot travel in a
 * message: TABLE_MAP makes one from the page_table cache (on the client's quota) and maps
 * it at vaddr in the Address Space the client sends along (a copy, which the server drops
 * after the request). The table stays the server's; SLAB_FREE (cache PAGE_TABLE) unmaps and
 * frees it, and so does the client's death. Frames travel: the client maps them itself.
 */
#pragma once

enum ulmm_op {
    ULMM_OP_SLAB_ALLOC = 1,   /* cache -> error, index; + the object's capability */
    ULMM_OP_SLAB_FREE = 2,    /* cache, index -> error */
    ULMM_OP_BUDDY_ALLOC = 3,  /* order (12 or 21) -> error, handle; + the Frame */
    ULMM_OP_BUDDY_FREE = 4,   /* handle -> error */
    ULMM_OP_STATS_CACHE = 5,  /* cache -> error, count, free, allocs, frees, refused q/x */
    ULMM_OP_STATS_ORDER = 6,  /* order -> error, free blocks, used blocks, splits, merges,
                                 blocks set aside (2 MiB: for `buddy_large` quotas) */
    ULMM_OP_STATS_CLIENT = 7, /* cache -> error, used, quota, peak; ULMM_STATS_BUDDY ->
                                 error, bytes used, quota, peak, 2 MiB frames held of those
                                 set aside, promised. The caller's own account; the
                                 supervisor's badge names the client in word 2 (1..64) */
    ULMM_OP_RECLAIM = 8,      /* client -> error, objects freed (supervisor badge only) */
    ULMM_OP_TABLE_MAP = 9,    /* vaddr, + the client's Address Space -> error, index */
};

/* Cache numbers: one per slab type a system file may declare (capgen's `slabs:` keys). */
enum ulmm_cache {
    ULMM_CACHE_PROCESS = 0,
    ULMM_CACHE_ADDRESS_SPACE = 1,
    ULMM_CACHE_PAGE_TABLE = 2,
    ULMM_CACHE_FRAME = 3,
    ULMM_CACHE_LARGE_FRAME = 4,
    ULMM_CACHE_IPC_PORT = 5,
    ULMM_CACHE_NOTIFICATION_PORT = 6,
    ULMM_CACHE_NODE = 7,
    ULMM_CACHES = 8,
};

/* The badge of the one capability allowed to RECLAIM: whoever learns of deaths. */
#define ULMM_SUPERVISOR_BADGE 1000u

#define ULMM_STATS_BUDDY 0xffffu /* STATS_CLIENT: the caller's Buddy bytes, not a cache */
#define ULMM_REPLY_MAX   8       /* words in the longest reply */

/* ---- The client library (libc/koito/src/ulmm_client.c) ---- */

#include <a9n/abi.h>

/* A connection to one ULMM or Buddy server. */
struct koito_ulmm {
    a9n_word port;                 /* the badged capability to the server's port */
    struct a9n_ipc_buffer *buffer; /* the caller's IPC buffer (where replies' caps land) */
    a9n_word node;                 /* descriptor of the caller's root Node (a copy of it) */
    unsigned radix;                /* that Node's radix: capabilities land in its slots */
};

/* Every call returns an enum ulmm_error (0 = done); a kernel error on the IPC itself is
 * ULMM_E_KERNEL. */

/* A new object from cache `cache`, its capability into root slot `dest`; *index names it
 * to the server. */
unsigned koito_ulmm_slab_alloc(const struct koito_ulmm *c, unsigned cache, a9n_word dest,
                               a9n_word *index);
unsigned koito_ulmm_slab_free(const struct koito_ulmm *c, unsigned cache, a9n_word index);

/* A Frame of 2^order bytes (12 or 21) into root slot `dest`; *handle names it to the
 * server. */
unsigned koito_ulmm_frame_alloc(const struct koito_ulmm *c, unsigned order, a9n_word dest,
                                a9n_word *handle);
unsigned koito_ulmm_frame_free(const struct koito_ulmm *c, a9n_word handle);

/* A statistics request (ULMM_OP_STATS_*): out[0..n) = the reply's words after the error. */
unsigned koito_ulmm_stats(const struct koito_ulmm *c, unsigned op, a9n_word arg,
                          a9n_word out[ULMM_REPLY_MAX - 1]);

/* Supervisor only: everything client `client` held goes back; *freed = how many objects. */
unsigned koito_ulmm_reclaim(const struct koito_ulmm *c, a9n_word client, a9n_word *freed);

/*
 * Maps the Frame in root slot `frame` at `va` in address space `as` (a descriptor), asking
 * `tables` (a ULMM server with a page_table cache) for each missing page table (TABLE_MAP,
 * on the caller's quota); *made (if given) counts them. The tables stay the server's and
 * come back when the caller frees them or dies.
 */
unsigned koito_ulmm_map(const struct koito_ulmm *tables, a9n_word as, a9n_word frame, a9n_word va,
                        unsigned *made);

/*
 * The same at an address the library picks: the next one free and aligned to the frame's
 * size (2^order: 12 or 21) in a window of 512 GiB at 0x600000000000 that nothing else of a
 * KOITO program uses; an address already taken is skipped. *va says where. INVALID for
 * another order, EXHAUSTED when the window is full.
 */
unsigned koito_ulmm_map_anywhere(const struct koito_ulmm *tables, a9n_word as, a9n_word frame,
                                 unsigned order, a9n_word *va, unsigned *made);
