/*
 * The user program's life: which program runs (a boot module, else the
 * app= one, a boot module of that name or embedded), its exit (status
 * printed; under test=app it is the power-off status), the end of a
 * program that faults in user mode (one line: signal, address, rip; the
 * kernel lives on), and the last stop before every return to user mode,
 * where a thread is preempted.
 */
#include "kernel/proc.h"
#include "boot/bootinfo.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/irq.h"
#include "kernel/kthread.h"
#include "kernel/main.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/slab.h"
#include "kernel/spinlock.h"
#include "kernel/traps.h"
#include "lib/ctype.h"
#include "lib/errno.h"
#include "lib/cmdline.h"
#include "lib/string.h"

#define SIGILL	4
#define SIGTRAP	5
#define SIGBUS	7
#define SIGFPE	8
#define SIGKILL	9
#define SIGSEGV	11

#define DEFAULT_APP	"netd"
#define MAX_ARGV	32

struct embedded_app {
	const char *name;
	const u8 *data;
	u64 size;
};
extern const struct embedded_app __embedded_apps_start[], __embedded_apps_end[];

__noreturn void proc_exit(int status)
{
	struct task_struct *t = current;
	struct user_proc *p = t->proc;
	struct mm_struct *mm = t->mm;

	printk("app: %s (pid %d) exited with status %d\n", p->name, p->pid, status);
	files_release(t->files);
	t->files = NULL;
	t->mm = NULL;
	mm_release(mm);
	local_irq_disable();
	t->proc = NULL;
	if (p->detached) {
		kfree(p);
	} else {
		p->status = status;
		p->exited = true;
		p->task = NULL;
		wake_up_all(&p->exit_wait);
	}
	do_exit(status);
}

int proc_wait(struct user_proc *p)
{
	wait_event(p->exit_wait, p->exited);
	return p->status;
}

void proc_release(struct user_proc *p)
{
	kfree(p);
}

void proc_kill(struct user_proc *p)
{
	unsigned long flags;

	local_irq_save(flags);
	if (p->task) {
		p->task->killed = true;
		wake_up_process(p->task);
	}
	local_irq_restore(flags);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	(void)regs;
	for (;;) {
		local_irq_disable();
		if (current->killed) {
			local_irq_enable();
			proc_exit(128 + SIGKILL);
		}
		if (!current->need_resched)
			return;
		schedule();
	}
}

static int fault_signal(unsigned int vector, const char **name)
{
	switch (vector) {
	case 0:  /* #DE */
	case 16: /* #MF */
	case 19: /* #XM */
		*name = "SIGFPE";
		return SIGFPE;
	case 6:
		*name = "SIGILL";
		return SIGILL;
	case 1:
	case 3:
		*name = "SIGTRAP";
		return SIGTRAP;
	case 12: /* #SS */
	case 17: /* #AC */
		*name = "SIGBUS";
		return SIGBUS;
	default: /* #PF, #GP and the rest */
		*name = "SIGSEGV";
		return SIGSEGV;
	}
}

/* A fault in user mode ends the program, never the kernel (kernel/traps.c). */
bool user_fault(struct pt_regs *regs, u64 cr2)
{
	struct user_proc *p = current->proc;
	const char *sig_name;
	int sig;

	if (!p || !current->mm)
		return false;
	sig = fault_signal((unsigned int)regs->vector, &sig_name);
	printk("app: %s (pid %d) killed by %s: %s at %#lx, rip %#lx; exit status %d; "
	       "the kernel keeps running\n", p->name, p->pid, sig_name,
	       exception_name((unsigned int)regs->vector),
	       (unsigned long)(regs->vector == 14 ? cr2 : regs->rip),
	       (unsigned long)regs->rip, 128 + sig);
	local_irq_enable();
	proc_exit(128 + sig);
}

/*
 * A boot module is named by the last path component of its command line's
 * first word: "-initrd 'build/user/spin 5'" is the program "spin".
 */
static bool module_named(const struct boot_module *m, const char *name)
{
	const char *base = m->cmdline, *end = m->cmdline;
	size_t len = strlen(name);

	for (; *end && !k_isspace(*end); end++)
		if (*end == '/')
			base = end + 1;
	return (size_t)(end - base) == len && !strncmp(base, name, len);
}

static const struct boot_module *find_module(const char *name)
{
	for (u32 i = 0; i < boot_info.nmodules; i++)
		if (module_named(&boot_info.modules[i], name))
			return &boot_info.modules[i];
	return NULL;
}

/*
 * The program @name: a boot module of that name (the tests' programs
 * travel so, and a module given by hand wins), else the one embedded in
 * the image (user/build.mk). 0 or -ENOENT.
 */
static int find_program(const char *name, struct embedded_app *prog)
{
	const struct boot_module *m = find_module(name);

	if (m) {
		*prog = (struct embedded_app){ name, phys_to_virt(m->start), m->size };
		return 0;
	}
	for (const struct embedded_app *a = __embedded_apps_start;
	     a < __embedded_apps_end; a++) {
		if (!strcmp(a->name, name)) {
			*prog = *a;
			return 0;
		}
	}
	return -ENOENT;
}

static void list_programs(void)
{
	kprintf("app: embedded programs:");
	for (const struct embedded_app *a = __embedded_apps_start;
	     a < __embedded_apps_end; a++)
		kprintf(" %s", a->name);
	kprintf("; boot modules: %u\n", boot_info.nmodules);
}

static int start_module(const struct boot_module *m, struct user_proc **out)
{
	static char cmdline[BOOT_MODULE_CMDLINE_MAX];
	static char *argv[MAX_ARGV];
	int argc;

	strlcpy(cmdline, m->cmdline, sizeof(cmdline));
	argc = split_words(cmdline, argv, MAX_ARGV);
	if (!argc)
		argv[argc++] = "module";
	pr_info("app: running the boot module '%s' (%lu bytes)\n", m->cmdline,
		(unsigned long)m->size);
	return exec_program(phys_to_virt(m->start), m->size, argc,
			    (const char *const *)argv, out);
}

/* Start the program @name (embedded or a boot module) with @argv. */
int exec_by_name(const char *name, int argc, const char *const *argv,
		 struct user_proc **out)
{
	struct embedded_app prog;

	if (find_program(name, &prog)) {
		printk("app: no program named '%s' is embedded or a boot module\n", name);
		list_programs();
		return -ENOENT;
	}
	return exec_program(prog.data, prog.size, argc, argv, out);
}

/*
 * A boot module runs instead of app= and takes its argv from its own
 * command line (DESIGN §2), unless app=NAME names one of the modules:
 * then that one runs with app='s argv, as an embedded program would.
 */
int start_user_program(struct user_proc **out)
{
	static const char *argv[MAX_ARGV];
	const char *name = kparams.app ? kparams.app : DEFAULT_APP;
	struct embedded_app prog;
	int argc = 0;

	if (boot_info.nmodules && !(kparams.app && find_module(kparams.app)))
		return start_module(&boot_info.modules[0], out);
	if (find_program(name, &prog)) {
		if (kparams.app) {
			printk("app: no program named '%s' is embedded or a boot module\n",
			       name);
			list_programs();
		} else {
			pr_info("app: no '%s' embedded and no boot module: no user program\n",
				name);
		}
		return -ENOENT;
	}
	argv[argc++] = prog.name;
	for (int i = 0; i < kparams.argc && argc < MAX_ARGV; i++)
		argv[argc++] = kparams.argv[i];
	return exec_program(prog.data, prog.size, argc, argv, out);
}

/* Outside test=, the program starts with the system; its end is printed. */
static int user_program_init(void)
{
	struct user_proc *p;

	if (kparams.test)
		return 0;	/* a self-test starts what it needs */
	if (!start_user_program(&p))
		p->detached = true;	/* it cannot run before this initcall returns */
	return 0;
}
DEFINE_INITCALL(INITCALL_LATE, user_program_init);

/* test=app: run the program; its exit status is the power-off status. */
static int test_app(void)
{
	struct user_proc *p;
	int status;

	if (start_user_program(&p))
		return 1;
	status = proc_wait(p);
	printk("selftest app: %s exited with status %d: powering off with it\n",
	       p->name, status);
	proc_release(p);
	poweroff(status);
}
DEFINE_SELFTEST(app, test_app, "run the user program; power off with its exit status");
