/* IPC and Notification Ports: destruction. */
#include <core/interrupt.h>
#include <core/port.h>

void ipc_port_destroy(struct ipc_port *port)
{
    wait_queue_wake_all(&port->waiters, A9N_ERROR_DESTROYED);
}

void notification_port_destroy(struct notification_port *port)
{
    wait_queue_wake_all(&port->waiters, A9N_ERROR_DESTROYED);
    notification_port_detach(port);
}

struct wait_queue *port_waiters(unsigned type, paddr_t object)
{
    if (type == A9N_OBJECT_IPC_PORT)
        return &((struct ipc_port *)hal_phys_to_virt(object))->waiters;
    return &((struct notification_port *)hal_phys_to_virt(object))->waiters;
}

void notification_port_detach(struct notification_port *port)
{
    if (port->bound != NULL) {
        port->bound->bound = NULL;
        port->bound = NULL;
    }
    interrupt_forget_notification(port);
}
