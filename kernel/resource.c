/*
 * Resource limits: getrlimit, setrlimit, prlimit64 (Linux x86-64 numbers
 * 97, 160, 302). RLIMIT_NOFILE is enforced by the fd table
 * (kernel/fdtable.c); RLIMIT_STACK tells the truth about the fixed stack;
 * the rest are unlimited, as a Linux root shell sees them.
 */
#include "kernel/fs.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "lib/errno.h"

/* Linux's default soft RLIMIT_NOFILE: select()'s FD_SETSIZE stays safe. */
#define NOFILE_SOFT_DEFAULT	1024

void rlimits_init(struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_NOFILE] = (struct rlimit){ NOFILE_SOFT_DEFAULT, NR_OPEN_MAX };
	rlim[RLIMIT_STACK] = (struct rlimit){ USER_STACK_SIZE, USER_STACK_SIZE };
}

unsigned long rlimit(unsigned int resource)
{
	struct user_proc *p = current->proc;

	if (resource >= RLIM_NLIMITS)
		return 0;
	if (!p)		/* kernel threads: the defaults */
		return resource == RLIMIT_NOFILE ? NR_OPEN_MAX : RLIM_INFINITY;
	return p->rlim[resource].rlim_cur;
}

/* Check and apply @new (may be NULL); report the old value in *@old. */
static long do_prlimit(unsigned int resource, const struct rlimit *new,
		       struct rlimit *old)
{
	struct rlimit *r;

	if (resource >= RLIM_NLIMITS || !current->proc)
		return -EINVAL;
	r = &current->proc->rlim[resource];
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (new->rlim_max > r->rlim_max)
			return -EPERM;	/* only CAP_SYS_RESOURCE raises a hard limit */
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
			return -EPERM;
	}
	if (old)
		*old = *r;
	if (new && resource != RLIMIT_STACK)	/* the stack cannot change size */
		*r = *new;
	return 0;
}

long sys_getrlimit(unsigned long resource, unsigned long urlim)
{
	struct rlimit old;
	long err = do_prlimit((unsigned int)resource, NULL, &old);

	if (err)
		return err;
	return copy_to_user((void __user *)urlim, &old, sizeof(old));
}

long sys_setrlimit(unsigned long resource, unsigned long urlim)
{
	struct rlimit new;

	if (copy_from_user(&new, (const void __user *)urlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit((unsigned int)resource, &new, NULL);
}

long sys_prlimit64(unsigned long pid, unsigned long resource, unsigned long unew,
		   unsigned long uold)
{
	struct rlimit new, old;
	long err;

	if (pid && (int)pid != current->pid)
		return -ESRCH;		/* one program: no other pid is ours to see */
	if (unew && copy_from_user(&new, (const void __user *)unew, sizeof(new)))
		return -EFAULT;
	err = do_prlimit((unsigned int)resource, unew ? &new : NULL, &old);
	if (!err && uold && copy_to_user((void __user *)uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}
