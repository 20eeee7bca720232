/*
 * Interrupts: the trap frame, handler registration, and the entry from
 * kernel/entry.S. Legacy ISA IRQs are routed through the IOAPIC; PCI
 * devices may instead ask for a bare vector (MSI/MSI-X) with request_vector.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "lib/types.h"

/* The frame kernel/entry.S builds on every interrupt, exception and trap. */
struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

typedef void (*irq_handler_t)(void *data);

#define IRQ_VECTOR_BASE		0x20	/* ISA IRQ n -> vector 0x20 + n */
#define VECTOR_DYNAMIC_FIRST	0x40	/* request_vector() hands these out */
#define VECTOR_DYNAMIC_LAST	0xef
#define VECTOR_LAPIC_TIMER	0xf0
#define VECTOR_SPURIOUS		0xff

/* Route ISA/GSI @irq through the IOAPIC to a handler. 0 or -errno. */
int request_irq(unsigned int irq, irq_handler_t fn, void *data, const char *name);
/* A free vector with a handler (for MSI/MSI-X); the vector or -ENOSPC. */
int request_vector(irq_handler_t fn, void *data, const char *name);
void set_vector_handler(unsigned int vector, irq_handler_t fn, void *data,
			const char *name);
u64 irq_count(unsigned int vector);
/* Inside a device handler: the interrupted context's frame (NULL outside). */
struct pt_regs *get_irq_regs(void);

void idt_init(void);
void do_interrupt(struct pt_regs *regs);
void do_exception(struct pt_regs *regs);
void show_regs(const struct pt_regs *regs);

#endif
