/*
 * Source lines of fault addresses. The build puts a line table into every image's ELF, in a
 * section that is never loaded (.koito_lines, made by tools/linetab.sh from the image's
 * DWARF): one text line per address range, sorted,
 *
 *   401000 main apps/hello/main.c:12
 *
 * from that address up to the next line's. "??" marks a range with no source. Alpha has the
 * whole ELF as a boot module, so it looks the address up there when a process faults.
 */
#include "alpha.h"

#include <stdio.h>
#include <string.h>

struct section {
    const char *data;
    uint64_t size;
};

static uint64_t read_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The section named `name` of the ELF at `elf` (`size` bytes); every offset is checked
 * against the module's size. */
static bool find_section(const uint8_t *elf, uint64_t size, const char *name, struct section *out)
{
    if (size < 64 || memcmp(elf, "\177ELF", 4) != 0 || elf[4] != 2)
        return false;
    uint64_t shoff = read_le(elf + 0x28, 8), entsize = read_le(elf + 0x3a, 2),
             count = read_le(elf + 0x3c, 2), strndx = read_le(elf + 0x3e, 2);
    if (entsize < 64 || shoff > size || count > (size - shoff) / entsize || strndx >= count)
        return false;
    const uint8_t *strtab = elf + shoff + strndx * entsize;
    uint64_t str_off = read_le(strtab + 24, 8), str_size = read_le(strtab + 32, 8);
    if (str_off > size || str_size > size - str_off)
        return false;
    size_t want = strlen(name) + 1;
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *sh = elf + shoff + i * entsize;
        uint64_t name_off = read_le(sh, 4), off = read_le(sh + 24, 8), len = read_le(sh + 32, 8);
        if (name_off >= str_size || str_size - name_off < want ||
            memcmp(elf + str_off + name_off, name, want) != 0)
            continue;
        if (off > size || len > size - off)
            return false;
        out->data = (const char *)elf + off;
        out->size = len;
        return true;
    }
    return false;
}

static bool hex_digit(char c, unsigned *v)
{
    if (c >= '0' && c <= '9')
        *v = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
        *v = (unsigned)(c - 'a' + 10);
    else
        return false;
    return true;
}

bool alpha_source_line(const char *image, uint64_t ip, char *out, size_t len)
{
    const struct a9n_boot_module *m = alpha_find_module(image);
    struct section table;
    if (m == NULL || !find_section((const uint8_t *)m->address, m->size, ".koito_lines", &table))
        return false;
    const char *best = NULL, *end = table.data + table.size;
    for (const char *line = table.data; line < end;) {
        uint64_t address = 0;
        unsigned digit;
        const char *c = line;
        while (c < end && hex_digit(*c, &digit)) {
            address = address << 4 | digit;
            c++;
        }
        if (address > ip)
            break;
        if (c < end && *c == ' ')
            best = c + 1;
        while (c < end && *c != '\n')
            c++;
        line = c + 1;
    }
    if (best == NULL)
        return false;
    /* "FUNCTION FILE:LINE" -> "FILE:LINE (FUNCTION)" */
    const char *space = best, *stop = best;
    while (stop < end && *stop != '\n')
        stop++;
    while (space < stop && *space != ' ')
        space++;
    if (space == stop || memcmp(space + 1, "??", 2) == 0)
        return false;
    char file[128], function[96];
    size_t file_len = (size_t)(stop - space - 1), function_len = (size_t)(space - best);
    if (file_len >= sizeof file)
        file_len = sizeof file - 1;
    if (function_len >= sizeof function)
        function_len = sizeof function - 1;
    memcpy(file, space + 1, file_len);
    file[file_len] = '\0';
    memcpy(function, best, function_len);
    function[function_len] = '\0';
    snprintf(out, len, "%s (%s)", file, function);
    return true;
}
