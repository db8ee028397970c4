/* The HAL for I/O ports (x86 only; other architectures would refuse every port). */
#pragma once

#include <hal/hal.h>

/* Reads or writes `width` bytes (1, 2 or 4) at `port`. The caller has checked the range. */
uint32_t hal_io_read(uint16_t port, unsigned width);
void hal_io_write(uint16_t port, unsigned width, uint32_t value);
