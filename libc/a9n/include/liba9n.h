/*
 * liba9n: the raw A9N kernel API for user programs. The two system calls, and one typed
 * wrapper per object operation (a9n/operation.h); every wrapper returns the kernel's
 * a9n_error and, where the operation has results, stores them through pointers.
 *
 * A static library (libc/CMakeLists.txt) that every program links. The system-call stubs
 * and the wrappers on measured hot paths stay inline here: IPC Port messages, Notification
 * Port notify/wait/poll, IO Port read/write (a console writes each byte with one), and the
 * Node, Generic and MAP/UNMAP operations the ULMM and Buddy servers make for every request.
 * Inline, the arguments go straight into the registers the system call takes; out of line,
 * through memory and a call (the porting chapter gives the measured differences). The rest,
 * set-up and supervision calls made a few times, is defined once in libc/a9n/src.
 */
#pragma once

#include <a9n/abi.h>
#include <a9n_error_name.h>

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
                     : "+r"(mr0), "+r"(mr1), "+r"(mr2), "+r"(mr3), "+r"(mr4), "+r"(mr5), "+r"(mr6),
                       "+r"(mr7), "+r"(mr8)
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
static inline a9n_error a9n_call7(a9n_word cap, a9n_word op, a9n_word a0, a9n_word a1, a9n_word a2,
                                  a9n_word a3, a9n_word a4, a9n_word a5, a9n_word a6)
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

static inline a9n_error a9n_generic_convert(a9n_word generic, a9n_word type, a9n_word specific_bits,
                                            a9n_word count, a9n_word dest_node, a9n_word dest_index)
{
    return a9n_call7(generic, A9N_GENERIC_CONVERT, type, specific_bits, count, dest_node,
                     dest_index, 0, 0);
}

/* One 4 KiB Frame into dest_node[dest_index]: bytes [to, to + length) copied from the Frame
 * `source` at `from`, every other byte zero (a9n/operation.h). */
static inline a9n_error a9n_generic_convert_filled(a9n_word generic, a9n_word source, a9n_word from,
                                                   a9n_word to, a9n_word length, a9n_word dest_node,
                                                   a9n_word dest_index)
{
    return a9n_call7(generic, A9N_GENERIC_CONVERT_FILLED, source, from, to, length, dest_node,
                     dest_index, 0);
}

/* ---- Address Space, Frame ---- */

/* On MISSING_TABLE, *missing_level (if given) is the level that lacks a table. */
static inline a9n_error a9n_address_space_map(a9n_word as, a9n_word target, a9n_word vaddr,
                                              a9n_word attributes, a9n_word *missing_level)
{
    struct a9n_regs r = {{as, A9N_ADDRESS_SPACE_MAP, target, vaddr, attributes}};
    a9n_error e = a9n_capability_call(&r);
    if (missing_level != NULL)
        *missing_level = r.mr[A9N_MR_RESULT0];
    return e;
}

static inline a9n_error a9n_address_space_unmap(a9n_word as, a9n_word target)
{
    return a9n_call7(as, A9N_ADDRESS_SPACE_UNMAP, target, 0, 0, 0, 0, 0, 0);
}

a9n_error a9n_address_space_get_unset_depth(a9n_word as, a9n_word vaddr, a9n_word *level);

/* ---- ASID Control, ASID Pool ---- */

/* Makes an ASID Pool from 4 KiB of the Generic, in dest_node[dest_index]. */
a9n_error a9n_asid_control_make_pool(a9n_word control, a9n_word generic, a9n_word dest_node,
                                     a9n_word dest_index);

/* Gives the Address Space (its only capability) a free ASID of the pool. */
a9n_error a9n_asid_pool_assign(a9n_word pool, a9n_word address_space);

a9n_error a9n_frame_get_address(a9n_word frame, a9n_word *physical);
a9n_error a9n_frame_copy(a9n_word frame, a9n_word source, a9n_word from, a9n_word to,
                         a9n_word length);

/* ---- Process ---- */

/* CONFIGURE with the values for the bits of `mask` in values[] (in bit order). Up to six
 * values travel in registers; more need the IPC buffer at `ipc_buffer` (or NULL). */
a9n_error a9n_process_configure(a9n_word process, a9n_word mask, const a9n_word *values,
                                unsigned count, struct a9n_ipc_buffer *ipc_buffer);

a9n_error a9n_process_read_register(a9n_word process, a9n_word reg, a9n_word *value);

a9n_error a9n_process_write_register(a9n_word process, a9n_word reg, a9n_word value);

a9n_error a9n_process_resume(a9n_word process);

/* A pause: RESUME goes on. */
a9n_error a9n_process_suspend(a9n_word process);

/* The end (it exits, or it is killed): stopped, and its exit notice goes out. */
a9n_error a9n_process_end(a9n_word process);

/* ---- IPC Port: register-only messages (up to 5 words) ---- */

struct a9n_message {
    a9n_word identifier;
    a9n_word info;
    a9n_word word[5];
};

static inline a9n_error a9n_ipc_port_call_op(a9n_word port, a9n_word op, struct a9n_message *m)
{
    struct a9n_regs r = {
        {port, op, 0, m->info, m->word[0], m->word[1], m->word[2], m->word[3], m->word[4]}};
    a9n_error e = a9n_capability_call(&r);
    m->identifier = r.mr[2];
    m->info = r.mr[3];
    for (unsigned i = 0; i < 5; i++)
        m->word[i] = r.mr[4 + i];
    return e;
}

static inline a9n_error a9n_ipc_port_send(a9n_word port, struct a9n_message *m)
{
    return a9n_ipc_port_call_op(port, A9N_IPC_PORT_SEND, m);
}

static inline a9n_error a9n_ipc_port_receive(a9n_word port, struct a9n_message *m)
{
    return a9n_ipc_port_call_op(port, A9N_IPC_PORT_RECEIVE, m);
}

static inline a9n_error a9n_ipc_port_call(a9n_word port, struct a9n_message *m)
{
    return a9n_ipc_port_call_op(port, A9N_IPC_PORT_CALL, m);
}

static inline a9n_error a9n_ipc_port_reply(a9n_word port, struct a9n_message *m)
{
    return a9n_ipc_port_call_op(port, A9N_IPC_PORT_REPLY, m);
}

static inline a9n_error a9n_ipc_port_reply_receive(a9n_word port, struct a9n_message *m)
{
    return a9n_ipc_port_call_op(port, A9N_IPC_PORT_REPLY_RECEIVE, m);
}

static inline a9n_error a9n_ipc_port_identify(a9n_word port, a9n_word *identifier)
{
    struct a9n_regs r = {{port, A9N_IPC_PORT_IDENTIFY}};
    a9n_error e = a9n_capability_call(&r);
    *identifier = r.mr[A9N_MR_RESULT0];
    return e;
}

/* ---- IO Port ---- */

static inline a9n_error a9n_io_port_read(a9n_word io, a9n_word port, a9n_word width,
                                         a9n_word *value)
{
    struct a9n_regs r = {{io, A9N_IO_PORT_READ, port, width}};
    a9n_error e = a9n_capability_call(&r);
    *value = r.mr[A9N_MR_RESULT0];
    return e;
}

static inline a9n_error a9n_io_port_write(a9n_word io, a9n_word port, a9n_word width,
                                          a9n_word value)
{
    return a9n_call7(io, A9N_IO_PORT_WRITE, port, width, value, 0, 0, 0, 0);
}

a9n_error a9n_io_port_mint(a9n_word io, a9n_word first, a9n_word last, a9n_word dest_node,
                           a9n_word index);

/* ---- Notification Port ---- */

static inline a9n_error a9n_notification_port_notify(a9n_word port)
{
    return a9n_call7(port, A9N_NOTIFICATION_PORT_NOTIFY, 0, 0, 0, 0, 0, 0, 0);
}

static inline a9n_error a9n_notification_port_wait(a9n_word port, a9n_word *word)
{
    struct a9n_regs r = {{port, A9N_NOTIFICATION_PORT_WAIT}};
    a9n_error e = a9n_capability_call(&r);
    *word = r.mr[2];
    return e;
}

static inline a9n_error a9n_notification_port_poll(a9n_word port, a9n_word *word)
{
    struct a9n_regs r = {{port, A9N_NOTIFICATION_PORT_POLL}};
    a9n_error e = a9n_capability_call(&r);
    *word = r.mr[2];
    return e;
}

/* ---- Interrupt Region, Interrupt Port ---- */

a9n_error a9n_interrupt_region_make_port(a9n_word region, a9n_word line, a9n_word dest_node,
                                         a9n_word index);

a9n_error a9n_interrupt_port_bind(a9n_word port, a9n_word notification);

a9n_error a9n_interrupt_port_unbind(a9n_word port);

a9n_error a9n_interrupt_port_ack(a9n_word port);

/* ---- Debug ---- */

/* One batch of the live capability tree into the caller's IPC buffer (a9n/debug.h). */
a9n_error a9n_debug_introspect(a9n_word debug, a9n_word cursor, a9n_word *count, a9n_word *next);

/* The same, leaving out `count` slots of the Node `node` from slot `first` on: their records
 * are not written (their subtrees are still walked). */
a9n_error a9n_debug_introspect_except(a9n_word debug, a9n_word cursor, a9n_word node,
                                      a9n_word first, a9n_word count, a9n_word *records,
                                      a9n_word *next);
