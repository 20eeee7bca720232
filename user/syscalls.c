/*
 * syscalls: each system call the kernel implements, with its failure
 * cases, through raw syscall(2) so the kernel's answer is what is seen.
 * The same static binary runs on Linux and in unisock; `make test`
 * compares the "sc|" lines of both, line for line. Lines whose answer
 * depends on the machine (pid, uname, tty or not) start with "sc#" and
 * are not compared. Exits 0 when every check held, else 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define KERNEL_PTR ((void *)0xffffffff81000000UL) /* kernel text, on either */
#define DIRECT_MAP_PTR ((void *)0xffff888000100000UL)
#define NONCANON_PTR ((void *)0x0000900000000000UL)
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

static int checks, failures;

static const char *errname(int e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case EBADF:
		return "EBADF";
	case EFAULT:
		return "EFAULT";
	case EINVAL:
		return "EINVAL";
	case ENOSYS:
		return "ENOSYS";
	case ENOTTY:
		return "ENOTTY";
	case ENOMEM:
		return "ENOMEM";
	case ENODEV:
		return "ENODEV";
	default:
		return "E?";
	}
}

/* "name = result" where result is a value or -ERRNO. */
static void show(const char *what, long ret)
{
	if (ret == -1)
		printf("sc| %s = -1 %s\n", what, errname(errno));
	else
		printf("sc| %s = %ld\n", what, ret);
}

static void check(const char *what, int ok)
{
	checks++;
	if (!ok)
		failures++;
	printf("sc| %s: %s\n", what, ok ? "ok" : "FAILED");
}

static void expect_err(const char *what, long ret, int err)
{
	show(what, ret);
	checks++;
	if (ret != -1 || errno != err) {
		failures++;
		printf("sc| %s: expected -1 %s: FAILED\n", what, errname(err));
	}
}

static void test_write(void)
{
	const char msg[] = "sc| write to stdout\n";
	struct iovec iov[2] = {{"sc| writev ", 11}, {"two parts\n", 10}};
	struct iovec bad[1] = {{KERNEL_PTR, 4}};

	show("write(1, msg, 20)", syscall(SYS_write, 1, msg, sizeof(msg) - 1));
	show("writev(1, 2 parts)", syscall(SYS_writev, 1, iov, 2));
	expect_err("write(1, NULL, 5)", syscall(SYS_write, 1, NULL, 5), EFAULT);
	expect_err("write(1, kernel text, 5)", syscall(SYS_write, 1, KERNEL_PTR, 5), EFAULT);
	expect_err("write(1, direct map, 5)", syscall(SYS_write, 1, DIRECT_MAP_PTR, 5), EFAULT);
	expect_err("write(1, non-canonical, 5)", syscall(SYS_write, 1, NONCANON_PTR, 5), EFAULT);
	expect_err("write(99, msg, 5)", syscall(SYS_write, 99, msg, 5), EBADF);
	expect_err("writev(1, kernel iov, 1)", syscall(SYS_writev, 1, KERNEL_PTR, 1), EFAULT);
	expect_err("writev(1, iov->kernel, 1)", syscall(SYS_writev, 1, bad, 1), EFAULT);
	expect_err("writev(1, iov, -1)", syscall(SYS_writev, 1, iov, -1), EINVAL);
	expect_err("read(0, kernel text, 8)", syscall(SYS_read, 0, KERNEL_PTR, 8), EFAULT);
	expect_err("read(99, buf, 8)", syscall(SYS_read, 99, (char[8]){0}, 8), EBADF);
	expect_err("readv(99, iov, 1)", syscall(SYS_readv, 99, iov, 1), EBADF);
}

static void test_fds(void)
{
	long fd = syscall(SYS_fcntl, 1, F_DUPFD, 40);
	int fl;

	check("fcntl(1, F_DUPFD, 40) gives an fd >= 40", fd >= 40);
	show("write(dup, msg, 19)", syscall(SYS_write, fd, "sc| write to a dup\n", 19));
	show("fcntl(dup, F_GETFD)", syscall(SYS_fcntl, fd, F_GETFD));
	show("fcntl(dup, F_SETFD, FD_CLOEXEC)", syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC));
	show("fcntl(dup, F_GETFD)", syscall(SYS_fcntl, fd, F_GETFD));
	show("close(dup)", syscall(SYS_close, fd));
	expect_err("close(dup) again", syscall(SYS_close, fd), EBADF);
	expect_err("write(closed fd, msg, 1)", syscall(SYS_write, fd, "x", 1), EBADF);
	expect_err("fcntl(99, F_GETFL)", syscall(SYS_fcntl, 99, F_GETFL), EBADF);
	expect_err("fcntl(1, 9999)", syscall(SYS_fcntl, 1, 9999), EINVAL);
	fl = (int)syscall(SYS_fcntl, 1, F_GETFL);
	check("fcntl(1, F_GETFL) can write, blocking",
	      fl >= 0 && (fl & O_ACCMODE) != O_RDONLY && !(fl & O_NONBLOCK));
	expect_err("ioctl(99, TCGETS)", syscall(SYS_ioctl, 99, 0x5401, (char[64]){0}), EBADF);
	printf("sc# ioctl(1, TIOCGWINSZ) = %ld (a tty answers 0)\n",
	       syscall(SYS_ioctl, 1, 0x5413, (char[8]){0}));
}

static void test_memory(void)
{
	char *cur = (char *)syscall(SYS_brk, 0), *p;
	char *fixed = (char *)0x200000000UL;

	check("brk(0) is page aligned", ((uintptr_t)cur & 4095) == 0);
	check("brk grows by 40 KiB", (char *)syscall(SYS_brk, cur + 40960) == cur + 40960);
	memset(cur, 0x5a, 40960);
	check("new heap is writable", cur[40959] == 0x5a);
	check("brk shrinks back", (char *)syscall(SYS_brk, cur) == cur);
	check("brk below the start is refused", (char *)syscall(SYS_brk, 4096) == cur);

	p = (char *)syscall(SYS_mmap, 0, 3 * 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mmap 3 anonymous pages", p != MAP_FAILED && ((uintptr_t)p & 4095) == 0);
	check("mmap'd memory is zeroed", p[0] == 0 && p[3 * 4096 - 1] == 0);
	p[5000] = 7;
	check("mmap'd memory is writable", p[5000] == 7);
	show("munmap(p, 3 pages)", syscall(SYS_munmap, p, 3 * 4096));
	show("mmap(fixed 0x200000000)", syscall(SYS_mmap, fixed, 4096, PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	fixed[10] = 1;
	show("munmap(fixed)", syscall(SYS_munmap, fixed, 4096));
	p = (char *)syscall(SYS_mmap, 0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mmap PROT_NONE", p != MAP_FAILED);
	expect_err("write(1, PROT_NONE page, 4)", syscall(SYS_write, 1, p, 4), EFAULT);
	show("munmap(PROT_NONE page)", syscall(SYS_munmap, p, 4096));
	expect_err("mmap(len 0)",
		   syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	expect_err("mmap(file, fd 99)", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 99, 0),
		   EBADF);
	expect_err("mmap(no MAP_PRIVATE/SHARED)",
		   syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	expect_err("mmap(64 TiB)",
		   syscall(SYS_mmap, 0, 1UL << 46, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		   ENOMEM);
	show("munmap(32 TiB, nothing there)", syscall(SYS_munmap, 0x100000000UL, 1UL << 45));
	check("brk(+64 TiB) is refused", (char *)syscall(SYS_brk, cur + (1UL << 46)) == cur);
	expect_err("munmap(unaligned)", syscall(SYS_munmap, 4097, 4096), EINVAL);
	expect_err("munmap(len 0)", syscall(SYS_munmap, 0x200000000UL, 0), EINVAL);
}

static void test_thread_setup(void)
{
	unsigned long fs = 0;
	int tid = 0;

	show("arch_prctl(ARCH_GET_FS)", syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	check("the fs base is musl's thread pointer", fs == (unsigned long)pthread_self());
	expect_err("arch_prctl(ARCH_SET_FS, kernel)",
		   syscall(SYS_arch_prctl, ARCH_SET_FS, KERNEL_PTR), EPERM);
	expect_err("arch_prctl(0x9999)", syscall(SYS_arch_prctl, 0x9999, 0), EINVAL);
	expect_err("arch_prctl(ARCH_GET_FS, kernel)",
		   syscall(SYS_arch_prctl, ARCH_GET_FS, KERNEL_PTR), EFAULT);
	check("set_tid_address returns the tid",
	      syscall(SYS_set_tid_address, &tid) == syscall(SYS_gettid));
	check("getpid == gettid (one thread)", syscall(SYS_getpid) == syscall(SYS_gettid));
	printf("sc# getpid() = %ld\n", syscall(SYS_getpid));
}

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void test_time(void)
{
	struct timespec a, b, req = {0, 20 * 1000 * 1000}, bad = {0, 2000000000};

	show("clock_gettime(MONOTONIC)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a));
	show("nanosleep(20 ms)", syscall(SYS_nanosleep, &req, NULL));
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
	check("nanosleep slept at least 20 ms", ns_of(&b) - ns_of(&a) >= 20000000LL);
	check("nanosleep slept under 2 s", ns_of(&b) - ns_of(&a) < 2000000000LL);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &a);
	check("CLOCK_REALTIME is after 2020", a.tv_sec > 1577836800);
	expect_err("clock_gettime(999)", syscall(SYS_clock_gettime, 999, &a), EINVAL);
	expect_err("clock_gettime(MONOTONIC, NULL)",
		   syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL), EFAULT);
	expect_err("nanosleep(tv_nsec 2e9)", syscall(SYS_nanosleep, &bad, NULL), EINVAL);
	expect_err("nanosleep(NULL)", syscall(SYS_nanosleep, NULL, NULL), EFAULT);
}

static void test_misc(void)
{
	unsigned char r[64] = {0};
	struct utsname {
		char f[6][65];
	} u;
	int nonzero = 0;

	show("uname(&u)", syscall(SYS_uname, &u));
	printf("sc| uname machine: %s\n", u.f[4]);
	printf("sc# uname sysname: %s\n", u.f[0]);
	expect_err("uname(NULL)", syscall(SYS_uname, NULL), EFAULT);
	show("getrandom(r, 64, 0)", syscall(SYS_getrandom, r, sizeof(r), 0));
	for (unsigned i = 0; i < sizeof(r); i++)
		nonzero += r[i] != 0;
	check("getrandom bytes are not all zero", nonzero > 32);
	expect_err("getrandom(r, 64, 0x100)", syscall(SYS_getrandom, r, 64, 0x100), EINVAL);
	expect_err("getrandom(NULL, 64, 0)", syscall(SYS_getrandom, NULL, 64, 0), EFAULT);
	show("sched_yield()", syscall(SYS_sched_yield));
	expect_err("syscall 999", syscall(999), ENOSYS);
	expect_err("syscall 400", syscall(400), ENOSYS);
}

static void test_signals(void)
{
	struct {
		unsigned long handler, flags, restorer, mask;
	} act = {1, 0, 0, 0}, old;
	unsigned long set = 1UL << (SIGUSR1 - 1), cur = 0;

	show("rt_sigaction(SIGUSR1, SIG_IGN)", syscall(SYS_rt_sigaction, SIGUSR1, &act, NULL, 8));
	show("rt_sigaction(SIGUSR1, NULL, &old)",
	     syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8));
	check("the old action is SIG_IGN", old.handler == 1);
	expect_err("rt_sigaction(SIGKILL, act)", syscall(SYS_rt_sigaction, SIGKILL, &act, NULL, 8),
		   EINVAL);
	expect_err("rt_sigaction(SIGUSR1, sigsetsize 4)",
		   syscall(SYS_rt_sigaction, SIGUSR1, &act, NULL, 4), EINVAL);
	expect_err("rt_sigaction(0, act)", syscall(SYS_rt_sigaction, 0, &act, NULL, 8), EINVAL);
	expect_err("rt_sigaction(SIGUSR1, kernel)",
		   syscall(SYS_rt_sigaction, SIGUSR1, KERNEL_PTR, NULL, 8), EFAULT);
	show("rt_sigprocmask(SIG_BLOCK, USR1)",
	     syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8));
	show("rt_sigprocmask(0, NULL, &cur)",
	     syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8));
	check("SIGUSR1 is blocked", cur & set);
	expect_err("rt_sigprocmask(how 99)", syscall(SYS_rt_sigprocmask, 99, &set, NULL, 8),
		   EINVAL);
	syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* as on a tty, even into a pipe */
	test_write();
	test_fds();
	test_memory();
	test_thread_setup();
	test_time();
	test_misc();
	test_signals();
	printf("sc| %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
