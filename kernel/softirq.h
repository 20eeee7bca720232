/*
 * Softirqs: deferred work raised from interrupt handlers (network receive,
 * timers) and run on interrupt exit, or by the ksoftirqd thread when it
 * cannot run there. irq_exit() is the hook on every interrupt's way out.
 */
#ifndef KERNEL_SOFTIRQ_H
#define KERNEL_SOFTIRQ_H

#include "lib/types.h"

struct pt_regs;

enum {
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	NR_SOFTIRQS
};

void open_softirq(unsigned int nr, void (*action)(void));
void raise_softirq(unsigned int nr);
/* Run pending softirqs now (interrupts enabled while they run). */
void do_softirq(void);
void irq_enter(void);
void irq_exit(struct pt_regs *regs);
bool softirq_is_pending(void);
bool in_softirq(void);
bool in_interrupt(void);
/*
 * Softirqs that cannot run now (raised outside interrupt context, or still
 * pending after do_softirq's restarts) are handed to the ksoftirqd thread:
 * kernel/ksoftirqd.c; on the host, the platform runs them (a no-op).
 */
void wakeup_softirqd(void);

#endif
