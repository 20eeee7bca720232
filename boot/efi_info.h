/*
 * The pure half of the UEFI loader: the firmware's memory map and load
 * options turned into struct boot_info fields. No firmware calls, so the
 * host unit tests (tests/unit/test_efi_info.c) run it as boot/efi.c does.
 */
#ifndef BOOT_EFI_INFO_H
#define BOOT_EFI_INFO_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

/*
 * The GetMemoryMap() buffer (@map_size bytes, descriptors @desc_size apart)
 * -> bi->mmap, neighbours of the same kind merged. Returns how many
 * descriptors did not fit in BOOT_MMAP_MAX entries.
 */
unsigned int efi_mmap_to_boot(struct boot_info *bi, const void *map, size_t map_size,
			      size_t desc_size);

/*
 * UTF-16 load options (@bytes long) -> an ASCII kernel command line in @dst.
 * A first word ending in ".efi" is the program's own name (the UEFI shell
 * passes it) and is dropped. -EINVAL, with @dst empty, if the options are
 * not printable text: a Boot#### entry's binary OptionalData.
 */
int efi_load_options_to_cmdline(char *dst, size_t size, const uint16_t *opts, size_t bytes);

/* Line breaks and tabs to spaces, trailing white space removed. */
void efi_tidy_cmdline(char *s);

#endif
