/* The Debug capability (see debug.h). */
#include <core/debug.h>

#include <hal/hal.h>

enum { REGISTER_BYTES = (A9N_MR_REGISTER_COUNT - 3) * sizeof(a9n_word) };

a9n_error debug_invoke(struct process *caller, struct cap_slot *debug, struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] != A9N_DEBUG_WRITE)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(&debug->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_word length = msg->mr[2];
    a9n_word max = REGISTER_BYTES;
    if (msg->ipc_buffer != NULL)
        max += (A9N_MR_COUNT - A9N_MR_REGISTER_COUNT) * sizeof(a9n_word);
    if (length > max)
        return A9N_ERROR_INVALID_ARGUMENT;
    a9n_word in_registers = length < REGISTER_BYTES ? length : REGISTER_BYTES;
    hal_console_write((const char *)&msg->mr[3], in_registers);
    if (length > in_registers)
        hal_console_write((const char *)&msg->ipc_buffer->message[A9N_MR_REGISTER_COUNT],
                          length - in_registers);
    return A9N_SUCCESS;
}
