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

	.section .data.pagetables, "aw"
	.align 4096
early_pml4:
	.quad PHYS(early_pdpt_low) + 3
	.fill 272, 8, 0
	.quad PHYS(early_pdpt_dmap) + 3		/* 273: PAGE_OFFSET */
	.fill 237, 8, 0
	.quad PHYS(early_pdpt_high) + 3		/* 511: KERNEL_VMA */
early_pdpt_low:
	.quad PHYS(early_pd) + 3
	.fill 511, 8, 0
early_pdpt_dmap:
	.quad PHYS(early_pd) + 3
	.fill 511, 8, 0
early_pdpt_high:
	.fill 510, 8, 0
	.quad PHYS(early_pd) + 3		/* 510: -2 GiB */
	.quad 0
early_pd:
	.set i, 0
	.rept 512
	.quad (i << 21) | 0x83			/* present, writable, 2 MiB */
	.set i, i + 1
	.endr

	.section .bss
	.align 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:
