/* liba9n: a9n_error_name() (a9n_error_name.h): one name per code of a9n/error.h. */
#include <a9n_error_name.h>

const char *a9n_error_name(a9n_error error)
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
