/*
 * Softirq core: a pending bit per softirq, handlers registered with
 * open_softirq(), run by irq_exit() when an interrupt returns to a context
 * that was not itself in an interrupt or softirq. What cannot run there
 * goes to the ksoftirqd thread: a softirq raised outside interrupt context
 * (no irq_exit is coming soon), or work still pending after
 * MAX_SOFTIRQ_RESTART rounds (a flood must not starve the threads), as
 * Linux does. Portable: the host simulator raises and runs softirqs with
 * the same code.
 */
#include "kernel/softirq.h"
#include "kernel/spinlock.h"
#include "lib/compiler.h"

static void (*softirq_vec[NR_SOFTIRQS])(void);
static volatile unsigned int softirq_pending;
static unsigned int softirq_depth;	/* >0 while handlers run */
static unsigned int irq_depth;

#define MAX_SOFTIRQ_RESTART	10

void open_softirq(unsigned int nr, void (*action)(void))
{
	softirq_vec[nr] = action;
}

void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	softirq_pending |= 1u << nr;
	if (!in_interrupt())
		wakeup_softirqd();
	local_irq_restore(flags);
}

/*
 * Run every pending softirq, with interrupts enabled while each handler
 * runs, until none is pending. Re-entry (an interrupt during a handler) is
 * refused: the outer loop picks up what the interrupt raised.
 */
void do_softirq(void)
{
	unsigned long flags;
	int restart = MAX_SOFTIRQ_RESTART;

	local_irq_save(flags);
	if (softirq_depth) {
		local_irq_restore(flags);
		return;
	}
	softirq_depth++;
	while (softirq_pending && restart--) {
		unsigned int pending = softirq_pending;

		softirq_pending = 0;
		local_irq_enable();
		for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++)
			if ((pending & (1u << nr)) && softirq_vec[nr])
				softirq_vec[nr]();
		local_irq_disable();
	}
	softirq_depth--;
	if (softirq_pending)
		wakeup_softirqd();
	local_irq_restore(flags);
}

bool softirq_is_pending(void)
{
	return softirq_pending != 0;
}

bool in_softirq(void)
{
	return softirq_depth != 0;
}

/* Interrupt nesting, kept by irq_enter()/irq_exit() in the kernel. */
bool in_interrupt(void)
{
	return irq_depth != 0 || softirq_depth != 0;
}

void irq_enter(void)
{
	irq_depth++;
}

void irq_exit(struct pt_regs *regs)
{
	(void)regs;
	if (irq_depth)
		irq_depth--;
	if (!irq_depth && softirq_pending)
		do_softirq();
}
