/* ELF64 executable checks (see elf_reader.h). One source for the kernel, which compiles it
 * with its own flags (kernel/CMakeLists.txt), and for user space, where it is the library
 * koito-elf (libc/CMakeLists.txt) that Alpha loads images with. It needs only memcpy/memset
 * style functions of <string.h>, which both sides have. */
#include <elf_reader.h>

#include <string.h>

enum {
    EHDR_SIZE = 64,
    PHDR_SIZE = 56,
    PT_LOAD = 1,
    PT_NOTE = 4,
    ET_EXEC = 2,
    EM_X86_64 = 62,
    PAGE_MASK = 4095,
};

struct elf_header_fields {
    uint16_t type, machine;
    uint64_t entry, phoff;
    uint16_t phentsize, phnum;
};

static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static int read_header(const uint8_t *d, size_t size, struct elf_header_fields *h)
{
    if (size < EHDR_SIZE)
        return ELF_ERR_TRUNCATED;
    if (memcmp(d,
               "\x7f"
               "ELF",
               4) != 0)
        return ELF_ERR_NOT_ELF;
    if (d[4] != 2 /* 64-bit */ || d[5] != 1 /* little endian */ || d[6] != 1)
        return ELF_ERR_UNSUPPORTED;
    h->type = rd16(d + 16);
    h->machine = rd16(d + 18);
    h->entry = rd64(d + 24);
    h->phoff = rd64(d + 32);
    h->phentsize = rd16(d + 54);
    h->phnum = rd16(d + 56);
    if (h->type != ET_EXEC || h->machine != EM_X86_64 || rd32(d + 20) != 1)
        return ELF_ERR_UNSUPPORTED;
    if (h->phentsize != PHDR_SIZE && h->phnum != 0)
        return ELF_ERR_UNSUPPORTED;
    if (h->phoff > size || (uint64_t)h->phnum * PHDR_SIZE > size - h->phoff)
        return ELF_ERR_TRUNCATED;
    return ELF_OK;
}

static int read_segment(const uint8_t *ph, size_t size, uint64_t user_base, uint64_t user_top,
                        struct elf_segment *s)
{
    uint32_t pflags = rd32(ph + 4);
    s->offset = rd64(ph + 8);
    s->vaddr = rd64(ph + 16);
    s->filesz = rd64(ph + 32);
    s->memsz = rd64(ph + 40);
    s->flags = pflags & (ELF_SEGMENT_R | ELF_SEGMENT_W | ELF_SEGMENT_X);
    if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset)
        return ELF_ERR_SEGMENT_RANGE;
    if (s->memsz == 0)
        return ELF_OK;
    if (s->vaddr < user_base || s->vaddr > user_top || s->memsz > user_top - s->vaddr)
        return ELF_ERR_ADDRESS;
    if ((s->flags & ELF_SEGMENT_W) && (s->flags & ELF_SEGMENT_X))
        return ELF_ERR_WRITE_EXECUTE;
    return ELF_OK;
}

static void sort_by_vaddr(struct elf_image *img)
{
    for (unsigned i = 1; i < img->count; i++) {
        struct elf_segment s = img->segments[i];
        unsigned j = i;
        while (j > 0 && img->segments[j - 1].vaddr > s.vaddr) {
            img->segments[j] = img->segments[j - 1];
            j--;
        }
        img->segments[j] = s;
    }
}

static int check_layout(const struct elf_image *img)
{
    bool entry_ok = false;
    for (unsigned i = 0; i < img->count; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (i > 0) {
            const struct elf_segment *p = &img->segments[i - 1];
            /* Pages are mapped with one segment's rights: no page may hold two segments. */
            uint64_t prev_last_page = (p->vaddr + p->memsz - 1) & ~(uint64_t)PAGE_MASK;
            if ((s->vaddr & ~(uint64_t)PAGE_MASK) <= prev_last_page)
                return ELF_ERR_OVERLAP;
        }
        if ((s->flags & ELF_SEGMENT_X) && img->entry >= s->vaddr &&
            img->entry - s->vaddr < s->memsz)
            entry_ok = true;
    }
    return entry_ok ? ELF_OK : ELF_ERR_ENTRY;
}

int elf_parse(const void *data, size_t size, uint64_t user_base, uint64_t user_top,
              struct elf_image *out)
{
    memset(out, 0, sizeof *out);
    const uint8_t *d = data;
    struct elf_header_fields h;
    int err = data == NULL ? ELF_ERR_TRUNCATED : read_header(d, size, &h);
    if (err != ELF_OK)
        return err;
    out->entry = h.entry;
    for (unsigned i = 0; i < h.phnum; i++) {
        const uint8_t *ph = d + h.phoff + (uint64_t)i * PHDR_SIZE;
        if (rd32(ph) != PT_LOAD)
            continue;
        struct elf_segment s;
        err = read_segment(ph, size, user_base, user_top, &s);
        if (err != ELF_OK)
            break;
        if (s.memsz == 0)
            continue;
        if (out->count == ELF_MAX_SEGMENTS) {
            err = ELF_ERR_TOO_MANY;
            break;
        }
        out->segments[out->count++] = s;
    }
    if (err == ELF_OK && out->count == 0)
        err = ELF_ERR_NO_SEGMENTS;
    if (err == ELF_OK) {
        sort_by_vaddr(out);
        err = check_layout(out);
    }
    if (err != ELF_OK)
        memset(out, 0, sizeof *out);
    return err;
}

bool elf_note_word(const void *data, size_t size, const char *owner, uint32_t type, uint64_t *value)
{
    const uint8_t *d = data;
    struct elf_header_fields h;
    if (data == NULL || read_header(d, size, &h) != ELF_OK)
        return false;
    size_t owner_size = strlen(owner) + 1;
    for (unsigned i = 0; i < h.phnum; i++) {
        const uint8_t *ph = d + h.phoff + (uint64_t)i * PHDR_SIZE;
        uint64_t at = rd64(ph + 8), end = at + rd64(ph + 32);
        if (rd32(ph) != PT_NOTE || at > size || end > size || end < at)
            continue;
        /* Notes: name size, descriptor size, type, the name and the descriptor, each padded
         * to 4 bytes. */
        while (end - at >= 12) {
            uint64_t name_size = rd32(d + at), desc_size = rd32(d + at + 4);
            uint64_t name_at = at + 12, desc_at = name_at + ((name_size + 3) & ~3ull);
            uint64_t next = desc_at + ((desc_size + 3) & ~3ull);
            if (name_size > end - name_at || desc_at > end || desc_size > end - desc_at ||
                next > end)
                break;
            if (rd32(d + at + 8) == type && name_size == owner_size &&
                memcmp(d + name_at, owner, owner_size) == 0 && desc_size == 8) {
                *value = rd64(d + desc_at);
                return true;
            }
            at = next;
        }
    }
    return false;
}

const char *elf_strerror(int err)
{
    switch (err) {
    case ELF_OK:
        return "ok";
    case ELF_ERR_TRUNCATED:
        return "truncated";
    case ELF_ERR_NOT_ELF:
        return "not an ELF file";
    case ELF_ERR_UNSUPPORTED:
        return "not a little-endian x86_64 ELF64 executable";
    case ELF_ERR_SEGMENT_RANGE:
        return "segment outside the file";
    case ELF_ERR_ADDRESS:
        return "segment outside user space";
    case ELF_ERR_WRITE_EXECUTE:
        return "segment both writable and executable";
    case ELF_ERR_OVERLAP:
        return "segments share a page";
    case ELF_ERR_TOO_MANY:
        return "too many loadable segments";
    case ELF_ERR_ENTRY:
        return "entry point not in an executable segment";
    case ELF_ERR_NO_SEGMENTS:
        return "no loadable segments";
    default:
        return "unknown error";
    }
}
