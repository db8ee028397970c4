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
#include <koito_program.h>
#include <stdio.h>
#include <string.h>

int koito_lua_main(int argc, char **argv);

extern const struct koito_file_table koito_file_table __attribute__((weak));

#define HEAP_PAGES 3072 /* 12 MiB: the Buddy quota in lua.cap.yaml */

static a9n_word heap_handles[HEAP_PAGES];

void koito_setup(void)
{
    koito_program_setup(&(struct koito_program){
        .console = CAP_console,
        .process = CAP_process,
        .rtc = CAP_rtc,
        .buddy = CAP_pages,
        .ulmm = CAP_ulmm,
        .node = CAP_node,
        .node_radix = CAPS_NODE_RADIX,
        .address_space = CAP_address_space,
        .ipc_buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER,
        .heap_handles = heap_handles,
        .heap_pages = HEAP_PAGES,
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
