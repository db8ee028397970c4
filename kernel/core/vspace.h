/*
 * Address Spaces, Page Tables and Frames: their invocations and the mapping state that a
 * Frame or Page Table capability carries.
 *
 * An Address Space is known by an ASID (asid.h: an entry of an ASID Pool) plus a
 * generation that changes whenever that ASID is freed. A mapped capability records
 * (ASID, generation, virtual address); the record counts only while the tables agree
 * (the entry it names holds this very object), so a capability whose Address Space died,
 * or whose table was unlinked above it, is simply no longer mapped, and nothing ever
 * follows a stale pointer.
 *
 * The invariant (vspace_check_invariants): every present user entry at every level is named
 * by a live record, and a table that is not linked is all zero. Tables are emptied bottom-up
 * while still linked and only then unlinked (UNMAP, deletion, Address Space death), so the
 * invariant holds after every step of that walk too.
 *
 * Capability data:
 *   Address Space  data[0] = ASID | generation << 32 (ASID_NONE until ASSIGN)
 *   Frame          data[0] = page bits | virtual address (page aligned),
 *                  data[1] = CAP_FRAME_DEVICE | CAP_MAPPED | ASID << 16 | generation << 32
 *   Page Table     data[0] = level | virtual address, data[1] = CAP_MAPPED | ASID << 16 | ...
 */
#pragma once

#include <core/cap_call.h>
#include <hal/hal_vspace.h>

#define CAP_MAPPED (1ull << 1)

/* Budget of one step when a subtree of tables is cleared (hal_vspace_clear: an empty entry
 * costs 1, a present one 8; about five instructions per unit: some 13,000 a step): each step is
 * followed by a preemption point. Above the HAL's minimum, so every step clears something. */
#define VSPACE_CLEAR_BUDGET 2560u
_Static_assert(VSPACE_CLEAR_BUDGET > HAL_VSPACE_CLEAR_MIN_BUDGET, "a step makes progress");

/* CONVERT made an Address Space: the kernel's half, and no ASID yet (asid.h: ASSIGN). */
void vspace_address_space_create(struct cap *c);

/* The last capability to an Address Space is gone: its tables are emptied and its ASID is
 * free (its generation changes, so old mapping records die). */
void vspace_address_space_destroy(const struct cap *c);

/*
 * Preemptible emptying (core/preempt.h), done before the deletion of a capability whose
 * deletion would clear a subtree of tables, so that the deletion itself is bounded:
 *   - a Page Table capability that is mapped: what the table maps is cleared (it stays
 *     linked and mapped);
 *   - an Address Space capability (the caller knows it is the last one): no CPU runs it any
 *     more and its whole tree is cleared (it keeps its ASID).
 * A9N_PREEMPTED when stopped at a preemption point: the progress is in the tables (cleared
 * entries stay clear), every object stays whole and usable, and calling again continues.
 * Anything else is a no-op returning A9N_SUCCESS.
 */
a9n_error vspace_cap_empty(const struct cap *c);

/* The Address Space with this root: no CPU runs it any more and every table it links is
 * cleared and unlinked, preemptibly (as vspace_cap_empty). */
a9n_error vspace_address_space_empty(void *root);

/* The Address Space with this root loses its ASID (its pool is going): no CPU runs it any
 * more and every table it links is emptied and unlinked. */
void vspace_address_space_release(void *root);

/* A Frame or Page Table capability is being deleted: undo its mapping, if any. */
void vspace_cap_delete(struct cap *c);

/* A COPY or MINT of a Frame or Page Table: the new capability is not mapped. */
void vspace_cap_derive(struct cap *c);

/* Maps a Frame or Page Table capability into the Address Space `as` (as MAP does, without
 * the rights checks on `as`). */
a9n_error vspace_map(const struct cap *as, struct cap *target, uint64_t va, unsigned attributes);

/* Whether a Frame or Page Table capability is mapped in a live Address Space (its record
 * checked against the tables). */
bool vspace_cap_is_mapped(const struct cap *c);

/* The page-table root of a live Address Space capability, or NULL (no ASID). O(1). */
void *vspace_root(const struct cap *address_space);

/*
 * The invariant, checked by walking (debug builds and host tests; quadratic): every present
 * user entry at every level of every live Address Space is named by a Frame or Page Table
 * capability whose mapping record is live and names exactly that entry; every Page Table
 * that is not linked, and every Address Space without an ASID, is all zero (user half).
 * `any` is any slot of the capability list. Returns false and says why otherwise.
 */
bool vspace_check_invariants(struct cap_slot *any, char *why, size_t len);

/* For introspection: where a Frame or Page Table capability is mapped, as the page tables
 * say (not only its record): the physical address of the Address Space's root table |
 * A9N_MAP_* rights of the entry; 0 if it is not mapped (or the entry maps something else). */
uint64_t vspace_mapping_report(const struct cap *c);

a9n_error address_space_invoke(struct process *caller, struct cap_slot *as,
                               struct cap_message *msg);
a9n_error frame_invoke(struct process *caller, struct cap_slot *frame, struct cap_message *msg);
