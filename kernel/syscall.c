/*
 * The system call table, indexed by Linux x86-64 numbers
 * (arch/x86/entry/syscalls/syscall_64.tbl), and the dispatcher the entry
 * (kernel/syscall_64.S) calls. A number with no entry answers -ENOSYS and
 * is logged once. syscall_init() programs the MSRs: STAR (segments),
 * LSTAR (entry), SFMASK (flags cleared on entry), EFER.SCE, and GS_BASE
 * for the per-CPU block.
 */
#include "kernel/syscall.h"
#include "kernel/cpu.h"
#include "kernel/init.h"
#include "kernel/irq.h"
#include "kernel/poll.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "net/socket.h"

BUILD_BUG_ON(USER_DS != 0x1b || USER_CS != 0x23);	/* kernel/syscall_64.S */
BUILD_BUG_ON(__builtin_offsetof(struct pcpu, kernel_rsp) != PCPU_KERNEL_RSP);
BUILD_BUG_ON(__builtin_offsetof(struct pcpu, user_rsp) != PCPU_USER_RSP);

/* RFLAGS bits cleared on entry: TF DF IF IOPL AC NT, as Linux. */
#define SYSCALL_MASK	0x47700
#define NR_SYSCALLS	335

struct pcpu pcpu;

#define SC(nr, fn)	[nr] = (syscall_fn_t)(void (*)(void))fn

static const syscall_fn_t sys_call_table[NR_SYSCALLS] = {
	SC(0, sys_read),
	SC(1, sys_write),
	SC(3, sys_close),
	SC(7, sys_poll),
	SC(9, sys_mmap),
	SC(11, sys_munmap),
	SC(12, sys_brk),
	SC(13, sys_rt_sigaction),
	SC(14, sys_rt_sigprocmask),
	SC(16, sys_ioctl),
	SC(19, sys_readv),
	SC(20, sys_writev),
	SC(23, sys_select),
	SC(24, sys_sched_yield),
	SC(35, sys_nanosleep),
	SC(39, sys_getpid),
	SC(41, sys_socket),
	SC(42, sys_connect),
	SC(43, sys_accept),
	SC(44, sys_sendto),
	SC(45, sys_recvfrom),
	SC(46, sys_sendmsg),
	SC(47, sys_recvmsg),
	SC(48, sys_shutdown),
	SC(49, sys_bind),
	SC(50, sys_listen),
	SC(51, sys_getsockname),
	SC(52, sys_getpeername),
	SC(53, sys_socketpair),
	SC(54, sys_setsockopt),
	SC(55, sys_getsockopt),
	SC(60, sys_exit),
	SC(63, sys_uname),
	SC(72, sys_fcntl),
	SC(97, sys_getrlimit),
	SC(160, sys_setrlimit),
	SC(158, sys_arch_prctl),
	SC(186, sys_gettid),
	SC(213, sys_epoll_create),
	SC(218, sys_set_tid_address),
	SC(228, sys_clock_gettime),
	SC(231, sys_exit_group),
	SC(232, sys_epoll_wait),
	SC(233, sys_epoll_ctl),
	SC(270, sys_pselect6),
	SC(271, sys_ppoll),
	SC(281, sys_epoll_pwait),
	SC(288, sys_accept4),
	SC(291, sys_epoll_create1),
	SC(302, sys_prlimit64),
	SC(318, sys_getrandom),
};

#define NR_LOGGED	1024	/* numbers above share one "logged" bit */

static unsigned long enosys_logged[NR_LOGGED / 64 + 1];

static long sys_ni_syscall(unsigned long nr)
{
	unsigned long bit = nr < NR_LOGGED ? nr : NR_LOGGED;

	if (!(enosys_logged[bit / 64] & (1UL << (bit % 64)))) {
		enosys_logged[bit / 64] |= 1UL << (bit % 64);
		printk("syscall: %s (pid %d) called unimplemented syscall %lu: -ENOSYS%s\n",
		       current->name, current->pid, nr,
		       nr < NR_LOGGED ? "" : " (further numbers this high not logged)");
	}
	return -ENOSYS;
}

/*
 * The number is eax as an int, as Linux reads it (entry_64.S: movslq
 * %eax; do_syscall_64(regs, int nr)): the upper half of rax is ignored,
 * and a negative number is out of range.
 */
bool do_syscall_64(struct pt_regs *regs)
{
	unsigned int nr = (unsigned int)(int)regs->rax;
	syscall_fn_t fn = nr < NR_SYSCALLS ? sys_call_table[nr] : NULL;

	if (fn)
		regs->rax = (u64)fn((long)regs->rdi, (long)regs->rsi, (long)regs->rdx,
				    (long)regs->r10, (long)regs->r8, (long)regs->r9);
	else
		regs->rax = (u64)sys_ni_syscall(nr);
	exit_to_user_mode(regs);
	/* syscall clobbers rcx and r11 (SDM: SYSCALL); sysret reloads them. */
	regs->rcx = regs->rip;
	regs->r11 = regs->rflags;
	return regs->rip < USER_TOP;	/* sysret to a non-canonical rip would #GP in ring 0 */
}

static int syscall_init(void)
{
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)&pcpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_STAR, (u64)(USER_DS - 8) << 48 | (u64)KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (u64)(uintptr_t)entry_SYSCALL_64);
	wrmsr(MSR_SFMASK, SYSCALL_MASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	return 0;
}
DEFINE_INITCALL(INITCALL_CORE, syscall_init);
