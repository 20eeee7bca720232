/*
 * The context switch: save the callee-saved registers of the running
 * thread on its stack, store its stack pointer, load the next thread's and
 * pop what it saved when it switched out. A new thread's stack is built by
 * kernel/kthread.c to "return" into ret_from_kthread or ret_from_fork_user.
 */
	.text

/* void __switch_to_asm(u64 *prev_rsp, u64 next_rsp) */
	.globl __switch_to_asm
__switch_to_asm:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* First run of a kernel thread: %rbx = fn, %r12 = arg. */
	.globl ret_from_kthread
ret_from_kthread:
	call schedule_tail
	movq %r12, %rdi
	call *%rbx
	movl %eax, %edi
	call do_exit

/* First run of a user thread: its struct pt_regs is at %rsp. */
	.globl ret_from_fork_user
ret_from_fork_user:
	call schedule_tail
	cli
	jmp interrupt_return
