/*
 * Alpha as the supervisor. A process declared without a resolver of its own sends its
 * faults to Alpha's supervisor port, through a capability whose identifier is its index + 1.
 * Alpha names the process and the source line of the fault, then applies the policy the
 * system file declares for it (`fault:`):
 *
 *   stop     it stays suspended; the rest of the system runs on;
 *   restart  it is rebuilt as Alpha built it at boot: the old incarnation ends (its exit
 *            notice goes out, so the memory servers take back what it held), every
 *            capability it made or was given
 *            removed (and everything derived from them revoked), its declared capabilities
 *            installed again, its image written again into its frames, its stack and IPC
 *            buffer zeroed, its registers set to the entry point; then it runs again.
 *            Declared shared memory keeps its contents (it is shared). A declared memory
 *            pool (ULMM's Generic) and an interrupt line stay in place, everything made from
 *            them revoked;
 *   halt     the whole system stops with the failure verdict.
 *
 * The anchor is Hubris's supervisor: restarting a task in place from its image, counting
 * restarts, while the others keep running.
 */
#include "alpha.h"

#include <a9n/fault.h>
#include <a9n/notification.h>
#include <stdio.h>
#include <koito_supervisor.h>
#include <string.h>

static unsigned port_slot, pass_slot;
static uint32_t faults[ALPHA_MAX_PROCESSES], restarts[ALPHA_MAX_PROCESSES];

bool alpha_supervisor_create(void)
{
    port_slot = koito_slot(&scratch);
    pass_slot = koito_slot(&scratch);
    return port_slot != 0 && pass_slot != 0 && alpha_convert(A9N_OBJECT_IPC_PORT, 0, port_slot);
}

unsigned alpha_supervisor_capability(uint32_t i)
{
    return a9n_node_mint(ALPHA_ROOT, pass_slot, alpha_root(port_slot),
                         A9N_RIGHT_WRITE | A9N_RIGHT_COPY, (a9n_word)i + 1) == A9N_SUCCESS
               ? pass_slot
               : 0;
}

unsigned alpha_supervisor_slot(void)
{
    return port_slot;
}

uint32_t alpha_fault_count(uint32_t i)
{
    return i < alpha_spec.process_count ? faults[i] : 0;
}

uint32_t alpha_restart_count(uint32_t i)
{
    return i < alpha_spec.process_count ? restarts[i] : 0;
}

static const char *const kinds[] = {
    "page fault", "general protection fault", "invalid opcode",  "divide error",
    "debug trap", "floating-point fault",     "alignment fault", "fault"};
static const char *const policies[] = {"stop", "restart", "halt"};

static void report(uint32_t i, const struct a9n_message *m)
{
    const struct alpha_process *p = &alpha_spec.processes[i];
    const char *name = alpha_expect.process_names[i];
    a9n_word kind = m->word[0] < 8 ? m->word[0] : 7, ip = m->word[3];
    char what[96], where[160];
    if (kind == A9N_FAULT_PAGE)
        snprintf(what, sizeof what, "page fault %s 0x%lx",
                 m->word[2] & A9N_FAULT_EXECUTE ? "executing"
                 : m->word[2] & A9N_FAULT_WRITE ? "writing"
                                                : "reading",
                 m->word[1]);
    else
        snprintf(what, sizeof what, "%s", kinds[kind]);
    if (!alpha_source_line(p->image, ip, where, sizeof where))
        snprintf(where, sizeof where, "an address with no source line");
    printf("alpha: process %s faulted (fault %u): %s at %s, ip 0x%lx (vector %lu, code 0x%lx)\n",
           name, faults[i], what, where, ip, m->word[4] >> 32, m->word[4] & 0xffffffff);
}

/* Bit per slot of the Node being restarted: a slot the restart keeps (revoking what was made
 * from it) instead of emptying and filling again. */
static uint8_t keep[(1u << 16) / 8];

static bool restart(uint32_t i)
{
    const struct alpha_process *p = &alpha_spec.processes[i];
    a9n_word process = alpha_root(object_slot(p->process));
    a9n_word node = alpha_root(object_slot(p->node));
    /* The old incarnation ends (not a pause): its exit notice, if it has one, tells the
     * memory servers, which take back everything it got from them before the new one can
     * ask (they run above their clients, and a notice waiting for them is delivered before
     * any later request; ULMM chapter, "Restarts"). The RESUME below clears the end, so the
     * next restart is told again. */
    a9n_process_end(process);

    uint32_t slots = 1u << p->node_radix;
    memset(keep, 0, (slots + 7) / 8);
    for (uint32_t k = 0; k < p->cap_count; k++) {
        const struct alpha_cap *c = &p->caps[k];
        if (c->kind == ALPHA_CAP_IRQ || (c->kind == ALPHA_CAP_OBJECT &&
                                         alpha_spec.objects[c->object].type == A9N_OBJECT_GENERIC))
            keep[c->slot / 8] |= (uint8_t)(1u << (c->slot % 8));
    }
    /* Everything the process holds goes (what it made from it first); the kept slots lose
     * only what was made from them. An empty slot answers with an error: nothing to do. */
    for (uint32_t s = 0; s < slots; s++) {
        a9n_node_revoke(node, s);
        if (!(keep[s / 8] & (1u << (s % 8))))
            a9n_node_remove(node, s);
    }
    for (uint32_t k = 0; k < p->cap_count; k++) {
        const struct alpha_cap *c = &p->caps[k];
        if (keep[c->slot / 8] & (1u << (c->slot % 8)))
            continue;
        if (!alpha_reinstall_cap(i, c, pass_slot)) {
            printf("alpha: %s: cannot install capability %s again\n", p->name, c->name);
            return false;
        }
    }
    uint64_t entry;
    if (!alpha_reload_image(i, &entry)) {
        printf("alpha: %s: cannot load %s.elf again\n", p->name, p->image);
        return false;
    }
    static const uint8_t nothing[1];
    for (uint32_t k = 0; k < p->stack_pages; k++)
        if (!alpha_fill_frame(object_slot(p->stack + k), nothing, 0))
            return false;
    if (!alpha_fill_frame(object_slot(p->ipc_buffer), nothing, 0))
        return false;
    /* Registers as at boot: every general register zero (RDI: the start argument). */
    for (unsigned r = A9N_REGISTER_RAX; r < A9N_REGISTER_COUNT; r++)
        if (a9n_process_write_register(process, r, 0) != A9N_SUCCESS)
            return false;
    a9n_word priority = p->priority;
    if (a9n_process_write_register(process, A9N_REGISTER_FLAGS, 0) != A9N_SUCCESS ||
        a9n_process_write_register(process, A9N_REGISTER_IP, entry) != A9N_SUCCESS ||
        a9n_process_write_register(process, A9N_REGISTER_SP, ALPHA_STACK_TOP - 16) != A9N_SUCCESS ||
        a9n_process_configure(process, A9N_PROCESS_CONFIGURE_PRIORITY, &priority, 1,
                              (struct a9n_ipc_buffer *)boot->ipc_buffer_address) != A9N_SUCCESS)
        return false;
    a9n_process_write_register(process, A9N_REGISTER_TLS_BASE, 0);
    return a9n_process_resume(process) == A9N_SUCCESS;
}

/* A call through a fault (koito_supervisor.h): a jump to a marker in the first page. True
 * if it was one (and it is answered). */
static bool supervisor_call(uint32_t i, const struct a9n_message *m)
{
    const struct alpha_process *p = &alpha_spec.processes[i];
    const char *name = alpha_expect.process_names[i];
    a9n_word process = alpha_root(object_slot(p->process)), word = 0, resume = 0;
    if (m->word[0] != A9N_FAULT_PAGE || !(m->word[2] & A9N_FAULT_EXECUTE) ||
        m->word[1] != m->word[3] ||
        (m->word[1] != KOITO_SUPERVISOR_EXIT && m->word[1] != KOITO_SUPERVISOR_NO_CONSOLE))
        return false;
    a9n_process_read_register(process, A9N_REGISTER_RSI, &word);
    a9n_process_read_register(process, A9N_REGISTER_RDI, &resume);
    /* Where a process stops for good, it has ended (a9n/process.h): its exit notice goes out,
     * so the memory servers take back what it held (a restart ends the old incarnation too). */
    if (m->word[1] == KOITO_SUPERVISOR_EXIT) {
        a9n_process_end(process);
        printf("alpha: %s exited with status %ld (it holds no Process capability to stop "
               "itself: its supervisor stopped it)\n",
               name, (long)word);
        return true;
    }
    printf("alpha: %s: printf has no Debug capability in root slot %u (error %lu): its output "
           "is lost; declare one: debug: { debug: true, slot: %u }\n",
           name, A9N_ROOT_SLOT_DEBUG, (unsigned long)word, A9N_ROOT_SLOT_DEBUG);
    /* It goes on after the call; the kernel refuses a resume address outside user space. */
    struct a9n_message reply = {0};
    if (a9n_process_write_register(process, A9N_REGISTER_IP, resume) != A9N_SUCCESS ||
        a9n_ipc_port_reply(alpha_root(port_slot), &reply) != A9N_SUCCESS) {
        a9n_process_end(process);
        printf("alpha: %s cannot go on at 0x%lx (refused): it is suspended\n", name,
               (unsigned long)resume);
    }
    return true;
}

static void on_fault(uint32_t i, const struct a9n_message *m)
{
    const struct alpha_process *p = &alpha_spec.processes[i];
    const char *name = alpha_expect.process_names[i];
    if (supervisor_call(i, m))
        return;
    faults[i]++;
    report(i, m);
    switch (p->fault_policy) {
    case ALPHA_FAULT_RESTART:
        if (restart(i)) {
            restarts[i]++;
            printf("alpha: %s restarted from %s.elf (fault policy restart), restart %u\n", name,
                   p->image, restarts[i]);
            return;
        }
        printf("alpha: %s could not be restarted: it stays suspended\n", name);
        a9n_process_end(alpha_root(object_slot(p->process)));
        return;
    case ALPHA_FAULT_HALT:
        printf("alpha: %s faulted and its fault policy is halt: the system is stopped\n", name);
        koito_qemu_exit(alpha_root(A9N_ROOT_SLOT_IO_PORT), false);
    default:
        a9n_process_end(alpha_root(object_slot(p->process)));
        printf("alpha: %s is stopped (fault policy %s), the rest of the system runs on\n", name,
               policies[ALPHA_FAULT_STOP]);
        return;
    }
}

_Noreturn void alpha_supervise(void)
{
    struct a9n_message m;
    for (;;) {
        a9n_error e = a9n_ipc_port_receive(alpha_root(port_slot), &m);
        if (e != A9N_SUCCESS) {
            printf("alpha: the supervisor cannot receive (error %lu); it stops\n",
                   (unsigned long)e);
            for (;;)
                a9n_process_suspend(alpha_root(A9N_ROOT_SLOT_PROCESS));
        }
        if (m.info & A9N_IPC_NOTIFICATION) {
            alpha_inspect_serve(); /* COM2 (inspect.c) */
            continue;
        }
        /* Only the processes' resolver capabilities reach this port, and they send faults. */
        if ((m.info & A9N_IPC_FAULT) && m.identifier >= 1 &&
            m.identifier <= alpha_spec.process_count)
            on_fault((uint32_t)m.identifier - 1, &m);
    }
}
