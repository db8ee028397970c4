#include "console_capture.h"

#include <hal/hal.h>
#include <stdlib.h>
#include <string.h>

static char captured[1 << 16];
static size_t captured_len;

void console_capture_reset(void)
{
    captured_len = 0;
    captured[0] = '\0';
}

const char *console_capture_text(void)
{
    return captured;
}

void hal_console_write(const char *s, size_t len)
{
    size_t room = sizeof captured - 1 - captured_len;
    if (len > room)
        len = room;
    memcpy(captured + captured_len, s, len);
    captured_len += len;
    captured[captured_len] = '\0';
}

_Noreturn void hal_exit(enum hal_verdict verdict)
{
    exit(verdict == HAL_VERDICT_SUCCESS ? 0 : 1);
}
