/*
 * Interrupt dispatch: do_interrupt() is called by kernel/entry.S for every
 * vector. Exceptions go to kernel/traps.c; device vectors to the handler
 * registered here, then the LAPIC gets its end-of-interrupt.
 */
#include "kernel/irq.h"
#include "kernel/apic.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/softirq.h"
#include "lib/errno.h"

struct irq_desc {
	irq_handler_t fn;
	void *data;
	const char *name;
	u64 count;
};

static struct irq_desc irq_table[256];
static struct pt_regs *irq_regs;	/* the frame of the interrupt being handled */

struct pt_regs *get_irq_regs(void)
{
	return irq_regs;
}

void set_vector_handler(unsigned int vector, irq_handler_t fn, void *data,
			const char *name)
{
	irq_table[vector] = (struct irq_desc){ fn, data, name, 0 };
}

int request_irq(unsigned int irq, irq_handler_t fn, void *data, const char *name)
{
	unsigned int vector = IRQ_VECTOR_BASE + irq;

	if (irq >= 24)
		return -EINVAL;
	if (irq_table[vector].fn)
		return -EBUSY;
	set_vector_handler(vector, fn, data, name);
	ioapic_route(irq, vector);
	return 0;
}

int request_vector(irq_handler_t fn, void *data, const char *name)
{
	for (unsigned int v = VECTOR_DYNAMIC_FIRST; v <= VECTOR_DYNAMIC_LAST; v++) {
		if (!irq_table[v].fn) {
			set_vector_handler(v, fn, data, name);
			return (int)v;
		}
	}
	return -ENOSPC;
}

u64 irq_count(unsigned int vector)
{
	return vector < 256 ? irq_table[vector].count : 0;
}

void do_interrupt(struct pt_regs *regs)
{
	struct irq_desc *d = &irq_table[regs->vector & 0xff];
	struct pt_regs *old_regs = irq_regs;

	if (regs->vector < 32) {
		do_exception(regs);
		return;
	}
	if (regs->vector == VECTOR_SPURIOUS)
		return;		/* no EOI for the spurious vector */
	irq_regs = regs;
	irq_enter();
	d->count++;
	if (d->fn)
		d->fn(d->data);
	else
		printk_once("irq: vector %lu with no handler\n",
			    (unsigned long)regs->vector);
	lapic_eoi();
	irq_exit(regs);
	irq_regs = old_regs;
	if (user_mode(regs))
		exit_to_user_mode(regs);	/* preemption point */
}
