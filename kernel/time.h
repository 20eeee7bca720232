/*
 * Time: ktime_get() is nanoseconds since boot (the TSC, calibrated at boot
 * against the PIT; the simulator's virtual clock on the host). jiffies
 * counts timer ticks at HZ.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include "lib/types.h"

#define HZ		1000
#define NSEC_PER_SEC	1000000000LL
#define NSEC_PER_MSEC	1000000LL
#define NSEC_PER_USEC	1000LL

typedef s64 ktime_t;

ktime_t ktime_get(void);
/* Wall clock (CLOCK_REALTIME) in ns since the epoch: the RTC at boot + uptime. */
s64 ktime_get_real_ns(void);

/*
 * jiffies is read from the clock (ktime_get() / (1 s / HZ)), not counted
 * by the tick: under TCG ticks can arrive late or in bursts, and a counted
 * or tick-updated jiffies would then lag the clock, so a timer armed from
 * a stale value could fire early by the clock. The tick only runs the
 * timers that are due.
 */
u64 get_jiffies_64(void);
#define jiffies get_jiffies_64()

void time_early_init(void);
void time_init(void);
u64 tsc_freq_khz(void);

static inline u64 msecs_to_jiffies(u64 ms)
{
	return ms * HZ / 1000;
}

static inline u64 jiffies_to_msecs(u64 j)
{
	return j * 1000 / HZ;
}

/* Wrap-safe jiffies comparisons, as Linux's time_after(). */
#define time_after(a, b)	((s64)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((s64)((a) - (b)) >= 0)

#endif
