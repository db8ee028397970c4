/* A host stand-in for the kernel console: hal_console_write appends to a buffer that tests
 * read back. */
#pragma once

#include <stddef.h>

void console_capture_reset(void);
const char *console_capture_text(void);
