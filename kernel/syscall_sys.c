/*
 * Process-level system calls: identity (getpid, gettid, uname), exit,
 * thread set-up musl does at start (arch_prctl ARCH_SET_FS,
 * set_tid_address), getrandom, sched_yield, and the signal calls, which
 * are accepted and remembered but deliver nothing yet.
 */
#include "kernel/proc.h"
#include "kernel/random.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/string.h"

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004
#define GRND_NONBLOCK	0x1
#define GRND_RANDOM	0x2
#define GRND_INSECURE	0x4
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2
#define SIGKILL		9
#define SIGSTOP		19

long sys_exit(unsigned long code)
{
	proc_exit((int)(code & 0xff));
}

long sys_exit_group(unsigned long code)
{
	proc_exit((int)(code & 0xff));
}

/* One process of one thread: its pid is its tid. */
long sys_getpid(void)
{
	return current->pid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
	     domainname[65];
};

long sys_uname(unsigned long buf)
{
	static const struct new_utsname uts = {
		.sysname = "unisock",
		.nodename = "unisock",
		.release = "0.1.0",
		.version = "#1 " __DATE__,
		.machine = "x86_64",
		.domainname = "(none)",
	};

	return copy_to_user((void __user *)buf, &uts, sizeof(uts));
}

long sys_getrandom(unsigned long buf, unsigned long len, unsigned long flags)
{
	u8 chunk[256];
	unsigned long done = 0;

	flags = (unsigned int)flags;	/* unsigned int in Linux's prototype */
	if (flags & ~(unsigned long)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	len = min_t(unsigned long, len, 0x1ffffff);	/* Linux: at most 32 MiB - 1 */
	if (!access_ok((void __user *)buf, len))
		return -EFAULT;
	while (done < len) {
		size_t n = min_t(size_t, len - done, sizeof(chunk));

		get_random_bytes(chunk, n);
		if (copy_to_user((void __user *)(buf + done), chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	memset(chunk, 0, sizeof(chunk));
	return (long)done;
}

long sys_arch_prctl(unsigned long code, unsigned long addr)
{
	u64 fs = current->thread.fs_base;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		current->thread.fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((void __user *)addr, &fs, sizeof(fs));
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL;	/* %gs belongs to the kernel's swapgs here */
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(unsigned long tidptr)
{
	current->proc->clear_child_tid = tidptr;
	return current->pid;
}

long sys_rt_sigaction(unsigned long sig, unsigned long act, unsigned long oact,
		      unsigned long sigsetsize)
{
	struct user_proc *p = current->proc;
	struct kernel_sigaction ka;
	int s = (int)sig;	/* an int in Linux's prototype */

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (s < 1 || s > USER_NSIG || (act && (s == SIGKILL || s == SIGSTOP)))
		return -EINVAL;
	sig = (unsigned long)s;
	if (act && copy_from_user(&ka, (const void __user *)act, sizeof(ka)))
		return -EFAULT;
	if (oact && copy_to_user((void __user *)oact, &p->sigaction[sig - 1],
				 sizeof(ka)))
		return -EFAULT;
	if (act)
		memcpy(&p->sigaction[sig - 1], &ka, sizeof(ka));
	return 0;
}

long sys_rt_sigprocmask(unsigned long how, unsigned long set, unsigned long oset,
			unsigned long sigsetsize)
{
	struct user_proc *p = current->proc;
	u64 old = p->sigmask, new;
	const u64 unblockable = 1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1);

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&new, (const void __user *)set, sizeof(new)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			new = old | new;
		else if (how == SIG_UNBLOCK)
			new = old & ~new;
		else if (how != SIG_SETMASK)
			return -EINVAL;
		p->sigmask = new & ~unblockable;
	}
	if (oset && copy_to_user((void __user *)oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
