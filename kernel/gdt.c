/*
 * GDT and TSS. Segment layout is fixed by syscall/sysret (STAR): kernel code
 * and data at 0x08/0x10, user data then user code at 0x18/0x20, so that
 * sysret's "base + 8 = SS, base + 16 = CS" lands on them. The TSS supplies
 * rsp0 (entry from user mode) and the IST stacks for #DF, NMI and #MC, so
 * those run on a known-good stack even when the kernel stack is broken.
 */
#include "kernel/cpu.h"
#include "kernel/x86.h"
#include "lib/compiler.h"
#include "lib/string.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;
BUILD_BUG_ON(sizeof(struct tss) != 104);

static struct tss tss;
static u8 ist_stacks[3][8192] __aligned(16);

static u64 gdt[7] = {
	0,
	0x00af9a000000ffff,	/* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff,	/* 0x10 kernel data */
	0x00cff2000000ffff,	/* 0x18 user data, DPL 3 */
	0x00affa000000ffff,	/* 0x20 user code, 64-bit, DPL 3 */
	0, 0,			/* 0x28 TSS, 16 bytes, filled in below */
};

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

void gdt_init(void)
{
	u64 base = (u64)(uintptr_t)&tss;
	u64 limit = sizeof(tss) - 1;
	struct desc_ptr p = { sizeof(gdt) - 1, (u64)(uintptr_t)gdt };

	memset(&tss, 0, sizeof(tss));
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (u64)(uintptr_t)&ist_stacks[i][sizeof(ist_stacks[i])];
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: ring 3 gets no ports */

	gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		 (u64)0x89 << 40 |	/* present, 64-bit TSS (available) */
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[6] = base >> 32;

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq $0x08\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\tmovl $0x10, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"movw $0x28, %%ax\n\t"
		"ltr %%ax"
		: : "m"(p) : "rax", "memory");
}

void tss_set_rsp0(u64 rsp0)
{
	tss.rsp[0] = rsp0;
}
