# hello runs at 250 instead of 100 (above the console).
s/\.priority = 100,/.priority = 250,/
