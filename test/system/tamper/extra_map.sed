# closer (deep) also maps console's IPC buffer (objects[9]), read-write.
/maps_closer\[1\] = {/{
s/\[1\]/[2]/
a\    {.vaddr = 0x50000000ull, .region = 9, .pages = 1, .attributes = A9N_MAP_READ | A9N_MAP_WRITE},
}
/\.maps = maps_closer,/{
n
s/\.map_count = 1,/.map_count = 2,/
}
