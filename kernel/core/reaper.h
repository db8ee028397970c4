/*
 * The reaper: Nodes whose last capability has gone and whose slots still have to be
 * emptied. Deleting a capability never recurses into the object it referred to; a dying
 * Node is queued here, and the top-level operation drains the queue in a loop. So a Node
 * that holds the last capability to a Node that holds ... costs no kernel stack, however
 * deep.
 *
 * The queue is threaded through the dead Nodes themselves (slot 0's `reap` word), and each
 * Node records in the same word how many of its slots have been emptied: no memory
 * is allocated, and draining is preemptible (core/preempt.h). A drain that stops leaves the
 * queue for the next one: a dead Node is unreachable (no capability names it), its slots
 * stay ordinary members of the derivation tree until emptied, and its memory is not
 * reused before the queue is empty, because CONVERT, the only operation that writes into
 * Generic memory, drains the queue first.
 *
 * Processes are not queued: destroying one is bounded (it empties its five own slots, and
 * none of them can hold a Process), so it happens at once.
 */
#pragma once

#include <core/cap.h>

void reaper_push_node(paddr_t node, unsigned radix);

/*
 * Empties every queued Node's slots until the queue is empty (A9N_SUCCESS), or stops at a
 * preemption point (A9N_PREEMPTED) with the queue and each Node's progress recorded.
 */
a9n_error reaper_drain(void);

bool reaper_is_empty(void);

/* Host tests only: forget the queue (a failed test may leave one behind). */
void reaper_reset(void);

/* Calls `fn` for each queued Node, head first (for checkers: the host tests' invariants). */
void reaper_visit(void (*fn)(paddr_t node, unsigned radix, void *arg), void *arg);
