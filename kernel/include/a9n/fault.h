/*
 * A9N ABI: fault messages. When a process faults, the kernel makes it CALL its resolver
 * port (Process CONFIGURE, RESOLVER) with the message below; the resolver receives it like
 * any call (a9n/ipc.h), with MR2 = the identifier of the resolver capability the faulting
 * process holds and A9N_IPC_FAULT set in MR3. A REPLY resumes the faulting process, which
 * retries the instruction (the resolver may have mapped a page or changed its registers);
 * no reply leaves it blocked. A process without a resolver is suspended and the kernel
 * logs one line.
 *
 *   MR4 = enum a9n_fault_kind           MR5 = address (page fault: the faulting address)
 *   MR6 = A9N_FAULT_* flags              MR7 = instruction pointer
 *   MR8 = architecture vector << 32 | architecture error code
 */
#pragma once

#include <a9n/types.h>

#define A9N_FAULT_LENGTH 5

enum a9n_fault_kind {
    A9N_FAULT_PAGE = 0,
    A9N_FAULT_GENERAL_PROTECTION = 1, /* also privileged instructions */
    A9N_FAULT_INVALID_OPCODE = 2,
    A9N_FAULT_DIVIDE = 3,
    A9N_FAULT_DEBUG = 4,
    A9N_FAULT_FLOATING_POINT = 5,
    A9N_FAULT_ALIGNMENT = 6,
    A9N_FAULT_OTHER = 7,
};

enum a9n_fault_flags {
    A9N_FAULT_WRITE = 1u << 0,
    A9N_FAULT_EXECUTE = 1u << 1,
    A9N_FAULT_PRESENT = 1u << 2, /* the page was mapped: the access broke its rights */
};
