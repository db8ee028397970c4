/*
 * Self tests built only into test kernels (A9N_SELFTEST): each one provokes a fault or a
 * panic on purpose so a system test can check the kernel reports it and stops with the
 * failure verdict. Chosen by "selftest=NAME" on the kernel command line.
 */
#include <kernel/kernel.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>

#include <stdint.h>
#include <string.h>

/* Far from the direct map and the image: nothing is ever mapped there. */
#define UNMAPPED_KERNEL_ADDRESS 0xFFFFC00000001000ull
#define NON_CANONICAL_ADDRESS   0x8000000000000000ull

static void selftest_ud(void)
{
    __asm__ volatile("ud2");
}

static void selftest_pf(void)
{
    (void)*(volatile uint64_t *)UNMAPPED_KERNEL_ADDRESS;
}

static void selftest_null(void)
{
    (void)*(volatile uint64_t *)(uintptr_t)0x10;
}

static void selftest_gp(void)
{
    (void)*(volatile uint64_t *)NON_CANONICAL_ADDRESS;
}

static void selftest_de(void)
{
    /* In assembly: the compiler may drop (or trap on) a C division by zero. */
    volatile uint32_t zero = 0;
    uint32_t divisor = zero;
    __asm__ volatile("xor %%edx, %%edx\n\tmov $1, %%eax\n\tdivl %0"
                     :
                     : "r"(divisor)
                     : "rax", "rdx");
}

static void selftest_wp(void)
{
    /* Kernel text is mapped read-only: this write must fault. */
    *(volatile uint8_t *)(uintptr_t)&selftest_ud = 0xCC;
}

static void selftest_panic(void)
{
    panic("selftest: deliberate panic %d", 42);
}

static void selftest_user_ud(void)
{
    selftest_user(0);
}

static void selftest_user_gp(void)
{
    selftest_user(1);
}

static void selftest_user_wp(void)
{
    selftest_user(2);
}

static void selftest_user_timer(void)
{
    selftest_user(3);
}

static void selftest_user_kread(void)
{
    selftest_user(4);
}

static const struct {
    const char *name;
    void (*run)(void);
} selftests[] = {
    {"ud", selftest_ud},
    {"pf", selftest_pf},
    {"null", selftest_null},
    {"gp", selftest_gp},
    {"de", selftest_de},
    {"wp", selftest_wp},
    {"panic", selftest_panic},
    {"user_ud", selftest_user_ud},
    {"user_gp", selftest_user_gp},
    {"user_wp", selftest_user_wp},
    {"user_timer", selftest_user_timer},
    {"user_kread", selftest_user_kread},
};

void selftest_run(const char *cmdline)
{
    const char *key = "selftest=";
    const char *p = cmdline;
    while (*p != '\0' && strncmp(p, key, strlen(key)) != 0)
        p++;
    if (*p == '\0')
        return;
    p += strlen(key);
    size_t len = 0;
    while (p[len] != '\0' && p[len] != ' ')
        len++;
    for (size_t i = 0; i < sizeof selftests / sizeof selftests[0]; i++) {
        if (strlen(selftests[i].name) == len && strncmp(selftests[i].name, p, len) == 0) {
            kprintf("selftest: running %s\n", selftests[i].name);
            selftests[i].run();
            panic("selftest: %s returned without a fault", selftests[i].name);
        }
    }
    char name[32];
    size_t n = len < sizeof name - 1 ? len : sizeof name - 1;
    memcpy(name, p, n);
    name[n] = '\0';
    panic("selftest: unknown test \"%s\"", name);
}
