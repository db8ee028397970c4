# closer (deep) leaves out its declared map of the shared region.
/\.maps = maps_closer,/{
n
s/\.map_count = 1,/.map_count = 0,/
}
