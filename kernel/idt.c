/*
 * The IDT: 256 interrupt gates, each pointing at its stub in kernel/entry.S
 * (16 bytes apart). #DF, NMI and #MC run on IST stacks; #BP (int3) may be
 * raised from ring 3.
 */
#include "kernel/cpu.h"
#include "kernel/irq.h"
#include "lib/compiler.h"

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;
BUILD_BUG_ON(sizeof(struct idt_gate) != 16);

extern char isr_stub_table_start[];
static struct idt_gate idt[256] __aligned(16);

static void set_gate(int vec, u8 ist, u8 dpl)
{
	u64 addr = (u64)(uintptr_t)(isr_stub_table_start + 16 * vec);

	idt[vec] = (struct idt_gate){
		.offset_lo = addr & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type_attr = (u8)(0x8e | dpl << 5),	/* present, interrupt gate */
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_hi = (u32)(addr >> 32),
	};
}

void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed p = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	for (int v = 0; v < 256; v++)
		set_gate(v, 0, 0);
	set_gate(2, IST_NMI, 0);
	set_gate(8, IST_DOUBLE_FAULT, 0);
	set_gate(18, IST_MACHINE_CHECK, 0);
	set_gate(3, 0, 3);
	__asm__ __volatile__("lidt %0" : : "m"(p));
}
