/*
 * panic(): the kernel found one of its own invariants broken. Print why and
 * where, then power off with a failure status (so a test sees it) or halt
 * when no isa-debug-exit device is there to end the VM.
 */
#include "kernel/panic.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "lib/vsprintf.h"

#define DEBUG_EXIT_PORT	0xf4

__noreturn void poweroff(int code)
{
	local_irq_disable();
	outb(DEBUG_EXIT_PORT, (u8)code);	/* QEMU exits: (code << 1) | 1 */
	/* No isa-debug-exit: try ACPI S5 on QEMU's PIIX4 PM block. */
	outw(0x604, 0x2000);
	for (;;)
		hlt();
}

static bool in_panic;

__noreturn void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("Kernel panic: %s\n", buf);
	if (!in_panic) {	/* a fault while dumping must not recurse */
		in_panic = true;
		dump_stack();
	}
	printk("System halted.\n");
	poweroff(POWEROFF_PANIC);
}

void spin_lock_bug(spinlock_t *lock, const char *what)
{
	panic("%s (lock %p)", what, (void *)lock);
}
