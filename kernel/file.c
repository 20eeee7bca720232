/*
 * struct file life cycle and the fd table, and the system calls that act
 * on any file: read, write, readv, writev, close, ioctl, fcntl. They check
 * the fd, take a reference for the duration of the call, and hand the
 * work to f_op, as Linux's fs/read_write.c and fs/fcntl.c do.
 */
#include "kernel/fs.h"
#include "kernel/poll.h"
#include "kernel/sched.h"
#include "kernel/slab.h"
#include "kernel/syscalls.h"
#include "lib/errno.h"
#include "lib/string.h"

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1
#define SETFL_MASK	(O_APPEND | O_NONBLOCK)
#define UIO_MAXIOV	1024
#define MAX_RW_COUNT	0x7ffff000L	/* Linux caps one transfer at this */

struct file *alloc_file(const struct file_operations *fop, unsigned int flags,
			void *private_data)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->f_op = fop;
	f->f_flags = flags;
	f->f_count = 1;
	f->private_data = private_data;
	return f;
}

struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

void fput(struct file *f)
{
	if (--f->f_count)
		return;
	eventpoll_release(f);
	if (f->f_op->release)
		f->f_op->release(f);
	kfree(f);
}

struct file *fget(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f = files ? files_lookup(files, fd) : NULL;

	return f ? get_file(f) : NULL;
}

/* An fd is an unsigned int in Linux's prototypes: the upper bits are ignored. */
long sys_close(unsigned long fd)
{
	struct file *f = fd_remove(current->files, (unsigned int)fd);

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

/*
 * Not opened for reading (writing): -EBADF; a file that cannot be read
 * (written) at all, an epoll fd: -EINVAL, as Linux's vfs_read() checks
 * FMODE_READ and FMODE_CAN_READ.
 */
static int file_can(const struct file *f, bool write)
{
	if ((f->f_flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (write ? !f->f_op->write : !f->f_op->read)
		return -EINVAL;
	return 0;
}

static ssize_t file_read(struct file *f, char __user *buf, size_t count)
{
	int err = file_can(f, false);

	if (err)
		return err;
	if (!access_ok(buf, count))
		return -EFAULT;
	return f->f_op->read(f, buf, min_t(size_t, count, MAX_RW_COUNT), &f->f_pos);
}

static ssize_t file_write(struct file *f, const char __user *buf, size_t count)
{
	int err = file_can(f, true);

	if (err)
		return err;
	if (!access_ok(buf, count))
		return -EFAULT;
	return f->f_op->write(f, buf, min_t(size_t, count, MAX_RW_COUNT), &f->f_pos);
}

long sys_read(unsigned long fd, unsigned long buf, unsigned long count)
{
	struct file *f = fget((unsigned int)fd);
	ssize_t ret;

	if (!f)
		return -EBADF;
	ret = file_read(f, (char __user *)buf, count);
	fput(f);
	return ret;
}

long sys_write(unsigned long fd, unsigned long buf, unsigned long count)
{
	struct file *f = fget((unsigned int)fd);
	ssize_t ret;

	if (!f)
		return -EBADF;
	ret = file_write(f, (const char __user *)buf, count);
	fput(f);
	return ret;
}

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

static int get_iovec(unsigned long uvec, unsigned long i, struct iovec *iov)
{
	return copy_from_user(iov, (const void __user *)(uvec + i * sizeof(*iov)),
			      sizeof(*iov));
}

/*
 * Linux's import_iovec(): the whole array is read (a negative length is
 * -EINVAL) and then every segment must lie in the user half (-EFAULT),
 * all before anything moves.
 */
static long check_iovec(unsigned long uvec, unsigned long cnt)
{
	struct iovec iov;
	long err;

	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	for (unsigned long i = 0; i < cnt; i++) {
		err = get_iovec(uvec, i, &iov);
		if (err)
			return err;
		if ((ssize_t)iov.iov_len < 0)
			return -EINVAL;
	}
	for (unsigned long i = 0; i < cnt; i++) {
		if (get_iovec(uvec, i, &iov) || !access_ok(iov.iov_base, iov.iov_len))
			return -EFAULT;
	}
	return 0;
}

/* readv/writev: the file's mode, the iovecs, then one call per segment,
 * stopping at a short transfer; the total is capped at MAX_RW_COUNT. */
static long do_rw_vec(unsigned long fd, unsigned long uvec, unsigned long cnt,
		      bool write)
{
	struct file *f;
	size_t total = 0;
	long ret;

	f = fget((unsigned int)fd);	/* the fd first, as Linux's do_readv() */
	if (!f)
		return -EBADF;
	cnt = (unsigned int)cnt;	/* import_iovec() takes an unsigned int */
	ret = file_can(f, write);
	if (!ret)
		ret = check_iovec(uvec, cnt);
	for (unsigned long i = 0; !ret && i < cnt && total < MAX_RW_COUNT; i++) {
		struct iovec iov;
		size_t len;

		ret = get_iovec(uvec, i, &iov);
		len = min_t(size_t, iov.iov_len, MAX_RW_COUNT - total);
		if (ret || !len)
			continue;
		ret = write ? file_write(f, iov.iov_base, len) : file_read(f, iov.iov_base, len);
		if (ret < 0)
			break;
		total += (size_t)ret;
		ret = (size_t)ret < len;	/* a short transfer ends it */
	}
	fput(f);
	return total ? (long)total : ret > 0 ? 0 : ret;
}

long sys_readv(unsigned long fd, unsigned long vec, unsigned long cnt)
{
	return do_rw_vec(fd, vec, cnt, false);
}

long sys_writev(unsigned long fd, unsigned long vec, unsigned long cnt)
{
	return do_rw_vec(fd, vec, cnt, true);
}

long sys_ioctl(unsigned long fd, unsigned long cmd, unsigned long arg)
{
	struct file *f = fget((unsigned int)fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->f_op->unlocked_ioctl ?
	      f->f_op->unlocked_ioctl(f, (unsigned int)cmd, arg) : -ENOTTY;
	fput(f);
	return ret;
}

/* fcntl(unsigned int fd, unsigned int cmd, unsigned long arg), as Linux's. */
long sys_fcntl(unsigned long fd, unsigned long cmd, unsigned long arg)
{
	struct files_struct *files = current->files;
	struct file *f;
	long ret;

	f = files_lookup(files, (unsigned int)fd);
	if (!f)
		return -EBADF;
	switch ((unsigned int)cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= rlimit(RLIMIT_NOFILE))
			return -EINVAL;
		ret = fd_install_from(files, get_file(f), (unsigned int)arg,
				      cmd == F_DUPFD_CLOEXEC);
		if (ret < 0)
			fput(f);
		return ret;
	case F_GETFD:
		return fd_is_cloexec(files, (unsigned int)fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(files, (unsigned int)fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->f_flags;
	case F_SETFL:
		f->f_flags = (f->f_flags & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
		return 0;
	default:
		return -EINVAL;
	}
}
