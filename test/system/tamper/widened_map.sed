# closer's (deep) read-only map of the shared region becomes read-write-execute.
/maps_closer/,/^};/s/\.attributes = A9N_MAP_READ}/.attributes = A9N_MAP_READ | A9N_MAP_WRITE | A9N_MAP_EXECUTE}/
