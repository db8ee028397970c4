/* Interrupt Region and Interrupt Ports (see interrupt.h). */
#include <core/interrupt.h>

#include <core/captree.h>
#include <core/descriptor.h>
#include <core/notification.h>
#include <hal/hal_irq.h>

struct line {
    bool claimed;                    /* an Interrupt Port exists */
    struct notification_port *bound; /* signalled on each interrupt */
    struct cap_slot *source;         /* the capability `bound` came from: the binding ends
                                      * with it (notification_cap_deleted) */
    a9n_word bits;
};

static struct line lines[HAL_IRQ_LINES];

paddr_t interrupt_bound_notification(unsigned line)
{
    if (line >= HAL_IRQ_LINES || lines[line].bound == NULL)
        return 0;
    return hal_virt_to_phys(lines[line].bound);
}

void interrupt_reset(void)
{
    for (unsigned i = 0; i < HAL_IRQ_LINES; i++)
        lines[i] = (struct line){0};
}

void interrupt_deliver(unsigned line)
{
    if (line < HAL_IRQ_LINES && lines[line].bound != NULL)
        notification_signal(lines[line].bound, lines[line].bits);
}

void interrupt_port_destroy(unsigned line)
{
    if (line >= HAL_IRQ_LINES)
        return;
    hal_irq_mask(line);
    lines[line] = (struct line){0};
}

static void line_unbind(unsigned line)
{
    hal_irq_mask(line);
    lines[line].bound = NULL;
    lines[line].source = NULL;
}

void interrupt_forget_notification(struct notification_port *n)
{
    for (unsigned i = 0; i < HAL_IRQ_LINES; i++) {
        if (lines[i].bound == n)
            line_unbind(i);
    }
}

void interrupt_forget_source(const struct cap_slot *s)
{
    for (unsigned i = 0; i < HAL_IRQ_LINES; i++) {
        if (lines[i].source == s)
            line_unbind(i);
    }
}

void interrupt_move_source(const struct cap_slot *from, struct cap_slot *to)
{
    for (unsigned i = 0; i < HAL_IRQ_LINES; i++) {
        if (lines[i].source == from)
            lines[i].source = to;
    }
}

a9n_error interrupt_region_invoke(struct process *caller, struct cap_slot *region,
                                  struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] != A9N_INTERRUPT_REGION_MAKE_PORT)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(&region->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_word line = msg->mr[2], index = msg->mr[4];
    if (line >= HAL_IRQ_LINES || !hal_irq_valid((unsigned)line))
        return A9N_ERROR_INVALID_ARGUMENT;
    struct cap_slot *dest;
    a9n_error e =
        descriptor_destination(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[3], index, 1, &dest);
    if (e != A9N_SUCCESS)
        return e;
    if (lines[line].claimed)
        return A9N_ERROR_IN_USE;

    lines[line].claimed = true;
    dest->cap =
        (struct cap){.object = line, .type = A9N_OBJECT_INTERRUPT_PORT, .rights = A9N_RIGHTS_ALL};
    captree_insert_child(region, dest);
    return A9N_SUCCESS;
}

a9n_error interrupt_port_invoke(struct process *caller, struct cap_slot *port,
                                struct cap_message *msg)
{
    unsigned line = (unsigned)port->cap.object;
    if (!cap_has_rights(&port->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    switch (msg->mr[A9N_MR_OPERATION]) {
    case A9N_INTERRUPT_PORT_BIND: {
        struct cap_slot *n;
        a9n_error e = descriptor_lookup_typed(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[2],
                                              A9N_OBJECT_NOTIFICATION_PORT, A9N_RIGHT_WRITE, &n);
        if (e != A9N_SUCCESS)
            return e;
        a9n_word id = cap_identifier(&n->cap);
        lines[line].bound = hal_phys_to_virt(n->cap.object);
        lines[line].source = n;
        lines[line].bits = id != 0 ? id : 1ull << (line % 64);
        hal_irq_unmask(line);
        return A9N_SUCCESS;
    }
    case A9N_INTERRUPT_PORT_UNBIND:
        line_unbind(line);
        return A9N_SUCCESS;
    case A9N_INTERRUPT_PORT_ACK:
        if (lines[line].bound == NULL)
            return A9N_ERROR_ILLEGAL_OPERATION; /* nothing to acknowledge for */
        hal_irq_unmask(line);
        return A9N_SUCCESS;
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
}
