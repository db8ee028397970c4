/*
 * Options from QEMU's firmware configuration device (fw_cfg, I/O ports 0x510 and 0x511):
 * `qemu -fw_cfg name=opt/koito/seed,string=42` (tools/qemu-run.sh --fw-cfg seed=42) makes
 * a file the guest finds in the device's directory. So a seed reaches the fuzzer without
 * rebuilding anything, and the same ISO serves the short CTest run and long runs.
 */
#include "supervisor.h"

#include <liba9n.h>
#include <string.h>

enum {
    FW_CFG_SELECTOR = 0x510, /* 16-bit write: which item the data port reads */
    FW_CFG_DATA = 0x511,     /* 8-bit reads, one byte after another */
    FW_CFG_SIGNATURE = 0x0000,
    FW_CFG_FILE_DIR = 0x0019,
    FW_CFG_NAME = 56,
};

static a9n_word io;

static void select_item(unsigned item)
{
    a9n_io_port_write(io, FW_CFG_SELECTOR, 2, item);
}

static unsigned byte(void)
{
    a9n_word v = 0;
    a9n_io_port_read(io, FW_CFG_DATA, 1, &v);
    return (unsigned)(v & 0xff);
}

static uint32_t be32(void)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | byte();
    return v;
}

bool fwcfg_read(a9n_word io_port, const char *name, char *out, size_t size)
{
    io = io_port;
    select_item(FW_CFG_SIGNATURE);
    if (byte() != 'Q' || byte() != 'E' || byte() != 'M' || byte() != 'U')
        return false;
    select_item(FW_CFG_FILE_DIR);
    uint32_t count = be32();
    char want[FW_CFG_NAME];
    snprintf(want, sizeof want, "opt/koito/%s", name);
    for (uint32_t f = 0; f < count && f < 4096; f++) {
        uint32_t length = be32();
        unsigned item = byte() << 8;
        item |= byte();
        byte(), byte(); /* reserved */
        char file[FW_CFG_NAME];
        for (int i = 0; i < FW_CFG_NAME; i++)
            file[i] = (char)byte();
        file[FW_CFG_NAME - 1] = 0;
        if (strcmp(file, want) != 0)
            continue;
        select_item(item);
        size_t n = length < size - 1 ? length : size - 1;
        for (size_t i = 0; i < n; i++)
            out[i] = (char)byte();
        out[n] = 0;
        return true;
    }
    return false;
}

/* A number in decimal or 0x-hexadecimal; `fallback` when absent or malformed. */
uint64_t fwcfg_number(a9n_word io_port, const char *name, uint64_t fallback)
{
    char text[32];
    if (!fwcfg_read(io_port, name, text, sizeof text) || text[0] == 0)
        return fallback;
    uint64_t v = 0;
    unsigned base = 10;
    const char *p = text;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    for (; *p; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            return fallback;
        v = v * base + d;
    }
    return v;
}
