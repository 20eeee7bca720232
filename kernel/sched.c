/*
 * The scheduler, first form: the boot thread is the only task, so
 * schedule() idles (sti; hlt) until an interrupt handler wakes it. The
 * multi-threaded scheduler replaces this file.
 */
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/x86.h"

static struct task_struct init_task = {
	.state = TASK_RUNNING,
	.name = "kmain",
	.pid = 0,
};

struct task_struct *get_current(void)
{
	return &init_task;
}

int try_to_wake_up(struct task_struct *p, unsigned int state)
{
	if (!(p->state & state))
		return 0;
	p->state = TASK_RUNNING;
	return 1;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL);
}

void schedule(void)
{
	while (current->state != TASK_RUNNING)
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	local_irq_enable();
}

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	struct sleeper *s = from_timer(s, t, timer);

	wake_up_process(s->task);
}

long schedule_timeout(long timeout)
{
	struct sleeper s = { .task = current };
	u64 expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0)
		timeout = 0;
	expire = jiffies + (u64)timeout;
	timer_setup(&s.timer, process_timeout, 0);
	mod_timer(&s.timer, expire);
	schedule();
	del_timer_sync(&s.timer);
	timeout = (long)(expire - jiffies);
	return timeout < 0 ? 0 : timeout;
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

void msleep(unsigned int ms)
{
	long timeout = (long)msecs_to_jiffies(ms) + 1;

	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}
