/* Scheduling: priorities, round robin with timer preemption, yield. */
#include "systest.h"

static unsigned done_port, wake_port;
static volatile a9n_word count_a, count_b, seen_at_wake;

static void child_spin_a(a9n_word arg)
{
    for (;;)
        count_a++;
}

static void child_spin_b(a9n_word arg)
{
    for (;;)
        count_b++;
}

static void child_wait_for_both(a9n_word goal)
{
    while (count_a < goal || count_b < goal)
        ;
    struct a9n_message m = {.info = 0};
    a9n_ipc_port_send(D(done_port), &m);
    for (;;)
        a9n_yield();
}

TEST(sched_round_robin_preempts_spinners)
{
    /* Three spinning processes at one priority: only timer preemption lets all of them
     * progress, so the third one finishing proves it. */
    count_a = count_b = 0;
    done_port = make_port();
    struct child a, b, c;
    CHECK(child_create(&a, child_spin_a, 0, 50, 0, CHILD_SHARE_ROOT));
    CHECK(child_create(&b, child_spin_b, 0, 50, 0, CHILD_SHARE_ROOT));
    CHECK(child_create(&c, child_wait_for_both, 1000, 50, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(done_port, &m));
    CHECK(count_a >= 1000 && count_b >= 1000);
    CHECK_OK(a9n_process_suspend(D(a.process)));
    CHECK_OK(a9n_process_suspend(D(b.process)));
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

static void child_low_spinner(a9n_word arg)
{
    struct a9n_message m = {.info = 0};
    a9n_ipc_port_send(D(wake_port), &m); /* wakes the higher one: it must run at once */
    for (;;)
        count_a++;
}

static void child_high_waiter(a9n_word arg)
{
    struct a9n_message m;
    a9n_ipc_port_receive(D(wake_port), &m);
    seen_at_wake = count_a;
    m.info = 0;
    a9n_ipc_port_send(D(done_port), &m);
    for (;;)
        a9n_yield();
}

TEST(sched_higher_priority_is_not_starved)
{
    count_a = 0;
    seen_at_wake = ~0ull;
    done_port = make_port();
    wake_port = make_port();
    struct child high, low;
    CHECK(child_create(&high, child_high_waiter, 0, 20, 0, CHILD_SHARE_ROOT));
    CHECK(child_create(&low, child_low_spinner, 0, 10, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(done_port, &m));
    CHECK_EQ(seen_at_wake, 0); /* the spinner never ran between its send and the switch */
    CHECK_OK(a9n_process_suspend(D(low.process)));
    CHECK_OK(a9n_process_suspend(D(high.process)));
}

static volatile unsigned order[4];
static volatile unsigned order_len;

static void child_record(a9n_word id)
{
    order[order_len++] = (unsigned)id;
    struct a9n_message m = {.info = 0};
    a9n_ipc_port_send(D(done_port), &m);
    park(); /* a yield loop here would keep lower priorities from ever running */
}

TEST(sched_priority_order)
{
    order_len = 0;
    done_port = make_port();
    struct child c[3];
    static const unsigned prio[3] = {20, 40, 30};
    for (int i = 0; i < 3; i++)
        CHECK(child_create(&c[i], child_record, prio[i], prio[i], 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    for (int i = 0; i < 3; i++)
        CHECK_OK(receive(done_port, &m));
    CHECK_EQ(order_len, 3);
    CHECK_EQ(order[0], 40);
    CHECK_EQ(order[1], 30);
    CHECK_EQ(order[2], 20);
    for (int i = 0; i < 3; i++)
        CHECK_OK(a9n_process_suspend(D(c[i].process)));
}

static volatile a9n_word yields_seen;

static void child_count_yields(a9n_word arg)
{
    for (;;) {
        yields_seen++;
        a9n_yield();
    }
}

TEST(sched_yield_passes_to_equal_priority)
{
    yields_seen = 0;
    struct child c;
    CHECK(child_create(&c, child_count_yields, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT));
    /* Each of our yields lets the child run once. A timer tick can take one turn from it
     * (preempted between its count and its yield) or give it one (preempting us), so a few
     * either way; without yield passing it would run only on ticks, a handful of times. */
    for (int i = 1; i <= 100; i++)
        a9n_yield();
    CHECK(yields_seen >= 95 && yields_seen <= 105);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}
