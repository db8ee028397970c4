/*
 * mkelf OUT VADDR:MEMSZ:FLAGS... — writes a minimal x86_64 ELF64 executable with one
 * PT_LOAD program header per argument (FLAGS from r, w, x) and no contents, so that
 * capgen's --images planning can be tested without building real programs.
 * mkelf OUT --junk writes a file that is not ELF.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: mkelf OUT VADDR:MEMSZ:FLAGS... | mkelf OUT --junk\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "wb");
    if (!f)
        return 2;
    if (strcmp(argv[2], "--junk") == 0) {
        fputs("this is not an ELF file\n", f);
        return fclose(f) == 0 ? 0 : 2;
    }
    int phnum = argc - 2;
    unsigned char header[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    put(header + 16, 2, 2);  /* ET_EXEC */
    put(header + 18, 62, 2); /* EM_X86_64 */
    put(header + 20, 1, 4);
    put(header + 24, 0x400000, 8); /* entry */
    put(header + 32, 64, 8);       /* phoff */
    put(header + 52, 64, 2);
    put(header + 54, 56, 2);
    put(header + 56, (uint64_t)phnum, 2);
    fwrite(header, 1, sizeof(header), f);
    for (int i = 0; i < phnum; i++) {
        char *arg = argv[i + 2], *end;
        uint64_t vaddr = strtoull(arg, &end, 0);
        uint64_t memsz = strtoull(end + 1, &end, 0);
        const char *flags = end + 1;
        unsigned char ph[56] = {0};
        put(ph, 1, 4); /* PT_LOAD */
        put(ph + 4,
            (strchr(flags, 'x') ? 1u : 0u) | (strchr(flags, 'w') ? 2u : 0u) |
                (strchr(flags, 'r') ? 4u : 0u),
            4);
        put(ph + 16, vaddr, 8);
        put(ph + 24, vaddr, 8);
        put(ph + 40, memsz, 8);
        put(ph + 48, 0x1000, 8);
        fwrite(ph, 1, sizeof(ph), f);
    }
    return fclose(f) == 0 ? 0 : 2;
}
