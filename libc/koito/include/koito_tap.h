/*
 * TAP output for in-system test programs: one "ok N - what" or "not ok N - what (line L)"
 * line per check, through the console, and the counts for the closing "N passed, M failed".
 */
#pragma once

#include <a9n/abi.h>
#include <stdbool.h>

struct koito_tap {
    a9n_word console; /* descriptor of the console's IPC Port */
    unsigned passed, failed, number;
};

/* Counts one check and prints its line. */
void koito_tap_check(struct koito_tap *t, bool ok, const char *what, unsigned line);
