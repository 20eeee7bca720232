/*
 * The scheduler: round-robin over one run queue. A task is on the queue
 * when it is runnable and not running; schedule() puts the running task at
 * the tail if it is still runnable and switches to the head, or to the idle
 * thread when the queue is empty. Kernel code is not preempted: it gives
 * up the CPU at schedule(). A thread in user mode is preempted on its way
 * back to user mode (exit_to_user_mode, kernel/proc.c) once its time slice
 * is used up or a woken task is waiting.
 *
 * Locking: the run queue and task states change with interrupts off (one
 * CPU); wake-ups come from interrupt handlers and softirqs.
 */
#include "kernel/sched.h"
#include "kernel/cpu.h"
#include "kernel/init.h"
#include "kernel/irq.h"
#include "kernel/kthread.h"
#include "kernel/mm.h"
#include "kernel/monitor.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/softirq.h"
#include "kernel/spinlock.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/x86.h"

static struct task_struct init_task = {
	.state = TASK_RUNNING,
	.name = "kmain",
	.pid = 1,
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.time_slice = SCHED_TIME_SLICE,
};

static struct task_struct *current_task = &init_task;
static struct task_struct *idle_task;
static LIST_HEAD(runqueue);
static LIST_HEAD(task_list);
static struct task_struct *dead_task;	/* to free once off its stack */
static u64 active_cr3;			/* 0: the kernel's page table */
static int next_pid = 2;

struct task_struct *get_current(void)
{
	return current_task;
}

bool task_is_idle(const struct task_struct *p)
{
	return p == idle_task;
}

/* A new task joins the task list and the run queue. */
void sched_add_task(struct task_struct *p)
{
	unsigned long flags;

	local_irq_save(flags);
	p->pid = p == idle_task ? 0 : next_pid++;
	list_add_tail(&p->tasks, &task_list);
	if (p != idle_task)
		list_add_tail(&p->run_list, &runqueue);
	local_irq_restore(flags);
}

int try_to_wake_up(struct task_struct *p, unsigned int state)
{
	unsigned long flags;

	local_irq_save(flags);
	if (!(p->state & state)) {
		local_irq_restore(flags);
		return 0;
	}
	p->state = TASK_RUNNING;
	if (p != current_task && p != idle_task && list_empty(&p->run_list)) {
		list_add_tail(&p->run_list, &runqueue);
		current_task->need_resched = true;
	}
	local_irq_restore(flags);
	return 1;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL);
}

static struct task_struct *pick_next_task(void)
{
	struct task_struct *next;

	next = list_first_entry_or_null(&runqueue, struct task_struct, run_list);
	if (!next)
		return idle_task;
	list_del_init(&next->run_list);
	return next;
}

static u64 kernel_stack_top(const struct task_struct *p)
{
	return (u64)(uintptr_t)p->thread.stack + p->thread.stack_size;
}

/*
 * Kernel threads borrow whatever page table is loaded (the kernel half is
 * the same in all); a user thread brings its own.
 */
static void switch_mm(struct task_struct *next)
{
	u64 cr3 = next->mm ? mm_pml4(next->mm) : active_cr3;

	if (!active_cr3)
		active_cr3 = kernel_pml4_phys();
	if (next->mm && cr3 != active_cr3) {
		write_cr3(cr3);
		active_cr3 = cr3;
	}
}

/* Called when a task's page table is about to be freed. */
void sched_drop_mm(u64 pml4)
{
	if (active_cr3 == pml4 || read_cr3() == pml4) {
		write_cr3(kernel_pml4_phys());
		active_cr3 = kernel_pml4_phys();
	}
}

/* Only user threads use the FPU/SSE (the kernel is built -mno-sse). */
static void switch_fpu(struct task_struct *prev, struct task_struct *next)
{
	if (prev->mm && prev->thread.fpu)
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(prev->thread.fpu) : "memory");
	if (next->mm && next->thread.fpu) {
		__asm__ __volatile__("fxrstor64 (%0)" : : "r"(next->thread.fpu) : "memory");
		wrmsr(MSR_FS_BASE, next->thread.fs_base);
	}
}

static void finish_task_switch(void)
{
	struct task_struct *dead = dead_task;

	if (dead && dead != current_task) {
		dead_task = NULL;
		list_del(&dead->tasks);
		if (dead != &init_task)
			task_free(dead);
	}
}

/* A new thread's first instructions (kernel/switch.S) come here. */
void schedule_tail(void)
{
	finish_task_switch();
	local_irq_enable();
}

static void context_switch(struct task_struct *prev, struct task_struct *next)
{
	switch_mm(next);
	switch_fpu(prev, next);
	if (next->thread.stack) {
		tss_set_rsp0(kernel_stack_top(next));
		pcpu.kernel_rsp = kernel_stack_top(next);
	}
	next->switches++;
	next->time_slice = SCHED_TIME_SLICE;
	current_task = next;
	__switch_to_asm(&prev->thread.rsp, next->thread.rsp);
	finish_task_switch();
}

void schedule(void)
{
	struct task_struct *prev, *next;
	unsigned long flags;

	local_irq_save(flags);
	prev = current_task;
	prev->need_resched = false;
	if (prev->state == TASK_DEAD)
		dead_task = prev;
	else if (prev->state == TASK_RUNNING && prev != idle_task &&
		 list_empty(&prev->run_list))
		list_add_tail(&prev->run_list, &runqueue);
	next = pick_next_task();
	while (!next) {		/* before sched_init: no idle thread yet */
		if (prev->state == TASK_RUNNING) {
			local_irq_restore(flags);
			return;
		}
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
		next = pick_next_task();
	}
	if (next != prev)
		context_switch(prev, next);
	local_irq_restore(flags);
}

void yield(void)
{
	schedule();
}

__noreturn void do_exit(int code)
{
	(void)code;
	local_irq_disable();
	current_task->state = TASK_DEAD;
	schedule();
	panic("do_exit: dead task %s ran again", current_task->name);
}

/* Timer interrupt: account the tick, and end the time slice of a busy task. */
void scheduler_tick(void)
{
	struct task_struct *p = current_task;
	const struct pt_regs *regs = get_irq_regs();

	if (regs && user_mode(regs))
		p->utime++;
	else
		p->stime++;
	if (p == idle_task)
		return;
	if (--p->time_slice <= 0) {
		p->time_slice = SCHED_TIME_SLICE;
		if (!list_empty(&runqueue))
			p->need_resched = true;
	}
}


static struct {
	const void *channel;
	const char *name;
} wchan_names[16];

void sched_name_wait_channel(const void *channel, const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(wchan_names); i++) {
		if (!wchan_names[i].channel || wchan_names[i].channel == channel) {
			wchan_names[i].channel = channel;
			wchan_names[i].name = name;
			return;
		}
	}
}

static const char *wchan_name(const void *channel)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(wchan_names); i++)
		if (wchan_names[i].channel == channel)
			return wchan_names[i].name;
	return NULL;
}

static char state_letter(const struct task_struct *p)
{
	if (p->state == TASK_RUNNING)
		return 'R';
	if (p->state & TASK_INTERRUPTIBLE)
		return 'S';
	if (p->state & TASK_UNINTERRUPTIBLE)
		return 'D';
	return 'X';
}

static void ps_line(const struct task_struct *p)
{
	const char *wname = p->wait_channel ? wchan_name(p->wait_channel) : NULL;

	kprintf("%5d %c%c %8lu %7lu %7lu  %-12s ", p->pid, state_letter(p),
		p == current_task ? '*' : ' ', (unsigned long)p->switches,
		(unsigned long)p->utime, (unsigned long)p->stime, p->name);
	if (wname)
		kprintf("wq %s", wname);
	else if (p->wait_channel)
		kprintf("wq %p", p->wait_channel);
	if (p->wake_at)
		kprintf("%stimeout in %ld ms", p->wait_channel ? ", " : "",
			(long)jiffies_to_msecs(p->wake_at - jiffies));
	if (!p->wait_channel && !p->wake_at)
		kprintf("%s", p->state == TASK_RUNNING ? "-" : "?");
	kprintf("\n");
}

void for_each_task(void (*fn)(struct task_struct *p, void *arg), void *arg)
{
	struct task_struct *p;

	list_for_each_entry(p, &task_list, tasks)
		fn(p, arg);
}

static int cmd_ps(int argc, char **argv)
{
	struct task_struct *p;

	(void)argc;
	(void)argv;
	kprintf("  PID ST SWITCHES  UTIME   STIME  NAME         WAITS ON\n");
	list_for_each_entry(p, &task_list, tasks)
		ps_line(p);
	return 0;
}
DEFINE_MONITOR_CMD(ps, cmd_ps, "threads: state, ticks, what each waits on");

static int idle_thread(void *arg)
{
	(void)arg;
	for (;;) {
		local_irq_disable();
		if (!list_empty(&runqueue)) {
			schedule();
			continue;
		}
		/* sti; hlt is atomic: a wake-up's interrupt ends the hlt. */
		__asm__ __volatile__("sti; hlt" ::: "memory");
	}
	return 0;
}

static int sched_init(void)
{
	list_add_tail(&init_task.tasks, &task_list);
	idle_task = task_alloc("idle");
	if (!idle_task)
		panic("sched_init: no memory for the idle thread");
	kthread_prepare(idle_task, idle_thread, NULL);
	sched_add_task(idle_task);
	return 0;
}
DEFINE_INITCALL(INITCALL_CORE, sched_init);
