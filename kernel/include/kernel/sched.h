/*
 * The scheduler: 256 fixed priorities (255 highest), round robin within a priority, O(1)
 * choice of the next process (a two-level bitmap finds the highest non-empty queue with two
 * count-leading-zeros). It schedules sched_entry records embedded in processes and knows
 * nothing else about them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum { SCHED_PRIORITIES = 256 };

struct sched_entry {
    struct sched_entry *prev, *next;
    uint8_t priority;
    bool queued;
};

/* Adds `e` at the tail of its priority's queue (no-op if already queued). */
void sched_enqueue(struct sched_entry *e);
/* Adds `e` at the head: it runs next among its priority (a preempted process keeps its
 * turn). */
void sched_enqueue_front(struct sched_entry *e);
/* Removes `e` from its queue (no-op if not queued). */
void sched_dequeue(struct sched_entry *e);
/* The entry at the head of the highest non-empty queue, without removing it; NULL if
 * every queue is empty. */
struct sched_entry *sched_peek(void);
/* The highest priority with a queued entry, or -1. */
int sched_highest_priority(void);
/* Changes the priority of `e`, moving it to the tail of its new queue if it was queued. */
void sched_set_priority(struct sched_entry *e, uint8_t priority);
/* Empties every queue (host tests). */
void sched_reset(void);
