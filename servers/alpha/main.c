/*
 * Alpha: the first process of a declared system. It executes the spec capgen made from
 * system.cap.yaml: makes every object, builds and configures every process, then reads the
 * live capability tree back from the kernel, prints it, and compares it with the declared
 * tree. Only when they are equal does it start the processes (highest priority first);
 * otherwise it names the first difference and stops the system (fail closed).
 */
#include "alpha.h"

#include <string.h>

const struct a9n_boot_info *boot;
struct koito_pool scratch;

enum {
    SCRATCH_GENERIC_SLOT = 9,
    SCRATCH_GENERIC_BITS = 22,
};

static char live[32768];

static _Noreturn void stop(const char *why)
{
    printf("alpha: %s; the system is stopped\n", why);
    /* Fail closed: nothing was started. Leave QEMU with the failure verdict if there is the
     * exit device (on hardware the write goes nowhere), then stop. */
    koito_qemu_exit(koito_root(A9N_ROOT_SLOT_IO_PORT), false);
}

/* The first line where two texts differ (1-based), or 0 if they are equal. */
static unsigned first_difference(const char *a, const char *b, const char **at_a)
{
    unsigned line = 1;
    const char *start = a;
    for (;; a++, b++) {
        if (*a != *b) {
            *at_a = start;
            return line;
        }
        if (*a == '\0')
            return 0;
        if (*a == '\n') {
            line++;
            start = a + 1;
        }
    }
}

int main(void)
{
    boot = (const struct a9n_boot_info *)koito_start_argument;
    printf("alpha: building system \"%s\": %u objects, %u processes\n", alpha_spec.system_name,
           alpha_spec.object_count, alpha_spec.process_count);
    if (!alpha_create_objects())
        stop("not enough memory for the declared objects");
    /* Alpha's own working objects (page tables, copies) come after the plan's. */
    if (!alpha_convert(A9N_OBJECT_GENERIC, SCRATCH_GENERIC_BITS, SCRATCH_GENERIC_SLOT))
        stop("no memory left for Alpha's own page tables");
    scratch = (struct koito_pool){SCRATCH_GENERIC_SLOT, OBJECT_SLOT_BASE + alpha_spec.object_count,
                                  SCRATCH_SLOT_END, 0};
    for (uint32_t i = 0; i < alpha_spec.process_count; i++)
        if (!alpha_build_process(i))
            stop("a process could not be built");

    unsigned objects = 0, caps = 0;
    if (!alpha_live_tree(live, sizeof live, &objects, &caps))
        stop("the live capability tree is too large to print");
    printf("--- cap tree begin ---\n");
    koito_console_write(live, strlen(live));
    printf("--- cap tree end ---\n");
    const char *where = NULL;
    unsigned line = first_difference(live, alpha_spec.tree_text, &where);
    if (line != 0) {
        const char *end = strchr(where, '\n');
        int len = end != NULL ? (int)(end - where) : (int)strlen(where);
        char text[160];
        len = len < 150 ? len : 150;
        memcpy(text, where, (size_t)len);
        text[len] = '\0';
        printf("alpha: the live tree differs from the declared one at line %u: \"%s\"\n", line,
               text);
        stop("capability tree mismatch");
    }
    printf("alpha: system ready, %u objects, %u capabilities verified\n", objects, caps);
    for (uint32_t i = 0; i < alpha_spec.process_count; i++)
        a9n_process_resume(koito_root(object_slot(alpha_spec.processes[i].process)));
    /* Alpha's work is done; it keeps its capabilities (the system's authority) and waits. */
    for (;;)
        a9n_process_suspend(koito_root(A9N_ROOT_SLOT_PROCESS));
}
