/*
 * Files, as Linux's struct file: what an fd names. A file carries its
 * operations (f_op), open flags (f_flags: O_NONBLOCK...), a reference
 * count and private_data for its owner: the console tty here, a struct
 * socket later (issue 5), through the same calls. The fd table of a
 * program (struct files_struct) maps small integers to files.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include "kernel/uaccess.h"
#include "lib/types.h"

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_CLOEXEC	02000000

#define NR_OPEN_DEFAULT	64	/* the fd table's first size, grown on demand */
#define NR_OPEN_MAX	65536	/* the hard RLIMIT_NOFILE, and the table's cap */

typedef s64 loff_t;
struct file;
struct poll_table_struct;

struct file_operations {
	ssize_t (*read)(struct file *file, char __user *buf, size_t count,
			loff_t *pos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t count,
			 loff_t *pos);
	unsigned int (*poll)(struct file *file, struct poll_table_struct *wait);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd,
			       unsigned long arg);
	int (*release)(struct file *file);
};

struct file {
	const struct file_operations *f_op;
	unsigned int f_flags;		/* O_* given at open, O_NONBLOCK etc. */
	int f_count;			/* references: fds and in-flight calls */
	loff_t f_pos;
	void *private_data;		/* the owner's object */
};

/*
 * The fd table (Linux's files_struct and fdtable in one): fd[] and the
 * close-on-exec bitmap start inline at NR_OPEN_DEFAULT slots and double
 * when an fd beyond them is installed, up to the RLIMIT_NOFILE in force.
 * next_fd remembers that no fd below it is free, so handing out the lowest
 * free fd (as POSIX asks) does not rescan a table of thousands of sockets.
 */
struct files_struct {
	unsigned int max_fds;		/* slots in fd[], bits in close_on_exec */
	unsigned int next_fd;		/* every fd below this is in use */
	struct file **fd;
	unsigned long *close_on_exec;
	struct file *fd_array[NR_OPEN_DEFAULT];
	unsigned long close_on_exec_init[NR_OPEN_DEFAULT / 64];
};

/* The file at @fd, or NULL (no reference taken). */
static inline struct file *files_lookup(const struct files_struct *files,
					unsigned int fd)
{
	return fd < files->max_fds ? files->fd[fd] : NULL;
}
bool fd_is_cloexec(const struct files_struct *files, unsigned int fd);
void fd_set_cloexec(struct files_struct *files, unsigned int fd, bool on);
/* Take @fd out of the table; the file, or NULL if @fd was free. */
struct file *fd_remove(struct files_struct *files, unsigned int fd);

/* A new file with one reference, or NULL. */
struct file *alloc_file(const struct file_operations *fop, unsigned int flags,
			void *private_data);
struct file *get_file(struct file *f);
/* Drop a reference; the last one calls f_op->release and frees. */
void fput(struct file *f);
/* The file behind @fd with a reference taken, or NULL. */
struct file *fget(unsigned int fd);
/* Install @f at the lowest free fd >= @from; the fd, or -EMFILE past RLIMIT_NOFILE, -ENOMEM. */
/* How often RLIMIT_NOFILE refused an fd (each logged at most once per 5 s). */
u64 files_emfile_count(void);
int fd_install_from(struct files_struct *files, struct file *f, unsigned int from,
		    bool cloexec);

struct files_struct *files_alloc(void);
void files_release(struct files_struct *files);

/* kernel/resource.c: resource limits of the program (getrlimit and friends). */
#define RLIMIT_STACK	3
#define RLIMIT_NOFILE	7
#define RLIM_NLIMITS	16
#define RLIM_INFINITY	(~0UL)
/* The soft limit of @resource for the running program (a kernel thread: the default). */
unsigned long rlimit(unsigned int resource);
struct rlimit;
/* A new program's limits, as Linux's defaults for a login shell. */
void rlimits_init(struct rlimit *rlim);

/* kernel/tty.c: the serial console as a terminal (fds 0, 1, 2). */
struct file *console_file_open(void);

#endif
