/* Builds multiboot2 information blocks in memory, tag by tag, for the parser's tests. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct mb2_builder {
    _Alignas(8) uint8_t buf[8192];
    size_t len;
};

void mb2b_init(struct mb2_builder *b);
/* Appends a raw tag; `size` is what the tag header says (may lie), `payload_len` bytes of
 * payload are copied; the builder then pads to 8. */
void mb2b_raw(struct mb2_builder *b, uint32_t type, uint32_t size, const void *payload,
              size_t payload_len);
void mb2b_string(struct mb2_builder *b, uint32_t type, const char *s);
void mb2b_module(struct mb2_builder *b, uint32_t start, uint32_t end, const char *cmdline);
void mb2b_mmap_begin(struct mb2_builder *b, uint32_t entry_size);
void mb2b_mmap_entry(struct mb2_builder *b, uint64_t base, uint64_t length, uint32_t type);
void mb2b_mmap_end(struct mb2_builder *b);
void mb2b_rsdp(struct mb2_builder *b, int revision, int corrupt_checksum);
void mb2b_end(struct mb2_builder *b); /* end tag + total_size */
/* Sets total_size to the current length (without adding an end tag). */
void mb2b_seal(struct mb2_builder *b);
