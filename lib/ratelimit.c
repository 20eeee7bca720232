/*
 * __ratelimit() (lib/ratelimit.h): a fixed window of @interval jiffies
 * that opens at the first call after the previous one closed, as Linux's
 * lib/ratelimit.c. No lock: the kernel is uniprocessor, and a softirq
 * that interrupts a process-context caller of the same state can at worst
 * let one extra line through.
 */
#include "lib/ratelimit.h"

bool __ratelimit(struct ratelimit_state *rs)
{
	u64 now = jiffies;

	if (!rs->interval)
		return true;
	if ((rs->printed || rs->missed) &&
	    time_after_eq(now, rs->begin + rs->interval)) {
		rs->printed = 0;
		rs->missed = 0;
	}
	if (!rs->printed && !rs->missed)
		rs->begin = now;
	if (rs->printed < rs->burst) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}
