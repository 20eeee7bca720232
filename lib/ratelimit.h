/*
 * Rate-limited log lines, as Linux's include/linux/ratelimit.h: a
 * ratelimit_state lets @burst calls through per @interval jiffies and
 * counts the rest. pr_warn_ratelimited() keeps one state per call site, so
 * each resource limit of the stack logs at most one line per interval
 * however fast it is hit (issue 10); its counters say how often.
 */
#ifndef LIB_RATELIMIT_H
#define LIB_RATELIMIT_H

#include "kernel/printk.h"
#include "kernel/time.h"
#include "lib/types.h"

/* Linux allows 10 lines per 5 s; one line per limit per 5 s here. */
#define DEFAULT_RATELIMIT_INTERVAL	(5 * HZ)
#define DEFAULT_RATELIMIT_BURST		1

struct ratelimit_state {
	u64 interval;		/* jiffies */
	unsigned int burst;	/* calls let through per interval */
	unsigned int printed;	/* in the current interval */
	unsigned int missed;	/* suppressed in the current interval */
	u64 begin;		/* jiffies at the interval's first call */
};

#define RATELIMIT_STATE_INIT(interval_init, burst_init)		\
	{ .interval = (interval_init), .burst = (burst_init) }

#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init)	\
	struct ratelimit_state name =					\
		RATELIMIT_STATE_INIT(interval_init, burst_init)

/* True when the caller may go ahead (print); false when suppressed. */
bool __ratelimit(struct ratelimit_state *rs);

#define pr_warn_ratelimited(...)					\
	do {								\
		static DEFINE_RATELIMIT_STATE(__rs,			\
					      DEFAULT_RATELIMIT_INTERVAL,	\
					      DEFAULT_RATELIMIT_BURST);	\
		if (__ratelimit(&__rs))					\
			pr_warn(__VA_ARGS__);				\
	} while (0)

#endif
