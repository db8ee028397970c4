/*
 * libFuzzer target: arbitrary capability calls against a populated capability space.
 *
 * Each input is a sequence of calls. Every message register is encoded by a selector byte
 * followed by its value: raw 8 bytes, a small number, or a descriptor built from the
 * current state (a root slot, or a slot inside a Node found there), so that the fuzzer
 * reaches deep into the decoders instead of bouncing off descriptor errors. After every
 * call all invariants are checked, and a failed call must not have changed a byte of the
 * used memory: any violation aborts.
 */
#include "fakehal.h"
#include "harness.h"
#include "invariants.h"

#include <core/ipc.h>
#include <core/captree.h>
#include <core/preempt.h>
#include <core/reaper.h>
#include <core/slot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT_RADIX 6
#define MAX_CALLS  48
/* Everything the harness and its 2^16 Generic can touch lies below this offset. */
#define USED_BYTES (256u * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const uint8_t *p;
    size_t left;
};

static uint8_t take8(struct input *in)
{
    if (in->left == 0)
        return 0;
    in->left--;
    return *in->p++;
}

static uint64_t take64(struct input *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | take8(in);
    return v;
}

static struct harness h;

static a9n_word state_descriptor(struct input *in, bool nested)
{
    a9n_word index = take8(in) % (1u << ROOT_RADIX);
    a9n_word d = harness_desc(&h, index);
    if (!nested)
        return d;
    const struct cap *c = &h.root[index].cap;
    unsigned radix = c->type == A9N_OBJECT_NODE ? cap_node_radix(c) : 1 + take8(in) % 4;
    return a9n_descriptor_append(d, take8(in) & ((1u << radix) - 1), radix);
}

static a9n_word take_word(struct input *in)
{
    uint8_t sel = take8(in);
    switch (sel % 5) {
    case 0:
        return take64(in);
    case 1:
    case 2:
        return state_descriptor(in, sel % 5 == 2);
    case 3:
        return take8(in) % 16;
    default:
        return take8(in);
    }
}

static void populate(void)
{
    /* A child Node with a port and a minted child, a sub-Generic, a process. */
    a9n_word setup[][A9N_MR_REGISTER_COUNT] = {
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_NODE, 3, 1,
         harness_desc(&h, H_SELF), 10},
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_IPC_PORT, 0, 2,
         harness_desc(&h, 10), 0},
        {harness_desc(&h, 10), A9N_NODE_MINT, 5, a9n_descriptor_append(harness_desc(&h, 10), 0, 3),
         A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 77},
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_GENERIC, 12, 1,
         harness_desc(&h, H_SELF), 11},
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_NOTIFICATION_PORT, 0, 1,
         harness_desc(&h, H_SELF), 12},
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_PROCESS, 0, 1,
         harness_desc(&h, H_SELF), 13},
        {harness_desc(&h, H_SELF), A9N_NODE_MINT, 14, harness_desc(&h, H_SELF),
         A9N_RIGHT_READ | A9N_RIGHT_COPY, 0},
    };
    for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
        if (cap_call(h.caller, &(struct cap_message){.mr = setup[i]}) != A9N_SUCCESS) {
            fprintf(stderr, "fuzz: setup call %zu failed\n", i);
            abort();
        }
    }
    /* Address spaces: ASID Control (as boot gives it; it goes with the boot Generic's
     * revoke), a pool, an Address Space with an ASID, page tables and a frame to map. */
    h.root[15].cap = (struct cap){.type = A9N_OBJECT_ASID_CONTROL, .rights = A9N_RIGHTS_ALL};
    captree_insert_child(&h.boot_generic, &h.root[15]);
    a9n_word spaces[][A9N_MR_REGISTER_COUNT] = {
        {harness_desc(&h, 15), A9N_ASID_CONTROL_MAKE_POOL, harness_desc(&h, H_GENERIC),
         harness_desc(&h, H_SELF), 16},
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_ADDRESS_SPACE, 0, 1,
         harness_desc(&h, H_SELF), 17},
        {harness_desc(&h, 16), A9N_ASID_POOL_ASSIGN, harness_desc(&h, 17)},
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_PAGE_TABLE, 0, 3,
         harness_desc(&h, H_SELF), 18},
        {harness_desc(&h, H_GENERIC), A9N_GENERIC_CONVERT, A9N_OBJECT_FRAME, 12, 2,
         harness_desc(&h, H_SELF), 21},
    };
    for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
        if (cap_call(h.caller, &(struct cap_message){.mr = spaces[i]}) != A9N_SUCCESS) {
            fprintf(stderr, "fuzz: address-space setup call %zu failed\n", i);
            abort();
        }
    }
}

static void check(const char *when)
{
    char why[256];
    struct cap_slot *loose[] = {&h.boot_generic, &h.boot_process};
    if (!invariants_check_slots(loose, 2, why, sizeof(why))) {
        fprintf(stderr, "fuzz: invariant broken %s: %s\n", when, why);
        abort();
    }
}

static void check_preempted(void)
{
    char why[256];
    struct cap_slot *loose[] = {&h.boot_generic, &h.boot_process};
    if (!invariants_check_preempted(loose, 2, why, sizeof(why))) {
        fprintf(stderr, "fuzz: invariant broken between preemptions: %s\n", why);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char *before;
    if (before == NULL)
        before = malloc(USED_BYTES);
    fakehal_fill_junk = false;
    harness_setup(&h, ROOT_RADIX, 16);
    populate();
    check("after setup");

    struct input in = {data, size};
    /* One byte in four inputs turns preemption on: an interrupt pending at every k-th
     * preemption point, every unit of work a point; preempted calls are made again. */
    unsigned preempt = take8(&in);
    if (preempt % 4 == 0) {
        preempt_set_budget(1);
        fakearch_preempt_every = 1 + preempt / 4 % 8;
    }
    for (int call = 0; call < MAX_CALLS && in.left > 0; call++) {
        a9n_word mr[A9N_MR_REGISTER_COUNT] = {0};
        struct cap_message m = {.mr = mr};
        m.mr[0] = take8(&in) & 1 ? take_word(&in) : state_descriptor(&in, take8(&in) & 1);
        m.mr[1] = take8(&in) % 9;
        for (int r = 2; r < 7; r++)
            m.mr[r] = take_word(&in);
        memcpy(before, fakehal_arena(), USED_BYTES);
        struct harness h_before = h;
        a9n_word asked[A9N_MR_REGISTER_COUNT];
        memcpy(asked, mr, sizeof asked);
        a9n_error e = cap_call(h.caller, &m);
        unsigned restarts = 0;
        while (e == A9N_PREEMPTED) {
            if (memcmp(asked, mr, sizeof asked) != 0) {
                fprintf(stderr, "fuzz: a preempted call changed its registers\n");
                abort();
            }
            check_preempted();
            restarts++;
            e = cap_call(h.caller, &m);
        }
        if (e >= A9N_ERROR_COUNT || m.mr[0] != (e == A9N_SUCCESS) || m.mr[1] != e) {
            fprintf(stderr, "fuzz: bad result registers\n");
            abort();
        }
        /* A preempted call may fail on its restart after doing work, when it destroyed a
         * Node on the path to its own slot (capabilities.typ, Preemptible operations): its
         * dead Nodes are left to the next REMOVE, REVOKE or CONVERT. Be that call. */
        if (restarts != 0 && !reaper_is_empty()) {
            check_preempted();
            while (reaper_drain() == A9N_PREEMPTED)
                check_preempted();
        }
        if (e != A9N_SUCCESS && restarts == 0 &&
            (memcmp(before, fakehal_arena(), USED_BYTES) != 0 ||
             memcmp(&h_before, &h, sizeof(h)) != 0)) {
            fprintf(stderr, "fuzz: call failed with %d but changed state\n", e);
            abort();
        }
        check("after a call");
        /* A caller that blocked (IPC) or suspended itself would not run again until woken;
         * the fuzzer goes on calling as it, so it ends that wait first, as a wake-up would. */
        if (h.caller->state != PROCESS_READY) {
            ipc_cancel(h.caller);
            h.caller->state = PROCESS_READY;
        }
    }
    /* Tear everything down through the kernel's own revoke, and check that too. */
    while (slot_revoke(&h.boot_generic) == A9N_PREEMPTED)
        check_preempted();
    fakearch_preempt_every = 0;
    if (!reaper_is_empty() || captree_has_children(&h.boot_generic)) {
        fprintf(stderr, "fuzz: revoking the boot Generic left capabilities behind\n");
        abort();
    }
    return 0;
}
