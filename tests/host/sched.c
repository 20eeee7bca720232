/*
 * The host's scheduler, first form: the test's own flow is the only task.
 * A task that sleeps with nothing else to run lets virtual time pass to the
 * next timer, which is what an idle CPU does; sleeping with no timer armed
 * would sleep forever, which on the host is a test bug and panics.
 */
#include "kernel/sched.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "tests/host/platform.h"

static struct task_struct host_main_task = {
	.state = TASK_RUNNING,
	.name = "test",
};

struct task_struct *get_current(void)
{
	return &host_main_task;
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
		if (!host_clock_run_next_timer())
			panic("host sched: the only task sleeps and no timer is armed");
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
