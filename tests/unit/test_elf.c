/*
 * kernel/elf.c: a static x86-64 executable is accepted and described;
 * everything else (truncated, bad magic, 32-bit, dynamic, overlapping or
 * huge segments, kernel addresses) is refused with a reason, and no input
 * makes the parser read outside its buffer (ASan watches a mutation run).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/elf.h"
#include "lib/errno.h"

#define LIMIT		0x00007ffffffff000ULL
#define IMG_SIZE	0x3000

static u8 img[IMG_SIZE];

static struct elf64_hdr *eh(void)
{
	return (struct elf64_hdr *)img;
}

static struct elf64_phdr *ph(int i)
{
	return (struct elf64_phdr *)(img + sizeof(struct elf64_hdr)) + i;
}

static void set_load(int i, u64 off, u64 vaddr, u64 filesz, u64 memsz, u32 flags)
{
	*ph(i) = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = flags,
		.p_offset = off, .p_vaddr = vaddr, .p_paddr = vaddr,
		.p_filesz = filesz, .p_memsz = memsz, .p_align = 0x1000 };
}

/* A static executable as ld lays it out: headers+text at 0x400000, data after. */
static void build_static(void)
{
	static const u8 magic[] = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT };

	memset(img, 0, sizeof(img));
	memcpy(eh()->e_ident, magic, sizeof(magic));
	eh()->e_type = ET_EXEC;
	eh()->e_machine = EM_X86_64;
	eh()->e_version = EV_CURRENT;
	eh()->e_entry = 0x401000;
	eh()->e_phoff = sizeof(struct elf64_hdr);
	eh()->e_ehsize = sizeof(struct elf64_hdr);
	eh()->e_phentsize = sizeof(struct elf64_phdr);
	eh()->e_phnum = 3;
	set_load(0, 0, 0x400000, 0x200, 0x200, PF_R);
	set_load(1, 0x1000, 0x401000, 0x800, 0x800, PF_R | PF_X);
	set_load(2, 0x2000, 0x402000, 0x100, 0x5000, PF_R | PF_W);
}

static int parse(size_t size, struct elf_image *out, const char **why)
{
	return elf_parse(img, size, LIMIT, out, why);
}

static void expect_refused(size_t size, const char *reason_part)
{
	struct elf_image out;
	const char *why = NULL;

	cr_assert_eq(parse(size, &out, &why), -ENOEXEC);
	cr_assert_not_null(why);
	cr_assert(strstr(why, reason_part), "reason '%s' lacks '%s'", why, reason_part);
}

TestSuite(elf, .init = build_static);

Test(elf, static_executable_is_described)
{
	struct elf_image out;
	const char *why = NULL;

	cr_assert_eq(parse(IMG_SIZE, &out, &why), 0, "refused: %s", why);
	cr_assert(!out.pie);
	cr_assert_eq(out.entry, 0x401000);
	cr_assert_eq(out.nsegs, 3);
	cr_assert_eq(out.lo, 0x400000);
	cr_assert_eq(out.hi, 0x407000);
	cr_assert_eq(out.phnum, 3);
	cr_assert_eq(out.phdr_vaddr, 0x400040, "phdrs found inside the first load");
	cr_assert_eq(out.segs[2].filesz, 0x100);
	cr_assert_eq(out.segs[2].memsz, 0x5000);
}

Test(elf, static_pie_is_accepted_relative_to_its_base)
{
	struct elf_image out;
	const char *why = NULL;

	eh()->e_type = ET_DYN;
	eh()->e_entry = 0x1000;
	set_load(0, 0, 0, 0x200, 0x200, PF_R);
	set_load(1, 0x1000, 0x1000, 0x800, 0x800, PF_R | PF_X);
	set_load(2, 0x2000, 0x2000, 0x100, 0x100, PF_R | PF_W);
	cr_assert_eq(parse(IMG_SIZE, &out, &why), 0, "refused: %s", why);
	cr_assert(out.pie);
	cr_assert_eq(out.lo, 0);
	cr_assert_eq(out.phdr_vaddr, 0x40);
}

Test(elf, truncated_files_are_refused)
{
	expect_refused(0, "too short");
	expect_refused(63, "too short");
	expect_refused(64 + 56, "program headers beyond");
	expect_refused(0x1800, "beyond the end of the file");
}

Test(elf, bad_magic_is_refused)
{
	img[1] = 'X';
	expect_refused(IMG_SIZE, "bad magic");
}

Test(elf, elf32_is_refused)
{
	img[4] = 1;	/* ELFCLASS32 */
	expect_refused(IMG_SIZE, "64-bit");
}

Test(elf, other_machines_and_types_are_refused)
{
	eh()->e_machine = 3;	/* EM_386 */
	expect_refused(IMG_SIZE, "x86-64");
	eh()->e_machine = EM_X86_64;
	eh()->e_type = 1;	/* ET_REL */
	expect_refused(IMG_SIZE, "not an executable");
}

Test(elf, dynamic_executable_is_refused)
{
	eh()->e_phnum = 4;
	*ph(3) = (struct elf64_phdr){ .p_type = PT_INTERP, .p_offset = 0x200, .p_filesz = 28 };
	expect_refused(IMG_SIZE, "dynamically linked");
}

Test(elf, overlapping_segments_are_refused)
{
	set_load(2, 0x2000, 0x401000, 0x100, 0x100, PF_R | PF_W);
	expect_refused(IMG_SIZE, "overlapping");
}

Test(elf, huge_and_wrapping_segments_are_refused)
{
	set_load(2, 0x2000, 0x402000, 0x100, 1ULL << 40, PF_R | PF_W);
	expect_refused(IMG_SIZE, "absurd size");
	set_load(2, 0x2000, 0xfffffffffffff000ULL, 0x100, 0x2000, PF_R | PF_W);
	expect_refused(IMG_SIZE, "outside the user address range");
	set_load(2, 0x2000, 0x402000, 0x200, 0x100, PF_R | PF_W);
	expect_refused(IMG_SIZE, "file size larger");
	set_load(2, 0xffffffffffffff00ULL, 0x402000, 0x200, 0x200, PF_R | PF_W);
	expect_refused(IMG_SIZE, "beyond the end of the file");
}

Test(elf, segments_into_kernel_space_or_page_zero_are_refused)
{
	set_load(2, 0x2000, 0xffffffff80000000ULL, 0x100, 0x100, PF_R | PF_W);
	expect_refused(IMG_SIZE, "outside the user address range");
	build_static();
	set_load(0, 0, 0x0, 0x200, 0x200, PF_R);
	expect_refused(IMG_SIZE, "NULL page");
}

Test(elf, entry_outside_code_is_refused)
{
	eh()->e_entry = 0x402000;	/* the data segment */
	expect_refused(IMG_SIZE, "entry point");
}

Test(elf, absurd_phdr_counts_are_refused)
{
	eh()->e_phnum = 0;
	expect_refused(IMG_SIZE, "program headers");
	eh()->e_phnum = 65535;
	expect_refused(IMG_SIZE, "program headers");
	eh()->e_phnum = 3;
	eh()->e_phentsize = 32;
	expect_refused(IMG_SIZE, "program header size");
}

Test(elf, the_built_hello_program_parses)
{
	static u8 buf[1 << 20];
	FILE *f = fopen("build/user/hello", "rb");
	struct elf_image out;
	const char *why = NULL;
	size_t n;

	cr_assert_not_null(f, "build/user/hello missing: make builds it before the tests");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	cr_assert_eq(elf_parse(buf, n, LIMIT, &out, &why), 0, "refused: %s", why);
	cr_assert(!out.pie);
	cr_assert_geq(out.lo, 0x400000);
	cr_assert_neq(out.phdr_vaddr, 0, "musl's TLS set-up needs AT_PHDR");
}

/* Mutated images: any verdict is fine, reading out of bounds is not (ASan). */
Test(elf, mutations_never_read_out_of_bounds)
{
	unsigned int seed = 12345;

	for (int round = 0; round < 20000; round++) {
		size_t size = 64 + rand_r(&seed) % (IMG_SIZE - 64);
		u8 *copy;
		struct elf_image out;
		const char *why;

		build_static();
		for (int k = 0; k < 4; k++) {
			unsigned int pos = rand_r(&seed) % 64 + (rand_r(&seed) % 2) * (64 + rand_r(&seed) % 168);

			img[pos % IMG_SIZE] = (u8)rand_r(&seed);
		}
		copy = malloc(size);	/* exact size, so ASan sees any overrun */
		memcpy(copy, img, size);
		if (!elf_parse(copy, size, LIMIT, &out, &why)) {
			for (unsigned int i = 0; i < out.nsegs; i++)
				cr_assert_leq(out.segs[i].offset + out.segs[i].filesz, size);
		}
		free(copy);
	}
}
