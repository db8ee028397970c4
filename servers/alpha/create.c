/* Making the spec's objects from the boot Generics. */
#include "alpha.h"

bool alpha_convert(unsigned type, unsigned specific_bits, unsigned slot)
{
    /* CONVERT aligns each object to its size, so trying the Generics in order and moving on
     * when one is full packs largest-first allocations tightly (as capgen planned). */
    for (unsigned g = 0; g < boot->generic_count; g++) {
        a9n_error e = a9n_generic_convert(koito_root(boot->generic_first + g), type, specific_bits,
                                          1, ALPHA_ROOT, slot);
        if (e == A9N_SUCCESS)
            return true;
        if (e != A9N_ERROR_NOT_ENOUGH_MEMORY) {
            printf("alpha: CONVERT of type %u into slot %u: error %lu\n", type, slot,
                   (unsigned long)e);
            return false;
        }
    }
    return false;
}

/* Gives the Address Space in `slot` an ASID: from the boot pool, then from pools Alpha makes
 * (4 KiB each, from the boot Generics) as each runs out. */
static bool assign_asid(unsigned slot)
{
    static unsigned pool = A9N_ROOT_SLOT_ASID_POOL, made;
    for (;;) {
        a9n_error e = a9n_asid_pool_assign(koito_root(pool), koito_root(slot));
        if (e != A9N_ERROR_NO_ASID)
            return e == A9N_SUCCESS;
        if (made == ALPHA_ASID_POOLS)
            return false;
        unsigned next = ASID_POOL_SLOT_FIRST + made;
        bool ok = false;
        for (unsigned g = 0; g < boot->generic_count && !ok; g++)
            ok = a9n_asid_control_make_pool(koito_root(A9N_ROOT_SLOT_ASID_CONTROL),
                                            koito_root(boot->generic_first + g), ALPHA_ROOT,
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
