/*
 * Calls to the supervisor through a fault. A program that cannot do something itself (it
 * holds no Process capability to stop itself, no Debug capability to print) jumps to one of
 * these addresses in the never-mapped first page, with the address to go on at in RDI and a
 * word in RSI. The fault goes to its resolver: Alpha, for a declared process without a
 * resolver of its own (servers/alpha/supervise.c), which says what happened and suspends it
 * (EXIT) or lets it go on at RDI (NO_CONSOLE). A process with a resolver of its own sends the
 * same page fault there; one with none is suspended by the kernel, which logs it.
 */
#pragma once

#include <a9n/types.h>

#define KOITO_SUPERVISOR_EXIT       0xe00ul /* RSI: the exit status */
#define KOITO_SUPERVISOR_NO_CONSOLE 0xd00ul /* RSI: the error of the Debug WRITE */

void koito_supervisor_call(a9n_word address, a9n_word word);
