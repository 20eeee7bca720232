/*
 * CPU exceptions. A kernel-mode exception is a kernel bug: print the vector,
 * error code, registers, CR2 for a page fault, and a symbolic backtrace, then
 * panic. A user-mode exception ends the user program (user_fault()), and
 * the kernel lives on.
 */
#include "kernel/irq.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

static const char *const exception_names[32] = {
	"divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)",
	"overflow (#OF)", "bound range (#BR)", "invalid opcode (#UD)",
	"device not available (#NM)", "double fault (#DF)",
	"coprocessor segment overrun", "invalid TSS (#TS)",
	"segment not present (#NP)", "stack fault (#SS)",
	"general protection (#GP)", "page fault (#PF)", "reserved",
	"x87 floating point (#MF)", "alignment check (#AC)",
	"machine check (#MC)", "SIMD floating point (#XM)",
	"virtualization (#VE)", "control protection (#CP)",
};

const char *exception_name(unsigned int vector)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	return "reserved exception";
}

void show_regs(const struct pt_regs *r)
{
	u64 off;
	const char *sym = ksym_lookup(r->rip, &off);

	if (sym)
		kprintf("RIP: %04lx:%016lx <%s+%#lx>\n", (unsigned long)r->cs,
			(unsigned long)r->rip, sym, (unsigned long)off);
	else
		kprintf("RIP: %04lx:%016lx\n", (unsigned long)r->cs,
			(unsigned long)r->rip);
	kprintf("RSP: %04lx:%016lx EFLAGS: %08lx\n", (unsigned long)r->ss,
		(unsigned long)r->rsp, (unsigned long)r->rflags);
	kprintf("RAX: %016lx RBX: %016lx RCX: %016lx\n", (unsigned long)r->rax,
		(unsigned long)r->rbx, (unsigned long)r->rcx);
	kprintf("RDX: %016lx RSI: %016lx RDI: %016lx\n", (unsigned long)r->rdx,
		(unsigned long)r->rsi, (unsigned long)r->rdi);
	kprintf("RBP: %016lx R08: %016lx R09: %016lx\n", (unsigned long)r->rbp,
		(unsigned long)r->r8, (unsigned long)r->r9);
	kprintf("R10: %016lx R11: %016lx R12: %016lx\n", (unsigned long)r->r10,
		(unsigned long)r->r11, (unsigned long)r->r12);
	kprintf("R13: %016lx R14: %016lx R15: %016lx\n", (unsigned long)r->r13,
		(unsigned long)r->r14, (unsigned long)r->r15);
	kprintf("CR0: %016lx CR3: %016lx CR4: %016lx\n",
		(unsigned long)read_cr0(), (unsigned long)read_cr3(),
		(unsigned long)read_cr4());
}

static void describe_page_fault(const struct pt_regs *r, u64 cr2)
{
	u64 e = r->error_code;

	printk("CR2 (faulting address): %#018lx\n", (unsigned long)cr2);
	printk("page fault: %s, %s, %s mode%s\n",
	       e & 1 ? "protection violation" : "page not present",
	       e & 16 ? "instruction fetch" : e & 2 ? "write" : "read",
	       e & 4 ? "user" : "kernel",
	       cr2 < 4096 ? " (NULL pointer dereference)" : "");
}

void do_exception(struct pt_regs *regs)
{
	u64 cr2 = regs->vector == 14 ? read_cr2() : 0;

	if (user_mode(regs) && user_fault(regs, cr2))
		return;
	printk("Oops: %s, vector %lu, error code %#lx\n",
	       exception_name((unsigned int)regs->vector),
	       (unsigned long)regs->vector, (unsigned long)regs->error_code);
	if (regs->vector == 14)
		describe_page_fault(regs, cr2);
	show_regs(regs);
	dump_backtrace(regs->rip, regs->rbp);
	panic("fatal exception in kernel mode");
}
