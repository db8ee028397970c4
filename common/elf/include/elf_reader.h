/*
 * A checking reader for static ELF64 x86_64 executables: the kernel uses it to load the
 * first process (Alpha) from a boot module, and Alpha to load and verify the images of the
 * system's processes. Shared code, not the kernel's (common/elf: no kernel header here). It accepts
 * only what can be loaded safely: every loadable segment inside the file and inside user
 * space, no segment both writable and executable, no overlaps, an entry point in code.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    ELF_MAX_SEGMENTS = 16,
    ELF_SEGMENT_X = 1,
    ELF_SEGMENT_W = 2,
    ELF_SEGMENT_R = 4,
};

enum elf_error {
    ELF_OK = 0,
    ELF_ERR_TRUNCATED = -1,     /* shorter than its headers say */
    ELF_ERR_NOT_ELF = -2,       /* bad magic */
    ELF_ERR_UNSUPPORTED = -3,   /* not ELF64, little endian, x86_64, executable */
    ELF_ERR_SEGMENT_RANGE = -4, /* file bytes outside the file, filesz > memsz, wrap */
    ELF_ERR_ADDRESS = -5,       /* a segment outside [user_base, user_top) */
    ELF_ERR_WRITE_EXECUTE = -6, /* a segment both writable and executable */
    ELF_ERR_OVERLAP = -7,       /* two loadable segments share a page */
    ELF_ERR_TOO_MANY = -8,      /* more than ELF_MAX_SEGMENTS loadable segments */
    ELF_ERR_ENTRY = -9,         /* the entry point is not in an executable segment */
    ELF_ERR_NO_SEGMENTS = -10,
};

struct elf_segment {
    uint64_t vaddr;
    uint64_t memsz;
    uint64_t offset;
    uint64_t filesz;
    unsigned flags; /* ELF_SEGMENT_R | W | X */
};

struct elf_image {
    uint64_t entry;
    unsigned count;
    struct elf_segment segments[ELF_MAX_SEGMENTS]; /* sorted by vaddr */
};

/* Checks the image of `size` bytes; loadable segments must lie in [user_base, user_top). */
int elf_parse(const void *data, size_t size, uint64_t user_base, uint64_t user_top,
              struct elf_image *out);

const char *elf_strerror(int err);

/* The one-word descriptor of the note (`owner`, `type`) in a PT_NOTE segment of the ELF at
 * `data` (`size` bytes, every offset checked); false if there is none. */
bool elf_note_word(const void *data, size_t size, const char *owner, uint32_t type,
                   uint64_t *value);
