/* Frames: their own operations (mapping them is the Address Space's, vspace.c). */
#include <core/vspace.h>

#include <a9n/operation.h>
#include <core/descriptor.h>
#include <hal/hal.h>
#include <string.h>

static uint64_t frame_size(const struct cap *c)
{
    return 1ull << (c->data[0] & 0xff);
}

static bool frame_is_device(const struct cap *c)
{
    return (c->data[1] & CAP_FRAME_DEVICE) != 0;
}

/* Whether [offset, offset + length) lies within a Frame of `size` bytes. */
static bool within(a9n_word offset, a9n_word length, uint64_t size)
{
    return offset <= size && length <= size - offset;
}

/*
 * COPY: bytes from another Frame into this one through the kernel's own view of memory, so
 * that filling a fresh Frame (a process's image page from a boot module's) needs no mapping
 * of either. At most one page a call: the kernel copies without a preemption point.
 */
static a9n_error frame_copy(struct process *caller, struct cap_slot *dst, struct cap_message *msg)
{
    if (!cap_has_rights(&dst->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    struct cap_slot *src;
    a9n_error e = descriptor_lookup_typed(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[2],
                                          A9N_OBJECT_FRAME, A9N_RIGHT_READ, &src);
    if (e != A9N_SUCCESS)
        return e;
    a9n_word from = msg->mr[3], to = msg->mr[4], length = msg->mr[5];
    if (frame_is_device(&src->cap) || frame_is_device(&dst->cap) || length > A9N_FRAME_COPY_MAX ||
        !within(from, length, frame_size(&src->cap)) || !within(to, length, frame_size(&dst->cap)))
        return A9N_ERROR_INVALID_ARGUMENT;
    char *d = (char *)hal_phys_to_virt(dst->cap.object) + to;
    const char *s = (const char *)hal_phys_to_virt(src->cap.object) + from;
    /* Two Frames never share memory (device Frames are refused above); one Frame copied
     * into itself may overlap, which only memmove allows. */
    if (src->cap.object == dst->cap.object)
        memmove(d, s, length);
    else
        memcpy(d, s, length);
    return A9N_SUCCESS;
}

a9n_error frame_invoke(struct process *caller, struct cap_slot *frame, struct cap_message *msg)
{
    switch (msg->mr[A9N_MR_OPERATION]) {
    case A9N_FRAME_GET_ADDRESS:
        if (!cap_has_rights(&frame->cap, A9N_RIGHT_READ))
            return A9N_ERROR_PERMISSION_DENIED;
        msg->mr[A9N_MR_RESULT0] = frame->cap.object;
        return A9N_SUCCESS;
    case A9N_FRAME_COPY:
        return frame_copy(caller, frame, msg);
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
}
