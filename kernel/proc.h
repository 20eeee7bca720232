/*
 * The user program: its address space (struct mm_struct, kernel/mmap.c),
 * its life (kernel/proc.c: start, exit, faults, the return-to-user
 * preemption point) and its loading (kernel/exec.c).
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "kernel/fs.h"
#include "kernel/memlayout.h"
#include "kernel/wait.h"
#include "lib/types.h"

struct pt_regs;

#define USER_STACK_TOP		0x00007ffffffff000ULL
#define USER_STACK_SIZE		(256 * 1024)
#define USER_MMAP_TOP		0x00007f0000000000ULL
#define USER_PIE_BASE		0x0000555555554000ULL	/* Linux's ELF_ET_DYN_BASE */

/* A software bit in a PTE that is not present: reserved by PROT_NONE. */
#define PTE_SW_RESERVED		(1ULL << 9)

struct mm_struct {
	u64 pml4;		/* physical address of the page table */
	u64 start_brk, brk;	/* the heap: [start_brk, brk) */
	u64 mmap_top;		/* mmap() searches down from here */
	u64 pages;		/* user pages mapped */
};

static inline u64 mm_pml4(const struct mm_struct *mm)
{
	return mm->pml4;
}

struct mm_struct *mm_alloc(void);
void mm_release(struct mm_struct *mm);
/* Map zeroed pages over [@va, @va + @len) with PTE flags; 0 or -ENOMEM/-EEXIST. */
int mm_map_zero(struct mm_struct *mm, u64 va, u64 len, u64 pte_flags);
void mm_unmap(struct mm_struct *mm, u64 va, u64 len);
/* Copy into @mm's pages at @va (mapped or not writable to the user: loader). */
int mm_copy_to(struct mm_struct *mm, u64 va, const void *src, size_t len);
/* Set the protection of mapped pages; used by the loader after copying. */
void mm_protect(struct mm_struct *mm, u64 va, u64 len, u64 pte_flags);

/* A signal action as rt_sigaction passes it (the kernel's layout). */
struct kernel_sigaction {
	unsigned long handler, flags, restorer, mask;
};

#define USER_NSIG	64

struct rlimit {
	unsigned long rlim_cur;		/* soft: what is enforced */
	unsigned long rlim_max;		/* hard: how far the soft may be raised */
};

/* A running or finished user program. */
struct user_proc {
	char name[32];
	struct rlimit rlim[RLIM_NLIMITS];	/* Linux keeps them in signal_struct */
	int pid;
	bool exited;
	bool detached;			/* nobody waits: freed when it ends */
	int status;			/* as a shell shows it: code, or 128 + signal */
	struct wait_queue_head exit_wait;
	struct task_struct *task;	/* NULL once it has ended */
	u64 clear_child_tid;		/* set_tid_address */
	u64 sigmask;			/* rt_sigprocmask: recorded, nothing delivered */
	struct kernel_sigaction sigaction[USER_NSIG];
};

/*
 * Load @image (@size bytes, an ELF file) with @argv and start it in a new
 * thread. 0 with *@out set, or -ENOEXEC (refused, reason printed) / -ENOMEM.
 */
int exec_program(const void *image, size_t size, int argc,
		 const char *const *argv, struct user_proc **out);
/* Start the program @name, embedded (user/build.mk) or a boot module, with @argv. */
int exec_by_name(const char *name, int argc, const char *const *argv,
		 struct user_proc **out);
/* Start the program the command line and boot modules choose. */
int start_user_program(struct user_proc **out);
/* Wait for @p to end; its status. */
int proc_wait(struct user_proc *p);
/* Free an ended program's record, once its status has been read. */
void proc_release(struct user_proc *p);
/* End the calling program with @status (shell style); never returns. */
__attribute__((noreturn)) void proc_exit(int status);
/* Ask @p to end at its next return to user mode, as SIGKILL would. */
void proc_kill(struct user_proc *p);
/* Last thing before any return to user mode: preemption, kill requests. */
void exit_to_user_mode(struct pt_regs *regs);

#endif
