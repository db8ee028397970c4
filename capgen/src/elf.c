/*
 * Just enough ELF to plan an image: the PT_LOAD program headers of an x86_64 ELF64
 * executable. Every field is bounds-checked; the file is never trusted.
 */
#include "capgen.h"

#include <errno.h>
#include <string.h>

#define ELF_PT_LOAD   1
#define ELF_EM_X86_64 62
#define ELF_PHDR_SIZE 56
#define ELF_MAX_PHDRS 256
#define ELF_MAX_BYTES (256u << 20)

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

bool elf_read_segments(struct arena *a, struct diag *d, struct process *p, const char *dir)
{
    const char *path = arena_printf(a, "%s/%s.elf", dir, p->image);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, p->image_pos, "process '%s': cannot read image %s: %s", p->name, path,
                   strerror(errno));
        return false;
    }
    unsigned char header[64];
    bool ok = fread(header, 1, sizeof(header), f) == sizeof(header) &&
              memcmp(header, "\177ELF", 4) == 0 && header[4] == 2 && header[5] == 1 &&
              le16(header + 18) == ELF_EM_X86_64;
    uint64_t phoff = ok ? le64(header + 32) : 0;
    uint16_t phentsize = ok ? le16(header + 54) : 0, phnum = ok ? le16(header + 56) : 0;
    if (!ok || phentsize != ELF_PHDR_SIZE || phnum > ELF_MAX_PHDRS || phoff > ELF_MAX_BYTES) {
        diag_error(d, p->image_pos, "process '%s': image %s is not an x86_64 ELF64 executable",
                   p->name, path);
        fclose(f);
        return false;
    }
    p->entry = le64(header + 24);
    p->segments = arena_alloc(a, (phnum + 1u) * sizeof(struct segment));
    p->segment_count = 0;
    for (unsigned i = 0; i < phnum; i++) {
        unsigned char ph[ELF_PHDR_SIZE];
        if (fseek(f, (long)(phoff + (uint64_t)i * ELF_PHDR_SIZE), SEEK_SET) != 0 ||
            fread(ph, 1, sizeof(ph), f) != sizeof(ph)) {
            diag_error(d, p->image_pos, "process '%s': image %s: truncated program headers",
                       p->name, path);
            fclose(f);
            return false;
        }
        if (le32(ph) != ELF_PT_LOAD || le64(ph + 40) == 0)
            continue;
        struct segment *s = &p->segments[p->segment_count++];
        s->flags = le32(ph + 4);
        s->vaddr = le64(ph + 16);
        s->memsz = le64(ph + 40);
        if (s->vaddr >= A9N_USER_TOP || s->memsz > A9N_USER_TOP - s->vaddr) {
            diag_error(d, p->image_pos,
                       "process '%s': image %s has a segment outside user memory (0x%llx, "
                       "0x%llx bytes)",
                       p->name, path, (unsigned long long)s->vaddr, (unsigned long long)s->memsz);
            fclose(f);
            return false;
        }
    }
    fclose(f);
    p->image_known = true;
    return true;
}
