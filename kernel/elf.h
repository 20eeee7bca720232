/*
 * ELF64 executables, as much as loading a static x86-64 Linux program
 * needs (System V ABI, "ELF-64 Object File Format" 1.5). elf_parse() reads
 * untrusted bytes: it checks every offset and size before use and never
 * reads outside the buffer, so it is fuzzed and unit-tested on the host.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "lib/compiler.h"

#define EI_NIDENT	16
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_PHDR		6
#define PT_TLS		7

#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

struct elf64_hdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};
BUILD_BUG_ON(sizeof(struct elf64_hdr) != 64);

struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};
BUILD_BUG_ON(sizeof(struct elf64_phdr) != 56);

#define ELF_MAX_PHNUM	64
#define ELF_MAX_LOADS	16

/* One PT_LOAD segment, relative to the load base (0 for ET_EXEC). */
struct elf_segment {
	u64 vaddr, memsz;
	u64 offset, filesz;
	u32 flags;		/* PF_* */
};

struct elf_image {
	bool pie;		/* ET_DYN: static-PIE, loaded at a base */
	u64 entry;		/* relative to the base */
	u64 phdr_vaddr;		/* where the phdrs are in memory, or 0 */
	u64 phoff;
	u16 phnum;
	u64 lo, hi;		/* lowest and highest address of the loads */
	unsigned int nsegs;
	struct elf_segment segs[ELF_MAX_LOADS];
};

/*
 * Check that @data (@size bytes) is a static x86-64 executable that fits
 * below @limit once loaded (for a PIE, with its base added by the caller,
 * which must check base + hi itself) and fill @img. Returns 0, or -ENOEXEC
 * with *@why set to a one-line reason.
 */
int elf_parse(const void *data, size_t size, u64 limit, struct elf_image *img,
	      const char **why);

#endif
