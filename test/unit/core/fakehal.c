/* A fake HAL over a host arena (see fakehal.h). */
#include "fakehal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *arena;
static char console[4096];
static size_t console_len;
bool fakehal_fill_junk = true;

void fakehal_init(void)
{
    if (arena == NULL) {
        arena = aligned_alloc(1ull << 21, 1ull << FAKEHAL_BITS);
        if (arena == NULL) {
            fprintf(stderr, "fakehal: cannot allocate the arena\n");
            abort();
        }
    }
    if (fakehal_fill_junk)
        memset(arena, 0xa5, 1ull << FAKEHAL_BITS);
    console_len = 0;
    console[0] = '\0';
}

void *hal_phys_to_virt(paddr_t pa)
{
    if (pa < FAKEHAL_BASE || pa - FAKEHAL_BASE >= (1ull << FAKEHAL_BITS)) {
        fprintf(stderr, "fakehal: physical address %#llx outside the arena\n",
                (unsigned long long)pa);
        abort();
    }
    return arena + (pa - FAKEHAL_BASE);
}

paddr_t hal_virt_to_phys(const void *va)
{
    const unsigned char *p = va;
    if (p < arena || p >= arena + (1ull << FAKEHAL_BITS)) {
        fprintf(stderr, "fakehal: virtual address %p outside the arena\n", va);
        abort();
    }
    return FAKEHAL_BASE + (paddr_t)(p - arena);
}

void hal_console_write(const char *s, size_t len)
{
    size_t room = sizeof(console) - 1 - console_len;
    if (len > room)
        len = room;
    memcpy(console + console_len, s, len);
    console_len += len;
    console[console_len] = '\0';
}

const char *fakehal_console(void)
{
    return console;
}

_Noreturn void hal_exit(enum hal_verdict verdict)
{
    fprintf(stderr, "fakehal: hal_exit(%d)\n", (int)verdict);
    abort();
}

void *fakehal_arena(void)
{
    return arena;
}
