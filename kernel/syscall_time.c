/*
 * Time system calls: clock_gettime over ktime (CLOCK_REALTIME is the RTC
 * read at boot plus uptime) and nanosleep, which never wakes early: it
 * sleeps in jiffies, then checks ktime and sleeps again if short.
 */
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "lib/errno.h"

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

static s64 clock_ns(unsigned long clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return ktime_get_real_ns();
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return ktime_get();
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return (s64)(current->utime + current->stime) * (NSEC_PER_SEC / HZ);
	default:
		return -1;
	}
}

/* clockid_t is an int: the upper half of the register is ignored, as on Linux. */
long sys_clock_gettime(unsigned long clk, unsigned long tp)
{
	s64 ns = clock_ns((unsigned long)(int)clk);
	struct timespec64 ts;

	if (ns < 0)
		return -EINVAL;
	ts.tv_sec = ns / NSEC_PER_SEC;
	ts.tv_nsec = (long)(ns % NSEC_PER_SEC);
	return copy_to_user((void __user *)tp, &ts, sizeof(ts));
}

long sys_nanosleep(unsigned long req, unsigned long rem)
{
	struct timespec64 ts;
	ktime_t end;

	(void)rem;	/* only written when a signal interrupts the sleep */
	if (copy_from_user(&ts, (const void __user *)req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec > 1000000000LL)
		ts.tv_sec = 1000000000LL;	/* ~31 years: "forever" */
	end = ktime_get() + ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	for (;;) {
		ktime_t left = end - ktime_get();

		if (left <= 0)
			return 0;
		if (signal_pending(current))
			return -EINTR;
		current->wait_channel = NULL;
		/* +1: the current jiffy is partly gone */
		schedule_timeout_interruptible(
			(long)((left + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC * HZ / 1000) + 1);
	}
}
