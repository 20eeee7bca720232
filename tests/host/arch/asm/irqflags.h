/*
 * The host platform's interrupt flag: a plain variable. The simulated
 * platform is single-threaded, so "interrupts off" only needs to be
 * recorded, so that assertions about it (irqs_disabled()) still hold.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

extern unsigned long host_irq_flags;

static inline unsigned long arch_local_save_flags(void)
{
	return host_irq_flags;
}

static inline void arch_local_irq_disable(void)
{
	host_irq_flags = 0;
}

static inline void arch_local_irq_enable(void)
{
	host_irq_flags = 1UL << 9;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = host_irq_flags;

	host_irq_flags = 0;
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irq_flags = flags;
}

static inline int arch_irqs_disabled(void)
{
	return !(host_irq_flags & (1UL << 9));
}

#endif
