#include <koito_console.h>
#include <koito_tap.h>

void koito_tap_check(struct koito_tap *t, bool ok, const char *what, unsigned line)
{
    t->number++;
    if (ok) {
        t->passed++;
        koito_console_printf(t->console, "ok %u - %s\n", t->number, what);
    } else {
        t->failed++;
        koito_console_printf(t->console, "not ok %u - %s (line %u)\n", t->number, what, line);
    }
}
