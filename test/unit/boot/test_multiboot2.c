/* The multiboot2 parser on real, well-formed and malformed information blocks: whatever the
 * block, the parser answers with a result or an error code, never reads outside it. */
#include "console_capture.h"
#include "mb2_builder.h"

#include <kernel/multiboot2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct mb2_builder b;
static struct boot_info bi;

/* A block like the one GRUB writes: every tag type the kernel reads. */
static void build_full_block(void)
{
    mb2b_init(&b);
    mb2b_string(&b, 1, "console=serial selftest=none");
    mb2b_string(&b, 2, "KOITO test loader");
    mb2b_module(&b, 0x200000, 0x201234, "alpha");
    mb2b_module(&b, 0x300000, 0x300000, "");
    mb2b_mmap_begin(&b, 24);
    mb2b_mmap_entry(&b, 0x0, 0x9fc00, BOOT_MEM_AVAILABLE);
    mb2b_mmap_entry(&b, 0x9fc00, 0x400, BOOT_MEM_RESERVED);
    mb2b_mmap_entry(&b, 0x100000, 0x7f00000, BOOT_MEM_AVAILABLE);
    mb2b_mmap_entry(&b, 0xfffc0000, 0x40000, BOOT_MEM_ACPI_NVS);
    mb2b_mmap_end(&b);
    mb2b_rsdp(&b, 0, 0);
    mb2b_end(&b);
}

static int parse(void)
{
    return mb2_parse(b.buf, b.len, &bi);
}

static void test_minimal_block(void **state)
{
    mb2b_init(&b);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_OK);
    assert_int_equal(bi.region_count, 0);
    assert_int_equal(bi.module_count, 0);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader_name, "");
    assert_null(bi.rsdp);
}

static void test_full_block(void **state)
{
    build_full_block();
    assert_int_equal(parse(), MB2_OK);
    assert_string_equal(bi.cmdline, "console=serial selftest=none");
    assert_string_equal(bi.loader_name, "KOITO test loader");
    assert_int_equal(bi.module_count, 2);
    assert_int_equal(bi.modules[0].start, 0x200000);
    assert_int_equal(bi.modules[0].end, 0x201234);
    assert_string_equal(bi.modules[0].cmdline, "alpha");
    assert_string_equal(bi.modules[1].cmdline, "");
    assert_int_equal(bi.region_count, 4);
    assert_int_equal(bi.regions[2].base, 0x100000);
    assert_int_equal(bi.regions[2].length, 0x7f00000);
    assert_int_equal(bi.regions[3].type, BOOT_MEM_ACPI_NVS);
    assert_non_null(bi.rsdp);
    assert_int_equal(bi.rsdp_revision, 0);
    assert_true(bi.rsdp_checksum_ok);
    assert_false(bi.regions_truncated);
    assert_int_equal(boot_info_available_bytes(&bi), 0x9fc00 + 0x7f00000);
    assert_int_equal(boot_info_available_top(&bi), 0x8000000);
}

static void test_real_grub_block(void **state)
{
    FILE *f = fopen(MB2_FIXTURE_DIR "/grub-2.06-qemu-pc.bin", "rb");
    assert_non_null(f);
    mb2b_init(&b);
    b.len = fread(b.buf, 1, sizeof b.buf, f);
    fclose(f);
    assert_int_equal(b.len, 1896);
    assert_int_equal(parse(), MB2_OK);
    assert_string_equal(bi.loader_name, "GRUB 2.06-13+deb12u2");
    assert_int_equal(bi.region_count, 7);
    assert_int_equal(bi.regions[3].base, 0x100000);
    assert_int_equal(bi.regions[3].type, BOOT_MEM_AVAILABLE);
    assert_int_equal(boot_info_available_bytes(&bi), 261631ull * 1024);
    assert_non_null(bi.rsdp);
    assert_true(bi.rsdp_checksum_ok);
    assert_int_equal(bi.module_count, 0);
}

static void test_rsdp_v2_and_bad_checksum(void **state)
{
    mb2b_init(&b);
    mb2b_rsdp(&b, 2, 0);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_OK);
    assert_int_equal(bi.rsdp_revision, 2);
    assert_int_equal(bi.rsdp_len, 36);
    assert_true(bi.rsdp_checksum_ok);

    mb2b_init(&b);
    mb2b_rsdp(&b, 2, 1);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_OK);
    assert_false(bi.rsdp_checksum_ok);
}

static void test_newer_rsdp_wins(void **state)
{
    mb2b_init(&b);
    mb2b_rsdp(&b, 2, 0);
    mb2b_rsdp(&b, 0, 0);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_OK);
    assert_int_equal(bi.rsdp_revision, 2);
}

static void test_rsdp_tag_too_small(void **state)
{
    mb2b_init(&b);
    mb2b_raw(&b, 14, 8 + 10, "RSD PTR xx", 10);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_TAG_SIZE);
}

static void test_null_and_misaligned(void **state)
{
    build_full_block();
    assert_int_equal(mb2_parse(NULL, 64, &bi), MB2_ERR_NULL);
    assert_int_equal(mb2_parse(b.buf, b.len, NULL), MB2_ERR_NULL);
    assert_int_equal(mb2_parse(b.buf + 4, b.len - 4, &bi), MB2_ERR_MISALIGNED);
}

static void test_truncated_header(void **state)
{
    build_full_block();
    assert_int_equal(mb2_parse(b.buf, 15, &bi), MB2_ERR_TRUNCATED);
    assert_int_equal(mb2_parse(b.buf, b.len - 1, &bi), MB2_ERR_TRUNCATED);
    uint32_t tiny = 12;
    memcpy(b.buf, &tiny, 4);
    assert_int_equal(parse(), MB2_ERR_TRUNCATED);
}

static void test_tag_smaller_than_header(void **state)
{
    /* size 0 would loop forever in a naive parser */
    mb2b_init(&b);
    mb2b_raw(&b, 21, 0, "", 0);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_TAG_SIZE);
}

static void test_tag_runs_past_end(void **state)
{
    mb2b_init(&b);
    mb2b_raw(&b, 21, 4000, "abcdefgh", 8);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_TAG_OVERFLOW);
}

static void test_missing_end_tag(void **state)
{
    mb2b_init(&b);
    mb2b_string(&b, 1, "no end");
    mb2b_seal(&b);
    assert_int_equal(parse(), MB2_ERR_NO_END_TAG);
}

static void test_end_tag_wrong_size(void **state)
{
    mb2b_init(&b);
    mb2b_raw(&b, 0, 16, "\0\0\0\0\0\0\0\0", 8);
    mb2b_seal(&b);
    assert_int_equal(parse(), MB2_ERR_TAG_SIZE);
}

static void test_unterminated_strings(void **state)
{
    mb2b_init(&b);
    mb2b_raw(&b, 1, 8 + 4, "abcd", 4);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_STRING);

    mb2b_init(&b);
    mb2b_raw(&b, 2, 8, "", 0); /* no room even for the NUL */
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_STRING);

    mb2b_init(&b);
    uint32_t mod[3] = {0x1000, 0x2000, 0x41414141};
    mb2b_raw(&b, 3, 8 + 12, mod, 12);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_STRING);
}

static void test_bad_mmap(void **state)
{
    mb2b_init(&b);
    mb2b_mmap_begin(&b, 20); /* smaller than an entry */
    mb2b_mmap_end(&b);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_MMAP_ENTRY);

    mb2b_init(&b);
    mb2b_mmap_begin(&b, 28); /* not a multiple of 8 */
    mb2b_mmap_end(&b);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_MMAP_ENTRY);

    mb2b_init(&b);
    mb2b_raw(&b, 6, 12, "\x18\0\0\0", 4); /* no room for entry_version */
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_TAG_SIZE);
}

static void test_mmap_larger_entries_and_partial_tail(void **state)
{
    /* Entries larger than 24 bytes are allowed (future fields); a partial last entry is
     * ignored rather than read past the tag. */
    mb2b_init(&b);
    mb2b_mmap_begin(&b, 32);
    mb2b_mmap_entry(&b, 0x1000, 0x1000, BOOT_MEM_AVAILABLE);
    memset(b.buf + b.len, 0xEE, 16); /* half an entry */
    b.len += 16;
    mb2b_mmap_end(&b);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_OK);
    assert_int_equal(bi.region_count, 1);
    assert_int_equal(bi.regions[0].base, 0x1000);
}

static void test_region_wraps(void **state)
{
    mb2b_init(&b);
    mb2b_mmap_begin(&b, 24);
    mb2b_mmap_entry(&b, 0xfffffffffffff000ull, 0x2000, BOOT_MEM_AVAILABLE);
    mb2b_mmap_end(&b);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_REGION_RANGE);
}

static void test_module_range(void **state)
{
    mb2b_init(&b);
    mb2b_module(&b, 0x3000, 0x2000, "backwards");
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_MODULE_RANGE);

    mb2b_init(&b);
    mb2b_raw(&b, 3, 12, "\0\0\0\0", 4);
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_TAG_SIZE);
}

static void test_too_many_regions_and_modules(void **state)
{
    mb2b_init(&b);
    mb2b_mmap_begin(&b, 24);
    for (int i = 0; i < BOOT_MAX_REGIONS + 5; i++)
        mb2b_mmap_entry(&b, (uint64_t)i << 20, 1 << 20, BOOT_MEM_AVAILABLE);
    mb2b_mmap_end(&b);
    for (int i = 0; i < BOOT_MAX_MODULES + 2; i++)
        mb2b_module(&b, 0x1000, 0x2000, "m");
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_OK);
    assert_int_equal(bi.region_count, BOOT_MAX_REGIONS);
    assert_true(bi.regions_truncated);
    assert_int_equal(bi.module_count, BOOT_MAX_MODULES);
    assert_true(bi.modules_truncated);
}

static void test_unknown_tags_skipped(void **state)
{
    mb2b_init(&b);
    mb2b_raw(&b, 8, 8 + 5, "fbfb!", 5); /* framebuffer: not used by A9N */
    mb2b_raw(&b, 999, 8, "", 0);
    mb2b_string(&b, 1, "after");
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_OK);
    assert_string_equal(bi.cmdline, "after");
}

static void test_error_leaves_no_partial_result(void **state)
{
    mb2b_init(&b);
    mb2b_string(&b, 1, "cmd");
    mb2b_mmap_begin(&b, 24);
    mb2b_mmap_entry(&b, 0x1000, 0x1000, BOOT_MEM_AVAILABLE);
    mb2b_mmap_end(&b);
    mb2b_module(&b, 2, 1, "bad");
    mb2b_end(&b);
    assert_int_equal(parse(), MB2_ERR_MODULE_RANGE);
    assert_int_equal(bi.region_count, 0);
    assert_string_equal(bi.cmdline, "");
}

/* Every prefix of a valid block, with its total_size claiming the whole block: the parser
 * must refuse each one without reading past the prefix (ASan checks the reads). */
static void test_every_truncation_refused(void **state)
{
    build_full_block();
    size_t full = b.len;
    for (size_t n = 0; n < full; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, b.buf, n);
        int err = mb2_parse(n ? copy : NULL, n, &bi);
        assert_true(err != MB2_OK);
        free(copy);
    }
}

/* Every total_size from 0 to the block's length: accepted only where a whole tag list ends. */
static void test_every_total_size(void **state)
{
    build_full_block();
    size_t full = b.len;
    int accepted = 0;
    for (uint32_t total = 0; total <= full; total++) {
        uint8_t *copy = malloc(total < 16 ? 16 : total);
        memcpy(copy, b.buf, total < 16 ? 16 : total);
        memcpy(copy, &total, 4);
        if (mb2_parse(copy, total < 16 ? 16 : total, &bi) == MB2_OK)
            accepted++;
        free(copy);
    }
    assert_int_equal(accepted, 1);
}

/* Every single-byte corruption of a real block: any answer but a crash is fine, and a
 * block the parser accepts must still be consistent. */
static void test_every_byte_flip(void **state)
{
    FILE *f = fopen(MB2_FIXTURE_DIR "/grub-2.06-qemu-pc.bin", "rb");
    assert_non_null(f);
    static _Alignas(8) uint8_t real[4096];
    size_t len = fread(real, 1, sizeof real, f);
    fclose(f);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            real[i] ^= (uint8_t)(1 << bit);
            if (mb2_parse(real, len, &bi) == MB2_OK)
                assert_true(bi.region_count <= BOOT_MAX_REGIONS);
            real[i] ^= (uint8_t)(1 << bit);
        }
    }
    assert_int_equal(mb2_parse(real, len, &bi), MB2_OK);
}

static void test_strerror(void **state)
{
    assert_string_equal(mb2_strerror(MB2_OK), "ok");
    assert_string_equal(mb2_strerror(MB2_ERR_NO_END_TAG), "no end tag");
    for (int e = MB2_ERR_NULL; e >= MB2_ERR_REGION_RANGE; e--)
        assert_string_not_equal(mb2_strerror(e), "unknown error");
    assert_string_equal(mb2_strerror(-1000), "unknown error");
}

static void test_boot_summary_printed(void **state)
{
    build_full_block();
    assert_int_equal(parse(), MB2_OK);
    /* Without `bootlog` on the command line: the summaries only. */
    bi.cmdline = "quiet nobootlog bootlogx";
    console_capture_reset();
    boot_info_print(&bi);
    const char *t = console_capture_text();
    assert_non_null(strstr(t, "mem: 4 regions\n"));
    assert_null(strstr(t, "mem:   0x"));
    assert_null(strstr(t, "module:"));
    assert_non_null(strstr(t, "mem: 130687 KiB available (127 MiB)\n"));
    assert_non_null(strstr(t, "modules: 2\n"));
    /* With it (a word of its own), every region and module too. */
    bi.cmdline = "x bootlog";
    console_capture_reset();
    boot_info_print(&bi);
    t = console_capture_text();
    assert_non_null(strstr(t, "mem: 4 regions\n"));
    assert_non_null(strstr(t, "mem:   0x0000000000100000-0x0000000007ffffff available\n"));
    assert_non_null(strstr(t, "mem:   0x00000000fffc0000-0x00000000ffffffff ACPI NVS\n"));
    assert_non_null(strstr(t, "mem: 130687 KiB available (127 MiB)\n"));
    assert_non_null(strstr(t, "modules: 2\n"));
    assert_non_null(strstr(t, "\"alpha\""));
    assert_non_null(strstr(t, "acpi: RSDP revision 0, checksum ok\n"));
    assert_string_equal(boot_mem_type_name(77), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_block),
        cmocka_unit_test(test_full_block),
        cmocka_unit_test(test_real_grub_block),
        cmocka_unit_test(test_rsdp_v2_and_bad_checksum),
        cmocka_unit_test(test_newer_rsdp_wins),
        cmocka_unit_test(test_rsdp_tag_too_small),
        cmocka_unit_test(test_null_and_misaligned),
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_tag_smaller_than_header),
        cmocka_unit_test(test_tag_runs_past_end),
        cmocka_unit_test(test_missing_end_tag),
        cmocka_unit_test(test_end_tag_wrong_size),
        cmocka_unit_test(test_unterminated_strings),
        cmocka_unit_test(test_bad_mmap),
        cmocka_unit_test(test_mmap_larger_entries_and_partial_tail),
        cmocka_unit_test(test_region_wraps),
        cmocka_unit_test(test_module_range),
        cmocka_unit_test(test_too_many_regions_and_modules),
        cmocka_unit_test(test_unknown_tags_skipped),
        cmocka_unit_test(test_error_leaves_no_partial_result),
        cmocka_unit_test(test_every_truncation_refused),
        cmocka_unit_test(test_every_total_size),
        cmocka_unit_test(test_every_byte_flip),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_boot_summary_printed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
