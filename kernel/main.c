/*
 * kmain: where both boot paths meet. Copy the boot information, bring up
 * the CPU tables, memory, interrupts and time, print what was found, then
 * run a self-test (test=NAME) or the monitor.
 */
#include "kernel/main.h"
#include "boot/bootinfo.h"
#include "drivers/serial.h"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/init.h"
#include "kernel/irq.h"
#include "kernel/mm.h"
#include "kernel/monitor.h"
#include "kernel/panic.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "lib/string.h"
#include "lib/vsprintf.h"

#define UNISOCK_VERSION	"0.1.0"

struct boot_info boot_info;

void console_write(const char *s, size_t len)
{
	serial_write(s, len);
}

void kmain_early(void)
{
	time_early_init();
	serial_init();
}

__noreturn void kmain_fatal(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("unisock: cannot boot: %s\n", buf);
	poweroff(POWEROFF_PANIC);
}

/* UEFI path: boot/efi.c jumps to _start64, which calls this. */
void efi_kernel_start(u64 bi_phys)
{
	const struct boot_info *bi = phys_to_virt(bi_phys);

	kmain_early();
	if (bi->magic != BOOT_INFO_MAGIC)
		kmain_fatal("bad boot_info from the UEFI loader");
	kmain(bi);
}

static void report_param(const char *msg)
{
	printk("cmdline: %s\n", msg);
}

static const char *const mem_type_names[] = {
	"?", "usable", "reserved", "ACPI", "ACPI NVS", "bad",
};

static void print_memory(void)
{
	struct mem_stats st;

	for (u32 i = 0; i < boot_info.nmmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];

		pr_info("mem: [%#011lx-%#011lx] %s\n", (unsigned long)e->base,
			(unsigned long)(e->base + e->len - 1),
			mem_type_names[e->type <= BOOT_MEM_BAD ? e->type : 0]);
	}
	mem_get_stats(&st);
	printk("mem: %lu KiB usable, %lu KiB free, kernel image %lu KiB\n",
	       (unsigned long)(st.total >> 10), (unsigned long)(st.free >> 10),
	       (unsigned long)(st.kernel_image >> 10));
}

extern const struct initcall __initcalls_start[], __initcalls_end[];

void do_initcalls(void)
{
	for (int level = 0; level < INITCALL_LEVELS; level++) {
		for (const struct initcall *c = __initcalls_start; c < __initcalls_end; c++) {
			int err;

			if (c->level != level)
				continue;
			err = c->fn();
			if (err)
				printk("init: %s failed: %d\n", c->name, err);
		}
	}
}

static DECLARE_WAIT_QUEUE_HEAD(monitor_wait);

static void monitor_rx(void)
{
	wake_up_interruptible(&monitor_wait);
}

/* The monitor thread sleeps until the serial IRQ says a byte came in. */
static int monitor_thread(void *arg)
{
	(void)arg;
	sched_name_wait_channel(&monitor_wait, "serial input");
	serial_rx_hook = monitor_rx;
	monitor_start();
	for (;;) {
		int c;

		wait_event_interruptible(monitor_wait, (c = serial_getc()) >= 0);
		monitor_input(c);
	}
	return 0;
}

__noreturn void kmain(const struct boot_info *bi)
{
	memcpy(&boot_info, bi, sizeof(boot_info));
	boot_info.cmdline[BOOT_CMDLINE_MAX - 1] = '\0';
	printk("unisock " UNISOCK_VERSION " (x86-64): booting via %s (%s)\n",
	       boot_info.boot_path == BOOT_PATH_UEFI ? "UEFI" : "Multiboot",
	       boot_info.loader);
	printk("cmdline: %s\n", boot_info.cmdline[0] ? boot_info.cmdline : "(empty)");
	kernel_params_parse(&kparams, boot_info.cmdline, report_param);
	printk_quiet = kparams.quiet;

	cpu_print_info();
	gdt_init();
	idt_init();
	page_alloc_init(&boot_info);
	paging_init();
	apic_init();
	time_init();
	serial_enable_rx_irq();
	local_irq_enable();
	print_memory();
	do_initcalls();

	if (kparams.test)
		run_selftest(kparams.test);
	printk("unisock: ready in %lu ms\n", (unsigned long)(ktime_get() / NSEC_PER_MSEC));
	if (kparams.console == CONSOLE_APP)
		pr_info("console: input goes to the program (console=app): no monitor\n");
	else if (!kthread_run(monitor_thread, NULL, "monitor"))
		panic("no memory for the monitor thread");
	do_exit(0);	/* boot is over; the threads carry on */
}
