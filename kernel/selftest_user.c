/*
 * User-mode self tests (test kernels only): one hand-built address space, one context, a
 * few instructions of ring-3 code (arch/x86_64/selftest_user.asm), and the kernel entry
 * points answering for the core. They prove the HAL's user-mode path on its own: page
 * tables, entering ring 3, system calls in and out with every message register, user faults
 * reported (not fatal), and timer preemption of user code.
 */
#include <kernel/kernel.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>

#include <a9n/message.h>
#include <hal/hal_user.h>
#include <hal/hal_vspace.h>
#include <string.h>

enum {
    USER_CODE_VA = 0x400000,
    USER_STACK_VA = 0x401000,
    USER_MODE_UD = 0,
    USER_MODE_PRIVILEGED = 1,
    USER_MODE_WRITE_CODE = 2,
    USER_MODE_SPIN = 3,
    USER_MODE_KERNEL_READ = 4,
    TIMER_TICKS_WANTED = 5,
};

extern const char selftest_user_code[], selftest_user_code_end[];

static _Alignas(4096) uint8_t pages[6][4096];
static struct hal_user_context user;
static int mode;
static int timer_ticks;
static uint64_t spin_start;
static uint64_t boot_rate; /* timer ticks per ms, from the boot's window */

static paddr_t pa(void *p)
{
    return hal_virt_to_phys(p);
}

static void check(bool ok, const char *what)
{
    if (!ok)
        panic("selftest: %s", what);
}

bool selftest_user_active;

void selftest_user(int selected_mode)
{
    selftest_user_active = true;
    void *root = pages[0];
    unsigned missing;
    mode = selected_mode;
    hal_vspace_init_root(root);
    check(hal_vspace_missing_level(root, USER_CODE_VA) == 2, "missing level of an empty space");
    check(hal_vspace_map_frame(root, USER_CODE_VA, 12, pa(pages[4]), HAL_MAP_READ, &missing) ==
                  HAL_VSPACE_MISSING &&
              missing == 2,
          "mapping a frame without tables must report the missing level");
    check(hal_vspace_map_table(root, USER_CODE_VA, 2, pa(pages[1]), &missing) == HAL_VSPACE_OK,
          "map level-2 table");
    check(hal_vspace_map_table(root, USER_CODE_VA, 2, pa(pages[1]), &missing) ==
              HAL_VSPACE_OCCUPIED,
          "a second table at the same place must be refused");
    check(hal_vspace_map_table(root, USER_CODE_VA, 1, pa(pages[2]), &missing) == HAL_VSPACE_OK,
          "map level-1 table");
    check(hal_vspace_map_table(root, USER_CODE_VA, 0, pa(pages[3]), &missing) == HAL_VSPACE_OK,
          "map level-0 table");
    check(hal_vspace_map_table(root, 0xffff800000000000ull, 2, pa(pages[5]), &missing) ==
              HAL_VSPACE_BAD_ADDRESS,
          "kernel addresses must be refused");
    memcpy(pages[4], selftest_user_code, (size_t)(selftest_user_code_end - selftest_user_code));
    check(hal_vspace_map_frame(root, USER_CODE_VA, 12, pa(pages[4]), HAL_MAP_READ | HAL_MAP_EXECUTE,
                               &missing) == HAL_VSPACE_OK,
          "map code");
    check(hal_vspace_map_frame(root, USER_STACK_VA, 12, pa(pages[5]), HAL_MAP_READ | HAL_MAP_WRITE,
                               &missing) == HAL_VSPACE_OK,
          "map stack");
    check(hal_vspace_missing_level(root, USER_CODE_VA) == -1, "no level missing after mapping");
    paddr_t found;
    check(hal_vspace_lookup(root, USER_STACK_VA + 8, &found) && found == pa(pages[5]) + 8,
          "lookup");

    hal_context_init(&user);
    check(hal_context_set(&user, HAL_REG_IP, USER_CODE_VA), "set ip");
    check(hal_context_set(&user, HAL_REG_SP, USER_STACK_VA + 4096), "set sp");
    check(!hal_context_set(&user, HAL_REG_IP, 0xffffffff80100000ull), "kernel ip refused");
    check(!hal_context_set(&user, HAL_REG_SP, 0x0000800000000000ull), "non-canonical sp refused");
    check(hal_context_set(&user, HAL_REG_GP0, (uint64_t)mode), "set rax");
    hal_vspace_activate(root);
    hal_context_switch(&user);
    kprintf("selftest: entering user mode (mode %d)\n", mode);
    hal_context_resume(&user);
}

_Noreturn void selftest_kernel_syscall(struct hal_user_context *ctx)
{
    int64_t type = (int64_t)hal_syscall_type(ctx);
    if (type == A9N_SYSCALL_CAPABILITY_CALL) {
        for (unsigned i = 0; i < HAL_SYSCALL_MR_COUNT; i++) {
            check(hal_syscall_mr(ctx, i) == i + 1, "message registers arrive in order");
            hal_syscall_set_mr(ctx, i, 2 * (i + 1));
        }
        hal_context_resume(ctx);
    }
    check(type == A9N_SYSCALL_YIELD, "known system call type");
    for (unsigned i = 0; i < HAL_SYSCALL_MR_COUNT; i++)
        check(hal_syscall_mr(ctx, i) == 2 * (i + 1), "results arrive in the message registers");
    check(hal_context_get(ctx, HAL_REG_GP0 + 1) == 0x5A5A5A5A, "rbx survives a system call");
    kprintf("selftest: system call round trip ok (9 message registers each way)\n");
    if (mode == USER_MODE_SPIN) {
        spin_start = hal_context_get(ctx, HAL_REG_GP0 + 1);
        /* The timer starts on a calibration window far shorter than the boot's (a few tens
         * of microseconds): the first tick must measure it again to the boot's rate. */
        bool pending;
        boot_rate = hal_timer_rate(&pending);
        hal_timer_measure_again();
        hal_timer_start(1000);
        hal_timer_rate(&pending);
        check(pending, "a short window waits for the first tick");
    }
    hal_context_resume(ctx);
}

_Noreturn void selftest_kernel_user_fault(struct hal_user_context *ctx,
                                          const struct hal_fault *fault)
{
    kprintf("selftest: user fault kind %d vector %u code 0x%lx address 0x%lx flags 0x%x ip 0x%lx\n",
            fault->kind, fault->vector, fault->code, fault->address, fault->flags,
            hal_context_get(ctx, HAL_REG_IP));
    hal_exit(HAL_VERDICT_SUCCESS);
}

_Noreturn void selftest_kernel_user_interrupt(struct hal_user_context *ctx, unsigned irq)
{
    if (irq == HAL_IRQ_TIMER && ++timer_ticks == TIMER_TICKS_WANTED) {
        uint64_t progress = hal_context_get(ctx, HAL_REG_GP0 + 1) - spin_start;
        check(progress > 0, "user code ran between timer interrupts");
        bool pending;
        uint64_t rate = hal_timer_rate(&pending);
        check(!pending && rate * 100 >= boot_rate * 99 && rate * 100 <= boot_rate * 101,
              "the first tick measured the timer's rate again, within 1 % of the boot's");
        kprintf("selftest: the first tick measured the timer again: %lu ticks/ms (boot: %lu)\n",
                rate, boot_rate);
        kprintf("selftest: %d timer interrupts preempted user code (it ran %lu loops)\n",
                timer_ticks, progress);
        hal_exit(HAL_VERDICT_SUCCESS);
    }
    hal_context_resume(ctx);
}
