# The arch-independent kernel core, listed once for the kernel and the host unit tests.
# Paths are relative to kernel/core/.
set(A9N_CORE_SOURCES
  asid.c
  captree.c
  debug.c
  descriptor.c
  frame.c
  generic.c
  interrupt.c
  invoke.c
  ioport.c
  ipc.c
  node.c
  notification.c
  object.c
  pcb.c
  port.c
  preempt.c
  process.c
  reaper.c
  root.c
  run.c
  slot.c
  vspace.c)
