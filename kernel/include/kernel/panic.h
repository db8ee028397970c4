/* A kernel panic: the reason on the console, then the machine stops with the failure
 * verdict. Only for states the kernel cannot continue from; never for bad user input. */
#pragma once

__attribute__((format(printf, 1, 2))) _Noreturn void panic(const char *fmt, ...);
