/*
 * a9n_error_name(): the name of a kernel error code, for messages a person reads
 * ("convert failed: NOT_ENOUGH_MEMORY" rather than "error 6"). Header-only and without
 * system calls, so host tests and every user program can use it; liba9n.h includes it.
 */
#pragma once

#include <a9n/error.h>

/* The code's name without the A9N_ERROR_ prefix ("SUCCESS" for 0), or "UNKNOWN" for a value
 * that is no error code. The switch has no default, so -Wswitch names a code added to
 * a9n/error.h without a name here. */
static inline const char *a9n_error_name(a9n_error error)
{
    switch (error) {
    case A9N_SUCCESS:
        return "SUCCESS";
    case A9N_ERROR_ILLEGAL_OPERATION:
        return "ILLEGAL_OPERATION";
    case A9N_ERROR_PERMISSION_DENIED:
        return "PERMISSION_DENIED";
    case A9N_ERROR_INVALID_DESCRIPTOR:
        return "INVALID_DESCRIPTOR";
    case A9N_ERROR_INVALID_DEPTH:
        return "INVALID_DEPTH";
    case A9N_ERROR_INVALID_ARGUMENT:
        return "INVALID_ARGUMENT";
    case A9N_ERROR_NOT_ENOUGH_MEMORY:
        return "NOT_ENOUGH_MEMORY";
    case A9N_ERROR_INDEX_OUT_OF_RANGE:
        return "INDEX_OUT_OF_RANGE";
    case A9N_ERROR_EMPTY_SLOT:
        return "EMPTY_SLOT";
    case A9N_ERROR_SLOT_OCCUPIED:
        return "SLOT_OCCUPIED";
    case A9N_ERROR_WRONG_TYPE:
        return "WRONG_TYPE";
    case A9N_ERROR_DESTROYED:
        return "DESTROYED";
    case A9N_ERROR_FATAL:
        return "FATAL";
    case A9N_ERROR_CANCELED:
        return "CANCELED";
    case A9N_ERROR_MISSING_TABLE:
        return "MISSING_TABLE";
    case A9N_ERROR_ADDRESS_IN_USE:
        return "ADDRESS_IN_USE";
    case A9N_ERROR_ALREADY_MAPPED:
        return "ALREADY_MAPPED";
    case A9N_ERROR_NOT_MAPPED:
        return "NOT_MAPPED";
    case A9N_ERROR_IN_USE:
        return "IN_USE";
    case A9N_ERROR_NO_ASID:
        return "NO_ASID";
    case A9N_ERROR_COUNT:
        break;
    }
    return "UNKNOWN";
}
