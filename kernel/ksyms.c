/*
 * Symbol lookup and frame-pointer backtraces. The table is emitted by
 * scripts/gen-ksyms.sh into the .ksyms section: a count, then sorted
 * (address, name offset) pairs, then the names. An empty table (the first
 * link) makes lookups fail gracefully.
 */
#include "kernel/ksyms.h"
#include "kernel/memlayout.h"
#include "kernel/printk.h"

struct ksym {
	u64 addr;
	u64 name_off;
};

extern const u64 ksyms_count __attribute__((weak));
extern const struct ksym ksyms_table[] __attribute__((weak));
extern const char ksyms_names[] __attribute__((weak));
extern char _kernel_start[], _etext[];

const char *ksym_lookup(u64 addr, u64 *offset)
{
	u64 lo = 0, hi;

	if (!&ksyms_count || !ksyms_count || addr < ksyms_table[0].addr ||
	    addr >= (u64)(uintptr_t)_etext)
		return NULL;
	hi = ksyms_count;
	while (hi - lo > 1) {	/* last entry with addr <= @addr */
		u64 mid = (lo + hi) / 2;

		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_table[lo].addr;
	return ksyms_names + ksyms_table[lo].name_off;
}

static void print_frame(u64 addr)
{
	u64 off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		kprintf("  <%s+%#lx> (%#lx)\n", name, (unsigned long)off,
			(unsigned long)addr);
	else
		kprintf("  <?> (%#lx)\n", (unsigned long)addr);
}

static bool kernel_stack_addr(u64 p)
{
	return p >= PAGE_OFFSET && (p & 7) == 0;
}

void dump_backtrace(u64 rip, u64 rbp)
{
	kprintf("Backtrace:\n");
	if (rip)
		print_frame(rip);
	for (int depth = 0; depth < 32 && kernel_stack_addr(rbp); depth++) {
		const u64 *frame = (const u64 *)(uintptr_t)rbp;
		u64 ret = frame[1];

		if (ret < KERNEL_VMA)
			break;
		print_frame(ret);
		if (frame[0] <= rbp)
			break;	/* stacks grow down; a frame must be above */
		rbp = frame[0];
	}
}

void dump_stack(void)
{
	u64 rbp;

	__asm__ __volatile__("movq %%rbp, %0" : "=r"(rbp));
	dump_backtrace(0, rbp);	/* the first frame is our caller's */
}
