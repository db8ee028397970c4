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

#define HEAP_PAGES 3072 /* 12 MiB: the Buddy quota in lua.cap.yaml */

KOITO_STANDARD_SETUP(HEAP_PAGES)

/* One script, as `lua scripts/NAME.lua` would run it. */
static int run_script(const char *name)
{
    char *argv[] = {"lua", (char *)name, NULL};
    return koito_lua_main(2, argv);
}

int main(void)
{
    unsigned failures = 0;
    unsigned runs = koito_files_run_each("scripts/", ".lua", "lua", run_script, &failures);
    printf("lua: %u scripts, %u failed\n", runs, failures);
    fflush(stdout);
    koito_console_shutdown(CAP_console, runs > 0 && failures == 0);
    return 0;
}
