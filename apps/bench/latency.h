/* Interrupt latency under load: see latency.c. */
#pragma once

#include <koito_spawn.h>

/*
 * Runs the latency rows: idle, then while a lower-priority process repeats each long
 * kernel operation on objects made from the Generic in root slot `generic` (2^bits bytes).
 * Prints one `bench:` line per row. False if the set-up failed or an operation misbehaved.
 */
bool bench_latency(struct koito_pool *pool, const struct koito_image *image, unsigned generic,
                   unsigned bits, uint64_t *samples, unsigned capacity, uint64_t overhead);
