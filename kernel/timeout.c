/*
 * Sleeping with a timeout (schedule_timeout, msleep), built only on
 * schedule(), a timer and wake_up_process(), so the kernel and the host's
 * coroutine scheduler share it.
 */
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/timer.h"

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	struct sleeper *s = from_timer(s, t, timer);

	wake_up_process(s->task);
}

/*
 * As Linux: sleep until @timeout jiffies have passed (or a wake-up), and
 * return the jiffies left. One addition: a tick that fires the timer before
 * timeout - 1 whole jiffies have passed by the clock (ticks delivered late
 * and then in a burst, as under TCG on a busy host) does not count as the
 * timeout: at least 1 is returned, so callers, which loop until 0, sleep on.
 */
long schedule_timeout(long timeout)
{
	struct sleeper s = { .task = current };
	ktime_t min_end;
	u64 expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0)
		timeout = 0;
	expire = jiffies + (u64)timeout;
	min_end = ktime_get() + (timeout - 1) * (NSEC_PER_SEC / HZ);
	timer_setup(&s.timer, process_timeout, 0);
	mod_timer(&s.timer, expire);
	current->wake_at = expire;
	schedule();
	current->wake_at = 0;
	del_timer_sync(&s.timer);
	timeout = (long)(expire - jiffies);
	if (timeout <= 0)
		timeout = ktime_get() < min_end ? 1 : 0;
	return timeout;
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

/* Sleep at least @ms: +1 jiffy because the current one is partly gone. */
void msleep(unsigned int ms)
{
	long timeout = (long)msecs_to_jiffies(ms) + 1;

	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}
