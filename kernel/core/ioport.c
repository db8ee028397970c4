/* IO Port capabilities (see ioport.h). */
#include <core/ioport.h>

#include <core/captree.h>
#include <core/descriptor.h>
#include <hal/hal_io.h>

static a9n_error access_check(const struct cap *c, a9n_word port, a9n_word width)
{
    if (width != 1 && width != 2 && width != 4)
        return A9N_ERROR_INVALID_ARGUMENT;
    if (port < c->data[0] || port > c->data[1] || width - 1 > c->data[1] - port)
        return A9N_ERROR_INVALID_ARGUMENT;
    return A9N_SUCCESS;
}

static a9n_error io_mint(struct process *caller, struct cap_slot *io, struct cap_message *msg)
{
    a9n_word first = msg->mr[2], last = msg->mr[3], index = msg->mr[5];
    if (!cap_has_rights(&io->cap, A9N_RIGHT_COPY))
        return A9N_ERROR_PERMISSION_DENIED;
    if (first > last || first < io->cap.data[0] || last > io->cap.data[1])
        return A9N_ERROR_INVALID_ARGUMENT;
    struct cap_slot *dest;
    a9n_error e =
        descriptor_destination(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[4], index, 1, &dest);
    if (e != A9N_SUCCESS)
        return e;
    dest->cap = io->cap;
    dest->cap.data[0] = first;
    dest->cap.data[1] = last;
    captree_insert_child(io, dest);
    return A9N_SUCCESS;
}

a9n_error io_port_invoke(struct process *caller, struct cap_slot *io, struct cap_message *msg)
{
    a9n_error e;
    switch (msg->mr[A9N_MR_OPERATION]) {
    case A9N_IO_PORT_READ:
        if (!cap_has_rights(&io->cap, A9N_RIGHT_READ))
            return A9N_ERROR_PERMISSION_DENIED;
        e = access_check(&io->cap, msg->mr[2], msg->mr[3]);
        if (e != A9N_SUCCESS)
            return e;
        msg->mr[A9N_MR_RESULT0] = hal_io_read((uint16_t)msg->mr[2], (unsigned)msg->mr[3]);
        return A9N_SUCCESS;
    case A9N_IO_PORT_WRITE:
        if (!cap_has_rights(&io->cap, A9N_RIGHT_WRITE))
            return A9N_ERROR_PERMISSION_DENIED;
        e = access_check(&io->cap, msg->mr[2], msg->mr[3]);
        if (e != A9N_SUCCESS)
            return e;
        hal_io_write((uint16_t)msg->mr[2], (unsigned)msg->mr[3], (uint32_t)msg->mr[4]);
        return A9N_SUCCESS;
    case A9N_IO_PORT_MINT:
        return io_mint(caller, io, msg);
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
}
