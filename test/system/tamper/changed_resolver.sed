# closer's (deep) faults go to console_port (objects[20]) instead of faults (objects[21]).
s/\.resolver = 21,/.resolver = 20,/
