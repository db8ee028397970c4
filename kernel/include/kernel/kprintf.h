/* Kernel console formatting: a small printf for the kernel (no floating point). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/*
 * Conversions: %c %s %d %i %u %x %X %p %%; length modifiers l, ll, z; flags '0' and '-';
 * a field width. Anything else is printed literally.
 */
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);

/* The same formatting into a buffer; always NUL-terminates when size > 0. Returns the
 * length the full output would have had. */
__attribute__((format(printf, 3, 4))) size_t ksnprintf(char *buf, size_t size, const char *fmt,
                                                       ...);
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
