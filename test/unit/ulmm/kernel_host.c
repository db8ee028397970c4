/* ulmm_kernel_* over the harness: each call is a real capability call into the A9N core. */
#include "ulmm_host.h"

#include "../../../servers/ulmm/core/kernel.h"

#include <a9n/operation.h>

struct harness ulmm_host;
unsigned long ulmm_host_calls;

a9n_error ulmm_kernel_convert(a9n_word generic, a9n_word type, a9n_word specific_bits,
                              a9n_word count, a9n_word dest)
{
    ulmm_host_calls++;
    return h_convert(&ulmm_host, generic, type, specific_bits, count, dest);
}

a9n_error ulmm_kernel_revoke(a9n_word slot)
{
    ulmm_host_calls++;
    return h_revoke(&ulmm_host, slot);
}

a9n_error ulmm_kernel_remove(a9n_word slot)
{
    ulmm_host_calls++;
    return h_remove(&ulmm_host, slot);
}

a9n_error ulmm_kernel_map_table(a9n_word space, a9n_word table, a9n_word vaddr)
{
    ulmm_host_calls++;
    return harness_call(&ulmm_host, harness_desc(&ulmm_host, space), A9N_ADDRESS_SPACE_MAP,
                        harness_desc(&ulmm_host, table), vaddr, 0, 0, 0);
}
