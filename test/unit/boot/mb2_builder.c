#include "mb2_builder.h"

#include <assert.h>
#include <string.h>

static size_t mmap_tag_start;
static uint32_t mmap_entry_size;

static void put(struct mb2_builder *b, const void *p, size_t n)
{
    assert(b->len + n <= sizeof b->buf);
    memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static void put32(struct mb2_builder *b, uint32_t v)
{
    put(b, &v, 4);
}

static void put64(struct mb2_builder *b, uint64_t v)
{
    put(b, &v, 8);
}

static void pad8(struct mb2_builder *b)
{
    while (b->len % 8 != 0)
        b->buf[b->len++] = 0;
}

void mb2b_init(struct mb2_builder *b)
{
    memset(b, 0, sizeof *b);
    b->len = 8; /* total_size + reserved, filled by mb2b_end */
}

void mb2b_raw(struct mb2_builder *b, uint32_t type, uint32_t size, const void *payload,
              size_t payload_len)
{
    put32(b, type);
    put32(b, size);
    put(b, payload, payload_len);
    pad8(b);
}

void mb2b_string(struct mb2_builder *b, uint32_t type, const char *s)
{
    size_t n = strlen(s) + 1;
    mb2b_raw(b, type, (uint32_t)(8 + n), s, n);
}

void mb2b_module(struct mb2_builder *b, uint32_t start, uint32_t end, const char *cmdline)
{
    size_t n = strlen(cmdline) + 1;
    put32(b, 3);
    put32(b, (uint32_t)(16 + n));
    put32(b, start);
    put32(b, end);
    put(b, cmdline, n);
    pad8(b);
}

void mb2b_mmap_begin(struct mb2_builder *b, uint32_t entry_size)
{
    mmap_tag_start = b->len;
    mmap_entry_size = entry_size;
    put32(b, 6);
    put32(b, 0); /* size, patched by mb2b_mmap_end */
    put32(b, entry_size);
    put32(b, 0);
}

void mb2b_mmap_entry(struct mb2_builder *b, uint64_t base, uint64_t length, uint32_t type)
{
    size_t start = b->len;
    put64(b, base);
    put64(b, length);
    put32(b, type);
    put32(b, 0);
    while (b->len - start < mmap_entry_size)
        b->buf[b->len++] = 0;
}

void mb2b_mmap_end(struct mb2_builder *b)
{
    uint32_t size = (uint32_t)(b->len - mmap_tag_start);
    memcpy(b->buf + mmap_tag_start + 4, &size, 4);
    pad8(b);
}

void mb2b_rsdp(struct mb2_builder *b, int revision, int corrupt_checksum)
{
    uint8_t r[36] = {0};
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "KOITO ", 6);
    r[15] = (uint8_t)revision;
    size_t len = revision >= 2 ? 36 : 20;
    if (revision >= 2) {
        uint32_t l = 36;
        memcpy(r + 20, &l, 4);
    }
    uint8_t sum = 0;
    for (int i = 0; i < 20; i++)
        sum = (uint8_t)(sum + r[i]);
    r[8] = (uint8_t)(0 - sum);
    if (revision >= 2) {
        sum = 0;
        for (size_t i = 0; i < 36; i++)
            sum = (uint8_t)(sum + r[i]);
        r[32] = (uint8_t)(0 - sum);
    }
    if (corrupt_checksum)
        r[10] ^= 0x55;
    mb2b_raw(b, revision >= 2 ? 15 : 14, (uint32_t)(8 + len), r, len);
}

void mb2b_seal(struct mb2_builder *b)
{
    uint32_t total = (uint32_t)b->len;
    memcpy(b->buf, &total, 4);
}

void mb2b_end(struct mb2_builder *b)
{
    put32(b, 0);
    put32(b, 8);
    mb2b_seal(b);
}
