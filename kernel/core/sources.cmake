# The arch-independent capability core (issue 3), listed once for the kernel and the host
# unit tests. Paths are relative to kernel/core/.
set(A9N_CORE_SOURCES)
