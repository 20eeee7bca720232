/*
 * struct boot_info: everything the kernel knows about how it was booted.
 * Filled by boot/multiboot.c (from the Multiboot 1 information) or by
 * boot/efi.c (from UEFI boot services), then handed to kmain(). All
 * addresses are physical. Self-contained so the UEFI loader can include it.
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC		0x756e6973u	/* "unis" */

#define BOOT_PATH_MULTIBOOT	1
#define BOOT_PATH_UEFI		2

#define BOOT_MEM_USABLE		1	/* free RAM once boot is over */
#define BOOT_MEM_RESERVED	2
#define BOOT_MEM_ACPI		3	/* ACPI tables, reclaimable */
#define BOOT_MEM_NVS		4
#define BOOT_MEM_BAD		5

#define BOOT_CMDLINE_MAX	1024
#define BOOT_MMAP_MAX		128
#define BOOT_MODULES_MAX	8
#define BOOT_MODULE_CMDLINE_MAX	256

struct boot_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;		/* BOOT_MEM_* */
	uint32_t pad;
};

struct boot_module {
	uint64_t start;
	uint64_t size;
	char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

struct boot_info {
	uint32_t magic;
	uint32_t boot_path;	/* BOOT_PATH_* */
	char cmdline[BOOT_CMDLINE_MAX];
	uint32_t nmmap;
	uint32_t nmodules;
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
	struct boot_module modules[BOOT_MODULES_MAX];
	uint64_t acpi_rsdp;	/* 0 when the loader found none */
	char loader[32];	/* "qemu multiboot", "OVMF UEFI ..." */
};

/*
 * The 64-bit entry the UEFI loader jumps to (the ELF's e_entry, converted to
 * its physical address): long mode, paging with the loader's identity map,
 * interrupts off, %rdi = physical address of a struct boot_info below 1 GiB.
 */

#endif
