/*
 * The test= dispatcher and the core kernel's own self-tests: fault (a
 * deliberate kernel page fault, whose dump must name this file's
 * function), timer (msleep 200 ms on the timer, never early), and
 * spin (a fixed loop, used to judge whether an accelerator runs guest code
 * natively).
 */
#include "kernel/selftest.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "lib/string.h"

extern const struct selftest __selftests_start[], __selftests_end[];

__noreturn void run_selftest(const char *name)
{
	const struct selftest *t;
	int ret;

	for (t = __selftests_start; t < __selftests_end; t++)
		if (!strcmp(t->name, name))
			break;
	if (t == __selftests_end) {
		printk("selftest: no test named '%s'; there are:", name);
		for (t = __selftests_start; t < __selftests_end; t++)
			kprintf(" %s", t->name);
		kprintf("\n");
		poweroff(POWEROFF_FAIL);
	}
	printk("selftest %s: %s\n", t->name, t->desc);
	ret = t->fn();
	printk("selftest %s: %s (%d)\n", t->name, ret ? "FAIL" : "PASS", ret);
	poweroff(ret ? POWEROFF_FAIL : POWEROFF_OK);
}

/* Kept out of line so the dump shows it by name. */
static __noinline int selftest_fault_trigger(volatile int *p)
{
	return *p;
}

static int test_fault(void)
{
	printk("selftest fault: reading address 0, expect a page fault dump\n");
	return selftest_fault_trigger((volatile int *)0) == 0 ? 1 : 2;
}
DEFINE_SELFTEST(fault, test_fault, "a kernel page fault must be reported");

static int test_timer(void)
{
	ktime_t t0 = ktime_get();
	u64 j0 = jiffies;
	ktime_t elapsed;

	msleep(200);	/* the scheduler's sleep: a timer, then a wake-up */
	elapsed = ktime_get() - t0;
	printk("selftest timer: asked 200 ms, slept %ld.%03ld ms by ktime, "
	       "%lu jiffies\n", (long)(elapsed / NSEC_PER_MSEC),
	       (long)(elapsed / 1000 % 1000), (unsigned long)(jiffies - j0));
	if (elapsed < 200 * NSEC_PER_MSEC) {
		printk("selftest timer: woke early\n");
		return 1;
	}
	return 0;
}
DEFINE_SELFTEST(timer, test_timer, "sleep 200 ms on the timer, never early");

static int test_spin(void)
{
	volatile u64 x = 0;

	for (u64 i = 0; i < 5000000; i++)
		x += i;
	return x == 5000000ULL * 4999999 / 2 ? 0 : 1;
}
DEFINE_SELFTEST(spin, test_spin, "a 5M-iteration loop (accelerator probe)");

static int test_panic(void)
{
	panic("selftest panic: deliberate");
}
DEFINE_SELFTEST(panic, test_panic, "panic() must print and power off");
