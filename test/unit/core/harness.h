/*
 * A populated capability space for tests, built the way boot will build Alpha's:
 *
 *   boot_generic  a root Generic over the whole arena (depth 0)
 *   boot_process  the caller's Process (child of boot_generic)
 *   caller->slots[ROOT_NODE]  its root Node, radix `root_radix` (child of boot_generic)
 *   root[1]  a copy of the root Node          root[2]  a Generic of 2^generic_bits
 *   root[3]  a copy of the Process            everything else empty
 */
#pragma once

#include <core/cap_call.h>
#include <core/captree.h>
#include <core/process.h>

enum {
    H_SELF = 1,
    H_GENERIC = 2,
    H_PROCESS = 3,
};

struct harness {
    struct cap_slot boot_generic;
    struct cap_slot boot_process;
    struct process *caller;
    struct cap_slot *root; /* the root Node's slots */
    unsigned root_radix;
};

void harness_setup(struct harness *h, unsigned root_radix, unsigned generic_bits);

/* The descriptor of root[index]. */
a9n_word harness_desc(const struct harness *h, a9n_word index);

/* A capability call with up to five arguments (MR2..MR6). */
a9n_error harness_call(struct harness *h, a9n_word descriptor, a9n_word op, a9n_word a2,
                       a9n_word a3, a9n_word a4, a9n_word a5, a9n_word a6);

/* Shorthands on root slots. */
a9n_error h_copy(struct harness *h, a9n_word dst, a9n_word src);
a9n_error h_move(struct harness *h, a9n_word dst, a9n_word src);
a9n_error h_mint(struct harness *h, a9n_word dst, a9n_word src, a9n_word rights, a9n_word id);
a9n_error h_demote(struct harness *h, a9n_word index, a9n_word rights);
a9n_error h_remove(struct harness *h, a9n_word index);
a9n_error h_revoke(struct harness *h, a9n_word index);
/* CONVERT with the Generic in root[generic] into root[index..] of the root Node. */
a9n_error h_convert(struct harness *h, a9n_word generic, a9n_word type, a9n_word bits,
                    a9n_word count, a9n_word index);

/* The depth of `s` in the derivation tree (0: a root) and the slot after it in pre-order:
 * the tree keeps neither, tests count them (O(depth x siblings)). */
uint32_t harness_depth(const struct cap_slot *s);
struct cap_slot *harness_next(const struct cap_slot *s);

/*
 * Work per preemptible step: from harness_step_work_begin on, the most tree links
 * (captree_work) rewritten between two questions to the HAL about a pending interrupt
 * (with preempt_set_budget(1), every preemption point asks), or between a call's start
 * or end and the nearest question. HARNESS_STEP_WORK_MAX bounds it whatever the tree: a
 * step links or unlinks at most a Process's capability and its own slots (it dies with
 * them), each rewriting three slots' links.
 */
#define HARNESS_STEP_WORK_MAX (3 * (PROCESS_SLOT_COUNT + 1))
void harness_step_work_begin(void);
/* A call's boundary: ends the step in progress. */
void harness_step_work_mark(void);
/* Stops measuring; the largest step seen. */
uint64_t harness_step_work_end(void);

/* Checks every invariant (invariants.h) over the harness; aborts with a message on failure. */
void harness_check(struct harness *h);

/* The same for the state between two preemptions of one call (zombies, dead Nodes queued). */
void harness_check_preempted(struct harness *h);

/* harness_call, made again while it returns A9N_PREEMPTED (as the system-call layer does),
 * checking the invariants at each preemption; counts the preemptions in *preemptions. */
a9n_error harness_call_restarting(struct harness *h, a9n_word descriptor, a9n_word op, a9n_word a2,
                                  a9n_word a3, a9n_word a4, a9n_word a5, a9n_word a6,
                                  unsigned long *preemptions);
