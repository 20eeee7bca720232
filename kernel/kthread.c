/*
 * Creating threads: a task_struct in a page of its own (the FPU save area
 * at its end), a kernel stack, and a first stack frame that the context
 * switch (kernel/switch.S) "returns" into.
 */
#include "kernel/kthread.h"
#include "kernel/irq.h"
#include "kernel/mm.h"
#include "lib/string.h"

#define FXSAVE_SIZE	512
#define STACK_PAGES	(THREAD_STACK_SIZE / PAGE_SIZE)

BUILD_BUG_ON(sizeof(struct task_struct) > PAGE_SIZE - FXSAVE_SIZE);
BUILD_BUG_ON(sizeof(struct pt_regs) % 16 != 0);

/* The state fninit leaves: x87 control word 0x37f, MXCSR 0x1f80 (all masked). */
static void fpu_init_state(u8 *fx)
{
	memset(fx, 0, FXSAVE_SIZE);
	fx[0] = 0x7f;		/* FCW */
	fx[1] = 0x03;
	fx[24] = 0x80;		/* MXCSR */
	fx[25] = 0x1f;
}

struct task_struct *task_alloc(const char *name)
{
	struct task_struct *p = get_zeroed_page();
	void *stack;

	if (!p)
		return NULL;
	stack = alloc_pages_exact(STACK_PAGES);
	if (!stack) {
		free_page(p);
		return NULL;
	}
	p->state = TASK_RUNNING;
	p->name = name;
	INIT_LIST_HEAD(&p->run_list);
	INIT_LIST_HEAD(&p->tasks);
	p->time_slice = SCHED_TIME_SLICE;
	p->thread.stack = stack;
	p->thread.stack_size = THREAD_STACK_SIZE;
	p->thread.fpu = (u8 *)p + PAGE_SIZE - FXSAVE_SIZE;
	fpu_init_state(p->thread.fpu);
	return p;
}

void task_free(struct task_struct *p)
{
	free_pages_exact(p->thread.stack, STACK_PAGES);
	free_page(p);
}

/*
 * The frame __switch_to_asm pops: r15 r14 r13 r12 rbx rbp, then the return
 * address; rbx and r12 carry the entry's arguments. @top must leave the
 * stack 16-byte aligned after the return, as the ABI wants at a call.
 */
static void push_switch_frame(struct task_struct *p, u64 *top, void (*ret)(void),
			      u64 rbx, u64 r12)
{
	u64 *sp = top;

	*--sp = (u64)(uintptr_t)ret;
	*--sp = 0;		/* rbp: backtraces stop here */
	*--sp = rbx;
	*--sp = r12;
	*--sp = 0;		/* r13 */
	*--sp = 0;		/* r14 */
	*--sp = 0;		/* r15 */
	p->thread.rsp = (u64)(uintptr_t)sp;
}

void kthread_prepare(struct task_struct *p, int (*fn)(void *), void *arg)
{
	u64 *top = (u64 *)((u8 *)p->thread.stack + p->thread.stack_size);

	push_switch_frame(p, top, ret_from_kthread, (u64)(uintptr_t)fn,
			  (u64)(uintptr_t)arg);
}

void user_thread_prepare(struct task_struct *p, const struct pt_regs *regs)
{
	u8 *top = (u8 *)p->thread.stack + p->thread.stack_size;
	struct pt_regs *frame = (struct pt_regs *)(top - sizeof(*frame));

	*frame = *regs;
	push_switch_frame(p, (u64 *)frame, ret_from_fork_user, 0, 0);
}

struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = task_alloc(name);

	if (!p)
		return NULL;
	kthread_prepare(p, fn, arg);
	sched_add_task(p);
	return p;
}
