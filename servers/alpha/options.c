/*
 * What the machine asks of Alpha at boot, through QEMU's firmware configuration device
 * (fw_cfg): `tools/qemu-run.sh --fw-cfg state=print` makes the file "opt/koito/state", and
 * then Alpha prints the live state it verified (verify.c), as `capgen tree` prints it. By
 * default it verifies the state and prints one line: the tests that compare the printed state
 * with capgen's ask for it, a boot does not pay for it (the printing and its formatting were
 * a fifth of the default system's boot).
 *
 * The file directory is read in one go by the device's DMA interface into Alpha's IPC buffer
 * (its physical address from the first read-back): a byte a system call through the data
 * port would cost more than the printing. Only in a virtual machine (CPUID's hypervisor bit)
 * and only after the port interface's signature says QEMU are the ports touched at all.
 */
#include "alpha.h"

#include <string.h>

enum {
    FW_CFG_SELECTOR = 0x510, /* 16-bit: which item the data port reads */
    FW_CFG_DATA = 0x511,     /* 8-bit */
    FW_CFG_DMA_HIGH = 0x514, /* the DMA descriptor's physical address, big-endian halves: */
    FW_CFG_DMA_LOW = 0x518,  /* writing the low half starts the transfer */
    FW_CFG_SIGNATURE = 0x0000,
    FW_CFG_FILE_DIR = 0x0019,
    DMA_READ = 0x02,
    DMA_SELECT = 0x08,
    FILE_ENTRY = 64, /* be32 size, be16 select, be16 reserved, char name[56] */
    FILE_NAME = 56,
};

struct dma {
    uint32_t control, length; /* big-endian */
    uint64_t address;         /* big-endian */
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool in_virtual_machine(void)
{
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (c >> 31) & 1;
}

static bool qemu_signature(a9n_word io)
{
    if (a9n_io_port_write(io, FW_CFG_SELECTOR, 2, FW_CFG_SIGNATURE) != A9N_SUCCESS)
        return false;
    for (const char *s = "QEMU"; *s != '\0'; s++) {
        a9n_word v = 0;
        if (a9n_io_port_read(io, FW_CFG_DATA, 1, &v) != A9N_SUCCESS || (char)v != *s)
            return false;
    }
    return true;
}

bool alpha_option_print_state(a9n_word buffer_pa)
{
    a9n_word io = alpha_root(A9N_ROOT_SLOT_IO_PORT);
    if (buffer_pa == 0 || !in_virtual_machine() || !qemu_signature(io))
        return false;
    /* The descriptor at the start of the IPC buffer, the directory after it. */
    uint8_t *page = (uint8_t *)boot->ipc_buffer_address;
    struct dma *d = (struct dma *)page;
    uint32_t room = 4096 - sizeof *d;
    memset(page, 0, 4096);
    d->control = __builtin_bswap32((uint32_t)FW_CFG_FILE_DIR << 16 | DMA_SELECT | DMA_READ);
    d->length = __builtin_bswap32(room);
    d->address = __builtin_bswap64(buffer_pa + sizeof *d);
    /* The device's registers are big-endian: each 32-bit half goes byte-swapped. */
    if (a9n_io_port_write(io, FW_CFG_DMA_HIGH, 4, __builtin_bswap32((uint32_t)(buffer_pa >> 32))) !=
            A9N_SUCCESS ||
        a9n_io_port_write(io, FW_CFG_DMA_LOW, 4, __builtin_bswap32((uint32_t)buffer_pa)) !=
            A9N_SUCCESS)
        return false;
    /* Done: the device clears the control word (an error leaves bit 0; without DMA nothing
     * happened and the word is as written). */
    if (__atomic_load_n(&d->control, __ATOMIC_ACQUIRE) != 0)
        return false;
    const uint8_t *dir = page + sizeof *d;
    uint32_t count = be32(dir), fit = (room - 4) / FILE_ENTRY;
    for (uint32_t i = 0; i < count && i < fit; i++) {
        const char *name = (const char *)dir + 4 + i * FILE_ENTRY + 8;
        if (strncmp(name, "opt/koito/state", FILE_NAME) == 0)
            return true;
    }
    return false;
}
