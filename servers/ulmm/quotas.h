/*
 * The quotas a server enforces, from its caps header (included first): capgen emits
 * ULMM_QUOTAS when the system file declares any, and has proved that they fit. Then a badge
 * without a declared quota gets nothing. A system that declares none leaves every client
 * the whole cache or pool (`otherwise`): only useful for experiments.
 */
#pragma once

#include <a9n/types.h>

#ifdef ULMM_QUOTAS
static const struct {
    a9n_word badge, kind, amount;
} ulmm_quotas[ULMM_QUOTA_COUNT] = ULMM_QUOTAS;
#endif

/* What client `badge` may hold of `kind` (a cache number, or 8 for Buddy bytes). */
static inline uint64_t ulmm_declared_quota(a9n_word badge, unsigned kind, uint64_t otherwise)
{
#ifdef ULMM_QUOTAS
    (void)otherwise;
    for (unsigned i = 0; i < ULMM_QUOTA_COUNT; i++)
        if (ulmm_quotas[i].badge == badge && ulmm_quotas[i].kind == kind)
            return ulmm_quotas[i].amount;
    return 0;
#else
    (void)badge;
    (void)kind;
    return otherwise;
#endif
}
