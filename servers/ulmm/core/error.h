/* Errors of the ULMM core and of its IPC protocol (a reply's first word). */
#pragma once

enum ulmm_error {
    ULMM_OK = 0,
    ULMM_E_INVALID = 1,   /* a bogus argument: unknown cache, order, handle or client */
    ULMM_E_NOT_OWNER = 2, /* the handle is live but was given to another client */
    ULMM_E_QUOTA = 3,     /* the client's declared quota would be exceeded */
    ULMM_E_EXHAUSTED = 4, /* the pool has no room (a client past no quota never sees it) */
    ULMM_E_KERNEL = 5,    /* the kernel refused an operation (a bug or a bad declaration) */
    ULMM_E_BUSY = 6,      /* a server-side resource (address range, page table) is in use */
};
