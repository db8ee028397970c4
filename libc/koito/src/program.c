/* The usual wiring of a declared C program (koito_program.h). */
#include <koito.h>
#include <koito_heap.h>
#include <koito_program.h>

void koito_program_setup(const struct koito_program *p)
{
    koito_console_port = p->console;
    koito_process_cap = p->process;
    koito_time_rtc(p->rtc);
    koito_heap_buddy(&(struct koito_heap_buddy){
        .pages = {p->buddy, p->ipc_buffer, p->node, p->node_radix},
        .tables = {p->ulmm, p->ipc_buffer, p->node, p->node_radix},
        .address_space = p->address_space,
        .first_slot = KOITO_HEAP_SLOT,
        .handles = p->heap_handles,
        .max_pages = p->heap_pages,
        .base = KOITO_HEAP_BASE,
    });
}
