/*
 * A9N ABI: the basic word type. Everything in kernel/include/a9n/ is shared verbatim by the
 * kernel, liba9n, capgen and ULMM, in freestanding and in host C: only <stdint.h>,
 * <stddef.h> and <stdbool.h>, no libc, no code that needs linking.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One machine word: a message register, a descriptor, an argument, a result. */
typedef uint64_t a9n_word;

#define A9N_WORD_BITS 64

_Static_assert(sizeof(a9n_word) * 8 == A9N_WORD_BITS, "a9n_word is one 64-bit word");
