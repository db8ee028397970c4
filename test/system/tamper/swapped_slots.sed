# console's receive right and its interrupt notification trade slots.
/caps_console/,/^};/{
s/\.name = "console", \.slot = 1,/.name = "console", .slot = 4,/
s/\.name = "uart_irq_wait", \.slot = 4,/.name = "uart_irq_wait", .slot = 1,/
}
