/* liba9n: Process operations: CONFIGURE, registers, RESUME, SUSPEND and the end. */
#include <liba9n.h>

/* ---- Process ---- */

/* CONFIGURE with the values for the bits of `mask` in values[] (in bit order). Up to six
 * values travel in registers; more need the IPC buffer at `ipc_buffer` (or NULL). */
a9n_error a9n_process_configure(a9n_word process, a9n_word mask, const a9n_word *values,
                                unsigned count, struct a9n_ipc_buffer *ipc_buffer)
{
    struct a9n_regs r = {{process, A9N_PROCESS_CONFIGURE, mask}};
    for (unsigned i = 0; i < count; i++) {
        unsigned mr = 3 + i;
        if (mr < A9N_MR_REGISTER_COUNT)
            r.mr[mr] = values[i];
        else if (ipc_buffer != NULL)
            ipc_buffer->message[mr] = values[i];
    }
    return a9n_capability_call(&r);
}

a9n_error a9n_process_read_register(a9n_word process, a9n_word reg, a9n_word *value)
{
    struct a9n_regs r = {{process, A9N_PROCESS_READ_REGISTER, reg}};
    a9n_error e = a9n_capability_call(&r);
    *value = r.mr[A9N_MR_RESULT0];
    return e;
}

a9n_error a9n_process_write_register(a9n_word process, a9n_word reg, a9n_word value)
{
    return a9n_call7(process, A9N_PROCESS_WRITE_REGISTER, reg, value, 0, 0, 0, 0, 0);
}

a9n_error a9n_process_resume(a9n_word process)
{
    return a9n_call7(process, A9N_PROCESS_RESUME, 0, 0, 0, 0, 0, 0, 0);
}

/* A pause: RESUME goes on. */
a9n_error a9n_process_suspend(a9n_word process)
{
    return a9n_call7(process, A9N_PROCESS_SUSPEND, 0, 0, 0, 0, 0, 0, 0);
}

/* The end (it exits, or it is killed): stopped, and its exit notice goes out. */
a9n_error a9n_process_end(a9n_word process)
{
    return a9n_call7(process, A9N_PROCESS_SUSPEND, A9N_PROCESS_SUSPEND_END, 0, 0, 0, 0, 0, 0);
}
