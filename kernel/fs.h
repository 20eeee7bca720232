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

#define NR_OPEN_DEFAULT	64

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

struct files_struct {
	struct file *fd[NR_OPEN_DEFAULT];
	u64 close_on_exec;		/* FD_CLOEXEC, one bit per fd */
};

/* A new file with one reference, or NULL. */
struct file *alloc_file(const struct file_operations *fop, unsigned int flags,
			void *private_data);
struct file *get_file(struct file *f);
/* Drop a reference; the last one calls f_op->release and frees. */
void fput(struct file *f);
/* The file behind @fd with a reference taken, or NULL. */
struct file *fget(unsigned int fd);
/* Install @f at the lowest free fd >= @from; the fd or -EMFILE. */
int fd_install_from(struct files_struct *files, struct file *f, unsigned int from,
		    bool cloexec);

struct files_struct *files_alloc(void);
void files_release(struct files_struct *files);

/* kernel/tty.c: the serial console as a terminal (fds 0, 1, 2). */
struct file *console_file_open(void);

#endif
