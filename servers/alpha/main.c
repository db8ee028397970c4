/*
 * Alpha: the first process of a declared system. It executes the spec capgen made from
 * system.cap.yaml: makes every object, builds and configures every process, then reads the
 * whole live state back from the kernel (verify.c), prints it, and compares it with the
 * expected state capgen made. Only when they are equal does it start the processes (highest
 * priority first); otherwise it names the first difference and stops the system (fail
 * closed).
 */
#include "alpha.h"

#include <string.h>

const struct a9n_boot_info *boot;
unsigned alpha_root_radix = A9N_ROOT_NODE_RADIX;
struct koito_pool scratch;
unsigned alpha_object_base, alpha_scratch_end;
/* capgen's numbers come with its note (alpha_root_note.c); an Alpha linked without them runs
 * in the largest Node (alpha_spec.h): the weak reference is then NULL. */
extern const struct alpha_layout alpha_layout __attribute__((weak));

enum {
    SCRATCH_GENERIC_SLOT = 9,
    SCRATCH_GENERIC_BITS = 22,
};

static uint64_t timestamp(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static _Noreturn void stop(const char *why)
{
    printf("alpha: %s; the system is stopped\n", why);
    /* Fail closed: nothing was started. Leave QEMU with the failure verdict if there is the
     * exit device (on hardware the write goes nowhere), then stop. */
    koito_qemu_exit(alpha_root(A9N_ROOT_SLOT_IO_PORT), false);
}

int main(void)
{
    boot = (const struct a9n_boot_info *)koito_start_argument;
    uint64_t started = timestamp();
    /* The root Node the kernel made (the note capgen put into this image asks for the
     * smallest that holds the system, a9n/boot.h): every descriptor depends on its radix. */
    if (boot->root_node_radix < A9N_ROOT_NODE_RADIX_MIN ||
        boot->root_node_radix > A9N_ROOT_NODE_RADIX)
        koito_qemu_exit(alpha_root(A9N_ROOT_SLOT_IO_PORT), false); /* nothing can be said */
    alpha_root_radix = (unsigned)boot->root_node_radix;
    koito_debug_cap = alpha_root(A9N_ROOT_SLOT_DEBUG);
    koito_process_cap = alpha_root(A9N_ROOT_SLOT_PROCESS);
    koito_debug_buffer = (struct a9n_ipc_buffer *)boot->ipc_buffer_address;
    printf("alpha: building system \"%s\": %u objects, %u processes\n", alpha_spec.system_name,
           alpha_spec.object_count, alpha_spec.process_count);
    /* The layout (alpha.h): the objects right after the boot capabilities and Alpha's pools,
     * the scratch as capgen counted it, the working tables in the rest of the Node. */
    unsigned node_slots = 1u << alpha_root_radix;
    alpha_object_base = (unsigned)(boot->generic_first + boot->generic_count) + ALPHA_ASID_POOLS;
    const struct alpha_layout *layout = &alpha_layout;
    uint64_t working = layout != NULL ? layout->working : 0;
    uint64_t tables = layout != NULL ? layout->tables : 0;
    if (layout == NULL) {
        tables = ALPHA_TABLE_RESERVE;
        working =
            node_slots > alpha_object_base + tables ? node_slots - alpha_object_base - tables : 0;
    }
    if (alpha_object_base + working + tables > node_slots) {
        printf("alpha: the root Node has %u slots: the boot capabilities end at slot %u, and the "
               "system needs %lu more for its objects and %lu for Alpha's working tables\n",
               node_slots, alpha_object_base - ALPHA_ASID_POOLS, (unsigned long)working,
               (unsigned long)tables);
        stop("the boot capabilities reach into the slots of the declared objects");
    }
    alpha_scratch_end = alpha_object_base + (unsigned)working;
    if (!alpha_create_objects())
        stop("not enough memory for the declared objects");
    /* Alpha's own working objects (page tables, copies) come after the plan's. */
    unsigned scratch_bits = alpha_spec.scratch_bits > SCRATCH_GENERIC_BITS ? alpha_spec.scratch_bits
                                                                           : SCRATCH_GENERIC_BITS;
    if (!alpha_convert(A9N_OBJECT_GENERIC, scratch_bits, SCRATCH_GENERIC_SLOT))
        stop("no memory left for Alpha's own page tables");
    scratch = (struct koito_pool){SCRATCH_GENERIC_SLOT, OBJECT_SLOT_BASE + alpha_spec.object_count,
                                  SCRATCH_SLOT_END, 0, alpha_root_radix};
    /* After the scratch Generic: the read-back's tables take pages from the boot Generics. */
    if (!alpha_learn_objects())
        stop("cannot read back the objects just made");
    alpha_print_state = alpha_option_print_state(alpha_root_object(A9N_ROOT_SLOT_IPC_BUFFER));
    if (!alpha_supervisor_create())
        stop("no memory left for the supervisor's port");
    if (!alpha_inspect_start())
        stop("cannot set up inspection on COM2");
    for (uint32_t i = 0; i < alpha_spec.process_count; i++)
        if (!alpha_build_process(i))
            stop("a process could not be built");

    unsigned slots = 0, maps = 0;
    if (!alpha_verify(&slots, &maps))
        stop("the live state is not the declared one");
    /* capgen sized the root Node with its count of the tables' slots: one too small would
     * only show as a shortage in a larger system, so it shows here (tests look for it). */
    if (layout != NULL && alpha_table_slots_taken() > layout->tables)
        printf("alpha: the working tables took %u root slots, capgen counted %u\n",
               alpha_table_slots_taken(), layout->tables);
    printf("alpha: system ready, %u processes, %u capabilities and %u mappings verified\n",
           alpha_spec.process_count, slots, maps);
    /* What the limits capgen checks came to (`capgen report` shows its own count of them:
     * both exactly). */
    printf("alpha: %u of %u root slots, %u of %u capability records, %u of %u image pages\n",
           scratch.next - OBJECT_SLOT_BASE, ALPHA_SCRATCH_SLOTS, alpha_record_total(),
           ALPHA_MAX_RECORDS, alpha_image_first[alpha_spec.process_count], ALPHA_MAX_IMAGE_PAGES);
    /* Under TCG with -icount shift=0 the timestamp counter counts guest instructions: this is
     * `./koito bench`'s boot row. */
    uint64_t now = timestamp();
    printf("alpha: boot: %lu timestamp ticks from kernel entry to system ready (%lu in Alpha)\n",
           now - boot->kernel_entry_timestamp, now - started);
    for (uint32_t i = 0; i < alpha_spec.process_count; i++)
        a9n_process_resume(alpha_root(object_slot(alpha_spec.processes[i].process)));
    /* Alpha's building is done; it keeps its capabilities (the system's authority) and
     * supervises: the faults of every process without a resolver of its own come to it. */
    alpha_supervise();
}
