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
#include "kernel/softirq.h"
#include "kernel/spinlock.h"
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
	int status;

	if (exec_by_name("spin", 1, argv, &spinner))
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
	status = proc_wait(spinner);
	proc_release(spinner);
	printk("sched: spin ended with status %d\n", status);
	return strcmp(order, "ABABABABAB") || last <= first || status != 137;
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
	if (exec_by_name("ticker", 3, argv, &p))
		return 1;
	kthread_run(ticker_thread, NULL, "ticker-k");
	status = proc_wait(p);
	proc_release(p);
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

/*
 * Wait up to 50 ms for an event that comes after @event_ms (0: never).
 * Never early by the clock (ktime); late by at most LATE_JIFFIES ticks of
 * the kernel's own time, and by the clock within a bound generous enough
 * for a host so loaded that QEMU delivers timer ticks late.
 */
#define LATE_JIFFIES	10
#define LATE_BOUND_MS	5000

static int timed_wait(unsigned int event_ms)
{
	long timeout = (long)msecs_to_jiffies(50) + 1;	/* +1: the current jiffy is partly gone */
	ktime_t t0 = ktime_get(), took;
	u64 j0 = jiffies, ticks;
	long left, due;

	event = 0;
	if (event_ms)
		kthread_run(event_thread, (void *)(uintptr_t)event_ms, "event");
	left = wait_event_interruptible_timeout(event_wq, event, timeout);
	took = ktime_get() - t0;
	ticks = jiffies - j0;
	printk("sched: wait 50 ms, event at %u ms: woke after %ld.%03ld ms (%lu jiffies), %s\n",
	       event_ms, (long)(took / NSEC_PER_MSEC), (long)(took / 1000 % 1000),
	       (unsigned long)ticks, left ? "on the event" : "at the timeout");
	due = event_ms ? (long)msecs_to_jiffies(event_ms) + 1 : timeout;
	if ((event_ms && !left) || (!event_ms && left))
		return 1;	/* the wrong one of event and timeout ended it */
	if (took < (ktime_t)(event_ms ? event_ms : 50) * NSEC_PER_MSEC)
		return 1;	/* early */
	return ticks <= (u64)(due + LATE_JIFFIES) &&
	       took < (ktime_t)LATE_BOUND_MS * NSEC_PER_MSEC ? 0 : 1;
}

/* Two programs that never make a system call share the CPU by time slices. */
static int phase_timeslice(void)
{
	static const char *const argv[] = { "spin" };
	struct user_proc *a, *b;
	u64 ua, ub;

	if (exec_by_name("spin", 1, argv, &a) || exec_by_name("spin", 1, argv, &b))
		return 1;
	msleep(200);
	ua = a->task->utime;
	ub = b->task->utime;
	proc_kill(a);
	proc_kill(b);
	proc_wait(a);
	proc_wait(b);
	proc_release(a);
	proc_release(b);
	printk("sched: two spinning programs in 200 ms: %lu and %lu ticks in user mode\n",
	       (unsigned long)ua, (unsigned long)ub);
	/*
	 * Both must have had the CPU for at least half a slice: a starved one
	 * shows 0. How many ticks 200 ms holds depends on how loaded the host
	 * is (late ticks are lost under TCG), so no absolute count is asked.
	 */
	return min(ua, ub) >= SCHED_TIME_SLICE / 2 ? 0 : 1;
}

/* A softirq raised in thread context is run by ksoftirqd, not left waiting. */
static int phase_ksoftirqd(void)
{
	unsigned long flags;
	u64 before;

	msleep(2);		/* ksoftirqd reaches its sleep after boot */
	before = ksoftirqd_rounds();
	local_irq_save(flags);	/* no interrupt exit may run it first */
	raise_softirq(TIMER_SOFTIRQ);
	yield();		/* ksoftirqd was woken: it runs before us */
	local_irq_restore(flags);
	printk("sched: softirq raised in thread context: ksoftirqd rounds %lu -> %lu\n",
	       (unsigned long)before, (unsigned long)ksoftirqd_rounds());
	return ksoftirqd_rounds() > before ? 0 : 1;
}

static int test_sched(void)
{
	int fails = 0;

	fails += phase_ksoftirqd();
	fails += phase_preempt();
	fails += phase_timeslice();
	fails += phase_interleave();
	fails += timed_wait(0);
	fails += timed_wait(10);
	msleep(20);	/* let the event threads end */
	return fails;
}
DEFINE_SELFTEST(sched, test_sched, "threads interleave, user mode is preempted, waits time out");
