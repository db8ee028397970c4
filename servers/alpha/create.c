/* Making the spec's objects from the boot Generics. */
#include "alpha.h"

/* The smallest object size (bits) each boot Generic has refused, 0: none yet. A Generic's
 * watermark only rises, and an object is placed at the watermark aligned up to its size, so
 * one that refused 2^b bytes refuses every object of 2^b or more from then on: asking it again
 * would only cost a call (most of a boot's CONVERTs once went to full Generics). */
static uint8_t refused_bits[A9N_BOOT_INFO_GENERIC_MAX];

enum convert_result { CONVERTED, ALL_FULL, CONVERT_FAILED };

static enum convert_result convert_from(bool skip_refused, unsigned type, unsigned specific_bits,
                                        unsigned slot, unsigned count)
{
    unsigned bits = a9n_object_bits(type, specific_bits);
    for (unsigned g = 0; g < boot->generic_count; g++) {
        if (skip_refused && refused_bits[g] != 0 && bits >= refused_bits[g])
            continue;
        a9n_error e = a9n_generic_convert(alpha_root(boot->generic_first + g), type, specific_bits,
                                          count, ALPHA_ROOT, slot);
        if (e == A9N_SUCCESS)
            return CONVERTED;
        if (e == A9N_ERROR_NOT_ENOUGH_MEMORY) {
            /* Only a single object's refusal says the Generic is full for its size. */
            if (count == 1 && (refused_bits[g] == 0 || bits < refused_bits[g]))
                refused_bits[g] = (uint8_t)bits;
        } else {
            printf("alpha: CONVERT of type %u into slot %u: error %lu\n", type, slot,
                   (unsigned long)e);
            return CONVERT_FAILED;
        }
    }
    return ALL_FULL;
}

bool alpha_convert(unsigned type, unsigned specific_bits, unsigned slot)
{
    /* CONVERT aligns each object to its size, so trying the Generics in order and moving on
     * when one is full packs largest-first allocations tightly (as capgen planned). Skipping
     * the ones that must refuse picks the same Generic; if memory came back to one (a Generic
     * revoked while the system runs), the full scan still finds it. */
    enum convert_result r = convert_from(true, type, specific_bits, slot, 1);
    if (r == ALL_FULL)
        r = convert_from(false, type, specific_bits, slot, 1);
    return r == CONVERTED;
}

bool alpha_convert_many(unsigned type, unsigned specific_bits, unsigned slot, unsigned count)
{
    /* All in one call from the first Generic with room for them together; when none has,
     * one by one (they may then spread over Generics, as single CONVERTs always did). */
    enum convert_result r =
        count > 1 ? convert_from(true, type, specific_bits, slot, count) : ALL_FULL;
    if (r == CONVERT_FAILED)
        return false;
    for (unsigned k = 0; r == ALL_FULL && k < count; k++)
        if (!alpha_convert(type, specific_bits, slot + k))
            return false;
    return true;
}

/* Gives the Address Space in `slot` an ASID: from the boot pool, then from pools Alpha makes
 * (4 KiB each, from the boot Generics) as each runs out. */
static bool assign_asid(unsigned slot)
{
    static unsigned pool = A9N_ROOT_SLOT_ASID_POOL, made;
    for (;;) {
        a9n_error e = a9n_asid_pool_assign(alpha_root(pool), alpha_root(slot));
        if (e != A9N_ERROR_NO_ASID)
            return e == A9N_SUCCESS;
        if (made == ALPHA_ASID_POOLS)
            return false;
        unsigned next = ASID_POOL_SLOT_FIRST + made;
        bool ok = false;
        for (unsigned g = 0; g < boot->generic_count && !ok; g++)
            ok = a9n_asid_control_make_pool(alpha_root(A9N_ROOT_SLOT_ASID_CONTROL),
                                            alpha_root(boot->generic_first + g), ALPHA_ROOT,
                                            next) == A9N_SUCCESS;
        if (!ok)
            return false;
        pool = next;
        made++;
    }
}

bool alpha_create_objects(void)
{
    for (uint32_t i = 0; i < alpha_spec.object_count; i++) {
        const struct alpha_object *o = &alpha_spec.objects[i];
        if (!alpha_convert(o->type, o->specific_bits, object_slot(i))) {
            printf("alpha: cannot make object %s (type %u, %u bytes)\n", o->name, o->type,
                   1u << o->size_bits);
            return false;
        }
        /* Every process's Address Space gets its ASID from Alpha's own pools (a declared
         * process that makes Address Spaces gets a pool of its own). */
        if (o->type == A9N_OBJECT_ADDRESS_SPACE && !assign_asid(object_slot(i))) {
            printf("alpha: no ASID for %s\n", o->name);
            return false;
        }
    }
    return true;
}
