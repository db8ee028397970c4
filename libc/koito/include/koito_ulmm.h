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
 */
#pragma once

enum ulmm_op {
    ULMM_OP_SLAB_ALLOC = 1,   /* cache -> error, index; + the object's capability */
    ULMM_OP_SLAB_FREE = 2,    /* cache, index -> error */
    ULMM_OP_BUDDY_ALLOC = 3,  /* order (12 or 21) -> error, handle; + the Frame */
    ULMM_OP_BUDDY_FREE = 4,   /* handle -> error */
    ULMM_OP_STATS_CACHE = 5,  /* cache -> error, count, free, allocs, frees, refused q/x */
    ULMM_OP_STATS_ORDER = 6,  /* order -> error, free blocks, used blocks, splits, merges */
    ULMM_OP_STATS_CLIENT = 7, /* cache or ULMM_STATS_BUDDY -> error, used, quota, peak */
    ULMM_OP_RECLAIM = 8,      /* client -> error, objects freed (supervisor badge only) */
};

#define ULMM_STATS_BUDDY 0xffffu /* STATS_CLIENT: the caller's Buddy bytes, not a cache */
#define ULMM_REPLY_MAX   8       /* words in the longest reply */
