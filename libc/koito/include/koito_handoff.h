/*
 * Handoffs between an in-system test driver and the programs it drives: the program CALLs
 * the driver's Port with one word (and maybe capabilities, such as its own Process), and the
 * driver takes the CALL, keeps the reply owed for as long as it wants the program parked, and
 * answers with one word. Used by the ULMM tests that kill clients at chosen moments.
 */
#pragma once

#include <a9n/abi.h>
#include <stdbool.h>

/* The program's side: CALLs `port` with `word` and `caps` capabilities (the caller has set
 * the IPC buffer's transfer_source) and returns the driver's answer. */
a9n_word koito_handoff_tell(a9n_word port, a9n_word word, unsigned caps);

/* The driver's side: takes one CALL on `port`; its capabilities land in `node` from slot
 * `dest` on, its word in *word. False when the RECEIVE fails. The reply stays owed until
 * koito_handoff_answer. */
bool koito_handoff_take(a9n_word port, struct a9n_ipc_buffer *buffer, a9n_word node, a9n_word dest,
                        a9n_word *word);

/* Answers the CALL taken last on `port` with one word. */
void koito_handoff_answer(a9n_word port, a9n_word word);
