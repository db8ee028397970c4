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

bool alpha_create_objects(void)
{
    for (uint32_t i = 0; i < alpha_spec.object_count; i++) {
        const struct alpha_object *o = &alpha_spec.objects[i];
        if (!alpha_convert(o->type, o->specific_bits, object_slot(i))) {
            printf("alpha: cannot make object %s (type %u, %u bytes)\n", o->name, o->type,
                   1u << o->size_bits);
            return false;
        }
    }
    return true;
}
