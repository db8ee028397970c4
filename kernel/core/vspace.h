/*
 * Address Spaces, Page Tables and Frames: their invocations and the mapping state that a
 * Frame or Page Table capability carries.
 *
 * An Address Space is known by an ASID, an index into a fixed kernel table, plus a
 * generation that changes whenever that ASID is freed. A mapped capability records
 * (ASID, generation, virtual address), so a capability whose Address Space has died is
 * simply no longer mapped anywhere, and nothing ever follows a stale pointer.
 *
 * Capability data:
 *   Address Space  data[0] = ASID | generation << 32
 *   Frame          data[0] = page bits | virtual address (page aligned),
 *                  data[1] = CAP_FRAME_DEVICE | CAP_MAPPED | ASID << 16 | generation << 32
 *   Page Table     data[0] = level | virtual address, data[1] = CAP_MAPPED | ASID << 16 | ...
 */
#pragma once

#include <core/cap_call.h>

#define CAP_MAPPED (1ull << 1)

enum { VSPACE_ASID_COUNT = A9N_LIMIT_ADDRESS_SPACES };

/* Forgets every ASID (the table starts empty at boot; host tests start each case so). */
void vspace_reset(void);

/* CONVERT: whether `count` more Address Spaces can get an ASID. */
bool vspace_asids_available(uint64_t count);

/* CONVERT made an Address Space: give it an ASID and the kernel's half. */
void vspace_address_space_create(struct cap *c);

/* The last capability to an Address Space is gone: its ASID is free (and stale). */
void vspace_address_space_destroy(const struct cap *c);

/* A Frame or Page Table capability is being deleted: undo its mapping, if any. */
void vspace_cap_delete(struct cap *c);

/* A COPY or MINT of a Frame or Page Table: the new capability is not mapped. */
void vspace_cap_derive(struct cap *c);

/* Maps a Frame or Page Table capability into the Address Space `as` (as MAP does, without
 * the rights checks on `as`). */
a9n_error vspace_map(const struct cap *as, struct cap *target, uint64_t va, unsigned attributes);

/* The page-table root of a live Address Space capability, or NULL. */
void *vspace_root(const struct cap *address_space);

/* For introspection: where a Frame or Page Table capability is mapped, as the page tables
 * say (not only its record): the physical address of the Address Space's root table |
 * A9N_MAP_* rights of the entry; 0 if it is not mapped (or the entry maps something else). */
uint64_t vspace_mapping_report(const struct cap *c);

a9n_error address_space_invoke(struct process *caller, struct cap_slot *as,
                               struct cap_message *msg);
a9n_error frame_invoke(struct process *caller, struct cap_slot *frame, struct cap_message *msg);
