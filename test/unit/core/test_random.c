/*
 * Long random operation sequences against a reference model. The model is a plain
 * re-statement of the rules (slots, parents, rights, watermarks, which objects die), written
 * without the kernel's list or reaper. After every call it must agree with the kernel on
 * the error code and on every slot's capability and parent, and all invariants must hold.
 * Seeds are fixed, so a failure reproduces. To search others: KOITO_RANDOM_SEED=s (with
 * KOITO_RANDOM_STEPS=n, KOITO_RANDOM_PREEMPT=m) runs that seed only; KOITO_RANDOM_TRACE=1
 * prints each call and, if a slot lies in no live container, the whole list.
 */
#include "test_common.h"
#include "test_rng.h"

#include <core/preempt.h>
#include <stdio.h>

#define R_RADIX     5
#define R_GENERIC   16
#define ARENA_SLOTS (FAKEHAL_SIZE / sizeof(struct cap_slot))
#define LOOSE_GEN   ARENA_SLOTS
#define LOOSE_PROC  (ARENA_SLOTS + 1)
#define MODEL_SLOTS (ARENA_SLOTS + 2)
#define MAX_LIVE    4096
#define EPISODE     400

struct mslot {
    bool live;
    struct cap cap;
    long parent; /* model index, or -1 */
    unsigned children;
};

static struct harness H;
static long chain_tip = -1;      /* root index of the last capability minted into the root Node */
static unsigned chain_bias = 3;  /* one call in about that many extends the chain */
static unsigned chain_first = 0; /* the first that many calls of an episode all extend it */
static unsigned episode_step;
static struct mslot *model;
static long live[MAX_LIVE];
static unsigned nlive;

static long idx_of(struct cap_slot *s)
{
    if (s == &H.boot_generic)
        return LOOSE_GEN;
    if (s == &H.boot_process)
        return LOOSE_PROC;
    return (long)(((unsigned char *)s - (unsigned char *)fakehal_arena()) /
                  (long)sizeof(struct cap_slot));
}

/* --- The model's own rules ---------------------------------------------------------------- */

static bool m_has_state(unsigned type)
{
    return type == A9N_OBJECT_NODE || type == A9N_OBJECT_PROCESS || type == A9N_OBJECT_IPC_PORT ||
           type == A9N_OBJECT_NOTIFICATION_PORT || type == A9N_OBJECT_FRAME ||
           type == A9N_OBJECT_ADDRESS_SPACE || type == A9N_OBJECT_PAGE_TABLE ||
           type == A9N_OBJECT_INTERRUPT_PORT;
}

static void m_add(long i, struct cap cap, long parent)
{
    assert_false(model[i].live);
    assert_true(nlive < MAX_LIVE);
    model[i] = (struct mslot){true, cap, parent, 0};
    if (parent >= 0)
        model[parent].children++;
    live[nlive++] = i;
}

/* Removes one slot; its children now hang off its parent. */
static void m_remove_one(long i)
{
    long parent = model[i].parent;
    for (unsigned k = 0; k < nlive; k++) {
        long j = live[k];
        if (j != i && model[j].parent == i) {
            model[j].parent = parent;
            if (parent >= 0)
                model[parent].children++;
        }
    }
    if (parent >= 0)
        model[parent].children--;
    model[i].live = false;
    for (unsigned k = 0; k < nlive; k++) {
        if (live[k] == i) {
            live[k] = live[--nlive];
            break;
        }
    }
}

static bool m_referenced(const struct cap *c)
{
    for (unsigned k = 0; k < nlive; k++) {
        const struct cap *o = &model[live[k]].cap;
        if (o->type == c->type && o->object == c->object)
            return true;
    }
    return false;
}

static void m_delete(long i);

static void m_destroy(const struct cap *c)
{
    if (c->type == A9N_OBJECT_NODE) {
        struct cap_slot *slots = hal_phys_to_virt(c->object);
        for (uint64_t j = 0; j < 1ull << c->data[0]; j++)
            if (model[idx_of(&slots[j])].live)
                m_delete(idx_of(&slots[j]));
    } else if (c->type == A9N_OBJECT_PROCESS) {
        struct process *p = hal_phys_to_virt(c->object);
        for (unsigned j = 0; j < PROCESS_SLOT_COUNT; j++)
            if (model[idx_of(&p->slots[j])].live)
                m_delete(idx_of(&p->slots[j]));
    }
}

static void m_delete(long i)
{
    struct cap c = model[i].cap;
    m_remove_one(i);
    if (m_has_state(c.type) && !m_referenced(&c))
        m_destroy(&c);
}

static bool m_is_descendant(long j, long i)
{
    for (long p = model[j].parent; p >= 0; p = model[p].parent)
        if (p == i)
            return true;
    return false;
}

static void m_revoke(long i)
{
    long doomed[MAX_LIVE];
    unsigned n = 0;
    for (unsigned k = 0; k < nlive; k++)
        if (m_is_descendant(live[k], i))
            doomed[n++] = live[k];
    for (unsigned k = 0; k < n; k++)
        if (model[doomed[k]].live)
            m_delete(doomed[k]);
}

static void m_reset_childless_generics(void)
{
    for (unsigned k = 0; k < nlive; k++) {
        struct mslot *s = &model[live[k]];
        if (s->cap.type == A9N_OBJECT_GENERIC && s->children == 0)
            s->cap.data[0] = 0;
    }
}

static const struct cap *m_cap(long i)
{
    static const struct cap empty;
    return model[i].live ? &model[i].cap : &empty;
}

/* Where callers have no use for the holder. */
static long unused_holder;

/* `*holder` ends as the Node capability whose slot `*out` is. */
static a9n_error m_resolve(a9n_word d, long *out, long *holder)
{
    unsigned remaining = (unsigned)(d >> 56);
    if (remaining > 56)
        return A9N_ERROR_INVALID_DESCRIPTOR;
    if (remaining < 56 && (d & ((1ull << (56 - remaining)) - 1)) != 0)
        return A9N_ERROR_INVALID_DESCRIPTOR;
    long at = idx_of(&H.caller->slots[PROCESS_SLOT_ROOT_NODE]);
    unsigned used = 0;
    for (;;) {
        const struct cap *c = m_cap(at);
        if (c->type != A9N_OBJECT_NODE || remaining < c->data[0])
            return A9N_ERROR_INVALID_DEPTH;
        unsigned r = (unsigned)c->data[0];
        uint64_t index = (d >> (56 - used - r)) & ((1ull << r) - 1);
        used += r;
        remaining -= r;
        *holder = at;
        at = idx_of((struct cap_slot *)hal_phys_to_virt(c->object) + index);
        if (remaining == 0) {
            *out = at;
            return A9N_SUCCESS;
        }
    }
}

static a9n_error m_lookup(a9n_word d, long *out, long *holder)
{
    a9n_error e = m_resolve(d, out, holder);
    if (e == A9N_SUCCESS && !model[*out].live)
        return A9N_ERROR_EMPTY_SLOT;
    return e;
}

static a9n_error m_rights_arg(a9n_word want, unsigned have)
{
    if (want & ~(a9n_word)A9N_RIGHTS_ALL)
        return A9N_ERROR_INVALID_ARGUMENT;
    if (want & ~(a9n_word)have)
        return A9N_ERROR_PERMISSION_DENIED;
    return A9N_SUCCESS;
}

static a9n_error m_node_call(long node, const a9n_word *mr)
{
    const struct cap *n = m_cap(node);
    struct cap_slot *slots = hal_phys_to_virt(n->object);
    a9n_word op = mr[1], index = mr[2];
    bool transfer = op == A9N_NODE_COPY || op == A9N_NODE_MOVE || op == A9N_NODE_MINT;
    bool modify = op == A9N_NODE_DEMOTE || op == A9N_NODE_REMOVE || op == A9N_NODE_REVOKE;
    if (!transfer && !modify)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!(n->rights & (transfer ? A9N_RIGHT_WRITE : A9N_RIGHT_MODIFY)))
        return A9N_ERROR_PERMISSION_DENIED;
    if (index >> n->data[0])
        return A9N_ERROR_INDEX_OUT_OF_RANGE;
    long target = idx_of(&slots[index]);
    if (modify) {
        if (!model[target].live)
            return A9N_ERROR_EMPTY_SLOT;
        if (op == A9N_NODE_DEMOTE) {
            a9n_error e = m_rights_arg(mr[3], model[target].cap.rights);
            if (e == A9N_SUCCESS)
                model[target].cap.rights = (uint8_t)mr[3];
            return e;
        }
        if (op == A9N_NODE_REMOVE)
            m_delete(target);
        else
            m_revoke(target);
        return A9N_SUCCESS;
    }
    if (model[target].live)
        return A9N_ERROR_SLOT_OCCUPIED;
    long src, holder;
    a9n_error e = m_lookup(mr[3], &src, &holder);
    if (e != A9N_SUCCESS)
        return e;
    struct cap c = model[src].cap;
    if (op == A9N_NODE_MOVE) {
        /* Emptying the source's slot is a change to the Node holding it. */
        if (!(m_cap(holder)->rights & A9N_RIGHT_MODIFY))
            return A9N_ERROR_PERMISSION_DENIED;
        /* Same capability, same parent, same children: only the slot changes. */
        long parent = model[src].parent;
        unsigned kids = model[src].children;
        for (unsigned k = 0; k < nlive; k++)
            if (model[live[k]].parent == src)
                model[live[k]].parent = target;
        model[src].children = 0;
        m_remove_one(src);
        m_add(target, c, parent);
        model[target].children = kids;
        return A9N_SUCCESS;
    }
    if (c.type == A9N_OBJECT_GENERIC || c.type == A9N_OBJECT_PAGE_TABLE)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!(c.rights & A9N_RIGHT_COPY))
        return A9N_ERROR_PERMISSION_DENIED;
    if (op == A9N_NODE_COPY) {
        m_add(target, c, model[src].parent);
        return A9N_SUCCESS;
    }
    e = m_rights_arg(mr[4], c.rights);
    if (e != A9N_SUCCESS)
        return e;
    if (mr[5] != 0) {
        if (c.type != A9N_OBJECT_IPC_PORT && c.type != A9N_OBJECT_NOTIFICATION_PORT)
            return A9N_ERROR_INVALID_ARGUMENT;
        if (c.data[0] != 0)
            return A9N_ERROR_PERMISSION_DENIED;
        c.data[0] = mr[5];
    }
    c.rights = (uint8_t)mr[4];
    m_add(target, c, src);
    return A9N_SUCCESS;
}

static a9n_error m_generic_call(long g, const a9n_word *mr)
{
    struct cap *gc = &model[g].cap;
    if (mr[1] != A9N_GENERIC_CONVERT)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!(gc->rights & A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    a9n_word type = mr[2], spec = mr[3], count = mr[4];
    if (!a9n_object_is_convertible(type))
        return A9N_ERROR_INVALID_ARGUMENT;
    unsigned bits = a9n_object_bits(type, spec);
    if (bits == 0 || count == 0)
        return A9N_ERROR_INVALID_ARGUMENT;
    unsigned gbits = (unsigned)(gc->data[1] & 0xff);
    if (bits > gbits)
        return A9N_ERROR_NOT_ENOUGH_MEMORY;
    uint64_t size = 1ull << gbits, align = 1ull << bits;
    uint64_t offset = (gc->data[0] + align - 1) / align * align;
    if (offset > size || count > (size - offset) >> bits)
        return A9N_ERROR_NOT_ENOUGH_MEMORY;
    long node;
    a9n_error e = m_lookup(mr[5], &node, &unused_holder);
    if (e != A9N_SUCCESS)
        return e;
    const struct cap *n = m_cap(node);
    if (n->type != A9N_OBJECT_NODE)
        return A9N_ERROR_WRONG_TYPE;
    if (!(n->rights & A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    uint64_t slots = 1ull << n->data[0];
    if (mr[6] >= slots || count > slots - mr[6])
        return A9N_ERROR_INDEX_OUT_OF_RANGE;
    struct cap_slot *dest = (struct cap_slot *)hal_phys_to_virt(n->object) + mr[6];
    for (uint64_t k = 0; k < count; k++)
        if (model[idx_of(&dest[k])].live)
            return A9N_ERROR_SLOT_OCCUPIED;
    for (uint64_t k = 0; k < count; k++) {
        struct cap c = {.object = gc->object + offset + (k << bits),
                        .type = (uint8_t)type,
                        .rights = A9N_RIGHTS_ALL};
        if (type == A9N_OBJECT_NODE)
            c.data[0] = spec;
        else if (type == A9N_OBJECT_GENERIC)
            c.data[1] = bits;
        else if (type == A9N_OBJECT_FRAME)
            c.data[0] = bits;
        m_add(idx_of(&dest[k]), c, g);
    }
    gc->data[0] = offset + (count << bits);
    return A9N_SUCCESS;
}

static a9n_error m_call(const a9n_word *mr)
{
    long target;
    a9n_error e = m_lookup(mr[0], &target, &unused_holder);
    if (e != A9N_SUCCESS)
        return e;
    switch (model[target].cap.type) {
    case A9N_OBJECT_NODE:
        e = m_node_call(target, mr);
        break;
    case A9N_OBJECT_GENERIC:
        e = m_generic_call(target, mr);
        break;
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
    m_reset_childless_generics();
    return e;
}

/* --- Comparing the model with the kernel -------------------------------------------------- */

static void model_import(void)
{
    memset(model, 0, sizeof(*model) * MODEL_SLOTS);
    nlive = 0;
    /* Parents are needed before children: the list is in pre-order. */
    for (struct cap_slot *s = &H.boot_generic; s != NULL; s = harness_next(s)) {
        struct cap_slot *p = captree_parent(s);
        m_add(idx_of(s), s->cap, p ? idx_of(p) : -1);
    }
}

static void model_compare(unsigned step)
{
    unsigned n = 0;
    for (struct cap_slot *s = captree_first(&H.boot_generic); s != NULL; s = harness_next(s), n++) {
        const struct mslot *m = &model[idx_of(s)];
        struct cap kernel = s->cap;
        /* An Address Space's ASID is the kernel's choice: the model does not predict it. */
        if (kernel.type == A9N_OBJECT_ADDRESS_SPACE)
            kernel.data[0] = m->cap.data[0];
        /* Nor a Generic's cleared mark: the invariants check that it never lies. */
        if (kernel.type == A9N_OBJECT_GENERIC) {
            kernel.zeroed_low = m->cap.zeroed_low;
            kernel.zeroed_high = m->cap.zeroed_high;
        }
        if (!m->live || memcmp(&m->cap, &kernel, sizeof(struct cap)) != 0) {
            fail_msg("step %u: kernel slot %ld (type %u) differs from the model (live %d, "
                     "type %u)",
                     step, idx_of(s), s->cap.type, m->live, m->cap.type);
        }
        struct cap_slot *p = captree_parent(s);
        if ((p ? idx_of(p) : -1) != m->parent)
            fail_msg("step %u: slot %ld has parent %ld in the kernel, %ld in the model", step,
                     idx_of(s), p ? idx_of(p) : -1, m->parent);
    }
    if (n != nlive)
        fail_msg("step %u: kernel has %u slots, model %u", step, n, nlive);
}

/* --- Random calls ------------------------------------------------------------------------- */

static a9n_word random_descriptor(void)
{
    unsigned k = pick(100);
    a9n_word root_index = pick(1u << R_RADIX);
    a9n_word d = a9n_descriptor_root(root_index, R_RADIX);
    if (k < 65)
        return d;
    if (k < 95) {
        /* Through root[i] (and maybe one more Node), using the real radix when it is a Node. */
        for (int level = 0; level < 1 + (k >= 88); level++) {
            long at;
            unsigned r = 1 + pick(3);
            if (m_resolve(d, &at, &unused_holder) == A9N_SUCCESS &&
                m_cap(at)->type == A9N_OBJECT_NODE && pick(8) != 0)
                r = (unsigned)m_cap(at)->data[0];
            d = a9n_descriptor_append(d, pick(1u << r), r);
        }
        return d;
    }
    if (k < 98)
        return ((a9n_word)pick(12) << 56) | (rnd() & ((1ull << 56) - 1) & ~0xffffull);
    return rnd();
}

/* Mostly a full slot (retrying a few times), sometimes anything. */
static a9n_word random_full_descriptor(void)
{
    a9n_word d = random_descriptor();
    long at;
    for (int tries = 0; tries < 12 && pick(10) != 0; tries++) {
        if (m_lookup(d, &at, &unused_holder) == A9N_SUCCESS)
            break;
        d = random_descriptor();
    }
    return d;
}

/* Mostly an empty slot index of the root Node. */
static a9n_word random_empty_index(void)
{
    a9n_word i = pick(1u << R_RADIX);
    for (int tries = 0; tries < 8 && pick(8) != 0; tries++) {
        long at;
        if (m_resolve(a9n_descriptor_root(i, R_RADIX), &at, &unused_holder) == A9N_SUCCESS &&
            !model[at].live)
            break;
        i = pick(1u << R_RADIX);
    }
    return i;
}

static a9n_word random_rights(void)
{
    return pick(20) == 0 ? pick(64) : pick(16);
}

/* The invoked capability: mostly a Node or Generic reachable within two levels. */
static a9n_word random_target(void)
{
    a9n_word found[1024];
    unsigned n = 0;
    for (a9n_word i = 0; i < 1u << R_RADIX; i++) {
        a9n_word d = a9n_descriptor_root(i, R_RADIX);
        long at;
        if (m_resolve(d, &at, &unused_holder) != A9N_SUCCESS || !model[at].live)
            continue;
        const struct cap *c = m_cap(at);
        if (c->type == A9N_OBJECT_GENERIC || c->type == A9N_OBJECT_NODE)
            found[n++] = d;
        if (c->type != A9N_OBJECT_NODE)
            continue;
        for (a9n_word j = 0; j < 1ull << c->data[0] && n < 1024; j++) {
            a9n_word d2 = a9n_descriptor_append(d, j, (unsigned)c->data[0]);
            long at2;
            if (m_lookup(d2, &at2, &unused_holder) == A9N_SUCCESS &&
                (m_cap(at2)->type == A9N_OBJECT_GENERIC || m_cap(at2)->type == A9N_OBJECT_NODE))
                found[n++] = d2;
        }
    }
    if (n == 0 || pick(6) == 0)
        return random_full_descriptor();
    return found[pick(n)];
}

static void random_call(a9n_word mr[7])
{
    /* The model knows Node and Generic operations; the other types' operations (which
     * block, run or map things) are tested in-system. So the invoked capability is a Node,
     * a Generic, or a descriptor that does not resolve. */
    long at;
    unsigned type = 0;
    for (int tries = 0; tries < 64; tries++) {
        mr[0] = random_target();
        type = m_lookup(mr[0], &at, &unused_holder) == A9N_SUCCESS ? model[at].cap.type : 0;
        if (type == 0 || type == A9N_OBJECT_NODE || type == A9N_OBJECT_GENERIC)
            break;
    }
    if (type != 0 && type != A9N_OBJECT_NODE && type != A9N_OBJECT_GENERIC) {
        mr[0] = a9n_descriptor_root(H_SELF, R_RADIX);
        type = m_lookup(mr[0], &at, &unused_holder) == A9N_SUCCESS ? model[at].cap.type : 0;
    }
    if (type == A9N_OBJECT_GENERIC || (type != A9N_OBJECT_NODE && pick(4) == 0)) {
        static const unsigned types[] = {
            A9N_OBJECT_NODE,      A9N_OBJECT_GENERIC,           A9N_OBJECT_FRAME,
            A9N_OBJECT_IPC_PORT,  A9N_OBJECT_NOTIFICATION_PORT, A9N_OBJECT_PROCESS,
            A9N_OBJECT_PAGE_TABLE};
        /* Now and then another operation: 0 or one past CONVERT_FILLED (whose Frame filling
         * test_vspace.c checks), which Generics lack, or CONVERT. */
        static const a9n_word other_ops[] = {0, A9N_GENERIC_CONVERT, A9N_GENERIC_CONVERT_FILLED + 1,
                                             A9N_GENERIC_CONVERT_FILLED + 2};
        mr[1] = pick(30) == 0 ? other_ops[pick(4)] : A9N_GENERIC_CONVERT;
        mr[2] = pick(20) == 0 ? pick(15) : types[pick(7)];
        switch (mr[2]) {
        case A9N_OBJECT_NODE:
            mr[3] = 1 + pick(3);
            break;
        case A9N_OBJECT_GENERIC:
            mr[3] = 6 + pick(10);
            break;
        case A9N_OBJECT_FRAME:
            mr[3] = 12;
            break;
        default:
            mr[3] = 0;
        }
        if (pick(25) == 0)
            mr[3] = pick(24);
        mr[4] = pick(30) == 0 ? (pick(2) ? 0 : rnd()) : 1 + pick(3);
        mr[5] = pick(10) == 0 ? random_descriptor() : a9n_descriptor_root(H_SELF, R_RADIX);
        if (pick(3) == 0) {
            /* into a child Node, if there is one */
            mr[5] = random_descriptor();
        }
        mr[6] = random_empty_index() + (pick(20) == 0 ? 32 : 0);
        return;
    }
    /* Often a MINT from the last capability minted into the root Node: chains deep enough
     * that deleting one of their tops moves a large subtree (still in O(1) steps). */
    long self;
    if (chain_tip >= 0 && (episode_step < chain_first || pick(chain_bias) == 0) &&
        m_lookup(a9n_descriptor_root(H_SELF, R_RADIX), &self, &unused_holder) == A9N_SUCCESS &&
        model[self].cap.type == A9N_OBJECT_NODE) {
        mr[0] = a9n_descriptor_root(H_SELF, R_RADIX);
        mr[1] = A9N_NODE_MINT;
        mr[2] = random_empty_index();
        mr[3] = a9n_descriptor_root((a9n_word)chain_tip, R_RADIX);
        mr[4] = A9N_RIGHTS_ALL;
        mr[5] = 0;
        return;
    }
    mr[1] = pick(40) == 0 ? pick(9) : 1 + pick(6);
    bool transfer = mr[1] == A9N_NODE_COPY || mr[1] == A9N_NODE_MOVE || mr[1] == A9N_NODE_MINT;
    unsigned radix = type == A9N_OBJECT_NODE ? (unsigned)model[at].cap.data[0] : R_RADIX;
    if (radix == R_RADIX && transfer)
        mr[2] = random_empty_index();
    else
        mr[2] = pick(1u << radix);
    if (pick(25) == 0)
        mr[2] += 64;
    switch (mr[1]) {
    case A9N_NODE_COPY:
    case A9N_NODE_MOVE:
    case A9N_NODE_MINT:
        mr[3] = random_full_descriptor();
        mr[4] = random_rights();
        mr[5] = pick(3) == 0 ? 1 + pick(5) : 0;
        break;
    case A9N_NODE_DEMOTE:
        mr[3] = random_rights();
        break;
    default:
        break;
    }
}

/*
 * With `preempt`, every call runs with random interrupts: the HAL says one is pending at
 * random points (preempt_every_max: at most every that many questions, asked at every unit
 * of work), each preempted call is made again until it completes, the invariants are
 * checked at every preemption, and the completed call must agree with the model, which
 * knows nothing of preemption: the result of an interrupted run equals an uninterrupted one.
 */
static void run_random_preempt(uint64_t seed, unsigned steps, unsigned preempt_every_max)
{
    rng = seed;
    if (model == NULL)
        model = calloc(MODEL_SLOTS, sizeof(*model));
    unsigned successes = 0;
    unsigned long preemptions = 0;
    unsigned cut_paths = 0;
    uint64_t max_step_work = 0;
    unsigned max_depth = 0;
    unsigned histogram[A9N_ERROR_COUNT + 1] = {0};
    bool trace = getenv("KOITO_RANDOM_TRACE") != NULL;
    for (unsigned step = 0; step < steps; step++) {
        /* Episodes: a random walk can paint itself into a corner (no Node left to invoke),
         * so start afresh every EPISODE steps. */
        if (step % EPISODE == 0) {
            harness_setup(&H, R_RADIX, R_GENERIC);
            model_import();
            chain_tip = chain_first > 0 ? H_PROCESS : -1; /* a chain of Process MINTs */
            if (preempt_every_max != 0)
                preempt_set_budget(1);
        }
        a9n_word mr[7] = {0};
        episode_step = step % EPISODE;
        random_call(mr);
        if (trace)
            fprintf(stderr, "step %u: %#llx %llu %llu %#llx %#llx %#llx %llu\n", step,
                    (unsigned long long)mr[0], (unsigned long long)mr[1], (unsigned long long)mr[2],
                    (unsigned long long)mr[3], (unsigned long long)mr[4], (unsigned long long)mr[5],
                    (unsigned long long)mr[6]);
        a9n_error expected = m_call(mr);
        a9n_error got;
        unsigned long stops = 0;
        if (preempt_every_max != 0) {
            fakearch_preempt_every = 1 + pick(preempt_every_max);
            /* Every preemption point asks (budget 1): each step between two questions must
             * rewrite a bounded number of tree links, whatever the tree. */
            harness_step_work_begin();
            for (;;) {
                got = harness_call(&H, mr[0], mr[1], mr[2], mr[3], mr[4], mr[5], mr[6]);
                harness_step_work_mark();
                if (got != A9N_PREEMPTED)
                    break;
                stops++;
                harness_check_preempted(&H);
                harness_step_work_mark(); /* the checks change nothing */
            }
            uint64_t work = harness_step_work_end();
            if (work > max_step_work)
                max_step_work = work;
            if (work > HARNESS_STEP_WORK_MAX)
                fail_msg("seed %llu step %u: op %llu on %#llx: one step rewrote %llu tree links "
                         "(bound %u)",
                         (unsigned long long)seed, step, (unsigned long long)mr[1],
                         (unsigned long long)mr[0], (unsigned long long)work,
                         HARNESS_STEP_WORK_MAX);
            fakearch_preempt_every = 0;
            preemptions += stops;
        } else {
            got = harness_call(&H, mr[0], mr[1], mr[2], mr[3], mr[4], mr[5], mr[6]);
        }
        /* The one case where a restart may legitimately fail: the REMOVE or REVOKE
         * destroyed the Node the invoked slot lies in, so the restart no longer finds it
         * (the model then says that slot is gone). */
        long target;
        if (stops != 0 && got != expected && expected == A9N_SUCCESS &&
            (mr[1] == A9N_NODE_REMOVE || mr[1] == A9N_NODE_REVOKE) &&
            (m_lookup(mr[0], &target, &unused_holder) != A9N_SUCCESS ||
             !model[(long)((m_cap(target)->object - FAKEHAL_BASE) / sizeof(struct cap_slot) +
                           mr[2])]
                  .live)) {
            /* The call cut its own lookup path, so its restart cannot name the slot any
             * more: the work done stands, the rest (descendants not reached yet) does not
             * happen, as documented. Its dead Nodes stay queued until the next REMOVE,
             * REVOKE or CONVERT: be that, then take the kernel's state as the model's. */
            got = expected;
            harness_check_preempted(&H);
            while (reaper_drain() == A9N_PREEMPTED)
                harness_check_preempted(&H);
            /* A REMOVE or REVOKE that went through its own slot leaves that slot a zombie.
             * It is deleted here as a REVOKE of an ancestor would delete it (its children
             * lifted, then the slot deleted, then the reaper), not with slot_remove: a
             * lifting zombie may be the last capability to the very Node that holds it (a
             * REVOKE through a Node cut its path by lifting that Node's children), which no
             * descriptor reaches any more, and slot_remove's drain would then empty the
             * slot under its own feet (it is only ever called on a slot a lookup found). */
            for (struct cap_slot *z = &H.boot_generic; z != NULL;) {
                if (z->cap.type != CAP_ZOMBIE) {
                    z = harness_next(z);
                    continue;
                }
                while (slot_empty_first(z) == A9N_PREEMPTED)
                    harness_check_preempted(&H);
                while (slot_lift_children(z) == A9N_PREEMPTED)
                    harness_check_preempted(&H);
                slot_delete(z);
                while (reaper_drain() == A9N_PREEMPTED)
                    harness_check_preempted(&H);
                z = &H.boot_generic; /* the list changed: look again from the start */
            }
            model_import();
            cut_paths++;
        }
        for (struct cap_slot *z = &H.boot_generic; z != NULL; z = harness_next(z))
            if (z->cap.type == CAP_ZOMBIE)
                fail_msg("seed %llu step %u: op %llu on %#llx idx %llu left a zombie at %ld of "
                         "type %llu obj %#llx (result %d, expected %d, %lu preemptions)",
                         (unsigned long long)seed, step, (unsigned long long)mr[1],
                         (unsigned long long)mr[0], (unsigned long long)mr[2], idx_of(z),
                         (unsigned long long)z->cap.data[0], (unsigned long long)z->cap.object, got,
                         expected, stops);
        if (!reaper_is_empty())
            fail_msg("seed %llu step %u: op %llu on %#llx left the reaper busy (result %d, %lu "
                     "preemptions)",
                     (unsigned long long)seed, step, (unsigned long long)mr[1],
                     (unsigned long long)mr[0], got, stops);
        if (got != expected)
            fail_msg("seed %llu step %u: op %llu on %#llx: kernel %d, model %d",
                     (unsigned long long)seed, step, (unsigned long long)mr[1],
                     (unsigned long long)mr[0], got, expected);
        successes += got == A9N_SUCCESS;
        histogram[got < A9N_ERROR_COUNT ? got : A9N_ERROR_COUNT]++;
        if (got == A9N_SUCCESS && mr[1] == A9N_NODE_MINT &&
            mr[0] == a9n_descriptor_root(H_SELF, R_RADIX) && mr[2] < 1u << R_RADIX)
            chain_tip = (long)mr[2];
        model_compare(step);
        harness_check(&H);
        if (chain_tip >= 0 && !slot_is_empty(slot_at(&H, (unsigned)chain_tip))) {
            unsigned d = harness_depth(slot_at(&H, (unsigned)chain_tip));
            max_depth = d > max_depth ? d : max_depth;
        }
    }
    print_message("seed %llu: %u of %u calls succeeded, %lu preemptions (%u cut their own path), "
                  "deepest chain %u, most tree links rewritten in one step %llu; errors:",
                  (unsigned long long)seed, successes, steps, preemptions, cut_paths, max_depth,
                  (unsigned long long)max_step_work);
    for (unsigned e = 1; e <= A9N_ERROR_COUNT; e++)
        print_message(" %u", histogram[e]);
    print_message("\n");
    /* The sequence must have done real work, not only bounced off errors. */
    assert_true(successes > steps / 10);
    /* With preemption on, calls must really have been cut short, many times. */
    if (preempt_every_max != 0) {
        assert_true(preemptions > steps / 200);
        assert_true(cut_paths < steps / 200); /* the exception stays one */
    }
}

static void run_random(uint64_t seed, unsigned steps)
{
    run_random_preempt(seed, steps, 0);
}

static void random_sequences_seed_1(void **state)
{
    run_random(1, 20000);
}

static void random_sequences_seed_2(void **state)
{
    run_random(0x9e3779b97f4a7c15ull, 20000);
}

static void random_sequences_seed_3(void **state)
{
    run_random(0xdeadbeefcafef00dull, 20000);
}

static void random_sequences_seed_4(void **state)
{
    run_random(42, 20000);
}

static void random_preempted_seed_1(void **state)
{
    run_random_preempt(7, 20000, 3);
}

static void random_preempted_seed_2(void **state)
{
    run_random_preempt(0x51ed270b27, 20000, 12);
}

/* A cut path that leaves a lifting zombie as the last capability to the Node holding it
 * (step 15384; the cleanup above once crashed there). */
static void random_preempted_seed_3(void **state)
{
    run_random_preempt(122, 16000, 3);
}

/* Many short runs: most seeds (all of 100..160 but a handful) once broke the invariant
 * checker, which did not count a Node kept alive only by a lifting zombie as a live
 * container, within a few thousand steps; the two long preempted seeds above did not. */
static void random_preempted_many_seeds(void **state)
{
    static const unsigned every[] = {1, 3, 12};
    for (uint64_t seed = 100; seed < 110; seed++)
        run_random_preempt(seed, 4000, every[seed % 3]);
}

/* Chains first: each episode starts with a chain of MINTs as long as the root Node has room
 * for, then every other call extends it, so REMOVEs and REVOKEs keep meeting capabilities
 * with deep subtrees, preempted at every unit of work. */
static void random_preempted_chains(void **state)
{
    chain_bias = 2;
    chain_first = 24;
    run_random_preempt(0xc4a1, 20000, 1);
    chain_bias = 3;
    chain_first = 0;
}

/* KOITO_RANDOM_SEED=s [KOITO_RANDOM_STEPS=n] [KOITO_RANDOM_PREEMPT=m]: one run of that seed
 * only (preempted when m > 0), to search seeds outside the default suite. */
static void random_from_env(void **state)
{
    const char *steps = getenv("KOITO_RANDOM_STEPS"), *every = getenv("KOITO_RANDOM_PREEMPT");
    run_random_preempt(strtoull(getenv("KOITO_RANDOM_SEED"), NULL, 0),
                       steps ? (unsigned)strtoul(steps, NULL, 0) : 20000,
                       every ? (unsigned)strtoul(every, NULL, 0) : 3);
}

int main(void)
{
    if (getenv("KOITO_RANDOM_SEED") != NULL) {
        const struct CMUnitTest one[] = {cmocka_unit_test(random_from_env)};
        return cmocka_run_group_tests_name("core_random_env", one, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_sequences_seed_1),     cmocka_unit_test(random_sequences_seed_2),
        cmocka_unit_test(random_sequences_seed_3),     cmocka_unit_test(random_sequences_seed_4),
        cmocka_unit_test(random_preempted_seed_1),     cmocka_unit_test(random_preempted_seed_2),
        cmocka_unit_test(random_preempted_chains),     cmocka_unit_test(random_preempted_seed_3),
        cmocka_unit_test(random_preempted_many_seeds),
    };
    return cmocka_run_group_tests_name("core_random", tests, NULL, NULL);
}
