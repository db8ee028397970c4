/* Its own file, so that only the programs that format lines link newlib's vsnprintf. */
#include <koito_console.h>
#include <stdarg.h>
#include <stdio.h>

a9n_error koito_console_printf(a9n_word port, const char *fmt, ...)
{
    char line[KOITO_CONSOLE_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    return koito_console_print(port, line, len);
}
