# hello's badge 1 becomes 2 (it would pass for another client).
/caps_hello/,/^};/s/\.badge = 1ull/.badge = 2ull/
