/*
 * printk: format into a line buffer, prefix a timestamp at the start of each
 * line, and hand whole lines to console_write(). Also compiled on the host,
 * where ktime_get() is the simulator's virtual clock.
 */
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "lib/vsprintf.h"
#include "lib/string.h"

bool printk_quiet;
static DEFINE_SPINLOCK(printk_lock);
static bool at_line_start = true;

static void emit(const char *buf, size_t len, bool stamp)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;

		if (stamp && at_line_start) {
			char ts[24];
			u64 ns = (u64)ktime_get();
			int n = snprintf(ts, sizeof(ts), "[%5lu.%06lu] ",
					 (unsigned long)(ns / 1000000000u),
					 (unsigned long)(ns / 1000u % 1000000u));

			console_write(ts, (size_t)n);
		}
		while (j < len && buf[j] != '\n')
			j++;
		if (j < len)
			j++;	/* include the newline */
		console_write(buf + i, j - i);
		at_line_start = buf[j - 1] == '\n';
		i = j;
	}
}

static int vprint(const char *fmt, va_list ap, bool stamp)
{
	char buf[512];
	unsigned long flags;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	spin_lock_irqsave(&printk_lock, flags);
	emit(buf, len, stamp);
	spin_unlock_irqrestore(&printk_lock, flags);
	return (int)len;
}

int vprintk(const char *fmt, va_list ap)
{
	return vprint(fmt, ap, true);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(fmt, ap, true);
	va_end(ap);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(fmt, ap, false);
	va_end(ap);
	return n;
}
