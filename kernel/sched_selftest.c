/*
 * test=sched: the scheduler in the running kernel. Two kernel threads
 * sleep and wake in turn while a user program spins without a system
 * call (so only the timer can take the CPU from it); then kernel thread
 * ticks interleave with a user program's nanosleep ticks; then a wait
 * with a timeout ends on the event or at the timeout, whichever is first,
 * never early. tests/guest/test_sched.py reads the verdicts.
 */
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/selftest.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "lib/string.h"

#define ROUNDS	5

static DECLARE_WAIT_QUEUE_HEAD(done_wq);
static int finished;
static char order[2 * ROUNDS + 1];
static unsigned int norder;
static struct user_proc *spinner;
static u64 spinner_ticks[2 * ROUNDS];

static int alternator(void *arg)
{
	char id = *(const char *)arg;

	for (int i = 0; i < ROUNDS; i++) {
		spinner_ticks[norder] = spinner->task ? spinner->task->utime : 0;
		order[norder++] = id;
		msleep(3);
	}
	finished++;
	wake_up(&done_wq);
	return 0;
}

/* Phase 1: A and B alternate while "spin" computes in user mode. */
static int phase_preempt(void)
{
	static const char *const argv[] = { "spin" };
	u64 first, last;

	if (exec_embedded("spin", 1, argv, &spinner))
		return 1;
	msleep(20);	/* let it reach its loop */
	finished = 0;
	kthread_run(alternator, "A", "alt-A");
	kthread_run(alternator, "B", "alt-B");
	wait_event(done_wq, finished == 2);
	first = spinner_ticks[0];
	last = spinner->task ? spinner->task->utime : 0;
	printk("sched: kthreads ran %s while spin used %lu ticks in user mode\n",
	       order, (unsigned long)(last - first));
	proc_kill(spinner);
	printk("sched: spin ended with status %d\n", proc_wait(spinner));
	if (strcmp(order, "ABABABABAB") || last <= first || spinner->status != 137)
		return 1;
	return 0;
}

static int ticker_thread(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ROUNDS; i++) {
		printk("sched: kthread tick %d\n", i);
		msleep(15);
	}
	finished++;
	wake_up(&done_wq);
	return 0;
}

/* Phase 2: kernel thread ticks and a user program's ticks interleave. */
static int phase_interleave(void)
{
	static const char *const argv[] = { "ticker", "5", "15" };
	struct user_proc *p;
	int status;

	finished = 0;
	if (exec_embedded("ticker", 3, argv, &p))
		return 1;
	kthread_run(ticker_thread, NULL, "ticker-k");
	status = proc_wait(p);
	wait_event(done_wq, finished == 1);
	printk("sched: ticker exited with status %d\n", status);
	return status;
}

static DECLARE_WAIT_QUEUE_HEAD(event_wq);
static int event;

static int event_thread(void *arg)
{
	msleep((unsigned int)(uintptr_t)arg);
	event = 1;
	wake_up(&event_wq);
	return 0;
}

/* Wait up to 50 ms for an event that comes after @event_ms (0: never). */
static int timed_wait(unsigned int event_ms)
{
	ktime_t t0 = ktime_get(), took;
	long left;

	event = 0;
	if (event_ms)
		kthread_run(event_thread, (void *)(uintptr_t)event_ms, "event");
	/* +1 jiffy: the current one is partly gone, and 50 ms must be whole */
	left = wait_event_interruptible_timeout(event_wq, event, msecs_to_jiffies(50) + 1);
	took = ktime_get() - t0;
	printk("sched: wait 50 ms, event at %u ms: woke after %ld.%03ld ms, %s\n",
	       event_ms, (long)(took / NSEC_PER_MSEC), (long)(took / 1000 % 1000),
	       left ? "on the event" : "at the timeout");
	if (event_ms)
		return left > 0 && took >= (ktime_t)event_ms * NSEC_PER_MSEC &&
		       took < 50 * NSEC_PER_MSEC ? 0 : 1;
	return left == 0 && took >= 50 * NSEC_PER_MSEC &&
	       took < 550 * NSEC_PER_MSEC ? 0 : 1;
}

static int test_sched(void)
{
	int fails = 0;

	fails += phase_preempt();
	fails += phase_interleave();
	fails += timed_wait(0);
	fails += timed_wait(10);
	msleep(20);	/* let the event threads end */
	return fails;
}
DEFINE_SELFTEST(sched, test_sched, "threads interleave, user mode is preempted, waits time out");
