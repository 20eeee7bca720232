/*
 * Loading a program: parse the ELF (kernel/elf.c), build a new address
 * space, copy the segments in, lay out the stack as Linux's
 * create_elf_tables() does (argc, argv, envp, auxv; strings and the
 * AT_RANDOM bytes above), and start a thread that enters user mode at the
 * entry point. A static-PIE is loaded at USER_PIE_BASE; musl's rcrt1
 * applies its own R_X86_64_RELATIVE relocations (it finds its base from
 * AT_PHDR and PT_DYNAMIC), so the loader relocates nothing.
 */
#include "kernel/proc.h"
#include "kernel/cpu.h"
#include "kernel/elf.h"
#include "kernel/fs.h"
#include "kernel/irq.h"
#include "kernel/kthread.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/slab.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/string.h"

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31

#define MAX_ARGS	32
#define RFLAGS_IF	0x200

static const char *const default_envp[] = { "HOME=/", "TERM=vt100", NULL };

static u64 seg_pte_flags(u32 pf)
{
	u64 f = PTE_P;

	if (pf & PF_W)
		f |= PTE_W;
	if (!(pf & PF_X))
		f |= PTE_NX;
	return f;
}

/* Flags for a page: the union of every segment that touches it. */
static u64 page_flags(const struct elf_image *img, u64 base, u64 page)
{
	u64 w = 0, x = 0;

	for (unsigned int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		u64 lo = ALIGN_DOWN(base + s->vaddr, PAGE_SIZE);
		u64 hi = ALIGN(base + s->vaddr + s->memsz, PAGE_SIZE);

		if (page < lo || page >= hi)
			continue;
		w |= seg_pte_flags(s->flags) & PTE_W;
		x |= !(seg_pte_flags(s->flags) & PTE_NX);
	}
	return PTE_P | w | (x ? 0 : PTE_NX);
}

static int load_segments(struct mm_struct *mm, const struct elf_image *img,
			 const u8 *data, u64 base)
{
	for (unsigned int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		u64 lo = ALIGN_DOWN(base + s->vaddr, PAGE_SIZE);
		u64 hi = ALIGN(base + s->vaddr + s->memsz, PAGE_SIZE);
		int err = mm_map_zero(mm, lo, hi - lo, PTE_P | PTE_W | PTE_NX);

		if (!err)
			err = mm_copy_to(mm, base + s->vaddr, data + s->offset, s->filesz);
		if (err)
			return err;
	}
	for (u64 page = ALIGN_DOWN(base + img->lo, PAGE_SIZE); page < base + img->hi;
	     page += PAGE_SIZE)
		mm_protect(mm, page, PAGE_SIZE, page_flags(img, base, page));
	mm->start_brk = mm->brk = ALIGN(base + img->hi, PAGE_SIZE);
	return 0;
}

struct stack_builder {
	struct mm_struct *mm;
	u64 sp;
	int err;
};

static u64 push_bytes(struct stack_builder *sb, const void *p, size_t len)
{
	sb->sp -= len;
	if (!sb->err)
		sb->err = mm_copy_to(sb->mm, sb->sp, p, len);
	return sb->sp;
}

static u64 push_string(struct stack_builder *sb, const char *s)
{
	return push_bytes(sb, s, strlen(s) + 1);
}

/* Strings the vectors point at, already on the new stack. */
struct stack_strings {
	u64 argv[MAX_ARGS];
	u64 envp[ARRAY_SIZE(default_envp)];
	unsigned int envc;
	u64 execfn, platform, random;
};

/* AT_HWCAP on x86: CPUID leaf 1 EDX, as Linux reports it. */
static u32 cpu_hwcap(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return d;
}

/* The auxiliary vector musl's start-up reads (__init_libc, __init_tls). */
static unsigned int put_auxv(u64 *w, unsigned int n, const struct elf_image *img,
			     u64 base, const struct stack_strings *str)
{
	const u64 aux[][2] = {
		{ AT_PHDR, img->phdr_vaddr ? base + img->phdr_vaddr : 0 },
		{ AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, img->phnum },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_BASE, 0 },		/* no interpreter */
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, base + img->entry },
		{ AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
		{ AT_SECURE, 0 },
		{ AT_HWCAP, cpu_hwcap() },
		{ AT_CLKTCK, 100 },
		{ AT_PLATFORM, str->platform },
		{ AT_RANDOM, str->random },
		{ AT_EXECFN, str->execfn },
		{ AT_NULL, 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(aux); i++) {
		w[n++] = aux[i][0];
		w[n++] = aux[i][1];
	}
	return n;
}

static void push_strings(struct stack_builder *sb, int argc, const char *const *argv,
			 struct stack_strings *str)
{
	u8 rnd[16];

	str->execfn = push_string(sb, argv[0]);
	for (int i = argc - 1; i >= 0; i--)
		str->argv[i] = push_string(sb, argv[i]);
	for (str->envc = 0; default_envp[str->envc]; str->envc++)
		str->envp[str->envc] = push_string(sb, default_envp[str->envc]);
	str->platform = push_string(sb, "x86_64");
	get_random_bytes(rnd, sizeof(rnd));
	str->random = push_bytes(sb, rnd, sizeof(rnd));
}

/*
 * The stack at entry, from %rsp up (System V x86-64 ABI, figure 3.9):
 * argc, argv[] NULL, envp[] NULL, auxv pairs AT_NULL, then the strings.
 * %rsp is 16-byte aligned.
 */
static int setup_stack(struct mm_struct *mm, const struct elf_image *img,
		       u64 base, int argc, const char *const *argv, u64 *sp_out)
{
	struct stack_builder sb = { mm, USER_STACK_TOP, 0 };
	struct stack_strings str;
	u64 words[96];
	unsigned int n = 0;
	int err = mm_map_zero(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
			      PTE_P | PTE_W | PTE_NX);

	if (err)
		return err;
	push_strings(&sb, argc, argv, &str);
	sb.sp = ALIGN_DOWN(sb.sp, 16);
	words[n++] = (u64)argc;
	for (int i = 0; i < argc; i++)
		words[n++] = str.argv[i];
	words[n++] = 0;
	for (unsigned int i = 0; i < str.envc; i++)
		words[n++] = str.envp[i];
	words[n++] = 0;
	n = put_auxv(words, n, img, base, &str);
	if (n % 2)
		sb.sp -= 8;	/* so that %rsp (at argc) ends 16-byte aligned */
	*sp_out = push_bytes(&sb, words, n * sizeof(u64));
	return sb.err;
}

static struct files_struct *console_files(void)
{
	struct files_struct *files = files_alloc();
	struct file *con = console_file_open();

	if (!files || !con) {
		if (con)
			fput(con);
		if (files)
			files_release(files);
		return NULL;
	}
	for (int fd = 0; fd < 3; fd++)
		fd_install_from(files, fd ? get_file(con) : con, (unsigned int)fd, false);
	return files;
}

static struct user_proc *proc_alloc(const char *path)
{
	struct user_proc *p = kzalloc(sizeof(*p));
	const char *slash = strrchr(path, '/');

	if (!p)
		return NULL;
	strlcpy(p->name, slash ? slash + 1 : path, sizeof(p->name));
	init_waitqueue_head(&p->exit_wait);
	return p;
}

/* The new thread's first frame: user mode at the entry, interrupts on. */
static struct task_struct *user_task(struct user_proc *proc, u64 entry, u64 sp)
{
	struct task_struct *t = task_alloc(proc->name);
	struct pt_regs regs = {
		.rip = entry, .cs = USER_CS, .rflags = RFLAGS_IF,
		.rsp = sp, .ss = USER_DS,
	};

	if (t)
		user_thread_prepare(t, &regs);
	return t;
}

static int build_program(const void *image, size_t size, int argc,
			 const char *const *argv, struct user_proc *proc)
{
	struct elf_image img;
	struct mm_struct *mm;
	struct task_struct *t = NULL;
	const char *why;
	u64 base, sp;
	int err = elf_parse(image, size, USER_STACK_TOP - USER_STACK_SIZE, &img, &why);

	if (err) {
		printk("app: %s: refused: not a static x86-64 ELF program: %s\n",
		       argv[0], why);
		return err;
	}
	base = img.pie ? USER_PIE_BASE : 0;
	if (base + img.hi > USER_MMAP_TOP) {
		printk("app: %s: refused: too large to load\n", argv[0]);
		return -ENOEXEC;
	}
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	err = load_segments(mm, &img, image, base);
	if (!err)
		err = setup_stack(mm, &img, base, argc, argv, &sp);
	if (!err)
		t = user_task(proc, base + img.entry, sp);
	if (!t || !(t->files = console_files())) {
		if (t)
			task_free(t);
		mm_release(mm);
		return err ? err : -ENOMEM;
	}
	t->mm = mm;
	t->proc = proc;
	proc->task = t;
	pr_info("app: loaded %s%s: entry %#lx, %lu pages, brk %#lx\n", proc->name,
		img.pie ? " (static-PIE)" : "", (unsigned long)(base + img.entry),
		(unsigned long)mm->pages, (unsigned long)mm->brk);
	return 0;
}

int exec_program(const void *image, size_t size, int argc,
		 const char *const *argv, struct user_proc **out)
{
	struct user_proc *proc;
	int err;

	if (argc < 1 || argc > MAX_ARGS)
		return -E2BIG;
	proc = proc_alloc(argv[0]);
	if (!proc)
		return -ENOMEM;
	err = build_program(image, size, argc, argv, proc);
	if (err) {
		kfree(proc);
		return err;
	}
	sched_add_task(proc->task);
	proc->pid = proc->task->pid;
	*out = proc;
	return 0;
}
