/* koito_files_run_each (koito_files.h): a ported program's loop over its packed scripts. */
#include <koito_files.h>
#include <stdio.h>
#include <string.h>

extern const struct koito_file_table koito_file_table __attribute__((weak));

unsigned koito_files_run_each(const char *prefix, const char *suffix, const char *label,
                              int (*run)(const char *name), unsigned *failed)
{
    unsigned runs = 0;
    size_t plen = strlen(prefix), slen = strlen(suffix);
    for (uint64_t i = 0; &koito_file_table != NULL && i < koito_file_table.count; i++) {
        const char *name = koito_file_table.entry[i].name;
        size_t len = strlen(name);
        if (len <= slen || strncmp(name, prefix, plen) != 0 ||
            strcmp(name + len - slen, suffix) != 0)
            continue;
        printf("==== %s: %s ====\n", label, name);
        fflush(stdout);
        int status = run(name);
        fflush(stdout);
        fflush(stderr);
        printf("==== end: %s status %d ====\n", name, status);
        runs++;
        *failed += status != 0;
    }
    return runs;
}
