/*
 * The serial console as the program's terminal (fds 0, 1, 2). Output goes
 * to the UART (\n becomes \r\n, as ONLCR). Input belongs to the monitor
 * unless console=app: then the UART's receive interrupt wakes readers here,
 * and input is canonical as on a Linux tty: echoed, edited with backspace,
 * CR read as NL (ICRNL), a read returns once a line is complete (^D ends
 * one without a newline; alone, it reads as end of file), and O_NONBLOCK
 * gives -EAGAIN until then. Under console=monitor a read sees end of file.
 * TCGETS/TCSETS* and TIOCGWINSZ/TIOCSWINSZ answer as a tty does, so
 * musl's isatty() is true and stdout is line-buffered as on Linux.
 */
#include "drivers/serial.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/params.h"
#include "kernel/sched.h"
#include "kernel/wait.h"
#include "lib/errno.h"
#include "lib/string.h"

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define NCCS		19

/* The kernel's struct termios (asm-generic/termbits.h), not libc's. */
struct ktermios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[NCCS];
};
BUILD_BUG_ON(sizeof(struct ktermios) != 36);

struct winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* Linux's defaults for a serial tty at 115200 8N1: ICRNL IXON, OPOST ONLCR... */
static struct ktermios console_termios = {
	.c_iflag = 0x0500,
	.c_oflag = 0x0005,
	.c_cflag = 0x14b2,		/* B115200 CS8 CREAD HUPCL */
	.c_lflag = 0x8a3b,		/* ISIG ICANON ECHO ECHOE ECHOK IEXTEN ECHOCTL ECHOKE */
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
};
static struct winsize console_winsize = { 24, 80, 0, 0 };
static DECLARE_WAIT_QUEUE_HEAD(console_read_wait);

static void console_rx(void)
{
	wake_up_interruptible(&console_read_wait);
}

/* Canonical input (ICANON): a line is edited here and readable once complete. */
static char cooked[256];
static size_t cooked_len;
static bool line_ready;		/* newline, ^D or a full buffer ended the line */

static void tty_receive(void)
{
	int c;

	while (!line_ready && (c = serial_getc()) >= 0) {
		char ch = c == '\r' ? '\n' : (char)c;		/* ICRNL */

		if (ch == 0x7f || ch == '\b') {		/* VERASE */
			if (cooked_len) {
				cooked_len--;
				serial_write("\b \b", 3);
			}
			continue;
		}
		if (ch == 0x04) {				/* VEOF: ^D */
			line_ready = true;
			break;
		}
		cooked[cooked_len++] = ch;
		serial_write(&ch, 1);				/* ECHO */
		if (ch == '\n' || cooked_len == sizeof(cooked))
			line_ready = true;
	}
}

/* Hand out up to @count bytes of the finished line; 0 at ^D on an empty line. */
static ssize_t tty_take_line(char __user *buf, size_t count)
{
	size_t n = min(count, cooked_len);

	if (copy_to_user(buf, cooked, n))
		return -EFAULT;
	memmove(cooked, cooked + n, cooked_len - n);
	cooked_len -= n;
	if (!cooked_len)
		line_ready = false;
	return (ssize_t)n;
}

static ssize_t console_read(struct file *file, char __user *buf, size_t count,
			    loff_t *pos)
{
	(void)pos;
	if (kparams.console != CONSOLE_APP || !count)
		return 0;
	for (;;) {
		tty_receive();
		if (line_ready)
			return tty_take_line(buf, count);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(console_read_wait, serial_rx_ready()))
			return -EINTR;
	}
}

static ssize_t console_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *pos)
{
	char chunk[256];
	size_t done = 0;

	(void)file;
	(void)pos;
	while (done < count) {
		size_t n = min_t(size_t, count - done, sizeof(chunk));

		if (copy_from_user(chunk, buf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		serial_write(chunk, n);
		done += n;
	}
	return (ssize_t)done;
}

static long console_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;

	(void)file;
	switch (cmd) {
	case TCGETS:
		return copy_to_user(p, &console_termios, sizeof(console_termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return copy_from_user(&console_termios, p, sizeof(console_termios));
	case TIOCGWINSZ:
		return copy_to_user(p, &console_winsize, sizeof(console_winsize));
	case TIOCSWINSZ:
		return copy_from_user(&console_winsize, p, sizeof(console_winsize));
	default:
		return -ENOTTY;
	}
}

static const struct file_operations console_fops = {
	.read = console_read,
	.write = console_write,
	.unlocked_ioctl = console_ioctl,
};

struct file *console_file_open(void)
{
	return alloc_file(&console_fops, O_RDWR, NULL);
}

static int tty_init(void)
{
	sched_name_wait_channel(&console_read_wait, "console input");
	if (kparams.console == CONSOLE_APP)
		serial_rx_hook = console_rx;
	return 0;
}
DEFINE_INITCALL(INITCALL_SUBSYS, tty_init);
