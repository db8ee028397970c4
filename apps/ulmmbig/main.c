/*
 * The client of a 1 GiB Buddy pool (test/systems/ulmm1g.cap.yaml): it takes the whole
 * client part of the pool (960 MiB) as 2 MiB frames, checks that they cover it, maps and
 * touches the last one, is refused one more, gives everything back and finds the pool whole
 * again; then a 4 KiB page through the same tree. TAP lines, then "N passed, M failed".
 */
#include <alpha_spec.h>
#include <caps/ulmmbig.h>
#include <stdio.h>
#include <koito.h>
#include <koito_console.h>
#include <koito_tap.h>
#include <koito_ulmm.h>
#include <liba9n.h>

enum { OK = 0, E_INVALID = 1, E_QUOTA = 3 };

#define SLOT(i)     a9n_descriptor_root((i), CAPS_NODE_RADIX)
#define FIRST_SLOT  64
#define LARGE       (2ull << 20)
#define FRAMES      480 /* 960 MiB */
#define MAP_ADDRESS 0x40000000ull

#define say(...) koito_console_printf(CAP_console, __VA_ARGS__)

static struct koito_tap tap = {.console = CAP_console};
#define check(ok, what) koito_tap_check(&tap, (ok), (what), __LINE__)

static struct koito_ulmm client(a9n_word port)
{
    return (struct koito_ulmm){port, (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER, CAP_node,
                               CAPS_NODE_RADIX};
}

int main(void)
{
    struct koito_ulmm pages = client(CAP_pages), tables = client(CAP_ulmm);
    a9n_word stats[ULMM_REPLY_MAX - 1], handle[FRAMES], x;
    say("ulmmbig: a 1 GiB Buddy pool\n");
    check(koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 30, stats) == OK && stats[0] == 0 &&
              koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 29, stats) == OK && stats[0] == 1,
          "the pool has order 30; its right half (512 MiB) is one free block");
    unsigned got = 0;
    a9n_word low = ~0ull, high = 0;
    for (unsigned i = 0; i < FRAMES; i++) {
        a9n_word phys;
        if (koito_ulmm_frame_alloc(&pages, 21, FIRST_SLOT + i, &handle[i]) != OK ||
            a9n_frame_get_address(SLOT(FIRST_SLOT + i), &phys) != A9N_SUCCESS)
            break;
        got++;
        low = phys < low ? phys : low;
        high = phys > high ? phys : high;
    }
    check(got == FRAMES, "480 frames of 2 MiB: every byte the quota gives");
    /* The server keeps the first 64 MiB: the frames cover the rest, without a gap. */
    check(got == FRAMES && high + LARGE - low == (a9n_word)FRAMES * LARGE &&
              (low & ((1ull << 30) - 1)) == 64ull << 20,
          "they cover the pool from its 64th MiB to its last byte, without a gap");
    check(koito_ulmm_frame_alloc(&pages, 21, FIRST_SLOT + FRAMES, &x) == E_QUOTA &&
              koito_ulmm_frame_alloc(&pages, 12, FIRST_SLOT + FRAMES, &x) == E_QUOTA,
          "one more (2 MiB or 4 KiB) is past the quota");
    check(koito_ulmm_frame_alloc(&pages, 30, FIRST_SLOT + FRAMES, &x) == E_INVALID,
          "an order of 30 (the whole pool) is no frame: refused");
    bool mapped = got == FRAMES && koito_ulmm_map(&tables, CAP_address_space,
                                                  FIRST_SLOT + FRAMES - 1, MAP_ADDRESS, NULL) == OK;
    volatile uint64_t *p = (volatile uint64_t *)MAP_ADDRESS;
    if (mapped) {
        p[0] = 0x1;
        p[LARGE / 8 - 1] = 0x2;
    }
    check(mapped && p[0] == 1 && p[LARGE / 8 - 1] == 2 && p[4096] == 0,
          "the last one mapped and touched: ours, and zero elsewhere");
    unsigned freed = 0;
    for (unsigned i = 0; i < got; i++)
        freed += koito_ulmm_frame_free(&pages, handle[i]) == OK;
    check(freed == got && koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 29, stats) == OK &&
              stats[0] == 1 && stats[2] == stats[3],
          "all freed: every split merged back, the pool whole again");
    a9n_word h;
    bool page = koito_ulmm_frame_alloc(&pages, 12, FIRST_SLOT, &h) == OK &&
                koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 12, stats) == OK && stats[1] == 1 &&
                koito_ulmm_frame_free(&pages, h) == OK;
    check(page && koito_ulmm_stats(&pages, ULMM_OP_STATS_ORDER, 29, stats) == OK && stats[0] == 1 &&
              stats[2] == stats[3],
          "a 4 KiB page: split down 14 levels from a 64 MiB block and merged back");
    say("%u passed, %u failed\n", tap.passed, tap.failed);
    koito_console_shutdown(CAP_console, tap.failed == 0);
    return 0;
}
