/*
 * Kernel time. At boot the TSC and the LAPIC timer are calibrated together
 * against the PIT over a 10 ms window (PIT channel 2, gate polled through
 * port 0x61); ktime_get() is then the TSC scaled to ns, and the LAPIC timer
 * ticks at HZ, advancing jiffies and raising the timer softirq. The RTC
 * is read once for the wall clock.
 */
#include "kernel/time.h"
#include "kernel/apic.h"
#include "kernel/irq.h"
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/softirq.h"
#include "kernel/timer.h"
#include "kernel/x86.h"

#define PIT_HZ		1193182
#define CALIB_MS	10

volatile u64 jiffies;
static u64 tsc_boot;
static u64 tsc_khz;
static u64 ns_mult;		/* ns = (tsc * ns_mult) >> 32 */
static s64 boot_realtime_ns;

ktime_t ktime_get(void)
{
	u64 d;

	if (!ns_mult)
		return 0;
	d = rdtsc() - tsc_boot;
	return (ktime_t)(((unsigned __int128)d * ns_mult) >> 32);
}

s64 ktime_get_real_ns(void)
{
	return boot_realtime_ns + ktime_get();
}

/* Called first thing in kmain: uptime counts from here. */
void time_early_init(void)
{
	tsc_boot = rdtsc();
}

u64 tsc_freq_khz(void)
{
	return tsc_khz;
}

/* Busy-wait CALIB_MS on PIT channel 2; return TSC and LAPIC ticks elapsed. */
static void pit_calibrate(u64 *tsc_ticks, u32 *lapic_ticks)
{
	u16 count = PIT_HZ * CALIB_MS / 1000;
	u64 t0;
	u32 l0;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	lapic_timer_oneshot_max();
	t0 = rdtsc();
	l0 = lapic_timer_current();
	while (!(inb(0x61) & 0x20))		/* OUT2 goes high at zero */
		cpu_relax();
	*tsc_ticks = rdtsc() - t0;
	*lapic_ticks = l0 - lapic_timer_current();
}

static u8 cmos_read(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned int bcd(u8 v, bool is_bcd)
{
	return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm). */
static s64 days_from_civil(int y, unsigned int m, unsigned int d)
{
	int era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (s64)era * 146097 + (s64)doe - 719468;
}

static void rtc_read(void)
{
	bool is_bcd;
	unsigned int s, mi, h, d, mo, y;

	while (cmos_read(0x0a) & 0x80)	/* update in progress */
		cpu_relax();
	is_bcd = !(cmos_read(0x0b) & 0x04);
	s = bcd(cmos_read(0x00), is_bcd);
	mi = bcd(cmos_read(0x02), is_bcd);
	h = bcd(cmos_read(0x04), is_bcd);
	d = bcd(cmos_read(0x07), is_bcd);
	mo = bcd(cmos_read(0x08), is_bcd);
	y = bcd(cmos_read(0x09), is_bcd) + 2000;
	boot_realtime_ns = (days_from_civil((int)y, mo, d) * 86400 +
			    h * 3600 + mi * 60 + s) * NSEC_PER_SEC;
}

static void timer_tick(void *data)
{
	(void)data;
	jiffies++;
	raise_softirq(TIMER_SOFTIRQ);
	scheduler_tick();
}

void time_init(void)
{
	u64 tsc_ticks;
	u32 lapic_ticks;

	pit_calibrate(&tsc_ticks, &lapic_ticks);
	tsc_khz = tsc_ticks / CALIB_MS;
	ns_mult = (1000000ULL << 32) / tsc_khz;
	rtc_read();
	timers_init();
	set_vector_handler(VECTOR_LAPIC_TIMER, timer_tick, NULL, "timer");
	lapic_timer_periodic(VECTOR_LAPIC_TIMER, lapic_ticks / CALIB_MS * 1000 / HZ);
	printk("time: TSC %lu.%03lu MHz, LAPIC timer %u ticks/ms, HZ=%d\n",
	       (unsigned long)(tsc_khz / 1000), (unsigned long)(tsc_khz % 1000),
	       lapic_ticks / CALIB_MS, HZ);
}
