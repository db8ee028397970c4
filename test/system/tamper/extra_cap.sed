# hello also gets console's Process, with every right, in its free slot 0.
/caps_hello\[1\] = {/{
s/\[1\]/[2]/
a\    {.name = "evil", .slot = 0, .rights = 15, .kind = ALPHA_CAP_OBJECT, .object = 37, .irq_notification = -1, .count = 1},
}
/\.caps = caps_hello,/{
n
s/\.cap_count = 1,/.cap_count = 2,/
}
