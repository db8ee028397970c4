/* The libc checks' expectations, from the host's glibc: writes a C file with the block hashes
 * of every family and every libm result (cases.h), which the KOITO program compares with
 * its own. Run at build time; nothing it writes is committed. */
#include "cases.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT.c\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "w");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    fprintf(f, "/* Written by libctest-gen from the host's glibc: do not edit. */\n");
    fprintf(f, "#include <stdint.h>\n\n");
    fprintf(f, "const uint64_t libc_expected[%u][%u] = {\n", FAMILIES, LIBC_BLOCKS);
    for (unsigned family = 0; family < FAMILIES; family++) {
        fprintf(f, "    {");
        for (uint32_t b = 0; b < LIBC_BLOCKS; b++)
            fprintf(f, "%s0x%016llxull,", b % 4 ? " " : "\n        ",
                    (unsigned long long)libc_block_hash(family, b));
        fprintf(f, "},\n");
    }
    fprintf(f, "};\n\nconst uint64_t libm_expected[%u][%u] = {\n", libm_function_count,
            LIBC_MATH_POINTS);
    for (unsigned m = 0; m < libm_function_count; m++) {
        fprintf(f, "    {");
        for (unsigned k = 0; k < LIBC_MATH_POINTS; k++) {
            double r = libm_call(m, k);
            unsigned long long bits;
            memcpy(&bits, &r, sizeof bits);
            fprintf(f, "%s0x%016llxull,", k % 4 ? " " : "\n        ", bits);
        }
        fprintf(f, "},\n");
    }
    fprintf(f, "};\n");
    return fclose(f) == 0 ? 0 : 1;
}
