/*
 * Interrupt flag control for the kernel build. The host build resolves
 * <asm/irqflags.h> to tests/host/arch/asm/irqflags.h instead (DESIGN §6:
 * the platform is swapped by include path, not by #ifdef).
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & (1UL << 9))
		arch_local_irq_enable();
}

static inline int arch_irqs_disabled(void)
{
	return !(arch_local_save_flags() & (1UL << 9));
}

#endif
