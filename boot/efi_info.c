/*
 * The UEFI memory map and load options -> struct boot_info (boot/efi_info.h).
 * boot/efi.c calls these on the firmware's data; the host tests on theirs.
 */
#include "boot/efi_info.h"
#include "boot/bootinfo.h"
#include "boot/efi.h"
#include "lib/errno.h"
#include "lib/string.h"

/* UEFI 2.10 §7.2, EFI_MEMORY_TYPE -> BOOT_MEM_*. */
static uint32_t boot_mem_type(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:		/* the kernel, modules and boot_info are */
	case EFI_LOADER_DATA:		/* reserved by the kernel itself, or */
	case EFI_BOOT_SERVICES_CODE:	/* consumed before it allocates */
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return BOOT_MEM_USABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return BOOT_MEM_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return BOOT_MEM_NVS;
	case EFI_UNUSABLE_MEMORY:
		return BOOT_MEM_BAD;
	default:
		return BOOT_MEM_RESERVED;
	}
}

/* OVMF hands out dozens of small boot-services ranges: merge them. */
unsigned int efi_mmap_to_boot(struct boot_info *bi, const void *map, size_t map_size,
			      size_t desc_size)
{
	unsigned int dropped = 0;

	bi->nmmap = 0;
	for (size_t off = 0; desc_size && off + desc_size <= map_size; off += desc_size) {
		const struct efi_memory_descriptor *d = (const void *)((const uint8_t *)map + off);
		struct boot_mmap_entry *prev = bi->nmmap ? &bi->mmap[bi->nmmap - 1] : NULL;
		uint64_t len = d->number_of_pages * EFI_PAGE_SIZE;
		uint32_t type = boot_mem_type(d->type);

		if (prev && prev->type == type && prev->base + prev->len == d->physical_start)
			prev->len += len;
		else if (bi->nmmap < BOOT_MMAP_MAX)
			bi->mmap[bi->nmmap++] = (struct boot_mmap_entry){
				.base = d->physical_start, .len = len, .type = type };
		else
			dropped++;
	}
	return dropped;
}

void efi_tidy_cmdline(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			s[i] = ' ';
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
}

static bool ends_with_efi(const char *word, size_t len)
{
	static const char ext[] = ".efi";

	if (len < 4)
		return false;
	for (size_t i = 0; i < 4; i++)
		if ((word[len - 4 + i] | 0x20) != ext[i])
			return false;
	return true;
}

/* Drop leading spaces and a first word that names an EFI program. */
static void drop_program_name(char *s)
{
	const char *space;
	size_t first;

	while (s[0] == ' ')
		memmove(s, s + 1, strlen(s));
	space = strchr(s, ' ');
	first = space ? (size_t)(space - s) : strlen(s);
	if (ends_with_efi(s, first))
		memmove(s, s + first, strlen(s + first) + 1);
	while (s[0] == ' ')
		memmove(s, s + 1, strlen(s));
}

int efi_load_options_to_cmdline(char *dst, size_t size, const uint16_t *opts, size_t bytes)
{
	size_t n = bytes / sizeof(*opts), len = 0;

	for (size_t i = 0; i < n && opts[i]; i++) {
		if (opts[i] < 0x20 || opts[i] > 0x7e) {
			dst[0] = '\0';
			return -EINVAL;
		}
		if (len + 1 < size)
			dst[len++] = (char)opts[i];
	}
	dst[len] = '\0';
	drop_program_name(dst);
	efi_tidy_cmdline(dst);
	return 0;
}
