/*
 * Host implementations of the machine-facing kernel services: the
 * interrupt flag, the console, panic, the virtual clock and jiffies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

#include "tests/host/platform.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/softirq.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"

unsigned long host_irq_flags = 1UL << 9;
int host_panics;

static char console_buf[1 << 16];
static size_t console_len;
static u64 now_ns;
static u64 host_jiffies;	/* follows the virtual clock */

void console_write(const char *s, size_t len)
{
	if (getenv("HOST_CONSOLE"))
		fwrite(s, 1, len, stderr);
	if (console_len + len >= sizeof(console_buf))
		console_len = 0;	/* keep the newest output */
	memcpy(console_buf + console_len, s, len);
	console_len += len;
	console_buf[console_len] = '\0';
}

const char *host_console_output(void)
{
	return console_buf;
}

void host_console_clear(void)
{
	console_len = 0;
	console_buf[0] = '\0';
}

ktime_t ktime_get(void)
{
	return (ktime_t)now_ns;
}

s64 ktime_get_real_ns(void)
{
	return 1700000000LL * NSEC_PER_SEC + (s64)now_ns;
}

u64 get_jiffies_64(void)
{
	return host_jiffies;
}

u64 host_now_ns(void)
{
	return now_ns;
}

static void set_time(u64 ns)
{
	now_ns = ns;
	host_jiffies = ns / (NSEC_PER_SEC / HZ);
	run_timers();
	do_softirq();
}

void host_clock_advance(u64 ns)
{
	u64 end = now_ns + ns, next;

	while (next_timer_expiry(&next) && next * (NSEC_PER_SEC / HZ) <= end &&
	       next * (NSEC_PER_SEC / HZ) > now_ns)
		set_time(next * (NSEC_PER_SEC / HZ));
	set_time(end);
}

bool host_clock_run_next_timer(void)
{
	u64 next;

	if (!next_timer_expiry(&next))
		return false;
	if (next * (NSEC_PER_SEC / HZ) > now_ns)
		set_time(next * (NSEC_PER_SEC / HZ));
	else
		set_time(now_ns);
	return true;
}

void host_platform_reset(void)
{
	now_ns = 0;
	host_jiffies = 0;
	host_irq_flags = 1UL << 9;
	host_panics = 0;
	timers_init();
	host_console_clear();
}

void spin_lock_bug(spinlock_t *lock, const char *what)
{
	panic("%s (lock %p)", what, (void *)lock);
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	host_panics++;
	va_start(ap, fmt);
	fprintf(stderr, "host panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

__noreturn void poweroff(int code)
{
	fprintf(stderr, "host poweroff(%d)\n", code);
	exit(code);
}

/* glibc 2.36 has no strlcpy; the kernel's lib/string.c does. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
