/*
 * Saving and restoring the general registers as a struct pt_regs
 * (kernel/irq.h), for the two ways into the kernel: interrupts
 * (kernel/entry.S) and syscall (kernel/syscall_64.S). Assembly only.
 */
#ifndef KERNEL_CALLING_H
#define KERNEL_CALLING_H

/* After vector and error code: rax first, r15 last (lowest address). */
.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro RESTORE_REGS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

#endif
