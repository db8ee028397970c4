/* Port I/O on behalf of IO Port capabilities. */
#include "cpu.h"

#include <hal/hal_io.h>

uint32_t hal_io_read(uint16_t port, unsigned width)
{
    uint32_t v;
    if (width == 1)
        return inb(port);
    if (width == 2) {
        uint16_t w;
        __asm__ volatile("inw %1, %0" : "=a"(w) : "Nd"(port));
        return w;
    }
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

void hal_io_write(uint16_t port, unsigned width, uint32_t value)
{
    if (width == 1)
        outb(port, (uint8_t)value);
    else if (width == 2)
        __asm__ volatile("outw %0, %1" : : "a"((uint16_t)value), "Nd"(port));
    else
        outl(port, value);
}
