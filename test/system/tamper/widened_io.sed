# The console's COM1 range reaches 256 ports further (up to 0x4ff).
s/\.io_first = 0x3f8, \.io_last = 0x3ff,/.io_first = 0x3f8, .io_last = 0x4ff,/
