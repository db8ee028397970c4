# The console's interrupt capability is for line 3 (COM2's) instead of 4 (COM1's).
/\.name = "uart_irq",/s/\.irq = 4,/.irq = 3,/
