/*
 * Local APIC and IOAPIC. The legacy 8259 PICs are remapped out of the
 * exception range and fully masked; every interrupt comes through the
 * IOAPIC (ISA IRQs, identity-mapped to GSIs except the PIT's IRQ 0 -> GSI 2
 * as QEMU's MADT says) or as MSI straight to the LAPIC.
 */
#include "kernel/apic.h"
#include "kernel/irq.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/x86.h"

#define LAPIC_ID		0x020
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0	/* spurious vector, software enable */
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_TIMER_CUR		0x390
#define LAPIC_TIMER_DIV		0x3e0
#define LVT_MASKED		(1u << 16)
#define LVT_PERIODIC		(1u << 17)

#define IOAPIC_PHYS		0xfec00000
#define IOREGSEL		0x00
#define IOWIN			0x10
#define IOAPIC_VER		0x01
#define IOAPIC_REDTBL(n)	(0x10 + 2 * (n))

static volatile u32 *lapic;
static volatile u32 *ioapic;
static unsigned int ioapic_pins;

static u32 lapic_read(u32 reg)
{
	return lapic[reg / 4];
}

static void lapic_write(u32 reg, u32 v)
{
	lapic[reg / 4] = v;
	(void)lapic[LAPIC_ID / 4];	/* post the write */
}

static u32 ioapic_read(u32 reg)
{
	ioapic[IOREGSEL / 4] = reg;
	return ioapic[IOWIN / 4];
}

static void ioapic_write(u32 reg, u32 v)
{
	ioapic[IOREGSEL / 4] = reg;
	ioapic[IOWIN / 4] = v;
}

static void pic_disable(void)
{
	/* ICW1..ICW4: remap to 0x20/0x28 so a stray IRQ is not an exception. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);	/* mask everything */
	outb(0xa1, 0xff);
}

void apic_init(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	pic_disable();
	wrmsr(MSR_APIC_BASE, base | (1 << 11));	/* global enable */
	lapic = ioremap(base & ~0xfffULL, PAGE_SIZE);
	ioapic = ioremap(IOAPIC_PHYS, PAGE_SIZE);
	if (!lapic || !ioapic)
		panic("apic_init: cannot map the APICs");
	lapic_write(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	ioapic_pins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	for (unsigned int i = 0; i < ioapic_pins; i++) {
		ioapic_write(IOAPIC_REDTBL(i), LVT_MASKED);
		ioapic_write(IOAPIC_REDTBL(i) + 1, 0);
	}
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

u32 lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

/*
 * Route GSI @gsi to @vector on this CPU: edge-triggered, active high for
 * ISA IRQs; PCI INTx lines (GSI >= 16, or 5/9/10/11 as QEMU's PIIX assigns
 * them) are level-triggered, active low.
 */
void ioapic_route(unsigned int gsi, u8 vector)
{
	u32 lo = vector;
	unsigned int pin = gsi == 0 ? 2 : gsi;	/* PIT: IRQ 0 -> GSI 2 */

	if (pin >= ioapic_pins)
		return;
	if (gsi >= 16 || gsi == 5 || gsi == 9 || gsi == 10 || gsi == 11)
		lo |= (1u << 15) | (1u << 13);	/* level, active low */
	ioapic_write(IOAPIC_REDTBL(pin) + 1, lapic_id() << 24);
	ioapic_write(IOAPIC_REDTBL(pin), lo);
}

void lapic_timer_periodic(u8 vector, u32 count)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);	/* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, vector | LVT_PERIODIC);
	lapic_write(LAPIC_TIMER_INIT, count);
}

/* One-shot from the maximum count, masked: for calibration. */
void lapic_timer_oneshot_max(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
}

u32 lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}
