/*
 * Multiboot 1 entry (QEMU -kernel) and the 64-bit entry shared with UEFI.
 *
 * QEMU's Multiboot loader refuses ELF64 files unless the header carries the
 * a.out kludge (flag 16): then it copies [load_addr, load_end_addr) from the
 * file, zeroes up to bss_end_addr and jumps to entry_addr in 32-bit protected
 * mode with paging off, %eax = 0x2badb002, %ebx = the Multiboot info.
 * From there: check for long mode, load the static early page tables, turn
 * on PAE + LME + paging, and far-jump into 64-bit code in the higher half.
 *
 * Early page tables (all static, 2 MiB pages): physical 0..1 GiB mapped
 * three times, at 0 (identity, for the switch itself), at KERNEL_VMA (the
 * image) and at PAGE_OFFSET (the direct map). paging_init() replaces them.
 */
#include "kernel/memlayout.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	((1 << 1) | (1 << 16))	/* memory info, a.out kludge */
#define PHYS(x)		((x) - KERNEL_VMA)

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PHYS(mb_header)		/* header_addr */
	.long PHYS(_kernel_start)	/* load_addr */
	.long PHYS(_edata)		/* load_end_addr */
	.long PHYS(_end)		/* bss_end_addr */
	.long PHYS(_start32)		/* entry_addr */

	.section .text.boot, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl %eax, %edi			/* Multiboot magic, kept for C */
	movl %ebx, %esi			/* Multiboot info (physical) */
	movl $PHYS(boot_stack_top), %esp

	/* Long mode available? CPUID 0x80000001 EDX bit 29. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	call fill_early_tables32
	movl $PHYS(early_pml4), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $(1 << 5), %eax		/* PAE */
	movl %eax, %cr4
	movl $0xc0000080, %ecx		/* EFER */
	rdmsr
	orl $(1 << 8), %eax		/* LME */
	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	movl %eax, %cr0

	lgdt PHYS(early_gdt_ptr32)
	ljmp $0x08, $PHYS(long_mode_low)

/* The tables' non-zero entries (the rest is .bss, zero). Clobbers eax, ecx. */
fill_early_tables32:
	movl $PHYS(early_pdpt_low) + 3, PHYS(early_pml4)
	movl $PHYS(early_pdpt_dmap) + 3, PHYS(early_pml4) + 273 * 8	/* PAGE_OFFSET */
	movl $PHYS(early_pdpt_high) + 3, PHYS(early_pml4) + 511 * 8	/* KERNEL_VMA */
	movl $PHYS(early_pd) + 3, PHYS(early_pdpt_low)
	movl $PHYS(early_pd) + 3, PHYS(early_pdpt_dmap)
	movl $PHYS(early_pd) + 3, PHYS(early_pdpt_high) + 510 * 8	/* -2 GiB */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax				/* present, writable, 2 MiB */
	movl %eax, PHYS(early_pd)(,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 1b
	ret

no_long_mode:
	movl $PHYS(no_lm_msg), %esi
	movw $0x3f8, %dx
1:	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:	hlt
	jmp 2b

	.code64
long_mode_low:
	movabsq $long_mode_high, %rax
	jmp *%rax
long_mode_high:
	movl %edi, %edi			/* zero-extend both arguments */
	movl %esi, %esi
	jmp start64_common_mb

/*
 * The UEFI loader's entry: already in long mode on its identity map. Load our
 * own tables (which identity-map this code too), then continue as above.
 * %rdi = physical address of the boot_info.
 */
	.globl _start64
_start64:
	cli
	cld
	call fill_early_tables64
	movq $PHYS(early_pml4), %rax
	movq %rax, %cr3
	movabsq $start64_high, %rax
	jmp *%rax
start64_high:
	lgdt early_gdt_ptr64(%rip)
	movq %rdi, %rbx
	leaq boot_stack_top(%rip), %rsp
	pushq $0x08
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	call load_data_segments
	movq %rbx, %rdi
	xorl %ebp, %ebp
	call efi_kernel_start
	jmp halt_forever

/* fill_early_tables32 in 64-bit code, on the firmware's identity map and stack. */
fill_early_tables64:
	movq $PHYS(early_pdpt_low) + 3, %rax
	movq %rax, PHYS(early_pml4)
	movq $PHYS(early_pdpt_dmap) + 3, %rax
	movq %rax, PHYS(early_pml4) + 273 * 8
	movq $PHYS(early_pdpt_high) + 3, %rax
	movq %rax, PHYS(early_pml4) + 511 * 8
	movq $PHYS(early_pd) + 3, %rax
	movq %rax, PHYS(early_pdpt_low)
	movq %rax, PHYS(early_pdpt_dmap)
	movq %rax, PHYS(early_pdpt_high) + 510 * 8
	xorl %ecx, %ecx
1:	movq %rcx, %rax
	shlq $21, %rax
	orq $0x83, %rax
	movq %rax, PHYS(early_pd)(,%rcx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 1b
	ret

start64_common_mb:
	lgdt early_gdt_ptr64(%rip)
	leaq boot_stack_top(%rip), %rsp
	call load_data_segments
	xorl %ebp, %ebp
	call multiboot_start		/* (magic, info_phys), never returns */
halt_forever:
	cli
	hlt
	jmp halt_forever

load_data_segments:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	ret

	.section .rodata
no_lm_msg:
	.asciz "unisock: this CPU has no long mode (x86-64); cannot boot\r\n"

	.align 16
early_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff		/* 0x10: data, DPL 0 */
early_gdt_end:
early_gdt_ptr32:
	.word early_gdt_end - early_gdt - 1
	.long PHYS(early_gdt)
early_gdt_ptr64:
	.word early_gdt_end - early_gdt - 1
	.quad early_gdt

/*
 * The early page tables: the first 1 GiB mapped with 2 MiB pages three
 * times over (identity, the direct map at PAGE_OFFSET, the kernel at -2 GiB),
 * all through one page directory. They live in .bss, which both loaders
 * zero, and are filled at entry (fill_early_tables32/64), so the image
 * carries no 20 KiB of page tables.
 */
	.section .bss
	.align 4096
early_pml4:	.skip 4096
early_pdpt_low:	.skip 4096
early_pdpt_dmap: .skip 4096
early_pdpt_high: .skip 4096
early_pd:	.skip 4096

	.section .bss
	.align 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:
