/* Lua on cpu.lua (libcbench.h): a fresh state each run, through Lua's C API (lua.c's
 * main would add argument handling and nothing of interest). Compiled only where Debian's
 * lua5.4 source was fetched. */
#include "libcbench.h"

#include "../bench/stats.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

static uint64_t samples[LUA_RUNS];

bool libcbench_lua(const char *path, const char *unit)
{
    static char first[256];
    (void)libcbench_overhead();
    for (unsigned run = 0; run < LUA_RUNS; run++) {
        uint64_t t0 = tsc_begin();
        lua_State *L = luaL_newstate();
        if (L == NULL) {
            printf("libcbench: lua: no memory for a state\n");
            return false;
        }
        luaL_openlibs(L);
        int status = luaL_loadfile(L, path);
        if (status == LUA_OK)
            status = lua_pcall(L, 0, 1, 0);
        const char *result = lua_tostring(L, -1);
        bool same = result != NULL && (run == 0 || strcmp(result, first) == 0);
        if (status == LUA_OK && run == 0 && result != NULL)
            snprintf(first, sizeof first, "%s", result);
        if (status != LUA_OK || !same) {
            printf("libcbench: lua %s: %s\n", path,
                   status != LUA_OK ? (result ? result : "error")
                                    : "a run computed another result");
            lua_close(L);
            return false;
        }
        lua_close(L);
        uint64_t t1 = tsc_end();
        samples[run] = t1 - t0;
    }
    printf("libcbench: lua_cpu_script result %s\n", first);
    libcbench_report("lua_cpu_script", samples, LUA_RUNS, unit);
    return true;
}
