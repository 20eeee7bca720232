/*
 * The UEFI boot path: BOOTX64.EFI, a PE32+ application that OVMF (or any
 * UEFI firmware) starts from \EFI\BOOT\ on the boot volume. It carries the
 * kernel ELF (boot/efi-payload.S), copies its PT_LOAD segments to their
 * physical addresses (1 MiB), fills a struct boot_info from boot services
 * and, after ExitBootServices(), jumps to _start64 (boot/multiboot.S), which
 * calls efi_kernel_start() in kernel/main.c.
 *
 * What it reads from the boot volume (scripts/efi-disk.sh writes these):
 *   kernel command line  the image's load options (UTF-16 text, as the UEFI
 *                        shell or a Boot#### entry passes them; a first word
 *                        ending in ".efi" is the program's own name and is
 *                        dropped), or else the file \unisock\cmdline
 *   module               \unisock\app, a program run as a Multiboot module
 *                        would be, its command line in \unisock\app.cmdline
 */
#include "boot/bootinfo.h"
#include "boot/efi.h"
#include "boot/efi_info.h"
#include "lib/string.h"
#include "lib/vsprintf.h"

#define LOW_LIMIT	0x40000000ULL	/* the kernel's early map covers 1 GiB */
#define MMAP_BUF_SIZE	(64 * 1024)

/* ELF64 (System V gABI, "ELF Header" and "Program Header"). */
#define EI_NIDENT	16
#define ELFCLASS64	2
#define ET_EXEC		2
#define EM_X86_64	62
#define PT_LOAD		1

struct elf64_hdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

_Static_assert(sizeof(struct elf64_hdr) == 64, "elf64_hdr");
_Static_assert(sizeof(struct elf64_phdr) == 56, "elf64_phdr");

/* boot/efi-payload.S: build/kernel.elf, stripped. */
extern const uint8_t efi_kernel_elf[], efi_kernel_elf_end[];

static struct efi_system_table *st;
static struct efi_boot_services *bs;

/* The memory map lands here, so no allocation sits between it and its use. */
static uint8_t mmap_buf[MMAP_BUF_SIZE] __attribute__((aligned(8)));
static uint64_t mmap_size, mmap_key, mmap_desc_size;

/* ---- console ---------------------------------------------------------------- */

/* ConOut takes UCS-2 and wants CR LF line ends (§12.4.3). */
static void efi_puts(const char *s)
{
	efi_char16_t buf[128];
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = (unsigned char)*s;
		if (n >= sizeof(buf) / sizeof(buf[0]) - 2) {
			buf[n] = 0;
			st->con_out->output_string(st->con_out, buf);
			n = 0;
		}
	}
	buf[n] = 0;
	st->con_out->output_string(st->con_out, buf);
}

static __printf(1, 2) void efi_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	efi_puts(buf);
}

/* ---- memory --------------------------------------------------------------------- */

static efi_status_t read_memory_map(void)
{
	uint32_t version;

	mmap_size = sizeof(mmap_buf);
	return bs->get_memory_map(&mmap_size, (struct efi_memory_descriptor *)mmap_buf,
				  &mmap_key, &mmap_desc_size, &version);
}

/* §7.2: descriptors are mmap_desc_size apart, which may exceed sizeof. */
static size_t mmap_entries(void)
{
	return mmap_size / mmap_desc_size;
}

static const struct efi_memory_descriptor *mmap_entry(size_t i)
{
	return (const void *)(mmap_buf + i * mmap_desc_size);
}

/*
 * Allocate @pages of free RAM at the lowest address at or above @floor
 * and below 1 GiB. Modules sit just above the kernel image, as QEMU's
 * Multiboot loader puts them, so the kernel's allocator finds room above.
 */
static efi_status_t alloc_low(uint64_t pages, uint64_t floor, efi_physical_addr_t *addr)
{
	uint64_t best = LOW_LIMIT;
	efi_status_t status = read_memory_map();

	if (status)
		return status;
	for (size_t i = 0; i < mmap_entries(); i++) {
		const struct efi_memory_descriptor *d = mmap_entry(i);
		uint64_t start = d->physical_start > floor ? d->physical_start : floor;
		uint64_t end = d->physical_start + d->number_of_pages * EFI_PAGE_SIZE;

		start = (start + EFI_PAGE_SIZE - 1) & ~(uint64_t)(EFI_PAGE_SIZE - 1);
		if (d->type == EFI_CONVENTIONAL_MEMORY && start + pages * EFI_PAGE_SIZE <= end &&
		    start < best)
			best = start;
	}
	if (best + pages * EFI_PAGE_SIZE > LOW_LIMIT)
		return EFI_OUT_OF_RESOURCES;
	*addr = best;
	return bs->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_DATA, pages, addr);
}

/* ---- the kernel image -------------------------------------------------------- */

static const char *check_elf(const struct elf64_hdr *eh, size_t size)
{
	if (size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4))
		return "not an ELF file";
	if (eh->e_ident[4] != ELFCLASS64 || eh->e_type != ET_EXEC ||
	    eh->e_machine != EM_X86_64)
		return "not an x86-64 ELF executable";
	if (eh->e_phentsize != sizeof(struct elf64_phdr) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) > size)
		return "program headers out of the file";
	return NULL;
}

/*
 * Copy one PT_LOAD segment to its physical address (zeroing its bss part)
 * into pages allocated there, as EfiLoaderCode: firmware may map
 * EfiLoaderData no-execute.
 */
static efi_status_t load_segment(const struct elf64_phdr *ph, size_t elf_size)
{
	uint64_t base = ph->p_paddr & ~(uint64_t)(EFI_PAGE_SIZE - 1);
	uint64_t pages = (ph->p_paddr + ph->p_memsz - base + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	efi_physical_addr_t addr = base;
	efi_status_t status;

	if (ph->p_filesz > ph->p_memsz || ph->p_offset + ph->p_filesz > elf_size)
		return EFI_LOAD_ERROR;
	status = bs->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, pages, &addr);
	if (status) {
		efi_printf("unisock: cannot allocate the kernel's memory at %#lx-%#lx "
			   "(status %#lx): the firmware uses it\n", (unsigned long)base,
			   (unsigned long)(base + pages * EFI_PAGE_SIZE - 1), (unsigned long)status);
		return status;
	}
	memcpy((void *)(uintptr_t)ph->p_paddr, efi_kernel_elf + ph->p_offset, ph->p_filesz);
	memset((void *)(uintptr_t)(ph->p_paddr + ph->p_filesz), 0, ph->p_memsz - ph->p_filesz);
	return EFI_SUCCESS;
}

/* Load the embedded kernel; return its entry's physical address, 0 on failure. */
static uint64_t load_kernel(uint64_t *image_end)
{
	const struct elf64_hdr *eh = (const void *)efi_kernel_elf;
	size_t size = efi_kernel_elf_end - efi_kernel_elf;
	const char *why = check_elf(eh, size);
	uint64_t entry = 0;

	if (why) {
		efi_printf("unisock: the embedded kernel is broken: %s\n", why);
		return 0;
	}
	*image_end = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = (const void *)(efi_kernel_elf + eh->e_phoff +
							     i * sizeof(*ph));

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_paddr + ph->p_memsz > LOW_LIMIT || load_segment(ph, size))
			return 0;
		if (eh->e_entry >= ph->p_vaddr && eh->e_entry < ph->p_vaddr + ph->p_memsz)
			entry = eh->e_entry - ph->p_vaddr + ph->p_paddr;
		if (ph->p_paddr + ph->p_memsz > *image_end)
			*image_end = ph->p_paddr + ph->p_memsz;
	}
	if (!entry)
		efi_puts("unisock: the kernel's entry point is in no loadable segment\n");
	return entry;
}

/* ---- command line, modules, ACPI -------------------------------------------------- */

static void ascii_to_ucs2(efi_char16_t *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = (unsigned char)src[i];
	dst[i] = 0;
}

/* Open @path on the volume and find its size; an error if it is absent. */
static efi_status_t open_file(struct efi_file_protocol *root, const char *path,
			      struct efi_file_protocol **f, uint64_t *size)
{
	efi_char16_t name[64];
	efi_status_t status;

	ascii_to_ucs2(name, sizeof(name) / sizeof(name[0]), path);
	status = root->open(root, f, name, EFI_FILE_MODE_READ, 0);
	if (status)
		return status;
	status = (*f)->set_position(*f, EFI_FILE_POSITION_END);
	if (!status)
		status = (*f)->get_position(*f, size);
	if (!status)
		status = (*f)->set_position(*f, 0);
	if (status)
		(*f)->close(*f);
	return status;
}

/* A small text file into @dst (NUL-terminated, tidied); false if absent. */
static bool read_text_file(struct efi_file_protocol *root, const char *path, char *dst,
			   size_t dst_size)
{
	struct efi_file_protocol *f;
	uint64_t size;

	dst[0] = '\0';
	if (open_file(root, path, &f, &size))
		return false;
	if (size > dst_size - 1)
		size = dst_size - 1;
	if (f->read(f, &size, dst))
		size = 0;
	dst[size] = '\0';
	f->close(f);
	efi_tidy_cmdline(dst);
	return true;
}

/* \unisock\app into low pages, as a boot module. */
static efi_status_t read_module(struct efi_file_protocol *root, const char *path,
				uint64_t floor, struct boot_info *bi)
{
	struct boot_module *m = &bi->modules[bi->nmodules];
	struct efi_file_protocol *f;
	efi_physical_addr_t addr;
	uint64_t size, got;
	efi_status_t status = open_file(root, path, &f, &size);

	if (status)
		return status;
	status = alloc_low(size ? (size + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE : 1, floor, &addr);
	if (status) {
		efi_printf("unisock: no memory below 1 GiB for %s (%lu bytes)\n", path,
			   (unsigned long)size);
		goto out;
	}
	got = size;
	status = f->read(f, &got, (void *)(uintptr_t)addr);
	if (!status && got != size)
		status = EFI_LOAD_ERROR;
	if (status) {
		efi_printf("unisock: reading %s failed (status %#lx)\n", path,
			   (unsigned long)status);
		goto out;
	}
	m->start = addr;
	m->size = size;
	bi->nmodules++;
out:
	f->close(f);
	return status;
}

static struct efi_file_protocol *open_boot_volume(efi_handle_t image,
						  struct efi_loaded_image_protocol *li)
{
	efi_guid_t sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	struct efi_simple_file_system_protocol *sfs;
	struct efi_file_protocol *root;

	if (bs->handle_protocol(li->device_handle, &sfs_guid, (void **)&sfs) ||
	    sfs->open_volume(sfs, &root))
		return NULL;
	return root;
}

static void read_boot_volume(struct efi_file_protocol *root, uint64_t floor,
			     struct boot_info *bi)
{
	struct boot_module *m = &bi->modules[0];

	if (!bi->cmdline[0])
		read_text_file(root, "\\unisock\\cmdline", bi->cmdline, sizeof(bi->cmdline));
	if (read_module(root, "\\unisock\\app", floor, bi))
		return;
	if (!read_text_file(root, "\\unisock\\app.cmdline", m->cmdline, sizeof(m->cmdline)))
		strlcpy(m->cmdline, "app", sizeof(m->cmdline));
	efi_printf("unisock: module \\unisock\\app, %lu bytes at %#lx: %s\n",
		   (unsigned long)m->size, (unsigned long)m->start, m->cmdline);
}

/* ACPI 6.5 §5.2.5.3: the RSDP starts with "RSD PTR ". */
static bool is_rsdp(const void *p)
{
	return p && !memcmp(p, "RSD PTR ", 8);
}

/* §4.6: the ACPI 2.0 table if the firmware has one, else ACPI 1.0's. */
static uint64_t find_acpi_rsdp(void)
{
	const efi_guid_t acpi20 = EFI_ACPI_20_TABLE_GUID, acpi10 = EFI_ACPI_10_TABLE_GUID;
	uint64_t rsdp1 = 0;

	for (uint64_t i = 0; i < st->number_of_table_entries; i++) {
		const struct efi_configuration_table *t = &st->configuration_table[i];

		if (!is_rsdp(t->vendor_table))
			continue;
		if (!memcmp(&t->vendor_guid, &acpi20, sizeof(acpi20)))
			return (uintptr_t)t->vendor_table;
		if (!memcmp(&t->vendor_guid, &acpi10, sizeof(acpi10)))
			rsdp1 = (uintptr_t)t->vendor_table;
	}
	return rsdp1;
}

static void set_loader_name(struct boot_info *bi)
{
	const efi_char16_t *v = st->firmware_vendor;
	size_t n = strlcpy(bi->loader, "UEFI ", sizeof(bi->loader));

	for (; v && *v && n + 1 < sizeof(bi->loader); v++)
		bi->loader[n++] = *v >= 0x20 && *v <= 0x7e ? (char)*v : '?';
	bi->loader[n] = '\0';
}

/* ---- leaving the firmware --------------------------------------------------------- */

/*
 * §7.4 ExitBootServices(): a map key gone stale makes it fail with
 * EFI_INVALID_PARAMETER; then read the map again and retry, calling
 * nothing but GetMemoryMap() in between.
 */
static efi_status_t exit_boot_services(efi_handle_t image, struct boot_info *bi)
{
	efi_status_t status;

	for (int tries = 0; tries < 8; tries++) {
		unsigned int dropped;

		status = read_memory_map();
		if (status)
			return status;
		dropped = efi_mmap_to_boot(bi, mmap_buf, mmap_size, mmap_desc_size);
		if (dropped && !tries)
			efi_printf("unisock: %u memory map entries beyond the %u boot_info "
				   "holds are left out\n", dropped, BOOT_MMAP_MAX);
		status = bs->exit_boot_services(image, mmap_key);
		if (status != EFI_INVALID_PARAMETER)
			return status;
	}
	return status;
}

static __noreturn void enter_kernel(uint64_t entry, const struct boot_info *bi)
{
	__asm__ __volatile__("cli\n\tjmp *%0" : : "r"(entry), "D"(bi) : "memory");
	__builtin_unreachable();
}

static struct boot_info *alloc_boot_info(uint64_t floor)
{
	uint64_t pages = (sizeof(struct boot_info) + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	efi_physical_addr_t addr;
	struct boot_info *bi;

	if (alloc_low(pages, floor, &addr))
		return NULL;
	bi = (struct boot_info *)(uintptr_t)addr;
	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->boot_path = BOOT_PATH_UEFI;
	return bi;
}

/* Everything but the memory map, which must be read last. */
static void fill_boot_info(efi_handle_t image, struct efi_loaded_image_protocol *li,
			   uint64_t floor, struct boot_info *bi)
{
	struct efi_file_protocol *root;

	set_loader_name(bi);
	bi->acpi_rsdp = find_acpi_rsdp();
	if (bi->acpi_rsdp)
		efi_printf("unisock: ACPI RSDP at %#lx\n", (unsigned long)bi->acpi_rsdp);
	else
		efi_puts("unisock: no ACPI RSDP in the configuration table\n");
	if (li->load_options_size &&
	    efi_load_options_to_cmdline(bi->cmdline, sizeof(bi->cmdline), li->load_options,
					li->load_options_size))
		efi_printf("unisock: ignoring %u bytes of load options that are not text\n",
			   li->load_options_size);
	root = open_boot_volume(image, li);
	if (root) {
		read_boot_volume(root, floor, bi);
		root->close(root);
	}
	efi_printf("unisock: command line: %s\n", bi->cmdline[0] ? bi->cmdline : "(empty)");
}

efi_status_t EFIAPI efi_main(efi_handle_t image, struct efi_system_table *systab)
{
	efi_guid_t li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	struct efi_loaded_image_protocol *li;
	struct boot_info *bi;
	uint64_t entry, floor;
	efi_status_t status;

	st = systab;
	bs = systab->boot_services;
	efi_printf("unisock: UEFI loader: loading the kernel (%lu KiB)\n",
		   (unsigned long)(efi_kernel_elf_end - efi_kernel_elf) >> 10);
	status = bs->handle_protocol(image, &li_guid, (void **)&li);
	if (status) {
		efi_puts("unisock: no EFI_LOADED_IMAGE_PROTOCOL for this image\n");
		return status;
	}
	entry = load_kernel(&floor);
	if (!entry)
		return EFI_LOAD_ERROR;
	bi = alloc_boot_info(floor);
	if (!bi) {
		efi_puts("unisock: no memory below 1 GiB for the boot information\n");
		return EFI_OUT_OF_RESOURCES;
	}
	fill_boot_info(image, li, floor, bi);
	status = exit_boot_services(image, bi);
	if (status) {
		efi_printf("unisock: ExitBootServices failed (status %#lx)\n",
			   (unsigned long)status);
		return status;
	}
	enter_kernel(entry, bi);
}
