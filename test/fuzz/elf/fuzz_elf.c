/* libFuzzer target: arbitrary bytes as an ELF executable. Whatever elf_parse accepts must be
 * loadable safely: segments inside the file and user space, sorted, no W+X, no shared page,
 * entry in code. */
#include <elf_reader.h>

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 0x400000ull
#define TOP  0x00007ffffffff000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    if (elf_parse(data, size, BASE, TOP, &img) != ELF_OK)
        return 0;
    if (img.count == 0 || img.count > ELF_MAX_SEGMENTS)
        abort();
    int entry_found = 0;
    for (unsigned i = 0; i < img.count; i++) {
        const struct elf_segment *s = &img.segments[i];
        if (s->filesz > s->memsz || s->offset + s->filesz > size ||
            s->offset + s->filesz < s->offset)
            abort();
        if (s->vaddr < BASE || s->vaddr + s->memsz > TOP || s->vaddr + s->memsz < s->vaddr)
            abort();
        if ((s->flags & ELF_SEGMENT_W) && (s->flags & ELF_SEGMENT_X))
            abort();
        if (i > 0 &&
            (s->vaddr >> 12) <= ((img.segments[i - 1].vaddr + img.segments[i - 1].memsz - 1) >> 12))
            abort();
        if ((s->flags & ELF_SEGMENT_X) && img.entry >= s->vaddr && img.entry < s->vaddr + s->memsz)
            entry_found = 1;
    }
    if (!entry_found)
        abort();
    return 0;
}
