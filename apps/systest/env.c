/* Test environment: ports, child processes sharing this program's image. */
#include "systest.h"

static unsigned park_port;

_Noreturn void park(void)
{
    for (;;) {
        struct a9n_message m;
        a9n_ipc_port_receive(D(park_port), &m);
    }
}

static unsigned settle_note;

static void child_settled(a9n_word arg)
{
    a9n_notification_port_notify(D(settle_note));
    park();
}

void settle(void)
{
    settle_note = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    struct child c;
    if (settle_note == 0 || !child_create(&c, child_settled, 0, 1, 0, CHILD_SHARE_ROOT))
        return;
    a9n_word w;
    a9n_notification_port_wait(D(settle_note), &w);
}

void env_begin_test(void)
{
    park_port = make_port();
}

unsigned make_port(void)
{
    return make(A9N_OBJECT_IPC_PORT, 0);
}

a9n_error receive(unsigned port, struct a9n_message *m)
{
    m->info = 0;
    return a9n_ipc_port_receive(D(port), m);
}

bool child_create(struct child *c, void (*entry)(a9n_word), a9n_word arg, unsigned priority,
                  unsigned resolver_slot, unsigned flags)
{
    struct koito_child k;
    test_pool.generic = test_generic;
    bool ok =
        koito_child_create(&test_pool, &self_image, &k, entry, arg, priority, resolver_slot, flags);
    *c = (struct child){k.process, k.as, k.node, k.stack, k.ipc_buffer};
    return ok;
}
