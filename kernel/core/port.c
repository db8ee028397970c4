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
    if (port->bound != NULL) {
        port->bound->bound = NULL;
        port->bound = NULL;
    }
    interrupt_forget_notification(port);
}
