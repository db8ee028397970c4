/* The ready queues (see kernel/include/kernel/sched.h). */
#include <kernel/sched.h>

#include <stddef.h>

struct sched_queue {
    struct sched_entry *head, *tail;
};

static struct sched_queue queues[SCHED_PRIORITIES];
/* Bit p % 64 of level2[p / 64] is set when queue p is non-empty; bit i of level1 is set
 * when level2[i] is non-zero. */
static uint64_t level1;
static uint64_t level2[SCHED_PRIORITIES / 64];

static void mark(unsigned p)
{
    level2[p / 64] |= 1ull << (p % 64);
    level1 |= 1ull << (p / 64);
}

static void unmark(unsigned p)
{
    level2[p / 64] &= ~(1ull << (p % 64));
    if (level2[p / 64] == 0)
        level1 &= ~(1ull << (p / 64));
}

void sched_enqueue(struct sched_entry *e)
{
    if (e->queued)
        return;
    struct sched_queue *q = &queues[e->priority];
    e->next = NULL;
    e->prev = q->tail;
    if (q->tail != NULL)
        q->tail->next = e;
    else
        q->head = e;
    q->tail = e;
    e->queued = true;
    mark(e->priority);
}

void sched_enqueue_front(struct sched_entry *e)
{
    if (e->queued)
        return;
    struct sched_queue *q = &queues[e->priority];
    e->prev = NULL;
    e->next = q->head;
    if (q->head != NULL)
        q->head->prev = e;
    else
        q->tail = e;
    q->head = e;
    e->queued = true;
    mark(e->priority);
}

void sched_dequeue(struct sched_entry *e)
{
    if (!e->queued)
        return;
    struct sched_queue *q = &queues[e->priority];
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        q->head = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    else
        q->tail = e->prev;
    e->prev = e->next = NULL;
    e->queued = false;
    if (q->head == NULL)
        unmark(e->priority);
}

int sched_highest_priority(void)
{
    if (level1 == 0)
        return -1;
    unsigned hi = 63 - (unsigned)__builtin_clzll(level1);
    return (int)(hi * 64 + 63 - (unsigned)__builtin_clzll(level2[hi]));
}

struct sched_entry *sched_peek(void)
{
    int p = sched_highest_priority();
    return p < 0 ? NULL : queues[p].head;
}

void sched_set_priority(struct sched_entry *e, uint8_t priority)
{
    bool was_queued = e->queued;
    sched_dequeue(e);
    e->priority = priority;
    if (was_queued)
        sched_enqueue(e);
}

void sched_reset(void)
{
    for (unsigned p = 0; p < SCHED_PRIORITIES; p++)
        queues[p].head = queues[p].tail = NULL;
    level1 = 0;
    for (unsigned i = 0; i < SCHED_PRIORITIES / 64; i++)
        level2[i] = 0;
}
