/* IPC and Notification Ports: destruction (their operations come with issue 5). */
#include <core/port.h>

void ipc_port_destroy(struct ipc_port *port)
{
    wait_queue_wake_all(&port->waiters, A9N_ERROR_DESTROYED);
}

void notification_port_destroy(struct notification_port *port)
{
    /* A bound Process holds a capability to the port in its own slot, so a port that dies
     * has no bound Process left to tell. */
    wait_queue_wake_all(&port->waiters, A9N_ERROR_DESTROYED);
}
