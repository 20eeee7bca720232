/*
 * Spinlocks. The kernel is uniprocessor, so a lock is "interrupts off" plus
 * a held flag that catches recursion; the shape (spin_lock_irqsave and
 * friends) is Linux's, so a second CPU is a change here, not in callers.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <asm/irqflags.h>
#include "lib/types.h"

typedef struct {
	int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED	{ 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED

void spin_lock_bug(spinlock_t *lock, const char *what);

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->locked = 0;
}

static inline void spin_lock(spinlock_t *lock)
{
	if (lock->locked)
		spin_lock_bug(lock, "recursive spin_lock");
	lock->locked = 1;
}

static inline void spin_unlock(spinlock_t *lock)
{
	if (!lock->locked)
		spin_lock_bug(lock, "spin_unlock of an unlocked lock");
	lock->locked = 0;
}

#define spin_lock_irqsave(lock, flags)		\
	do {					\
		(flags) = arch_local_irq_save();	\
		spin_lock(lock);		\
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	arch_local_irq_restore(flags);
}

static inline void spin_lock_irq(spinlock_t *lock)
{
	arch_local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	arch_local_irq_enable();
}

#define local_irq_save(flags)	((flags) = arch_local_irq_save())
#define local_irq_restore(f)	arch_local_irq_restore(f)
#define local_irq_disable()	arch_local_irq_disable()
#define local_irq_enable()	arch_local_irq_enable()
#define irqs_disabled()		arch_irqs_disabled()

#endif
