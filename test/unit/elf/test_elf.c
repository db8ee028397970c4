/* The ELF executable checks: good images load, and every kind of bad image is refused with
 * its own error, never read outside. */
#include <elf_reader.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#define BASE 0x400000ull
#define TOP  0x00007ffffffff000ull

static uint8_t img[16384];
static size_t img_len;
static struct elf_image out;

static void w16(size_t off, uint16_t v)
{
    memcpy(img + off, &v, 2);
}

static void w32(size_t off, uint32_t v)
{
    memcpy(img + off, &v, 4);
}

static void w64(size_t off, uint64_t v)
{
    memcpy(img + off, &v, 8);
}

/* An executable with `n` program headers right after the ELF header. */
static void header(uint64_t entry, uint16_t n)
{
    memset(img, 0, sizeof img);
    memcpy(img,
           "\x7f"
           "ELF",
           4);
    img[4] = 2;
    img[5] = 1;
    img[6] = 1;
    w16(16, 2);  /* ET_EXEC */
    w16(18, 62); /* x86_64 */
    w32(20, 1);
    w64(24, entry);
    w64(32, 64); /* phoff */
    w16(52, 64);
    w16(54, 56);
    w16(56, n);
    img_len = 8192;
}

static void phdr(unsigned i, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                 uint64_t filesz, uint64_t memsz)
{
    size_t p = 64 + (size_t)i * 56;
    w32(p, type);
    w32(p + 4, flags);
    w64(p + 8, offset);
    w64(p + 16, vaddr);
    w64(p + 24, vaddr);
    w64(p + 32, filesz);
    w64(p + 40, memsz);
    w64(p + 48, 4096);
}

/* text at 0x400000 (RX), rodata at 0x401000 (R), data+bss at 0x402000 (RW). */
static void good_image(void)
{
    header(0x400010, 4);
    phdr(0, 1, 5, 0x1000, 0x400000, 0x100, 0x100);
    phdr(1, 4 /* PT_NOTE: ignored */, 4, 0, 0, 0, 0);
    phdr(2, 1, 4, 0x1100, 0x401000, 0x20, 0x20);
    phdr(3, 1, 6, 0x1200, 0x402000, 0x10, 0x3000);
}

static int parse(void)
{
    return elf_parse(img, img_len, BASE, TOP, &out);
}

static void test_good_image(void **state)
{
    good_image();
    assert_int_equal(parse(), ELF_OK);
    assert_int_equal(out.entry, 0x400010);
    assert_int_equal(out.count, 3);
    assert_int_equal(out.segments[0].flags, ELF_SEGMENT_R | ELF_SEGMENT_X);
    assert_int_equal(out.segments[2].vaddr, 0x402000);
    assert_int_equal(out.segments[2].filesz, 0x10);
    assert_int_equal(out.segments[2].memsz, 0x3000);
}

static void test_segments_sorted(void **state)
{
    header(0x500000, 2);
    phdr(0, 1, 6, 0x1000, 0x600000, 0x10, 0x10);
    phdr(1, 1, 5, 0x1100, 0x500000, 0x10, 0x10);
    assert_int_equal(parse(), ELF_OK);
    assert_int_equal(out.segments[0].vaddr, 0x500000);
    assert_int_equal(out.segments[1].vaddr, 0x600000);
}

static void test_truncated(void **state)
{
    good_image();
    for (size_t n = 0; n < 64 + 4 * 56; n++) {
        img_len = n;
        assert_int_not_equal(parse(), ELF_OK);
    }
    assert_int_equal(elf_parse(NULL, 100, BASE, TOP, &out), ELF_ERR_TRUNCATED);
}

static void test_not_elf_and_unsupported(void **state)
{
    good_image();
    img[1] = 'X';
    assert_int_equal(parse(), ELF_ERR_NOT_ELF);
    good_image();
    img[4] = 1; /* 32-bit */
    assert_int_equal(parse(), ELF_ERR_UNSUPPORTED);
    good_image();
    img[5] = 2; /* big endian */
    assert_int_equal(parse(), ELF_ERR_UNSUPPORTED);
    good_image();
    w16(16, 3); /* shared object */
    assert_int_equal(parse(), ELF_ERR_UNSUPPORTED);
    good_image();
    w16(18, 183); /* aarch64 */
    assert_int_equal(parse(), ELF_ERR_UNSUPPORTED);
    good_image();
    w16(54, 32); /* odd program header size */
    assert_int_equal(parse(), ELF_ERR_UNSUPPORTED);
}

static void test_program_headers_outside_file(void **state)
{
    good_image();
    w64(32, 8190);
    assert_int_equal(parse(), ELF_ERR_TRUNCATED);
    good_image();
    w64(32, UINT64_MAX - 10);
    assert_int_equal(parse(), ELF_ERR_TRUNCATED);
}

static void test_segment_outside_file(void **state)
{
    good_image();
    phdr(0, 1, 5, 0x1f00, 0x400000, 0x200, 0x200);
    assert_int_equal(parse(), ELF_ERR_SEGMENT_RANGE);
    good_image();
    phdr(0, 1, 5, UINT64_MAX - 4, 0x400000, 0x10, 0x10);
    assert_int_equal(parse(), ELF_ERR_SEGMENT_RANGE);
    good_image();
    phdr(0, 1, 5, 0x1000, 0x400000, 0x200, 0x100); /* filesz > memsz */
    assert_int_equal(parse(), ELF_ERR_SEGMENT_RANGE);
}

static void test_segment_outside_user_space(void **state)
{
    good_image();
    phdr(0, 1, 5, 0x1000, 0xffffffff80000000ull, 0x100, 0x100);
    assert_int_equal(parse(), ELF_ERR_ADDRESS);
    good_image();
    phdr(0, 1, 5, 0x1000, 0x1000, 0x100, 0x100); /* below the user base */
    assert_int_equal(parse(), ELF_ERR_ADDRESS);
    good_image();
    phdr(3, 1, 6, 0x1200, TOP - 0x1000, 0x10, 0x2000); /* runs past the top */
    assert_int_equal(parse(), ELF_ERR_ADDRESS);
    good_image();
    phdr(3, 1, 6, 0x1200, 0x402000, 0x10, UINT64_MAX); /* wraps */
    assert_int_equal(parse(), ELF_ERR_ADDRESS);
}

static void test_write_execute_refused(void **state)
{
    good_image();
    phdr(0, 1, 7, 0x1000, 0x400000, 0x100, 0x100);
    assert_int_equal(parse(), ELF_ERR_WRITE_EXECUTE);
}

static void test_overlap_and_shared_page(void **state)
{
    good_image();
    phdr(2, 1, 4, 0x1100, 0x400080, 0x20, 0x20); /* inside the text page */
    assert_int_equal(parse(), ELF_ERR_OVERLAP);
}

static void test_entry_must_be_code(void **state)
{
    good_image();
    w64(24, 0x401000); /* rodata */
    assert_int_equal(parse(), ELF_ERR_ENTRY);
    good_image();
    w64(24, 0x500000);
    assert_int_equal(parse(), ELF_ERR_ENTRY);
}

static void test_too_many_and_none(void **state)
{
    header(0x400000, 17);
    for (unsigned i = 0; i < 17; i++)
        phdr(i, 1, i == 0 ? 5 : 4, 0x1000, 0x400000 + 0x1000ull * i, 0x10, 0x10);
    assert_int_equal(parse(), ELF_ERR_TOO_MANY);
    header(0x400000, 1);
    phdr(0, 1, 5, 0x1000, 0x400000, 0, 0); /* empty: skipped */
    assert_int_equal(parse(), ELF_ERR_NO_SEGMENTS);
}

static void test_error_leaves_nothing(void **state)
{
    good_image();
    phdr(3, 1, 7, 0x1200, 0x402000, 0x10, 0x10);
    assert_int_equal(parse(), ELF_ERR_WRITE_EXECUTE);
    assert_int_equal(out.count, 0);
    assert_int_equal(out.entry, 0);
}

static void test_strerror(void **state)
{
    for (int e = ELF_OK; e >= ELF_ERR_NO_SEGMENTS; e--)
        assert_string_not_equal(elf_strerror(e), "unknown error");
    assert_string_equal(elf_strerror(5), "unknown error");
}

/* A note at `off` in the file: owner `name` (with its NUL), `type`, an 8-byte descriptor. */
static void note(size_t off, const char *name, uint32_t type, uint64_t value)
{
    uint32_t name_size = (uint32_t)strlen(name) + 1;
    w32(off, name_size);
    w32(off + 4, 8);
    w32(off + 8, type);
    memcpy(img + off + 12, name, name_size);
    w64(off + 12 + ((name_size + 3) & ~3u), value);
}

/* The root Node's note (a9n/boot.h: owner "A9N", type 1, the radix) is found among others in
 * a PT_NOTE segment; every size that reaches outside the segment or the file is refused. */
static void test_note_word(void **state)
{
    uint64_t v = 0;
    good_image();
    phdr(1, 4, 4, 0x1800, 0, 0x38, 0x38); /* two notes: someone else's, then ours */
    note(0x1800, "GNU", 1, 99);
    note(0x1818, "A9N", 1, 14);
    assert_true(elf_note_word(img, img_len, "A9N", 1, &v));
    assert_int_equal(v, 14);
    assert_false(elf_note_word(img, img_len, "A9N", 2, &v)); /* another type */
    assert_false(elf_note_word(img, img_len, "A9", 1, &v));  /* another owner */
    note(0x1818, "A9N", 1, 14);
    w32(0x1818 + 4, 4); /* a 4-byte descriptor is not one word */
    assert_false(elf_note_word(img, img_len, "A9N", 1, &v));
    note(0x1818, "A9N", 1, 14);
    w32(0x1818 + 4, 0x10000); /* descriptor past the segment */
    assert_false(elf_note_word(img, img_len, "A9N", 1, &v));
    note(0x1818, "A9N", 1, 14);
    w32(0x1818, 0xfffffff0u); /* name past the segment (and wrapping) */
    assert_false(elf_note_word(img, img_len, "A9N", 1, &v));
    note(0x1818, "A9N", 1, 14);
    phdr(1, 4, 4, 0x1800, 0, 0x2c, 0x2c); /* the segment ends inside our note */
    assert_false(elf_note_word(img, img_len, "A9N", 1, &v));
    phdr(1, 4, 4, 0x1800, 0, 0x38, 0x38);
    assert_false(elf_note_word(img, 0x1820, "A9N", 1, &v));  /* the file ends inside it */
    phdr(1, 4, 4, 0xfffffffffffff000ull, 0, 0x2000, 0x2000); /* offset + size wraps */
    assert_false(elf_note_word(img, img_len, "A9N", 1, &v));
    header(0x400010, 0); /* no program headers at all */
    assert_false(elf_note_word(img, img_len, "A9N", 1, &v));
    assert_false(elf_note_word(NULL, 0, "A9N", 1, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_image),
        cmocka_unit_test(test_segments_sorted),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_not_elf_and_unsupported),
        cmocka_unit_test(test_program_headers_outside_file),
        cmocka_unit_test(test_segment_outside_file),
        cmocka_unit_test(test_segment_outside_user_space),
        cmocka_unit_test(test_write_execute_refused),
        cmocka_unit_test(test_overlap_and_shared_page),
        cmocka_unit_test(test_entry_must_be_code),
        cmocka_unit_test(test_too_many_and_none),
        cmocka_unit_test(test_error_leaves_nothing),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_note_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
