/*
 * The multiboot2 boot information parser. It trusts nothing: every tag must lie inside the
 * block, every string must be terminated inside its tag, every size must be consistent. It
 * is built into the kernel and, unchanged, into the host unit tests and a fuzz target.
 */
#pragma once

#include <kernel/bootinfo.h>

#define MB2_BOOTLOADER_MAGIC 0x36D76289u

enum mb2_error {
    MB2_OK = 0,
    MB2_ERR_NULL = -1,          /* no info block */
    MB2_ERR_MISALIGNED = -2,    /* block not 8-byte aligned */
    MB2_ERR_TRUNCATED = -3,     /* total_size larger than the bytes available, or < 16 */
    MB2_ERR_TAG_OVERFLOW = -4,  /* a tag's size runs past the end of the block */
    MB2_ERR_TAG_SIZE = -5,      /* a tag too small for its type */
    MB2_ERR_NO_END_TAG = -6,    /* the tag list does not end with an end tag */
    MB2_ERR_STRING = -7,        /* a string not terminated inside its tag */
    MB2_ERR_MMAP_ENTRY = -8,    /* a memory map entry size too small or not 8-aligned */
    MB2_ERR_MODULE_RANGE = -9,  /* a module whose end lies before its start */
    MB2_ERR_REGION_RANGE = -10, /* a memory region that wraps around 2^64 */
};

/*
 * Parses the info block at `info`, of which `avail` bytes may be read, into `out`.
 * Returns MB2_OK or a negative enum mb2_error; on error `out` holds no partial result
 * (it is zeroed).
 */
int mb2_parse(const void *info, size_t avail, struct boot_info *out);

/* A short description of an mb2_error value. */
const char *mb2_strerror(int err);
