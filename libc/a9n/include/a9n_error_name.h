/*
 * a9n_error_name(): the name of a kernel error code, for messages a person reads
 * ("convert failed: NOT_ENOUGH_MEMORY" rather than "error 6"). Defined in liba9n
 * (libc/a9n/src/error_name.c) without system calls, so host tests compile the same file;
 * liba9n.h includes this header.
 */
#pragma once

#include <a9n/error.h>

/* The code's name without the A9N_ERROR_ prefix ("SUCCESS" for 0), or "UNKNOWN" for a value
 * that is no error code. The switch has no default, so -Wswitch names a code added to
 * a9n/error.h without a name here. */
const char *a9n_error_name(a9n_error error);
