/* The Debug capability (see debug.h). */
#include <core/debug.h>

#include <core/captree.h>
#include <core/interrupt.h>
#include <hal/hal.h>

enum { REGISTER_BYTES = (A9N_MR_REGISTER_COUNT - 3) * sizeof(a9n_word) };

_Static_assert(sizeof(struct a9n_introspect_record) ==
                   A9N_INTROSPECT_RECORD_WORDS * sizeof(a9n_word),
               "an introspection record is five words");

static a9n_error introspect(struct cap_slot *debug, struct cap_message *msg)
{
    if (!cap_has_rights(&debug->cap, A9N_RIGHT_READ))
        return A9N_ERROR_PERMISSION_DENIED;
    if (msg->ipc_buffer == NULL)
        return A9N_ERROR_INVALID_ARGUMENT; /* the records go there */
    a9n_word cursor = msg->mr[2];
    struct cap_slot *s = captree_first(debug);
    for (a9n_word skipped = 0; s != NULL && skipped < cursor; skipped++)
        s = s->next;
    struct a9n_introspect_record *out =
        (struct a9n_introspect_record *)&msg->ipc_buffer->message[A9N_MR_REGISTER_COUNT];
    a9n_word n = 0;
    for (; s != NULL && n < A9N_INTROSPECT_PER_CALL; s = s->next, n++) {
        out[n] = (struct a9n_introspect_record){
            .slot = hal_virt_to_phys(s),
            .kind = s->cap.type | ((a9n_word)s->cap.rights << 8) | ((a9n_word)s->depth << 16),
            .object = s->cap.object,
            .data = {s->cap.data[0], s->cap.data[1]},
        };
        /* An Interrupt Port's binding is kernel state, not capability data: report it. */
        if (s->cap.type == A9N_OBJECT_INTERRUPT_PORT)
            out[n].data[0] = interrupt_bound_notification((unsigned)s->cap.object);
    }
    msg->mr[A9N_MR_RESULT0] = n;
    msg->mr[A9N_MR_RESULT0 + 1] = s != NULL ? cursor + n : 0;
    return A9N_SUCCESS;
}

a9n_error debug_invoke(struct process *caller, struct cap_slot *debug, struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] == A9N_DEBUG_INTROSPECT)
        return introspect(debug, msg);
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
