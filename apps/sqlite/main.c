/*
 * SQLite's shell on KOITO: Debian's sqlite3 source (its amalgamation, sqlite3.c and shell.c,
 * made at build time), unmodified; shell.c's main is compiled as koito_sqlite_main
 * (apps/sqlite/CMakeLists.txt). This main runs `sqlite3 :memory: ".read FILE"` for each SQL
 * script packed under sql/ (test/systems/sqlite.cap.yaml), between markers that let the
 * tests compare each transcript with the host's sqlite3, then stops the machine: success
 * when every script ran (the shell's status is part of the transcript the tests compare: a
 * script may show SQL errors on purpose, and then the host's sqlite3 ends with 1 too).
 */
#include <alpha_spec.h>
#include <caps/sqlite.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_files.h>
#include <koito_heap.h>
#include <koito_program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int koito_sqlite_main(int argc, char **argv);

#define HEAP_PAGES 3072 /* 12 MiB: the Buddy quota in sqlite.cap.yaml */

KOITO_STANDARD_SETUP(HEAP_PAGES)

/* One script, as `sqlite3 :memory: ".read sql/NAME.sql"` would run it. */
static int run_script(const char *name)
{
    char command[80];
    snprintf(command, sizeof command, ".read %s", name);
    char *argv[] = {"sqlite3", ":memory:", command, NULL};
    return koito_sqlite_main(3, argv);
}

int main(void)
{
    /* The shell reads $HOME/.sqliterc if there is one (there is not: no such file is packed),
     * and warns on every run when it cannot even tell where home is. */
    setenv("HOME", "/", 1);
    unsigned failures = 0;
    unsigned runs = koito_files_run_each("sql/", ".sql", "sqlite3", run_script, &failures);
    printf("sqlite3: %u scripts, %u with errors\n", runs, failures);
    fflush(stdout);
    koito_console_shutdown(CAP_console, runs > 0);
    return 0;
}
