/* liba9n: Debug: the live capability tree, one batch per call. */
#include <liba9n.h>

/* ---- Debug ---- */

/* One batch of the live capability tree into the caller's IPC buffer (a9n/debug.h). */
a9n_error a9n_debug_introspect(a9n_word debug, a9n_word cursor, a9n_word *count, a9n_word *next)
{
    struct a9n_regs r = {{debug, A9N_DEBUG_INTROSPECT, cursor}};
    a9n_error e = a9n_capability_call(&r);
    *count = r.mr[2];
    *next = r.mr[3];
    return e;
}

/* As a9n_debug_introspect, leaving out `count` slots of the Node `node` from slot `first` on. */
a9n_error a9n_debug_introspect_except(a9n_word debug, a9n_word cursor, a9n_word node,
                                      a9n_word first, a9n_word count, a9n_word *records,
                                      a9n_word *next)
{
    struct a9n_regs r = {{debug, A9N_DEBUG_INTROSPECT, cursor, node, first, count}};
    a9n_error e = a9n_capability_call(&r);
    *records = r.mr[2];
    *next = r.mr[3];
    return e;
}
