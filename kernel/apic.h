/* Local APIC (timer, EOI) and IOAPIC (routing of ISA/GSI interrupts). */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H

#include "lib/types.h"

void apic_init(void);
void lapic_eoi(void);
u32 lapic_id(void);
/* Start the LAPIC timer, periodic, @count bus ticks per period. */
void lapic_timer_periodic(u8 vector, u32 count);
u32 lapic_timer_current(void);
void lapic_timer_oneshot_max(void);
void ioapic_route(unsigned int gsi, u8 vector);

#endif
