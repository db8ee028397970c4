/*
 * The reaper: objects that hold capabilities (Nodes, Processes) and whose last capability
 * has gone. Deleting a capability never recurses into the object it referred to; it queues
 * the object here, and the top-level operation drains the queue in a loop. So a Node that
 * holds the last capability to a Node that holds ... costs no kernel stack, however deep.
 *
 * The queue is threaded through the dead objects themselves (slot 0's reap_link of a Node,
 * reap_link of a Process): no memory is allocated. A dead object's memory is not reused
 * before the queue is drained, because draining finishes within the same kernel call and
 * only CONVERT writes into Generic memory.
 */
#pragma once

#include <core/cap.h>

void reaper_push_node(paddr_t node, unsigned radix);
void reaper_push_process(paddr_t process);

/* Empties every queued object's slots, until the queue is empty. */
void reaper_drain(void);

bool reaper_is_empty(void);
