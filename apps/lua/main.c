/*
 * Lua 5.4 on KOITO: Debian's lua5.4 sources, unmodified, with this file as the program's
 * entry. lua.c's main is compiled as koito_lua_main (apps/lua/CMakeLists.txt), and this main
 * runs it once for each script packed under scripts/ (test/systems/lua.cap.yaml), as
 * `lua scripts/NAME.lua` would, each in a fresh Lua state. Markers around each run let the
 * tests cut the serial output into one transcript per script and compare it with the host's
 * lua5.4. Then the machine stops: success when every script ended with status 0.
 */
#include <alpha_spec.h>
#include <caps/lua.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_files.h>
#include <koito_heap.h>
#include <stdio.h>
#include <string.h>

int koito_lua_main(int argc, char **argv);

extern const struct koito_file_table koito_file_table __attribute__((weak));

#define HEAP_BASE  0x10000000ull /* nothing else is mapped here */
#define HEAP_SLOT  1024          /* root slots 1024.. receive the heap's Frames */
#define HEAP_PAGES 3072          /* 12 MiB: the Buddy quota in lua.cap.yaml */

static a9n_word heap_handles[HEAP_PAGES];

static struct koito_ulmm server(a9n_word port)
{
    return (struct koito_ulmm){port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                               CAPS_NODE_RADIX};
}

void koito_setup(void)
{
    koito_console_port = CAP_console;
    koito_process_cap = CAP_process;
    koito_time_rtc(CAP_rtc);
    koito_heap_buddy(&(struct koito_heap_buddy){
        .pages = server(CAP_pages),
        .tables = server(CAP_ulmm),
        .address_space = CAP_address_space,
        .first_slot = HEAP_SLOT,
        .handles = heap_handles,
        .max_pages = HEAP_PAGES,
        .base = HEAP_BASE,
    });
}

int main(void)
{
    unsigned runs = 0, failures = 0;
    for (uint64_t i = 0; &koito_file_table != NULL && i < koito_file_table.count; i++) {
        const char *name = koito_file_table.entry[i].name;
        size_t len = strlen(name);
        if (strncmp(name, "scripts/", 8) != 0 || len < 5 || strcmp(name + len - 4, ".lua") != 0)
            continue;
        char *argv[] = {"lua", (char *)name, NULL};
        printf("==== lua: %s ====\n", name);
        fflush(stdout);
        int status = koito_lua_main(2, argv);
        fflush(stdout);
        fflush(stderr);
        printf("==== end: %s status %d ====\n", name, status);
        runs++;
        failures += status != 0;
    }
    printf("lua: %u scripts, %u failed\n", runs, failures);
    fflush(stdout);
    koito_console_shutdown(CAP_console, runs > 0 && failures == 0);
    return 0;
}
