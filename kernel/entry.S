/*
 * Interrupt and exception entry: one small stub per vector pushes an error
 * code (0 where the CPU pushes none) and the vector number, then the common
 * path saves the registers as a struct pt_regs (kernel/irq.h) and calls
 * do_interrupt(). swapgs when the interrupt came from user mode, so %gs
 * always points at the kernel's per-CPU data inside the kernel.
 */
#include "kernel/calling.h"

	.text
	.align 16
	.globl isr_stub_table_start
isr_stub_table_start:
	.set vec, 0
	.rept 256
	.align 16
	.if !((vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30))
	pushq $0
	.endif
	pushq $vec
	jmp common_interrupt
	.set vec, vec + 1
	.endr

common_interrupt:
	testb $3, 24(%rsp)		/* CS of the interrupted context */
	jz 1f
	swapgs
1:	SAVE_REGS
	movq %rsp, %rdi
	cld
	xorl %ebp, %ebp			/* backtraces stop at the frame */
	call do_interrupt
	.globl interrupt_return
interrupt_return:
	RESTORE_REGS
	testb $3, 24(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp			/* vector and error code */
	iretq
