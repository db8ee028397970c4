# hello's send right to the console also receives.
/caps_hello/,/^};/s/\.rights = A9N_RIGHT_WRITE,/.rights = A9N_RIGHT_READ | A9N_RIGHT_WRITE,/
