/*
 * The fd table (kernel/fs.h struct files_struct): installing at the lowest
 * free fd, growing by doubling up to RLIMIT_NOFILE, close-on-exec bits.
 * Linux splits this between fs/file.c and include/linux/fdtable.h.
 */
#include "kernel/fs.h"
#include "kernel/slab.h"
#include "lib/bitops.h"
#include "lib/errno.h"
#include "lib/ratelimit.h"
#include "lib/string.h"

static u64 emfile_count;

u64 files_emfile_count(void)
{
	return emfile_count;
}

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files));

	if (!files)
		return NULL;
	files->max_fds = NR_OPEN_DEFAULT;
	files->fd = files->fd_array;
	files->close_on_exec = files->close_on_exec_init;
	return files;
}

void files_release(struct files_struct *files)
{
	for (unsigned int fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	if (files->fd != files->fd_array) {
		kfree(files->fd);
		kfree(files->close_on_exec);
	}
	kfree(files);
}

/* Make room for fd @nr: double the table until it fits. 0 or -ENOMEM. */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	unsigned int n = files->max_fds;
	struct file **fd;
	unsigned long *bits;

	while (n <= nr)
		n *= 2;
	fd = kcalloc(n, sizeof(*fd));
	bits = kcalloc(BITS_TO_LONGS(n), sizeof(*bits));
	if (!fd || !bits) {
		kfree(fd);
		kfree(bits);
		return -ENOMEM;
	}
	memcpy(fd, files->fd, files->max_fds * sizeof(*fd));
	memcpy(bits, files->close_on_exec, BITS_TO_LONGS(files->max_fds) * sizeof(*bits));
	if (files->fd != files->fd_array) {
		kfree(files->fd);
		kfree(files->close_on_exec);
	}
	files->fd = fd;
	files->close_on_exec = bits;
	files->max_fds = n;
	return 0;
}

int fd_install_from(struct files_struct *files, struct file *f, unsigned int from,
		    bool cloexec)
{
	unsigned int limit = (unsigned int)min_t(unsigned long, rlimit(RLIMIT_NOFILE),
						 NR_OPEN_MAX);
	unsigned int fd = max(from, files->next_fd);

	while (fd < files->max_fds && files->fd[fd])
		fd++;
	if (fd >= limit) {
		emfile_count++;
		pr_warn_ratelimited("fs: RLIMIT_NOFILE of %u files reached, "
				    "-EMFILE (%llu so far)\n", limit,
				    (unsigned long long)emfile_count);
		return -EMFILE;
	}
	if (fd >= files->max_fds && expand_files(files, fd))
		return -ENOMEM;
	files->fd[fd] = f;
	fd_set_cloexec(files, fd, cloexec);
	if (from <= files->next_fd)
		files->next_fd = fd + 1;
	return (int)fd;
}

struct file *fd_remove(struct files_struct *files, unsigned int fd)
{
	struct file *f = files ? files_lookup(files, fd) : NULL;

	if (!f)
		return NULL;
	files->fd[fd] = NULL;
	fd_set_cloexec(files, fd, false);
	if (fd < files->next_fd)
		files->next_fd = fd;
	return f;
}

bool fd_is_cloexec(const struct files_struct *files, unsigned int fd)
{
	return fd < files->max_fds && test_bit(fd, files->close_on_exec);
}

void fd_set_cloexec(struct files_struct *files, unsigned int fd, bool on)
{
	if (fd >= files->max_fds)
		return;
	if (on)
		set_bit(fd, files->close_on_exec);
	else
		clear_bit(fd, files->close_on_exec);
}
