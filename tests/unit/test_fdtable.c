/*
 * kernel/fdtable.c and kernel/resource.c: the lowest free fd, growth past
 * the first 64 slots, close-on-exec bits across growth, RLIMIT_NOFILE.
 */
#include <criterion/criterion.h>
#include "kernel/fs.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscalls.h"
#include "lib/errno.h"
#include "tests/host/platform.h"

static int released;

static int count_release(struct file *f)
{
	(void)f;
	released++;
	return 0;
}

static const struct file_operations counting_fops = { .release = count_release };
static struct user_proc proc;

static void setup(void)
{
	host_platform_reset();
	released = 0;
	rlimits_init(proc.rlim);
	current->proc = &proc;
	current->files = files_alloc();
	cr_assert_not_null(current->files);
}

static void teardown(void)
{
	files_release(current->files);
	current->files = NULL;
	current->proc = NULL;
}

TestSuite(fdtable, .init = setup, .fini = teardown);

/* As the kernel's callers do: a file that got no fd is put back. */
static int install(unsigned int from, bool cloexec)
{
	struct file *f = alloc_file(&counting_fops, O_RDWR, NULL);
	int fd = fd_install_from(current->files, f, from, cloexec);

	if (fd < 0)
		fput(f);
	return fd;
}

Test(fdtable, grows_past_the_inline_table_and_keeps_the_lowest_free_fd)
{
	proc.rlim[RLIMIT_NOFILE].rlim_cur = 4096;
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(install(0, i == 700), i);
	cr_assert_geq(current->files->max_fds, 1000);
	cr_assert(fd_is_cloexec(current->files, 700), "cloexec survives growth");
	cr_assert(!fd_is_cloexec(current->files, 699));
	cr_assert_eq(sys_close(500), 0);
	cr_assert_eq(sys_close(10), 0);
	cr_assert_eq(released, 2);
	cr_assert_eq(install(0, false), 10, "the lowest free fd first");
	cr_assert_eq(install(0, false), 500);
	cr_assert_eq(install(0, false), 1000);
	cr_assert_eq(install(2000, false), 2000, "F_DUPFD-style minimum");
	cr_assert_eq(install(0, false), 1001);
}

Test(fdtable, rlimit_nofile_bounds_the_table)
{
	struct rlimit r = { 100, 200 }, got;
	long fd;

	cr_assert_eq(sys_setrlimit(RLIMIT_NOFILE, (unsigned long)&r), 0);
	cr_assert_eq(sys_getrlimit(RLIMIT_NOFILE, (unsigned long)&got), 0);
	cr_assert(got.rlim_cur == 100 && got.rlim_max == 200);
	r.rlim_max = 300;
	cr_assert_eq(sys_setrlimit(RLIMIT_NOFILE, (unsigned long)&r), -EPERM,
		     "a hard limit is not raised without privilege");
	r = (struct rlimit){ 250, 200 };
	cr_assert_eq(sys_setrlimit(RLIMIT_NOFILE, (unsigned long)&r), -EINVAL);
	cr_assert_eq(sys_prlimit64(12345, RLIMIT_NOFILE, 0, (unsigned long)&got), -ESRCH);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(install(0, false), i);
	fd = install(0, false);
	cr_assert_eq(fd, -EMFILE);
	cr_assert_eq(sys_close(3), 0);
	cr_assert_eq(install(0, false), 3);
}

Test(fdtable, close_of_a_free_or_huge_fd_is_ebadf)
{
	cr_assert_eq(sys_close(0), -EBADF);
	cr_assert_eq(sys_close(1UL << 40), -EBADF);
	cr_assert_eq(install(0, false), 0);
	cr_assert_eq(sys_close(0), 0);
	cr_assert_eq(sys_close(0), -EBADF);
}

Test(fdtable, new_programs_get_linux_default_limits)
{
	cr_assert_eq(proc.rlim[RLIMIT_NOFILE].rlim_cur, 1024);
	cr_assert_eq(proc.rlim[RLIMIT_NOFILE].rlim_max, NR_OPEN_MAX);
	cr_assert_eq(proc.rlim[RLIMIT_STACK].rlim_cur, USER_STACK_SIZE);
	cr_assert_eq(rlimit(RLIMIT_NOFILE), 1024);
	cr_assert_eq(rlimit(RLIM_NLIMITS), 0);
}
