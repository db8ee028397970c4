/*
 * The kernel operations the ULMM core needs, bound at link time.
 *
 * The core (slab.c, buddy.c) decides policy; it never touches the kernel itself. A slot is
 * a number in the server's own capability space: the servers turn it into a descriptor and
 * call liba9n (servers/ulmm/kernel.c); the host tests implement the same calls over
 * the real A9N capability core on a fake HAL (test/unit/ulmm/), so the watermark rules the
 * core relies on are the kernel's, not a model's.
 */
#pragma once

#include <a9n/error.h>
#include <a9n/types.h>

/* Generic CONVERT: the Generic in `generic` makes `count` objects into slots dest.. */
a9n_error ulmm_kernel_convert(a9n_word generic, a9n_word type, a9n_word specific_bits,
                              a9n_word count, a9n_word dest);
/* REVOKE: deletes every descendant of `slot`; a Generic's watermark drops to 0. */
a9n_error ulmm_kernel_revoke(a9n_word slot);
/* REMOVE: empties `slot`; a parent Generic left without children resets its watermark. */
a9n_error ulmm_kernel_remove(a9n_word slot);
/* Address Space MAP of the Page Table in `table` at `vaddr`, in the space in `space`. */
a9n_error ulmm_kernel_map_table(a9n_word space, a9n_word table, a9n_word vaddr);
