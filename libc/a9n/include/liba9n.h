/*
 * liba9n: the raw A9N kernel API for user programs. The two system calls, and one typed
 * wrapper per object operation (a9n/operation.h); every wrapper returns the kernel's
 * a9n_error and, where the operation has results, stores them through pointers.
 */
#pragma once

#include <a9n/abi.h>

/* The register message registers of one system call, in and out. */
struct a9n_regs {
    a9n_word mr[A9N_MR_REGISTER_COUNT];
};

/* A capability call with all register MRs; returns MR1 (the error). */
static inline a9n_error a9n_capability_call(struct a9n_regs *r)
{
    register a9n_word mr0 __asm__("rsi") = r->mr[0];
    register a9n_word mr1 __asm__("rdx") = r->mr[1];
    register a9n_word mr2 __asm__("r8") = r->mr[2];
    register a9n_word mr3 __asm__("r9") = r->mr[3];
    register a9n_word mr4 __asm__("r10") = r->mr[4];
    register a9n_word mr5 __asm__("r12") = r->mr[5];
    register a9n_word mr6 __asm__("r13") = r->mr[6];
    register a9n_word mr7 __asm__("r14") = r->mr[7];
    register a9n_word mr8 __asm__("r15") = r->mr[8];
    __asm__ volatile("syscall"
                     : "+r"(mr0), "+r"(mr1), "+r"(mr2), "+r"(mr3), "+r"(mr4), "+r"(mr5),
                       "+r"(mr6), "+r"(mr7), "+r"(mr8)
                     : "D"((a9n_word)A9N_SYSCALL_CAPABILITY_CALL)
                     : "rcx", "r11", "memory");
    r->mr[0] = mr0;
    r->mr[1] = mr1;
    r->mr[2] = mr2;
    r->mr[3] = mr3;
    r->mr[4] = mr4;
    r->mr[5] = mr5;
    r->mr[6] = mr6;
    r->mr[7] = mr7;
    r->mr[8] = mr8;
    return (a9n_error)mr1;
}

/* Gives up the rest of this time slice to processes of the same priority. */
static inline void a9n_yield(void)
{
    __asm__ volatile("syscall"
                     :
                     : "D"((a9n_word)A9N_SYSCALL_YIELD)
                     : "rcx", "r11", "rsi", "rdx", "r8", "r9", "r10", "memory");
}

/* A call with up to 7 arguments and no results. */
static inline a9n_error a9n_call7(a9n_word cap, a9n_word op, a9n_word a0, a9n_word a1,
                                  a9n_word a2, a9n_word a3, a9n_word a4, a9n_word a5,
                                  a9n_word a6)
{
    struct a9n_regs r = {{cap, op, a0, a1, a2, a3, a4, a5, a6}};
    return a9n_capability_call(&r);
}

/* ---- Node ---- */

static inline a9n_error a9n_node_copy(a9n_word node, a9n_word dest_index, a9n_word source)
{
    return a9n_call7(node, A9N_NODE_COPY, dest_index, source, 0, 0, 0, 0, 0);
}

static inline a9n_error a9n_node_move(a9n_word node, a9n_word dest_index, a9n_word source)
{
    return a9n_call7(node, A9N_NODE_MOVE, dest_index, source, 0, 0, 0, 0, 0);
}

static inline a9n_error a9n_node_mint(a9n_word node, a9n_word dest_index, a9n_word source,
                                      a9n_word rights, a9n_word identifier)
{
    return a9n_call7(node, A9N_NODE_MINT, dest_index, source, rights, identifier, 0, 0, 0);
}

static inline a9n_error a9n_node_demote(a9n_word node, a9n_word index, a9n_word rights)
{
    return a9n_call7(node, A9N_NODE_DEMOTE, index, rights, 0, 0, 0, 0, 0);
}

static inline a9n_error a9n_node_remove(a9n_word node, a9n_word index)
{
    return a9n_call7(node, A9N_NODE_REMOVE, index, 0, 0, 0, 0, 0, 0);
}

static inline a9n_error a9n_node_revoke(a9n_word node, a9n_word index)
{
    return a9n_call7(node, A9N_NODE_REVOKE, index, 0, 0, 0, 0, 0, 0);
}

/* ---- Generic ---- */

static inline a9n_error a9n_generic_convert(a9n_word generic, a9n_word type,
                                            a9n_word specific_bits, a9n_word count,
                                            a9n_word dest_node, a9n_word dest_index)
{
    return a9n_call7(generic, A9N_GENERIC_CONVERT, type, specific_bits, count, dest_node,
                     dest_index, 0, 0);
}
