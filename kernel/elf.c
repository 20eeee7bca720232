/*
 * ELF64 parser for the program loader (kernel/exec.c). The input is
 * untrusted: a file given as a Multiboot module may be anything. Every
 * header is copied out with memcpy after its bounds are checked (the
 * buffer need not be aligned), all arithmetic is overflow-checked, and
 * each refusal says why. Portable: the host tests and fuzzes this file.
 */
#include "kernel/elf.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/string.h"

#define ELF_PAGE	4096ULL
/* No segment of a program this kernel runs is larger than this. */
#define ELF_MAX_SEGMENT	(1ULL << 30)
/* Linux's default vm.mmap_min_addr: nothing is mapped below it. */
#define ELF_MIN_ADDR	0x10000ULL

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -ENOEXEC;
}

/* @off + @len within @size, without overflow. */
static bool in_file(u64 off, u64 len, size_t size)
{
	return off <= size && len <= size - off;
}

static int check_ehdr(const struct elf64_hdr *eh, size_t size, const char **why)
{
	static const u8 magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (memcmp(eh->e_ident, magic, 4))
		return refuse(why, "bad magic: not an ELF file");
	if (eh->e_ident[4] != ELFCLASS64)
		return refuse(why, "not a 64-bit ELF (ELFCLASS32?)");
	if (eh->e_ident[5] != ELFDATA2LSB)
		return refuse(why, "not little-endian");
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return refuse(why, "unknown ELF version");
	if (eh->e_machine != EM_X86_64)
		return refuse(why, "not an x86-64 program");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return refuse(why, "not an executable (relocatable object or core?)");
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return refuse(why, "bad program header size");
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return refuse(why, "no program headers, or too many");
	if (!in_file(eh->e_phoff, (u64)eh->e_phnum * sizeof(struct elf64_phdr), size))
		return refuse(why, "program headers beyond the end of the file (truncated?)");
	return 0;
}

static int check_load(const struct elf64_phdr *ph, size_t size, u64 limit,
		      const char **why)
{
	if (ph->p_filesz > ph->p_memsz)
		return refuse(why, "segment file size larger than its memory size");
	if (ph->p_memsz == 0 || ph->p_memsz > ELF_MAX_SEGMENT)
		return refuse(why, "segment of absurd size");
	if (!in_file(ph->p_offset, ph->p_filesz, size))
		return refuse(why, "segment beyond the end of the file (truncated?)");
	if (ph->p_vaddr >= limit || ph->p_memsz > limit - ph->p_vaddr)
		return refuse(why, "segment outside the user address range");
	if ((ph->p_vaddr - ph->p_offset) % ELF_PAGE)
		return refuse(why, "segment address and file offset disagree modulo the page size");
	return 0;
}

/* Segments must come in address order and not overlap. */
static int add_load(struct elf_image *img, const struct elf64_phdr *ph,
		    const char **why)
{
	struct elf_segment *s;

	if (img->nsegs == ELF_MAX_LOADS)
		return refuse(why, "too many loadable segments");
	if (img->nsegs) {
		const struct elf_segment *prev = &img->segs[img->nsegs - 1];

		if (ph->p_vaddr < prev->vaddr + prev->memsz)
			return refuse(why, "overlapping or unordered segments");
	}
	s = &img->segs[img->nsegs++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->flags = ph->p_flags;
	return 0;
}

static int read_phdrs(const u8 *data, size_t size, u64 limit,
		      const struct elf64_hdr *eh, struct elf_image *img,
		      const char **why)
{
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		struct elf64_phdr ph;
		int err;

		memcpy(&ph, data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_INTERP:
			return refuse(why, "dynamically linked (has an interpreter); "
				      "build it with -static");
		case PT_PHDR:
			img->phdr_vaddr = ph.p_vaddr;
			break;
		case PT_LOAD:
			err = check_load(&ph, size, limit, why);
			if (!err)
				err = add_load(img, &ph, why);
			if (err)
				return err;
			break;
		}
	}
	return 0;
}

/* Where the phdrs are in memory: PT_PHDR, else the load that holds them. */
static void find_phdr_vaddr(struct elf_image *img)
{
	u64 len = (u64)img->phnum * sizeof(struct elf64_phdr);

	if (img->phdr_vaddr)
		return;
	for (unsigned int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];

		if (img->phoff >= s->offset && len <= s->filesz &&
		    img->phoff - s->offset <= s->filesz - len) {
			img->phdr_vaddr = s->vaddr + (img->phoff - s->offset);
			return;
		}
	}
}

static bool entry_is_code(const struct elf_image *img)
{
	for (unsigned int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];

		if ((s->flags & PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

int elf_parse(const void *data, size_t size, u64 limit, struct elf_image *img,
	      const char **why)
{
	struct elf64_hdr eh;
	int err;

	memset(img, 0, sizeof(*img));
	if (!data || size < sizeof(eh))
		return refuse(why, "too short for an ELF header");
	memcpy(&eh, data, sizeof(eh));
	err = check_ehdr(&eh, size, why);
	if (err)
		return err;
	img->pie = eh.e_type == ET_DYN;
	img->entry = eh.e_entry;
	img->phoff = eh.e_phoff;
	img->phnum = eh.e_phnum;
	err = read_phdrs(data, size, limit, &eh, img, why);
	if (err)
		return err;
	if (!img->nsegs)
		return refuse(why, "nothing to load (no PT_LOAD segment)");
	if (!entry_is_code(img))
		return refuse(why, "entry point outside every executable segment");
	img->lo = img->segs[0].vaddr;
	if (!img->pie && img->lo < ELF_MIN_ADDR)
		return refuse(why, "segment in the first 64 KiB (the NULL page)");
	img->hi = img->segs[img->nsegs - 1].vaddr + img->segs[img->nsegs - 1].memsz;
	find_phdr_vaddr(img);
	return 0;
}
