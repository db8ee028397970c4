/*
 * The libc benchmarks on KOITO (libcbench.h): newlib's malloc growing through sbrk, which
 * maps pages from the Buddy server (page tables from ULMM), and Lua 5.4 on cpu.lua packed
 * into the image (bench/libc.cap.yaml). `./koito bench` boots the system and keeps the
 * `bench:` lines; the Linux side runs the same C code (bench/linux/run-linux-bench.sh).
 */
#include "libcbench.h"

#include <alpha_spec.h>
#include <caps/libcbench.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_heap.h>
#include <koito_program.h>
#include <stdio.h>

#define HEAP_PAGES 6144 /* 24 MiB: the Buddy quota in bench/libc.cap.yaml */

KOITO_STANDARD_SETUP(HEAP_PAGES)

int main(void)
{
    bool ok = libcbench_malloc_mix("tsc");
    /* What the mix left behind: newlib trims its heap's top back to the Buddy server. */
    printf("libcbench: heap after the mix %u pages\n", koito_heap_pages());
#ifdef LIBCBENCH_LUA
    ok = libcbench_lua("cpu.lua", "tsc") && ok;
#else
    printf("bench: skipped lua_cpu_script (Debian's lua5.4 source was not fetched)\n");
#endif
    fflush(stdout);
    koito_console_shutdown(CAP_console, ok);
    return 0;
}
