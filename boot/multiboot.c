/*
 * Multiboot 1 -> struct boot_info. Runs in 64-bit mode on the early page
 * tables, which map the low 1 GiB at PAGE_OFFSET, where QEMU puts the
 * information structure, the memory map and the modules.
 */
#include "boot/bootinfo.h"
#include "kernel/main.h"
#include "kernel/memlayout.h"
#include "lib/string.h"

#define MB_BOOT_MAGIC	0x2badb002
#define MBI_MEM		(1u << 0)
#define MBI_CMDLINE	(1u << 2)
#define MBI_MODS	(1u << 3)
#define MBI_MMAP	(1u << 6)
#define MBI_LOADER	(1u << 9)

struct mb_info {
	u32 flags;
	u32 mem_lower, mem_upper;
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
} __packed;

struct mb_mod {
	u32 start, end, cmdline, pad;
} __packed;

struct mb_mmap {
	u32 size;	/* of the rest of the entry, not counting this field */
	u64 addr, len;
	u32 type;
} __packed;

static struct boot_info mb_boot_info;

static void copy_str(char *dst, size_t size, u32 phys)
{
	if (phys)
		strlcpy(dst, phys_to_virt(phys), size);
	else
		dst[0] = '\0';
}

/* The loader puts the kernel's file name first, as GRUB does: drop it. */
static void copy_cmdline(char *dst, size_t size, u32 phys)
{
	const char *s = phys_to_virt(phys);

	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	strlcpy(dst, s, size);
}

static u32 mmap_type(u32 mb_type)
{
	switch (mb_type) {
	case 1: return BOOT_MEM_USABLE;
	case 3: return BOOT_MEM_ACPI;
	case 4: return BOOT_MEM_NVS;
	case 5: return BOOT_MEM_BAD;
	default: return BOOT_MEM_RESERVED;
	}
}

static void read_mmap(struct boot_info *bi, const struct mb_info *mbi)
{
	u64 p = mbi->mmap_addr, end = p + mbi->mmap_length;

	while (p + sizeof(struct mb_mmap) <= end && bi->nmmap < BOOT_MMAP_MAX) {
		const struct mb_mmap *e = phys_to_virt(p);

		if (e->len)	/* QEMU ends its map with an empty entry */
			bi->mmap[bi->nmmap++] = (struct boot_mmap_entry){
				.base = e->addr, .len = e->len,
				.type = mmap_type(e->type) };
		p += e->size + sizeof(e->size);
	}
}

static void read_modules(struct boot_info *bi, const struct mb_info *mbi)
{
	const struct mb_mod *m = phys_to_virt(mbi->mods_addr);

	for (u32 i = 0; i < mbi->mods_count && i < BOOT_MODULES_MAX; i++) {
		struct boot_module *bm = &bi->modules[bi->nmodules++];

		bm->start = m[i].start;
		bm->size = m[i].end - m[i].start;
		copy_str(bm->cmdline, sizeof(bm->cmdline), m[i].cmdline);
	}
}

/* Called from boot/multiboot.S in long mode: (magic, info physical address). */
void multiboot_start(u32 magic, u32 info_phys)
{
	struct boot_info *bi = &mb_boot_info;
	const struct mb_info *mbi = phys_to_virt(info_phys);

	kmain_early();
	bi->magic = BOOT_INFO_MAGIC;
	bi->boot_path = BOOT_PATH_MULTIBOOT;
	if (magic != MB_BOOT_MAGIC)
		kmain_fatal("not booted by a Multiboot loader (magic %#x)", magic);
	if (mbi->flags & MBI_CMDLINE)
		copy_cmdline(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline);
	if (mbi->flags & MBI_MMAP)
		read_mmap(bi, mbi);
	else if (mbi->flags & MBI_MEM) {	/* no map: the basic figures */
		bi->mmap[0] = (struct boot_mmap_entry){ 0, mbi->mem_lower * 1024ULL,
							BOOT_MEM_USABLE, 0 };
		bi->mmap[1] = (struct boot_mmap_entry){ 0x100000, mbi->mem_upper * 1024ULL,
							BOOT_MEM_USABLE, 0 };
		bi->nmmap = 2;
	}
	if (mbi->flags & MBI_MODS)
		read_modules(bi, mbi);
	if (mbi->flags & MBI_LOADER)
		copy_str(bi->loader, sizeof(bi->loader), mbi->boot_loader_name);
	else
		strlcpy(bi->loader, "multiboot", sizeof(bi->loader));
	kmain(bi);
}
