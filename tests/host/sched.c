/*
 * The host's scheduler: tasks are ucontext coroutines, switched only at
 * schedule(), with the kernel's run-queue rules (FIFO, the running task
 * re-queued at the tail when still runnable). The test's own flow is the
 * task "test". When every task sleeps, virtual time jumps to the next
 * timer, which is what an idle CPU does; sleeping with no timer armed
 * would sleep forever, which on the host is a test bug and panics.
 *
 * ASan follows the stack switches through its fiber interface, so it
 * neither reports false stack errors nor loses real ones.
 */
#include <stdlib.h>
#include <sanitizer/common_interface_defs.h>

#include "kernel/sched.h"
#include "kernel/panic.h"
#include "kernel/softirq.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "tests/host/platform.h"
#include "tests/host/sched.h"

#define HOST_STACK_SIZE	(256 * 1024)

static struct task_struct host_main_task = {
	.state = TASK_RUNNING,
	.name = "test",
	.run_list = LIST_HEAD_INIT(host_main_task.run_list),
	.tasks = LIST_HEAD_INIT(host_main_task.tasks),
};

static struct task_struct *current_task = &host_main_task;
static LIST_HEAD(runqueue);
static LIST_HEAD(task_list);
static struct task_struct *switch_from;	/* the task being switched away from */
static struct task_struct *dead_task;
static int next_pid = 1;
static unsigned int ntasks;		/* besides the test's own */

struct task_struct *get_current(void)
{
	return current_task;
}

int try_to_wake_up(struct task_struct *p, unsigned int state)
{
	if (!(p->state & state))
		return 0;
	p->state = TASK_RUNNING;
	if (p != current_task && list_empty(&p->run_list))
		list_add_tail(&p->run_list, &runqueue);
	return 1;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL);
}

/* The host runs softirqs when the test advances the clock (platform.c). */
void wakeup_softirqd(void)
{
}

static void reap(void)
{
	struct task_struct *dead = dead_task;

	if (!dead || dead == current_task)
		return;
	dead_task = NULL;
	list_del(&dead->tasks);
	free(dead->thread.stack);
	free(dead);
	ntasks--;
}

/* First thing after every switch, on the new stack. */
static void finish_switch(void)
{
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(current_task->thread.fake_stack, &bottom, &size);
	if (switch_from && !switch_from->thread.asan_bottom) {
		switch_from->thread.asan_bottom = bottom;	/* the test's stack */
		switch_from->thread.asan_size = size;
	}
	reap();
}

/*
 * getcontext + setcontext rather than swapcontext, whose ASan interceptor
 * warns on every run; the fiber calls below tell ASan about the switch.
 * @resumed lives on prev's stack, so it reads true when prev comes back.
 */
static void switch_to(struct task_struct *prev, struct task_struct *next)
{
	bool dying = prev->state == TASK_DEAD;
	volatile bool resumed = false;

	switch_from = prev;
	current_task = next;
	next->switches++;
	getcontext(&prev->thread.ctx);
	if (resumed) {
		finish_switch();
		return;
	}
	resumed = true;
	__sanitizer_start_switch_fiber(dying ? NULL : &prev->thread.fake_stack,
				       next->thread.asan_bottom, next->thread.asan_size);
	setcontext(&next->thread.ctx);
}

void schedule(void)
{
	struct task_struct *prev = current_task, *next;

	if (prev->state == TASK_DEAD)
		dead_task = prev;
	else if (prev->state == TASK_RUNNING && list_empty(&prev->run_list))
		list_add_tail(&prev->run_list, &runqueue);
	for (;;) {
		next = list_first_entry_or_null(&runqueue, struct task_struct, run_list);
		if (next) {
			list_del_init(&next->run_list);
			break;
		}
		if (prev->state == TASK_RUNNING) {	/* a timer woke it while idle */
			next = prev;
			break;
		}
		if (!host_clock_run_next_timer())
			panic("host sched: every task sleeps and no timer is armed");
	}
	if (next != prev)
		switch_to(prev, next);
}

void yield(void)
{
	schedule();
}

__noreturn void do_exit(int code)
{
	(void)code;
	if (current_task == &host_main_task)
		panic("host sched: the test's own flow called do_exit");
	current_task->state = TASK_DEAD;
	schedule();
	panic("host sched: a dead task ran again");
}

static void task_entry(void)
{
	struct task_struct *self;

	finish_switch();
	self = current_task;
	do_exit(self->thread.fn(self->thread.arg));
}

struct task_struct *kthread_run(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = calloc(1, sizeof(*p));

	if (!p || !(p->thread.stack = malloc(HOST_STACK_SIZE)))
		panic("host sched: out of memory for a task");
	p->state = TASK_RUNNING;
	p->name = name;
	p->pid = next_pid++;
	p->thread.fn = fn;
	p->thread.arg = arg;
	p->thread.stack_size = HOST_STACK_SIZE;
	p->thread.asan_bottom = p->thread.stack;
	p->thread.asan_size = HOST_STACK_SIZE;
	getcontext(&p->thread.ctx);
	p->thread.ctx.uc_stack.ss_sp = p->thread.stack;
	p->thread.ctx.uc_stack.ss_size = HOST_STACK_SIZE;
	p->thread.ctx.uc_link = NULL;
	makecontext(&p->thread.ctx, task_entry, 0);
	list_add_tail(&p->tasks, &task_list);
	list_add_tail(&p->run_list, &runqueue);
	ntasks++;
	return p;
}

void host_sched_run_ready(void)
{
	while (!list_empty(&runqueue))
		yield();
}

unsigned int host_sched_tasks(void)
{
	return ntasks;
}

void host_sched_finish(void)
{
	while (ntasks) {
		if (list_empty(&runqueue)) {
			if (!host_clock_run_next_timer())
				panic("host sched: %u task(s) sleep forever", ntasks);
			continue;
		}
		yield();
	}
}


void sched_name_wait_channel(const void *channel, const char *name)
{
	(void)channel;
	(void)name;
}
