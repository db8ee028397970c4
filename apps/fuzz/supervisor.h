/* The fuzz supervisor's own declarations (apps/fuzz/main.c, fwcfg.c). */
#pragma once

#include "fuzz.h"

#include <koito.h>
#include <stddef.h>

/* The file "opt/koito/NAME" of QEMU's fw_cfg device, as a string (false: absent). */
bool fwcfg_read(a9n_word io_port, const char *name, char *out, size_t size);
/* The same file as a decimal or 0x-hexadecimal number; `fallback` when absent. */
uint64_t fwcfg_number(a9n_word io_port, const char *name, uint64_t fallback);
