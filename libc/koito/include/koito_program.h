/*
 * The setup most declared C programs share: the console for stdout, the Process for exit,
 * the RTC for time, and malloc's heap through the Buddy server (frames) and a ULMM server
 * (page tables). A program calls koito_program_setup from its koito_setup with its own
 * capabilities (its caps/<name>.h), instead of repeating the wiring.
 */
#pragma once

#include <koito_ulmm.h>

/* Where the heap goes: nothing else is mapped there, and root slots from KOITO_HEAP_SLOT on
 * receive its Frames (a program that uses them for something else passes its own). */
#define KOITO_HEAP_BASE 0x10000000ull
#define KOITO_HEAP_SLOT 1024

struct koito_program {
    a9n_word console, process, rtc; /* descriptors in the program's root Node */
    a9n_word buddy, ulmm;           /* IPC Ports of the Buddy server and a ULMM server */
    a9n_word node;                  /* the program's root Node and its radix */
    unsigned node_radix;
    a9n_word address_space;            /* the program's own Address Space */
    struct a9n_ipc_buffer *ipc_buffer; /* where its IPC buffer is mapped */
    a9n_word *heap_handles;            /* heap_pages words, kept for the program's life */
    unsigned heap_pages;               /* the heap's limit: the Buddy quota, in pages */
};

void koito_program_setup(const struct koito_program *p);

/*
 * The whole koito_setup of a program that names its capabilities the conventional way in
 * its system file (console, process, rtc, pages for the Buddy server, ulmm, node,
 * address_space: CAP_<name> in its caps/<name>.h, included before this is expanded), with
 * a heap of at most `pages` pages (its Buddy quota). Lua, SQLite, libctest and libcbench
 * share it; a program wired differently calls koito_program_setup itself.
 */
#define KOITO_STANDARD_SETUP(pages)                                                                \
    static a9n_word koito_heap_handles[(pages)];                                                   \
    void koito_setup(void)                                                                         \
    {                                                                                              \
        koito_program_setup(&(struct koito_program){                                               \
            .console = CAP_console,                                                                \
            .process = CAP_process,                                                                \
            .rtc = CAP_rtc,                                                                        \
            .buddy = CAP_pages,                                                                    \
            .ulmm = CAP_ulmm,                                                                      \
            .node = CAP_node,                                                                      \
            .node_radix = CAPS_NODE_RADIX,                                                         \
            .address_space = CAP_address_space,                                                    \
            .ipc_buffer = (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER,                               \
            .heap_handles = koito_heap_handles,                                                    \
            .heap_pages = (pages),                                                                 \
        });                                                                                        \
    }
