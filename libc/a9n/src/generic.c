/* liba9n: Generic: CONVERT, which turns untyped memory into kernel objects. */
#include <liba9n.h>

/* ---- Generic ---- */

a9n_error a9n_generic_convert(a9n_word generic, a9n_word type, a9n_word specific_bits,
                              a9n_word count, a9n_word dest_node, a9n_word dest_index)
{
    return a9n_call7(generic, A9N_GENERIC_CONVERT, type, specific_bits, count, dest_node,
                     dest_index, 0, 0);
}
