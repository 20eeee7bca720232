/*
 * The FPU and SSE for user programs (musl's start-up and printf use SSE
 * registers). The kernel itself is built -mno-sse and never touches them;
 * each user thread's state is saved with fxsave in its task page on every
 * switch away and restored with fxrstor (kernel/sched.c switch_fpu()).
 * Intel SDM vol. 3A §13.1: CR4.OSFXSR enables fxsave/fxrstor and SSE,
 * CR4.OSXMMEXCPT reports SIMD exceptions as #XM; CR0.EM must be clear,
 * CR0.MP and CR0.NE set.
 */
#include "kernel/init.h"
#include "kernel/x86.h"

#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_TS		(1 << 3)
#define CR0_NE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)

static int fpu_init(void)
{
	write_cr0((read_cr0() & ~(u64)(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ __volatile__("fninit" ::: "memory");
	return 0;
}
DEFINE_INITCALL(INITCALL_CORE, fpu_init);
