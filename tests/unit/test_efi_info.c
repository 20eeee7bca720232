/* boot/efi_info.c: the UEFI memory map and load options -> struct boot_info. */
#include <criterion/criterion.h>
#include <string.h>
#include "boot/bootinfo.h"
#include "boot/efi.h"
#include "boot/efi_info.h"
#include "lib/errno.h"

/* Firmware may make descriptors longer than the structure (§7.2): 48 here. */
#define DESC_SIZE	48

struct fake_map {
	uint8_t buf[DESC_SIZE * (2 * BOOT_MMAP_MAX + 8)];
	size_t n;
};

static void add(struct fake_map *m, uint32_t type, uint64_t base, uint64_t pages)
{
	struct efi_memory_descriptor d = {
		.type = type, .physical_start = base, .number_of_pages = pages,
	};

	memset(m->buf + m->n * DESC_SIZE, 0xa5, DESC_SIZE);	/* padding is junk */
	memcpy(m->buf + m->n * DESC_SIZE, &d, sizeof(d));
	m->n++;
}

static struct boot_info bi;

Test(efi_mmap, types_map_and_neighbours_merge)
{
	struct fake_map m = { .n = 0 };

	add(&m, EFI_CONVENTIONAL_MEMORY, 0, 0xa0);
	add(&m, EFI_LOADER_CODE, 0x100000, 0x100);		/* the kernel */
	add(&m, EFI_BOOT_SERVICES_DATA, 0x200000, 0x600);
	add(&m, EFI_ACPI_MEMORY_NVS, 0x800000, 8);
	add(&m, EFI_RUNTIME_SERVICES_DATA, 0x808000, 4);
	add(&m, EFI_ACPI_RECLAIM_MEMORY, 0x80c000, 4);
	add(&m, EFI_UNUSABLE_MEMORY, 0x810000, 1);
	add(&m, EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400);
	add(&m, EFI_CONVENTIONAL_MEMORY, 0x100000000, 0x10);	/* not adjacent */

	cr_assert_eq(efi_mmap_to_boot(&bi, m.buf, m.n * DESC_SIZE, DESC_SIZE), 0);
	cr_assert_eq(bi.nmmap, 8);
	cr_assert_eq(bi.mmap[0].type, BOOT_MEM_USABLE);
	cr_assert_eq(bi.mmap[0].len, 0xa0000);
	cr_assert_eq(bi.mmap[1].base, 0x100000);
	cr_assert_eq(bi.mmap[1].len, 0x700000, "loader code + boot services data merge");
	cr_assert_eq(bi.mmap[1].type, BOOT_MEM_USABLE);
	cr_assert_eq(bi.mmap[2].type, BOOT_MEM_NVS);
	cr_assert_eq(bi.mmap[3].type, BOOT_MEM_RESERVED);
	cr_assert_eq(bi.mmap[4].type, BOOT_MEM_ACPI);
	cr_assert_eq(bi.mmap[5].type, BOOT_MEM_BAD);
	cr_assert_eq(bi.mmap[6].type, BOOT_MEM_RESERVED);
	cr_assert_eq(bi.mmap[7].base, 0x100000000);
}

Test(efi_mmap, overflow_is_counted_not_written)
{
	static struct fake_map m;

	for (int i = 0; i < BOOT_MMAP_MAX + 5; i++)	/* alternating: no merging */
		add(&m, i % 2 ? EFI_RESERVED_MEMORY_TYPE : EFI_CONVENTIONAL_MEMORY,
		    (uint64_t)i * 0x1000, 1);
	cr_assert_eq(efi_mmap_to_boot(&bi, m.buf, m.n * DESC_SIZE, DESC_SIZE), 5);
	cr_assert_eq(bi.nmmap, BOOT_MMAP_MAX);
	cr_assert_eq(bi.mmap[BOOT_MMAP_MAX - 1].base, (BOOT_MMAP_MAX - 1) * 0x1000ULL);
}

Test(efi_mmap, partial_descriptor_and_zero_size_are_ignored)
{
	struct fake_map m = { .n = 0 };

	add(&m, EFI_CONVENTIONAL_MEMORY, 0, 1);
	cr_assert_eq(efi_mmap_to_boot(&bi, m.buf, DESC_SIZE - 1, DESC_SIZE), 0);
	cr_assert_eq(bi.nmmap, 0);
	cr_assert_eq(efi_mmap_to_boot(&bi, m.buf, DESC_SIZE, 0), 0);
	cr_assert_eq(bi.nmmap, 0);
}

static int opts(char *dst, size_t size, const char *ascii, size_t extra_bytes)
{
	uint16_t w[256] = { 0 };
	size_t n = strlen(ascii);

	for (size_t i = 0; i < n; i++)
		w[i] = (unsigned char)ascii[i];
	return efi_load_options_to_cmdline(dst, size, w, n * 2 + extra_bytes);
}

Test(efi_load_options, shell_program_name_is_dropped)
{
	char s[64];

	cr_assert_eq(opts(s, sizeof(s), "fs0:\\unisock\\unisock.efi test=timer quiet", 0), 0);
	cr_assert_str_eq(s, "test=timer quiet");
	cr_assert_eq(opts(s, sizeof(s), "  BOOTX64.EFI   ip=dhcp  ", 2), 0);
	cr_assert_str_eq(s, "ip=dhcp");
	cr_assert_eq(opts(s, sizeof(s), "BOOTX64.EFI", 2), 0);
	cr_assert_str_eq(s, "");
}

Test(efi_load_options, plain_options_are_kept_whole)
{
	char s[64];

	cr_assert_eq(opts(s, sizeof(s), "ip=10.0.2.15/24 gw=10.0.2.2 -- a.efi", 2), 0);
	cr_assert_str_eq(s, "ip=10.0.2.15/24 gw=10.0.2.2 -- a.efi");
	cr_assert_eq(opts(s, sizeof(s), "efi", 0), 0);
	cr_assert_str_eq(s, "efi");
}

Test(efi_load_options, binary_optional_data_is_refused)
{
	const uint16_t guid[8] = { 0x1234, 0x0001, 0xbeef, 0x0d0a, 0x0, 0x1, 0x2, 0x3 };
	char s[64] = "stale";

	cr_assert_eq(efi_load_options_to_cmdline(s, sizeof(s), guid, sizeof(guid)), -EINVAL);
	cr_assert_str_eq(s, "");
}

Test(efi_load_options, stops_at_nul_and_truncates)
{
	uint16_t w[8] = { 'a', '=', '1', 0, 0xffff, 0xffff };
	char s[4];

	cr_assert_eq(efi_load_options_to_cmdline(s, sizeof(s), w, sizeof(w)), 0);
	cr_assert_str_eq(s, "a=1");
	cr_assert_eq(opts(s, sizeof(s), "quiet", 0), 0);
	cr_assert_str_eq(s, "qui");
	cr_assert_eq(opts(s, sizeof(s), "x=1", 1), 0, "an odd byte count ends mid-character");
	cr_assert_str_eq(s, "x=1");
}

Test(efi_cmdline, file_text_is_tidied)
{
	char s[] = "quiet\r\nip=dhcp\ttest=timer \n\n";

	efi_tidy_cmdline(s);
	cr_assert_str_eq(s, "quiet  ip=dhcp test=timer");
}
