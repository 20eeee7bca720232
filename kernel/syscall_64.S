/*
 * The syscall instruction lands here (MSR_LSTAR) with interrupts off
 * (SFMASK), %rcx = user rip, %r11 = user rflags, still on the user stack.
 * swapgs gives the per-CPU block, whose kernel_rsp is the running thread's
 * own kernel stack; the registers are saved as a struct pt_regs, the same
 * frame interrupts build (kernel/entry.S), so both return paths share it.
 */
#include "kernel/calling.h"
#include "kernel/syscall.h"

/* kernel/cpu.h: USER_DS, USER_CS (checked in kernel/syscall.c) */
#define ENTRY_USER_DS	0x1b
#define ENTRY_USER_CS	0x23

	.text
	.globl entry_SYSCALL_64
entry_SYSCALL_64:
	swapgs
	movq %rsp, %gs:PCPU_USER_RSP
	movq %gs:PCPU_KERNEL_RSP, %rsp
	pushq $ENTRY_USER_DS		/* ss */
	pushq %gs:PCPU_USER_RSP		/* rsp */
	pushq %r11			/* rflags */
	pushq $ENTRY_USER_CS		/* cs */
	pushq %rcx			/* rip */
	pushq $0			/* error code */
	pushq $-1			/* vector: none, a syscall */
	SAVE_REGS
	movq %rsp, %rdi
	cld
	xorl %ebp, %ebp
	sti
	call do_syscall_64
	cli
	testb %al, %al
	jz 1f
	RESTORE_REGS				/* %r11 = rflags, %rcx = rip: do_syscall_64 made sure */
	movq 40(%rsp), %rsp		/* past vector, error, rip, cs, rflags */
	swapgs
	sysretq
1:	jmp interrupt_return		/* iretq: a frame sysret cannot restore */
