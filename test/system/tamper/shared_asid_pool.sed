# fuzz's worker_asids1 is given worker_asids0's ASID Pool (pool 1, as capgen numbers them:
# asid_pool 0, worker_asids0 1, worker_asids1 2): one pool in two slots, where the
# declared system gives each capability a pool of its own.
/caps_fuzz/,/^};/s/\(\.name = "worker_asids1",.*\.kind = ALPHA_CAP_ASID_POOL, \.object = \)2,/\11,/
