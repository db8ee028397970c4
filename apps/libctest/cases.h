/*
 * The libc checks' cases, compiled twice: on the host against glibc (gen.c, which writes the
 * expected results as a C table) and in KOITO against newlib (main.c, which compares). Both
 * generate the same inputs from the same seeds; what the C library makes of them is hashed
 * per block of cases (FNV-1a over the outputs), or kept whole for libm.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define LIBC_CASES       100000u /* per family */
#define LIBC_BLOCK       1000u   /* cases per hash */
#define LIBC_BLOCKS      (LIBC_CASES / LIBC_BLOCK)
#define LIBC_MATH_POINTS 1000u /* inputs per libm function */

enum libc_family {
    FAMILY_PRINTF_INT,
    FAMILY_PRINTF_DOUBLE,
    FAMILY_SCANF,
    FAMILY_STRTOL,
    FAMILY_STRTOD,
    FAMILIES,
};

extern const char *const libc_family_names[FAMILIES];

/* Case `i` of a family: writes what the C library made of it (text, or the parsed values
 * as text) into out[0..size) and the input (for a report) into in[0..size). */
void libc_case(enum libc_family family, uint32_t i, char *out, size_t size, char *in,
               size_t in_size);

/* The hash of block b of a family (cases b*LIBC_BLOCK ..). */
uint64_t libc_block_hash(enum libc_family family, uint32_t b);

/* libm: the functions checked, their input, and the bound on the difference (in ulps)
 * between newlib's result and glibc's: fdlibm's documented error plus glibc's. */
struct libm_function {
    const char *name;
    double (*f1)(double);
    double (*f2)(double, double);
    double lo, hi;  /* inputs drawn in [lo, hi] */
    unsigned bound; /* ulps */
};
extern const struct libm_function libm_functions[];
extern const unsigned libm_function_count;
/* Input k (and, for two-argument functions, the second argument) of function f. */
void libm_input(unsigned f, unsigned k, double *x, double *y);
double libm_call(unsigned f, unsigned k);
