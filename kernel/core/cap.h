/*
 * Capabilities and slots: the kernel's private representation. A slot is one entry of a
 * Node (or one of a Process's own slots); it holds a capability and the slot's place in the
 * derivation tree.
 *
 * The derivation tree links every non-empty slot to its first child and its siblings
 * (core/captree.h). Roots are the capabilities made at boot. A walk in pre-order from the
 * first root visits the whole tree, which is what Debug INTROSPECT reports, with depths it
 * counts on the way (a slot keeps no depth).
 */
#pragma once

#include <a9n/abi.h>
#include <hal/hal.h>

/*
 * The capability proper: this is what COPY, MOVE and MINT carry from slot to slot.
 * Per type:
 *   Node            object = physical address, data[0] = radix
 *   Generic         object = base,  data[0] = watermark (bytes used from base),
 *                   data[1] = size bits | CAP_GENERIC_DEVICE
 *   Frame           object = physical address, data[0] = page bits,
 *                   data[1] = CAP_FRAME_DEVICE | mapping (core/vspace.h)
 *   IPC / Notification Port   object = physical address, data[0] = identifier
 *   Process, Address Space, Page Table   object = physical address
 *   Debug, Interrupt Region   object = 0 (singletons)
 *   Interrupt Port  object = interrupt line
 *   IO Port         data[0] = first port, data[1] = last port
 *   CAP_ZOMBIE      object = the object, data[0] = its former type, data[1] = its former
 *                   data[0] (a Node's radix, a Port's identifier, ...), zeroed_low = kind
 * A Generic also keeps its cleared mark (cap_generic_zeroed) in the last six bytes; every
 * other type keeps them zero.
 */
struct cap {
    uint64_t object;
    uint64_t data[2];
    uint8_t type;         /* enum a9n_object_type, or CAP_ZOMBIE */
    uint8_t rights;       /* enum a9n_rights */
    uint16_t zeroed_high; /* Generic only: see cap_generic_zeroed */
    uint32_t zeroed_low;
};

/*
 * A zombie: a slot whose deletion has begun and was preempted (core/slot.c). It keeps the
 * slot occupied and in its place in the derivation tree, so that the restarted call finds
 * it and finishes, and so that the object's memory stays a child of its Generic until it is
 * really gone. A kernel-internal type, not an ABI object type: it cannot be invoked, looked
 * up through, copied or minted (no rights). Its kind (zeroed_low) says what it stands for:
 *   CAP_ZOMBIE_DEAD     the last capability to a Node or Process (REMOVE): the object is
 *                       already unreachable, a Process destroyed, a Node on the reaper;
 *   CAP_ZOMBIE_WAKING   the last capability to a Port with waiters: the Port is dead and its
 *                       waiters are being woken, a few per step;
 *   CAP_ZOMBIE_LIFTING  a capability whose children are being lifted to its parent: it no
 *                       longer grants anything, but it still counts as a reference to its
 *                       object (it sits in the object's run of capabilities), which dies
 *                       with the zombie if nothing else refers to it by then.
 */
#define CAP_ZOMBIE 0x80

enum { CAP_ZOMBIE_DEAD = 0, CAP_ZOMBIE_WAKING = 1, CAP_ZOMBIE_LIFTING = 2 };

struct cap_slot {
    struct cap cap;
    /*
     * Its place in the derivation tree (core/captree.h): explicit links, so that a slot and
     * its whole subtree move in O(1). `child` is the first child. Siblings form a ring
     * through `prev` (the first sibling's `prev` is the last one); `next` is the next
     * sibling, or for the last one its parent tagged with CAPTREE_PARENT (a root: the tag
     * alone). So the parent is known from the first and from the last child, which is all
     * that any operation needs. An unlinked slot has all three zero.
     */
    struct cap_slot *prev;
    struct cap_slot *next;
    struct cap_slot *child;
    /* Only used in slot 0 of a Node that has died and waits to be emptied (see reaper.c):
     * the next entry of the reaper list and how many of its slots the reaper has emptied so
     * far, packed in one word. Never part of the capability. */
    uint64_t reap;
};
_Static_assert(sizeof(struct cap) == 32, "a capability is four words");
_Static_assert(sizeof(struct cap_slot) == 1ull << A9N_SLOT_BITS,
               "a slot is exactly the size the ABI gives it");

#define CAP_GENERIC_BITS_MASK     0xffull
#define CAP_GENERIC_DEVICE        (1ull << 8)
/* A Generic's data[1] above bit 8: the record of a CONVERT in progress (generic.c). */
#define CAP_GENERIC_PENDING_SHIFT 9
#define CAP_FRAME_DEVICE          (1ull << 0)

static inline bool cap_is_empty(const struct cap *c)
{
    return c->type == A9N_OBJECT_NONE;
}

static inline bool slot_is_empty(const struct cap_slot *s)
{
    return s->cap.type == A9N_OBJECT_NONE;
}

static inline bool cap_has_rights(const struct cap *c, unsigned rights)
{
    return (c->rights & rights) == rights;
}

/* Node capabilities. */
static inline unsigned cap_node_radix(const struct cap *c)
{
    return (unsigned)c->data[0];
}

static inline struct cap_slot *cap_node_slots(const struct cap *c)
{
    return hal_phys_to_virt(c->object);
}

/* Generic capabilities. */
static inline unsigned cap_generic_bits(const struct cap *c)
{
    return (unsigned)(c->data[1] & CAP_GENERIC_BITS_MASK);
}

static inline bool cap_generic_is_device(const struct cap *c)
{
    return (c->data[1] & CAP_GENERIC_DEVICE) != 0;
}

static inline uint64_t cap_generic_watermark(const struct cap *c)
{
    return c->data[0];
}

/*
 * The cleared mark: the bytes [watermark, zeroed) of the Generic are known to be zero
 * (nothing when zeroed <= watermark). CONVERT clears the memory of its objects before it
 * makes them, in chunks, and records each chunk here, so a preempted CONVERT continues
 * where it stopped. Offsets are multiples of 64 (the smallest object), stored >> 6.
 */
static inline uint64_t cap_generic_zeroed(const struct cap *c)
{
    return (((uint64_t)c->zeroed_high << 32) | c->zeroed_low) << 6;
}

static inline void cap_generic_set_zeroed(struct cap *c, uint64_t offset)
{
    c->zeroed_low = (uint32_t)(offset >> 6);
    c->zeroed_high = (uint16_t)(offset >> 38);
}

/* IPC and Notification Port capabilities: the identifier ("badge") of this capability. */
static inline uint64_t cap_identifier(const struct cap *c)
{
    return c->data[0];
}

/* Whether two capabilities refer to the same object that has kernel state to tear down (a
 * lifting zombie refers to the object it was a capability to). */
bool cap_same_object(const struct cap *a, const struct cap *b);

/* The capability that `c` refers to its object as: itself, or for a lifting zombie the
 * capability it was (its type, object and data[0]: enough to tear the object down). An
 * empty capability for other zombies, which refer to nothing. */
static inline struct cap cap_effective(const struct cap *c)
{
    if (c->type != CAP_ZOMBIE)
        return *c;
    if (c->zeroed_low != CAP_ZOMBIE_LIFTING)
        return (struct cap){0};
    return (struct cap){.object = c->object, .data = {c->data[1], 0}, .type = (uint8_t)c->data[0]};
}
