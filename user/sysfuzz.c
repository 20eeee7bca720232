/*
 * sysfuzz: the user program cannot hurt the kernel (issue 10). Raw system
 * calls (the syscall instruction, so the kernel's answer is what is seen)
 * with random numbers and hostile arguments: NULL, unmapped, kernel-half
 * and non-canonical pointers, buffers that run into a PROT_NONE guard
 * page, huge lengths, negative and huge fds, fds it has open (TCP and
 * UDP sockets on 127.0.0.1, a raw socket, an epoll fd), random flags.
 *
 *   sysfuzz SEED [COUNT [SECONDS]]   random calls (unisock only: on Linux
 *                                    they could delete files or kill things)
 *   sysfuzz probe                    the fixed known-answer subset, safe on
 *                                    Linux too: make test runs it on both
 *
 * Every answer must be a value (>= 0) or an errno (-4095..-1); where
 * Linux's answer is known (a number Linux does not have: -ENOSYS; a bad
 * fd where Linux looks the fd up first: -EBADF; a bad pointer: -EFAULT) it
 * must be that one, or -ENOSYS from a call this kernel does not have; and
 * a number answers -ENOSYS always or never. Afterwards its own memory (a
 * canary nothing was ever given a pointer to) must be intact. It ends with
 * one summary line and exits 0 only if nothing was wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

typedef uint64_t u64;
typedef uint8_t u8;

#define USER_TOP	0x0000800000000000UL
#define PAGE		4096UL
#define SCRATCH_PAGES	4		/* then one PROT_NONE guard page */
#define ARENA_PAGES	32		/* mm calls may do anything in here */
#define SCRATCH_BASE	0x100000000000UL	/* the same on Linux: diff runs compare */
#define MAP_FIXED_NOREPLACE_	0x100000
#define CANARY_SIZE	(64 * 1024)
#define EPOCH		2000		/* calls between fixture rebuilds */
#define FD_SCAN		1024		/* fds closed at an epoch's end */
#define REPORT_FD_MIN	900
#define MAX_WRONG_SHOWN	20
#define NR_TRACKED	1024		/* per-number ENOSYS bookkeeping */
#define X32_BIT		0x40000000U
#define MAX_ERRNO	4095

/* ---- raw system calls ---------------------------------------------------- */

static long raw6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define raw(n, a, b, c)	raw6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* ---- output: straight to a saved copy of stdout ---------------------------- */

static int report_fd = 1;

static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	raw(1, report_fd, line, n);
}

static const char *errname(long e)
{
	static const char *const names[] = {
		[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
		[EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO",
		[E2BIG] = "E2BIG", [EBADF] = "EBADF", [ECHILD] = "ECHILD",
		[EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
		[EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
		[ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
		[EINVAL] = "EINVAL", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
		[ESPIPE] = "ESPIPE", [EPIPE] = "EPIPE", [ERANGE] = "ERANGE",
		[ENOSYS] = "ENOSYS", [ENOTSOCK] = "ENOTSOCK",
		[EDESTADDRREQ] = "EDESTADDRREQ", [EMSGSIZE] = "EMSGSIZE",
		[EPROTOTYPE] = "EPROTOTYPE", [ENOPROTOOPT] = "ENOPROTOOPT",
		[EPROTONOSUPPORT] = "EPROTONOSUPPORT",
		[ESOCKTNOSUPPORT] = "ESOCKTNOSUPPORT", [EOPNOTSUPP] = "EOPNOTSUPP",
		[EAFNOSUPPORT] = "EAFNOSUPPORT", [EADDRINUSE] = "EADDRINUSE",
		[EADDRNOTAVAIL] = "EADDRNOTAVAIL", [ENETUNREACH] = "ENETUNREACH",
		[ECONNABORTED] = "ECONNABORTED", [ECONNRESET] = "ECONNRESET",
		[ENOBUFS] = "ENOBUFS", [EISCONN] = "EISCONN", [ENOTCONN] = "ENOTCONN",
		[ETIMEDOUT] = "ETIMEDOUT", [ECONNREFUSED] = "ECONNREFUSED",
		[EHOSTUNREACH] = "EHOSTUNREACH", [EALREADY] = "EALREADY",
		[EINPROGRESS] = "EINPROGRESS", [EOVERFLOW] = "EOVERFLOW",
		[ELOOP] = "ELOOP", [ENFILE] = "ENFILE", [ENOSPC] = "ENOSPC",
	};

	if (e > 0 && e < (long)(sizeof(names) / sizeof(names[0])) && names[e])
		return names[e];
	return "E?";
}

/* ---- the seeded generator (xorshift64*), so a failure replays ------------- */

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static u64 below(u64 n)
{
	return rnd() % n;
}

#define PICK(a)	((a)[below(sizeof(a) / sizeof((a)[0]))])

/* ---- memory the calls may be pointed at ------------------------------------ */

/*
 * The template page holds well-formed structures (a sockaddr_in of the
 * listener, iovecs, a msghdr, pollfds, zero timeouts...) rewritten before
 * every call, so calls get past their first checks; data pages after it
 * take whatever a call writes; the guard page after them is PROT_NONE, so
 * a length that runs past the data faults there instead of reaching
 * anything the program needs.
 */
struct templates {
	struct sockaddr_in sin;
	int sinlen;
	int one;
	struct iovec iov[4];
	struct msghdr msg;
	struct pollfd pfd[4];
	struct epoll_event ev;
	u64 sigset;
	struct rlimit rlim;
	int fds[2];
	/* Not mutated: a call given these must not wait. */
	struct timespec ts_zero;
	struct timeval tv_zero;
};

static u8 *scratch;		/* SCRATCH_PAGES, then the guard */
static struct templates *tmpl;
static u8 *arena;		/* ARENA_PAGES the mm calls may reshape */
static u8 canary[CANARY_SIZE];
static struct templates tmpl_saved;

/* Addresses no call may read or write. */
static const u64 bad_ptrs[] = {
	0, 1, 0x1000, 0x10000, 0x3ff000,
	USER_TOP - 4, USER_TOP - 1,
	USER_TOP, 0x0000900000000000UL, 0x7fffffffffffffffUL, 0x8000000000000000UL,
	0xffff800000000000UL, 0xffff888000000000UL, 0xffff888000100000UL,
	0xffff888000100003UL, 0xffffffff80000000UL, 0xffffffff80100000UL,
	0xffffffff81000000UL, 0xffffffff80100007UL, 0xfffffffffffff000UL,
	0xffffffffffffffffUL,
};


/* ---- fds -------------------------------------------------------------------- */

enum { FX_LISTEN, FX_CLIENT, FX_ACCEPTED, FX_UDP, FX_RAW, FX_EPOLL, FX_UDP2, NR_FX };

static int fx[NR_FX];
static unsigned short listen_port;

static const int bad_fds[] = { -1, -2, INT_MIN, INT_MAX, 1 << 20, 0x7ffff000, -4096 };

static void set_nonblock(unsigned int fd)
{
	long fl = raw(72, fd, F_GETFL, 0);

	if (fl >= 0 && !(fl & O_NONBLOCK))
		raw(72, fd, F_SETFL, fl | O_NONBLOCK);
}

/* Sockets on 127.0.0.1 (a listener, a connection both ways, UDP connected
 * to itself), a raw ICMP socket and an epoll fd watching them. */
static void fixtures_open(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };

	for (int i = 0; i < NR_FX; i++)
		fx[i] = -1;
	fx[FX_LISTEN] = (int)raw(41, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	raw(49, fx[FX_LISTEN], &a, sizeof(a));
	raw(50, fx[FX_LISTEN], 8, 0);
	if (raw6(51, fx[FX_LISTEN], (long)&a, (long)&len, 0, 0, 0) == 0)
		listen_port = a.sin_port;
	fx[FX_CLIENT] = (int)raw(41, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	raw(42, fx[FX_CLIENT], &a, sizeof(a));
	for (int i = 0; i < 50 && fx[FX_ACCEPTED] < 0; i++) {
		fx[FX_ACCEPTED] = (int)raw6(288, fx[FX_LISTEN], 0, 0, SOCK_NONBLOCK, 0, 0);
		if (fx[FX_ACCEPTED] < 0)
			raw(24, 0, 0, 0);	/* sched_yield: let the handshake run */
	}
	a.sin_port = 0;
	fx[FX_UDP] = (int)raw(41, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	raw(49, fx[FX_UDP], &a, sizeof(a));
	len = sizeof(a);
	raw(51, fx[FX_UDP], &a, &len);
	raw(42, fx[FX_UDP], &a, sizeof(a));
	fx[FX_UDP2] = (int)raw(41, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	fx[FX_RAW] = (int)raw(41, AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_ICMP);
	fx[FX_EPOLL] = (int)raw(291, 0, 0, 0);
	ev.data.fd = fx[FX_LISTEN];
	raw6(233, fx[FX_EPOLL], EPOLL_CTL_ADD, fx[FX_LISTEN], (long)&ev, 0, 0);
	ev.data.fd = fx[FX_UDP];
	raw6(233, fx[FX_EPOLL], EPOLL_CTL_ADD, fx[FX_UDP], (long)&ev, 0, 0);
	raw(44, fx[FX_UDP], "x", 1);	/* one datagram waiting to be read */
	raw(24, 0, 0, 0);		/* and delivered: loopback runs in softirq */
}

/* Every fd but the report fd; a TCP connection is reset (SO_LINGER 0),
 * not left in TIME_WAIT for a minute. */
static int fd_scan = FD_SCAN;

static void fixtures_close(void)
{
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };

	for (int fd = 0; fd < fd_scan; fd++) {
		if (fd == report_fd)
			continue;
		raw6(54, fd, SOL_SOCKET, SO_LINGER, (long)&reset, sizeof(reset), 0);
		raw(3, fd, 0, 0);
	}
}

static void templates_init(void)
{
	struct templates *t = &tmpl_saved;

	memset(t, 0, sizeof(*t));
	t->sin.sin_family = AF_INET;
	t->sin.sin_port = listen_port;
	t->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	t->sinlen = sizeof(t->sin);
	t->one = 1;
	t->iov[0] = (struct iovec){ scratch + PAGE, 64 };
	t->iov[1] = (struct iovec){ (void *)0xffffffff80100000UL, 64 };
	t->iov[2] = (struct iovec){ scratch + SCRATCH_PAGES * PAGE - 16, 4096 };
	t->iov[3] = (struct iovec){ NULL, 0 };
	t->msg.msg_name = &tmpl->sin;
	t->msg.msg_namelen = sizeof(t->sin);
	t->msg.msg_iov = tmpl->iov;
	t->msg.msg_iovlen = 1;
	for (int i = 0; i < 4; i++)
		t->pfd[i] = (struct pollfd){ fx[i * 2 % NR_FX], POLLIN | POLLOUT, 0 };
	t->ev.events = EPOLLIN;
	t->rlim = (struct rlimit){ 64, 64 };
}

static void templates_refresh(void)
{
	memcpy(tmpl, &tmpl_saved, sizeof(*tmpl));
}

/* ---- argument generation ----------------------------------------------------- */

static u64 gen_fd(void)
{
	switch (below(6)) {
	case 0:
	case 1:
	case 2:
		return (u64)(long)fx[below(NR_FX)];
	case 3:
		return (u64)(long)PICK(bad_fds);
	case 4:
		return below(16);
	default:	/* Linux reads only the low 32 bits of an fd */
		return rnd() << 32 | (u64)(unsigned int)fx[below(NR_FX)];
	}
}

static u64 gen_ptr(void)
{
	switch (below(8)) {
	case 0:
	case 1:
		return PICK(bad_ptrs);
	case 2:
		return (u64)(uintptr_t)tmpl + below(sizeof(*tmpl)) / 8 * 8;
	case 3:
		return (u64)(uintptr_t)(scratch + PAGE + below((SCRATCH_PAGES - 1) * PAGE));
	case 4:		/* runs into the guard page */
		return (u64)(uintptr_t)(scratch + SCRATCH_PAGES * PAGE - 1 - below(64));
	case 5:		/* the program's own text: readable, not writable */
		return (u64)(uintptr_t)&raw6 + below(64);
	case 6:
		return (u64)(uintptr_t)(arena + below(ARENA_PAGES) * PAGE);
	default:
		return (u64)(uintptr_t)&tmpl->sin;
	}
}

static u64 gen_int(void)
{
	static const u64 edges[] = {
		0, 1, 2, 3, 4, 8, 16, 64, 128, 255, 256, 4095, 4096, 4097, 65535,
		65536, 1 << 20, 1 << 30, 0x7ffff000, INT_MAX, 0x80000000UL,
		0xffffffffUL, 0x100000000UL, LONG_MAX, (u64)LONG_MIN, (u64)-1,
		(u64)-2, (u64)-4096, (u64)INT_MIN,
	};

	switch (below(8)) {
	case 0:
	case 1:
		return PICK(edges);
	case 2:
		return below(64);
	case 3:
		return rnd() & 0xffffffff;
	case 4:
		return rnd();
	case 5:		/* flags: a few random bits */
		return 1UL << below(64) | 1UL << below(32) | (below(2) ? 1UL << below(16) : 0);
	case 6:		/* garbage above an int's 32 bits */
		return rnd() << 32 | below(64);
	default:	/* socket-shaped: families, types, levels, options */
		return below(64) | (below(4) ? 0 : (u64)SOCK_NONBLOCK);
	}
}

extern char etext[], _end[];
static u64 stack_mid, heap_end;

/*
 * A random integer can be an address too: one that lands in the
 * program's writable memory (data, bss, heap, stack: no call is given a
 * pointer there on purpose) is moved to the other end of the user half,
 * unmapped. So a damaged canary afterwards is the kernel's doing, never
 * a call's. The text stays a target: it is not writable. The ranges
 * cover where Linux puts the heap (up to 1 GiB past the bss, at random)
 * and the stack (the top 64 GiB) too, so a diff run changes the same
 * values on either kernel.
 */
static u64 not_mine(u64 v)
{
	u64 heap_top = (u64)(uintptr_t)_end + (1UL << 30);
	u64 stack_top = stack_mid + (64UL << 10);

	if (heap_end > heap_top)
		heap_top = heap_end;
	if (stack_top > 0x7ffffffff000UL)
		stack_top = 0x7ffffffff000UL;
	if ((v >= (u64)(uintptr_t)etext && v < heap_top + PAGE) ||
	    (v >= 0x7ff000000000UL && v < 0x7ffffffff000UL) ||
	    (v >= stack_mid - (1UL << 20) && v < stack_top))
		return v ^ (1UL << 46);
	return v;
}

static u64 gen_arg(void)
{
	u64 r = below(16);

	if (r < 4)
		return gen_fd();
	if (r < 9)
		return gen_ptr();
	return gen_int();
}

static u64 gen_len(void)
{
	static const u64 lens[] = {
		0, 1, 2, 4, 7, 8, 16, 20, 64, 1472, 1500, 4096, 8192, 65507, 65535,
		65536, 0x7ffff000, 0x80000000UL, (u64)-1, (u64)INT_MIN,
	};

	return below(3) ? PICK(lens) : below(3) ? below(20000) : gen_int();
}

/* @p, usually; any argument at all, now and then. */
static u64 mostly(u64 p)
{
	return below(5) ? p : gen_arg();
}

#define T(field)	((u64)(uintptr_t)&tmpl->field)

/*
 * The arguments of one kind of argument, by letter (see shapes[]): most of
 * the time a value of the right kind, so a call gets past its first checks
 * and into the code behind them.
 */
static u64 gen_shaped(char kind)
{
	static const u64 ioctls[] = { 0x541b, 0x5421, 0x5401, 0x5402, 0x5413,
				      0x8905, 0x8912, 0x8915, 0x5452, 0x5451 };
	static const u64 levels[] = { 0, 1, 6, 17, 41, 255 };

	switch (kind) {
	case 'F': return gen_fd();
	case 'P': return gen_ptr();
	case 'L': return gen_len();
	case 'I': return gen_int();
	case 'G': return below(2) ? gen_int() : rnd() & rnd() & 0xffffffff;
	case 'A': return mostly(T(sin));
	case 'W': return mostly(T(sinlen));
	case 'S': return below(3) ? 16 : gen_len();
	case 'V': return mostly(T(iov));
	case 'M': return mostly(T(msg));
	case 'E': return mostly(T(ev));
	case 'Y': return mostly(T(pfd));
	case 'N': return below(3) ? below(6) : gen_int();
	case 'K': return below(2) ? below(20) | (below(3) ? 0 : SOCK_NONBLOCK) : gen_int();
	case 'O': return below(4) ? PICK(levels) : gen_int();
	case 'o': return below(4) ? below(80) : gen_int();
	case 'C': return below(4) ? PICK(ioctls) : gen_int();
	case 'D': return below(4) ? (below(2) ? below(17) : 1024 + below(17)) : gen_int();
	case 'R': return below(4) ? below(17) : gen_int();
	case 's': return below(4) ? below(66) : gen_int();
	case 'T': return (u64)(uintptr_t)&tmpl->ts_zero;
	case '8': return below(4) ? 8 : gen_int();
	case '0': return below(4) ? 0 : gen_arg();
	default: return gen_arg();
	}
}

/* The argument kinds of the calls unisock has (kernel/syscall.c). */
static const char *const shapes[] = {
	[0] = "FPL", [1] = "FPL", [3] = "F", [7] = "YN0", [9] = "PLGGFI",
	[11] = "PL", [12] = "P", [13] = "sPP8", [14] = "NPP8", [16] = "FCP",
	[19] = "FVN", [20] = "FVN", [23] = "NPPPT", [35] = "TP", [41] = "KKK",
	[42] = "FAS", [43] = "FAW", [44] = "FPLGAS", [45] = "FPLGAW", [46] = "FMG",
	[47] = "FMG", [48] = "FN", [49] = "FAS", [50] = "FI", [51] = "FAW",
	[52] = "FAW", [53] = "KKKP", [54] = "FOoPL", [55] = "FOoPW", [72] = "FDI",
	[97] = "RP", [158] = "IP", [160] = "RP", [213] = "I", [228] = "NP",
	[232] = "FPN0", [233] = "FNFE", [270] = "NPPPTP", [271] = "YNTP8",
	[281] = "FPN0P8", [288] = "FAWG", [291] = "G", [302] = "NRPP", [318] = "PLG",
};

/*
 * Scribble on the templates now and then: lengths, families, ports,
 * iovec and msghdr fields at odd values (never the zero timeouts).
 */
static void templates_mutate(void)
{
	u8 *t = (u8 *)tmpl;
	size_t room = offsetof(struct templates, ts_zero);

	for (u64 k = 1 + below(4); k; k--) {
		size_t at = below(room) & ~(size_t)3;
		u64 v = not_mine(below(2) ? gen_int() : gen_ptr());

		memcpy(t + at, &v, room - at < 8 ? room - at : (below(2) ? 4 : 8));
	}
}

static void gen_args(int n, u64 a[6])
{
	const char *shape = n >= 0 && n < (int)(sizeof(shapes) / sizeof(shapes[0])) ?
			    shapes[n] : NULL;
	bool shaped = shape && below(4);

	for (int i = 0; i < 6; i++) {
		if (shaped)
			a[i] = *shape ? gen_shaped(*shape++) : below(2) ? 0 : gen_arg();
		else
			a[i] = gen_arg();
		if ((unsigned int)a[i] == (unsigned int)report_fd)
			a[i] ^= 1;	/* the report fd is not the calls' to close */
		a[i] = not_mine(a[i]);
	}
}

/* ---- which numbers ----------------------------------------------------------- */

/* unisock's calls today (kernel/syscall.c), weighted up to reach deep paths. */
static const int hot[] = {
	0, 1, 3, 7, 9, 11, 12, 13, 14, 16, 19, 20, 23, 24, 35, 39, 41, 42, 43,
	44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 63, 72, 97, 158, 160,
	186, 213, 218, 228, 232, 233, 270, 271, 281, 288, 291, 302, 318,
};

static u64 gen_nr(void)
{
	switch (below(20)) {
	case 0:		/* negative */
		return below(2) ? (u64)-(long)(1 + below(1000)) : rnd() | 1UL << 31;
	case 1:		/* the gap Linux leaves, and past the x32 numbers */
		return below(2) ? 337 + below(423 - 337 + 1) : 548 + below(100000);
	case 2:		/* the x32 bit: ENOSYS unless the kernel has x32 */
		return X32_BIT | below(600);
	case 3:		/* Linux reads eax only: the high half is ignored */
		return rnd() << 32 | (u64)PICK(hot);
	case 4:
	case 5:
	case 6:
		return below(470);
	default:
		return (u64)PICK(hot);
	}
}

/* The number Linux acts on: eax as an int (arch/x86/entry/entry_64.S). */
static int eff_nr(u64 nr)
{
	return (int)(unsigned int)nr;
}

/* Numbers Linux x86-64 has no call for: it must answer -ENOSYS. */
static bool linux_unknown(int n)
{
	unsigned int u = (unsigned int)n & ~X32_BIT;

	if (n < 0)
		return true;
	if (!((unsigned int)n & X32_BIT))
		return (u >= 337 && u <= 423) || u >= 512;
	return (u >= 337 && u <= 423) || u >= 548;	/* x32 or not, unknown */
}

/*
 * Calls never made, each because on Linux it would end the program or
 * leave the run to chance: exit, exit_group (end it); kill, tkill, tgkill,
 * rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal, alarm,
 * setitimer, timer_create (deliver a signal that ends it); rt_sigreturn
 * (loads registers from the stack); pause, rt_sigsuspend, semop (block
 * with no timeout); clone, fork, vfork, clone3, execve, execveat (a second
 * program or a replaced one); ptrace, process_vm_writev (write this
 * program's memory from outside a call); rseq (the kernel would redirect
 * its rip on preemption to a random abort handler); io_setup, io_submit,
 * io_uring_* (asynchronous writes after the call returns); prctl, seccomp
 * (strict mode kills the next call); reboot; uretprobe and uprobe (SIGILL
 * unless called from a probe trampoline).
 */
static bool never_called(int n)
{
	static const int skip[] = {
		60, 231, 62, 200, 234, 129, 297, 424, 37, 38, 222, 15, 34, 130, 65,
		56, 57, 58, 435, 59, 322, 101, 311, 334, 206, 209, 425, 426, 427,
		157, 317, 169, 335, 336,
	};

	for (unsigned int i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (n == skip[i])
			return true;
	return false;
}

/* ---- making a random call safe for the program itself ------------------------- */

#define MREMAP_FIXED_		2

static u64 mm_regions[16][2];	/* mappings calls made: start, length */
static unsigned int nr_mm;

static bool in_arena(u64 a)
{
	u64 s = (u64)(uintptr_t)arena;

	if (a >= s && a < s + ARENA_PAGES * PAGE)
		return true;
	for (unsigned int i = 0; i < nr_mm; i++)
		if (a >= mm_regions[i][0] && a < mm_regions[i][0] + mm_regions[i][1])
			return true;
	return false;
}

static u64 region_end(u64 a)
{
	u64 s = (u64)(uintptr_t)arena;

	if (a >= s && a < s + ARENA_PAGES * PAGE)
		return s + ARENA_PAGES * PAGE;
	for (unsigned int i = 0; i < nr_mm; i++)
		if (a >= mm_regions[i][0] && a < mm_regions[i][0] + mm_regions[i][1])
			return mm_regions[i][0] + mm_regions[i][1];
	return 0x400000;
}

/*
 * An address range an mm call (munmap, mprotect, madvise, mmap's hint...)
 * may change: inside the arena or a mapping a call made, or outside the
 * user half. Anything else is moved out of the user half, so the
 * program's text, data and stack stay its own, and the unmapped
 * addresses the probes use (0x10000...) stay unmapped.
 */
static void mm_sanitize(u64 *addr, u64 *len)
{
	u64 end;

	if (*addr >= USER_TOP)
		return;
	if (!in_arena(*addr)) {
		*addr = 0xffff888000000000UL + (*addr & 0xfff);
		return;
	}
	end = region_end(*addr) & ~(PAGE - 1);
	if (end <= *addr)
		*len = 0;
	else if (*len > end - *addr)
		*len = (end - *addr) & ~(PAGE - 1);
}

/* A timeout that cannot block: zero, or a pointer the kernel must refuse
 * (not NULL, which means "no timeout"). */
static u64 safe_timeout(void)
{
	if (below(4))
		return (u64)(uintptr_t)&tmpl->ts_zero;
	return bad_ptrs[1 + below(sizeof(bad_ptrs) / sizeof(bad_ptrs[0]) - 1)];
}

static void sanitize(int n, u64 a[6])
{
	switch (n) {
	case 9:		/* mmap: a free hint is taken as if MAP_FIXED */
		if (a[0])
			mm_sanitize(&a[0], &a[1]);
		break;
	case 10: case 11: case 28: case 216: case 329: case 462:
		mm_sanitize(&a[0], &a[1]);
		break;
	case 25:	/* mremap */
		mm_sanitize(&a[0], &a[1]);
		if (a[3] & MREMAP_FIXED_)
			mm_sanitize(&a[4], &a[2]);
		break;
	case 30:	/* shmat: no fixed address */
		a[1] = 0;
		break;
	case 7:		/* poll */
	case 232:	/* epoll_wait */
	case 281:	/* epoll_pwait */
		a[n == 7 ? 2 : 3] = 0;
		break;
	case 23: case 270:	/* select, pselect6 */
		a[4] = n == 23 ? (u64)(uintptr_t)&tmpl->tv_zero : safe_timeout();
		break;
	case 271: case 441: case 202: case 128:	/* ppoll, epoll_pwait2, futex, rt_sigtimedwait */
		a[n == 271 || n == 128 ? 2 : 3] = safe_timeout();
		break;
	case 35:	/* nanosleep */
		a[0] = safe_timeout();
		break;
	case 230:	/* clock_nanosleep */
		a[2] = safe_timeout();
		break;
	case 242: case 243:	/* mq_timedsend/receive: absolute, zero is past */
		a[4] = safe_timeout();
		break;
	case 70: case 69:	/* msgrcv, msgsnd: IPC_NOWAIT */
		a[n == 70 ? 4 : 3] |= 04000;
		break;
	case 220:	/* semtimedop */
		a[3] = safe_timeout();
		break;
	case 73:	/* flock: LOCK_NB */
		a[1] |= 4;
		break;
	case 72:	/* fcntl: F_SETLKW, F_OFD_SETLKW would wait */
		if ((unsigned int)a[1] == F_SETLKW || (unsigned int)a[1] == 38)
			a[1] = F_GETFL;
		break;
	case 436:	/* close_range: not up to the report fd */
		if ((unsigned int)a[0] <= (unsigned int)report_fd &&
		    (unsigned int)a[1] >= (unsigned int)report_fd)
			a[1] = (unsigned int)report_fd - 1;
		break;
	case 13:	/* rt_sigaction: SIGPIPE stays ignored */
		if ((unsigned int)a[0] == SIGPIPE || (unsigned int)a[0] == SIGXFSZ)
			a[1] = 0;
		break;
	}
}

/* Calls that wait on their fd unless it is non-blocking (a[0], a[1]). */
static void nonblock_fds(int n, const u64 a[6])
{
	static const int fd_waits[] = {
		0, 1, 17, 18, 19, 20, 40, 42, 43, 44, 45, 46, 47, 275, 276, 278,
		288, 295, 296, 299, 307, 326, 327, 328,
	};

	for (unsigned int i = 0; i < sizeof(fd_waits) / sizeof(fd_waits[0]); i++) {
		if (n != fd_waits[i])
			continue;
		set_nonblock((unsigned int)a[0]);
		if (n == 40 || n == 276)	/* sendfile, tee: in_fd */
			set_nonblock((unsigned int)a[1]);
		if (n == 275 || n == 326)	/* splice, copy_file_range: fd_out */
			set_nonblock((unsigned int)a[2]);
	}
}

/* ---- checking answers -------------------------------------------------------- */

static unsigned long calls, wrong, skipped;
static unsigned long errno_count[MAX_ERRNO + 1], values;
static unsigned char seen_enosys[NR_TRACKED], seen_other[NR_TRACKED];

static void wrong_answer(u64 nr, const u64 a[6], long ret, const char *why)
{
	if (++wrong > MAX_WRONG_SHOWN)
		return;
	say("sysfuzz: WRONG call %lu: syscall(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx, %#lx)"
	    " = %ld: %s\n", calls, (unsigned long)nr, (unsigned long)a[0],
	    (unsigned long)a[1], (unsigned long)a[2], (unsigned long)a[3],
	    (unsigned long)a[4], (unsigned long)a[5], ret, why);
}

/* Linux looks the fd (a[0]) up before anything else in these. */
static bool ebadf_first(int n)
{
	static const int list[] = {
		0, 1, 3, 5, 8, 16, 19, 20, 32, 42, 43, 48, 49, 50, 51, 52, 55,
		72, 74, 75, 81,
	};

	for (unsigned int i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (n == list[i])
			return true;
	return false;
}

static bool fd_invalid(u64 fd)
{
	unsigned int u = (unsigned int)fd;

	return (int)u < 0 || u >= 1U << 20;	/* Linux's fs.nr_open caps fds */
}

static void check(u64 nr, const u64 a[6], long ret)
{
	int n = eff_nr(nr);

	if (ret < -MAX_ERRNO) {
		wrong_answer(nr, a, ret, "neither a value nor an errno");
		return;
	}
	if (ret < 0)
		errno_count[-ret]++;
	else
		values++;
	if (linux_unknown(n) && ret != -ENOSYS)
		wrong_answer(nr, a, ret, "Linux has no such call: want -ENOSYS");
	if (!linux_unknown(n) && ebadf_first(n) && fd_invalid(a[0]) &&
	    ret != -EBADF && ret != -ENOSYS)
		wrong_answer(nr, a, ret, "bad fd: want -EBADF");
	if (n >= 0 && n < NR_TRACKED) {
		if (ret == -ENOSYS)
			seen_enosys[n] = 1;
		else
			seen_other[n] = 1;
		if (seen_enosys[n] && seen_other[n] && n != 202) {	/* futex: per op */
			wrong_answer(nr, a, ret, "this number answered -ENOSYS before and not now, or the reverse");
			seen_enosys[n] = seen_other[n] = 0;
		}
	}
}

/* ---- the known-answer probes (both modes) -------------------------------------- */

#define P_NULL_OK	1	/* NULL is a valid "no pointer" here */
#define P_IN		2	/* read by the kernel: text is a fine source */
#define P_PARTIAL	4	/* a range into the guard page may copy a part */

struct probe {
	const char *name;
	int nr;
	int ptr_arg;		/* which argument gets the bad pointer */
	int flags;
	long args[6];		/* FX_* + 1000 stands for that fixture's fd */
};

#define FXARG(i)	(1000 + (i))
#define TMPL_SIN	2000
#define TMPL_LEN	2001
#define TMPL_IOV	2002
#define TMPL_ONE	2003
#define TMPL_EV		2004
#define TMPL_MSG	2005
#define TMPL_TS		2006

static const struct probe probes[] = {
	{ "uname", 63, 0, 0, { 0 } },
	{ "clock_gettime", 228, 1, 0, { CLOCK_MONOTONIC } },
	{ "nanosleep", 35, 0, P_IN, { 0 } },
	{ "clock_nanosleep", 230, 2, P_IN, { CLOCK_MONOTONIC } },
	{ "getrlimit", 97, 1, 0, { RLIMIT_NOFILE } },
	{ "prlimit64_old", 302, 3, P_NULL_OK, { 0, RLIMIT_NOFILE, 0 } },
	{ "setrlimit", 160, 1, P_IN, { RLIMIT_CORE } },
	{ "rt_sigprocmask", 14, 1, P_NULL_OK | P_IN, { SIG_BLOCK, 0, 0, 8 } },
	{ "rt_sigprocmask_old", 14, 2, P_NULL_OK, { SIG_BLOCK, 0, 0, 8 } },
	{ "rt_sigaction", 13, 1, P_NULL_OK | P_IN, { SIGUSR1, 0, 0, 8 } },
	{ "rt_sigaction_old", 13, 2, P_NULL_OK, { SIGUSR1, 0, 0, 8 } },
	{ "getrandom", 318, 0, P_PARTIAL, { 0, 16, 0 } },
	{ "poll", 7, 0, P_IN, { 0, 1, 0 } },
	{ "arch_prctl_get_fs", 158, 1, 0, { 0x1003 } },
	{ "sysinfo", 99, 0, 0, { 0 } },
	{ "pipe", 22, 0, 0, { 0 } },
	{ "getrusage", 98, 1, 0, { RUSAGE_SELF } },
	{ "sched_getaffinity", 204, 2, 0, { 0, 128 } },
	{ "bind", 49, 1, P_IN, { FXARG(FX_UDP2), 0, 16 } },
	{ "connect", 42, 1, P_IN, { FXARG(FX_UDP2), 0, 16 } },
	{ "getsockname", 51, 1, 0, { FXARG(FX_UDP), 0, TMPL_LEN } },
	{ "getsockname_len", 51, 2, P_IN, { FXARG(FX_UDP), TMPL_SIN, 0 } },
	{ "getpeername", 52, 1, 0, { FXARG(FX_UDP), 0, TMPL_LEN } },
	{ "getsockopt", 55, 3, 0, { FXARG(FX_UDP), SOL_SOCKET, SO_TYPE, 0, TMPL_LEN } },
	{ "getsockopt_len", 55, 4, P_IN, { FXARG(FX_UDP), SOL_SOCKET, SO_TYPE, TMPL_SIN, 0 } },
	{ "setsockopt", 54, 3, P_IN, { FXARG(FX_UDP), SOL_SOCKET, SO_REUSEADDR, 0, 4 } },
	{ "sendto", 44, 1, P_IN, { FXARG(FX_UDP), 0, 8, 0, 0, 0 } },
	{ "sendto_addr", 44, 4, P_IN | P_NULL_OK, { FXARG(FX_UDP2), TMPL_SIN, 8, 0, 0, 16 } },
	{ "write", 1, 1, P_IN, { FXARG(FX_UDP), 0, 8 } },
	{ "writev", 20, 1, P_IN, { FXARG(FX_UDP), 0, 1 } },
	{ "readv", 19, 1, P_IN, { FXARG(FX_UDP), 0, 1 } },
	{ "sendmsg", 46, 1, P_IN, { FXARG(FX_UDP), 0, 0 } },
	{ "recvmsg", 47, 1, P_IN, { FXARG(FX_UDP), 0, MSG_DONTWAIT } },
	{ "ioctl_fionread", 16, 2, 0, { FXARG(FX_UDP), FIONREAD, 0 } },
	{ "epoll_ctl", 233, 3, P_IN, { FXARG(FX_EPOLL), EPOLL_CTL_ADD, FXARG(FX_UDP2), 0 } },
	{ "epoll_wait_ready", 232, 1, 0, { FXARG(FX_EPOLL), 0, 4, 0 } },
	{ "accept4_flags", 288, -1, 0, { FXARG(FX_LISTEN), 0, 0, 0x40 } },
};

static long probe_arg(long v)
{
	if (v >= 1000 && v < 1000 + NR_FX)
		return fx[v - 1000];
	switch (v) {
	case TMPL_SIN:
		return (long)&tmpl->sin;
	case TMPL_LEN:
		return (long)&tmpl->sinlen;
	case TMPL_IOV:
		return (long)tmpl->iov;
	case TMPL_ONE:
		return (long)&tmpl->one;
	case TMPL_EV:
		return (long)&tmpl->ev;
	case TMPL_MSG:
		return (long)&tmpl->msg;
	case TMPL_TS:
		return (long)&tmpl->ts_zero;
	}
	return v;
}

static unsigned long probes_done, probes_wrong;

static bool probes_quiet;	/* random runs show only wrong answers */

static void probe_answer(const char *what, long ret, long want)
{
	bool ok = ret == want || ret == -ENOSYS;

	probes_done++;
	if (probes_quiet && ok)
		return;
	if (ret < 0)
		say("sf| %s = -%s%s\n", what, errname(-ret), ok ? "" : " WRONG");
	else
		say("sf| %s = %ld%s\n", what, ret, ok ? "" : " WRONG");
	if (!ok)
		probes_wrong++;
}

/* Bad pointers the probe @p must answer -EFAULT for. */
static int probe_ptrs(const struct probe *p, u64 *out, const char **names)
{
	int n = 0;

	for (unsigned int i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
		if (bad_ptrs[i] == 0 && (p->flags & P_NULL_OK))
			continue;
		names[n] = NULL;
		out[n++] = bad_ptrs[i];
	}
	names[n] = "guard";
	out[n++] = (u64)(uintptr_t)(scratch + SCRATCH_PAGES * PAGE);
	if (!(p->flags & P_PARTIAL)) {
		names[n] = "guard-2";
		out[n++] = (u64)(uintptr_t)(scratch + SCRATCH_PAGES * PAGE - 2);
	}
	if (!(p->flags & P_IN)) {
		names[n] = "text";
		out[n++] = (u64)(uintptr_t)&raw6;
	}
	return n;
}

static void run_probe(const struct probe *p)
{
	u64 ptrs[40];
	const char *names[40];
	int np = p->ptr_arg < 0 ? 1 : probe_ptrs(p, ptrs, names);

	for (int i = 0; i < np; i++) {
		long a[6];
		char what[128];

		for (int j = 0; j < 6; j++)
			a[j] = probe_arg(p->args[j]);
		templates_refresh();
		if (p->ptr_arg < 0) {
			snprintf(what, sizeof(what), "%s", p->name);
			probe_answer(what, raw6(p->nr, a[0], a[1], a[2], a[3], a[4], a[5]),
				     -EINVAL);
			continue;
		}
		a[p->ptr_arg] = (long)ptrs[i];
		if (names[i])
			snprintf(what, sizeof(what), "%s(%s)", p->name, names[i]);
		else
			snprintf(what, sizeof(what), "%s(%#lx)", p->name, (unsigned long)ptrs[i]);
		probe_answer(what, raw6(p->nr, a[0], a[1], a[2], a[3], a[4], a[5]), -EFAULT);
	}
}

/* A bad fd first, where Linux looks it up before the other arguments. */
static void run_bad_fd_probes(void)
{
	static const struct { const char *name; int nr; long args[6]; } calls_[] = {
		{ "read", 0, { 0, TMPL_SIN, 8 } },
		{ "write", 1, { 0, TMPL_SIN, 8 } },
		{ "close", 3, { 0 } },
		{ "ioctl", 16, { 0, FIONREAD, TMPL_LEN } },
		{ "readv", 19, { 0, TMPL_IOV, 1 } },
		{ "writev", 20, { 0, TMPL_IOV, 1 } },
		{ "readv_many", 19, { 0, TMPL_IOV, 5000 } },
		{ "connect", 42, { 0, TMPL_SIN, 16 } },
		{ "accept", 43, { 0, 0, 0 } },
		{ "sendto", 44, { 0, TMPL_SIN, 8, 0, 0, 0 } },
		{ "recvfrom", 45, { 0, TMPL_SIN, 8, 0, 0, 0 } },
		{ "sendmsg", 46, { 0, TMPL_MSG, 0 } },
		{ "recvmsg", 47, { 0, TMPL_MSG, 0 } },
		{ "shutdown", 48, { 0, SHUT_RDWR } },
		{ "bind", 49, { 0, TMPL_SIN, 16 } },
		{ "listen", 50, { 0, 1 } },
		{ "getsockname", 51, { 0, TMPL_SIN, TMPL_LEN } },
		{ "getpeername", 52, { 0, TMPL_SIN, TMPL_LEN } },
		{ "setsockopt", 54, { 0, SOL_SOCKET, SO_REUSEADDR, TMPL_ONE, 4 } },
		{ "getsockopt", 55, { 0, SOL_SOCKET, SO_TYPE, TMPL_ONE, TMPL_LEN } },
		{ "fcntl", 72, { 0, F_GETFL } },
		{ "fcntl_dupfd", 72, { 0, F_DUPFD, 0 } },
		{ "epoll_ctl", 233, { 0, EPOLL_CTL_ADD, FXARG(FX_UDP), TMPL_EV } },
		{ "epoll_wait", 232, { 0, TMPL_SIN, 1, 0 } },
		{ "epoll_ctl_fd", 233, { FXARG(FX_EPOLL), EPOLL_CTL_ADD, -1, TMPL_EV } },
	};
	static const long fds[] = { -1, INT_MIN, INT_MAX, 1 << 20, 0xffffffffL,
				    0xdead00000000L | 0xfffffff0L };

	for (unsigned int i = 0; i < sizeof(calls_) / sizeof(calls_[0]); i++) {
		for (unsigned int k = 0; k < sizeof(fds) / sizeof(fds[0]); k++) {
			long a[6];
			char what[96];
			int fd_arg = calls_[i].nr == 233 && calls_[i].args[0] != 0 ? 2 : 0;

			for (int j = 0; j < 6; j++)
				a[j] = probe_arg(calls_[i].args[j]);
			a[fd_arg] = fds[k];
			templates_refresh();
			snprintf(what, sizeof(what), "%s(fd %#lx)", calls_[i].name,
				 (unsigned long)fds[k]);
			probe_answer(what, raw6(calls_[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]),
				     -EBADF);
		}
	}
}

/* Numbers: Linux's unknown ones, and its reading of eax alone. */
static void run_number_probes(void)
{
	static const u64 unknown[] = {
		(u64)-1, (u64)INT_MIN, 0xffffffffUL, 337, 400, 423, 512, 547, 548,
		1000, 100000, X32_BIT | 400, X32_BIT | 5000, 0x7fffffffUL,
		0xffffffff00000400UL,
	};
	char what[64];
	long pid = raw(39, 0, 0, 0);

	for (unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		snprintf(what, sizeof(what), "syscall(%#lx)", (unsigned long)unknown[i]);
		probe_answer(what, raw(unknown[i], 0, 0, 0), -ENOSYS);
	}
	probe_answer("syscall(0x100000027) is getpid", raw(0x100000027UL, 0, 0, 0) == pid, 1);
	probe_answer("syscall(0xffffffff00000027) is getpid",
		     raw(0xffffffff00000027UL, 0, 0, 0) == pid, 1);
}

/*
 * Answers Linux gives that unisock once did not (each found by a diff
 * run): the upper halves of int arguments ignored, and Linux's order of
 * checks. ANY_FD: a new fd, closed again.
 */
#define ANY_FD	(1L << 40)
#define ANY_MAP	(1L << 41)	/* a new mapping, unmapped again */
#define KADDR	((long)0xffffffff80100000UL)
#define HI	((long)0xdead000000000000UL)

static const struct {
	const char *name;
	int nr;
	long args[6];
	long want;
} answers[] = {
	{ "close(fd | high bits)", 3, { HI | FXARG(FX_UDP2) }, 0 },
	{ "fcntl(fd | high, F_GETFD | high)", 72, { HI | FXARG(FX_EPOLL), HI | F_GETFD }, 0 },
	{ "read(epoll fd)", 0, { FXARG(FX_EPOLL), TMPL_SIN, 8 }, -EINVAL },
	{ "write(epoll fd)", 1, { FXARG(FX_EPOLL), TMPL_SIN, 8 }, -EINVAL },
	{ "readv(epoll fd)", 19, { FXARG(FX_EPOLL), TMPL_IOV, 1 }, -EINVAL },
	{ "accept4(bad fd, bad flags)", 288, { -1, 0, 0, 0xff }, -EBADF },
	{ "accept4(epoll fd, bad flags)", 288, { FXARG(FX_EPOLL), 0, 0, 0xff }, -EINVAL },
	{ "sendmsg(bad fd, MSG_CMSG_COMPAT)", 46, { -1, TMPL_MSG, 0x80000000L }, -EINVAL },
	{ "recvmsg(bad fd, MSG_CMSG_COMPAT)", 47, { -1, TMPL_MSG, 0x80000000L }, -EINVAL },
	{ "setsockopt(bad fd, optlen -1)", 54, { -1, SOL_SOCKET, SO_REUSEADDR, TMPL_ONE, -1 }, -EBADF },
	{ "setsockopt(epoll fd, optlen -1)", 54, { FXARG(FX_EPOLL), SOL_SOCKET, SO_REUSEADDR, TMPL_ONE, -1 }, -ENOTSOCK },
	{ "epoll_wait(bad fd, maxevents 0)", 232, { -1, TMPL_SIN, 0, 0 }, -EBADF },
	{ "epoll_wait(epoll fd, maxevents 0)", 232, { FXARG(FX_EPOLL), TMPL_SIN, 0, 0 }, -EINVAL },
	{ "epoll_pwait(bad fd, bad sigmask)", 281, { -1, TMPL_SIN, 1, 0, 0xffffffff80000000L, 8 }, -EFAULT },
	{ "epoll_create1(high bits)", 291, { HI }, ANY_FD },
	{ "rt_sigaction(SIGUSR1 | high bits)", 13, { HI | SIGUSR1, 0, TMPL_SIN, 8 }, 0 },
	{ "getrandom(flags | high bits)", 318, { TMPL_SIN, 8, HI }, 8 },
	{ "writev(udp, [good, kernel])", 20, { FXARG(FX_UDP), TMPL_IOV, 2 }, -EFAULT },
	{ "readv(udp, [good, kernel])", 19, { FXARG(FX_UDP), TMPL_IOV, 2 }, -EFAULT },
	{ "ppoll(bad tsp, bad sigsetsize)", 271, { 0, 0, KADDR, TMPL_SIN, 7 }, -EFAULT },
	{ "ppoll(bad sigmask)", 271, { 0, 0, TMPL_TS, KADDR, 8 }, -EFAULT },
	{ "pselect6(bad tsp, bad sigset pack)", 270, { 0, 0, 0, 0, KADDR, TMPL_SIN }, -EFAULT },
	{ "getsockopt(tcp, IPPROTO_IPV6)", 55, { FXARG(FX_ACCEPTED), 41, 1, TMPL_ONE, TMPL_LEN }, -EOPNOTSUPP },
	{ "recvfrom(tcp, MSG_ERRQUEUE | MSG_OOB)", 45, { FXARG(FX_ACCEPTED), TMPL_SIN, 8, 0x2001 }, -EAGAIN },
	{ "ioctl(epoll fd, FIONREAD)", 16, { FXARG(FX_EPOLL), FIONREAD, TMPL_LEN }, -EINVAL },
	{ "socketpair(AF_INET, bad vector)", 53, { AF_INET, SOCK_DGRAM, 0, KADDR }, -EFAULT },
	{ "clock_gettime(CLOCK_MONOTONIC | high bits, bad)", 228, { HI | CLOCK_MONOTONIC, KADDR }, -EFAULT },
	{ "mmap(bad fd, MAP_SHARED, no length)", 9, { 0, 0, PROT_READ, MAP_SHARED, -1, 0 }, -EBADF },
	{ "readv(udp, count 0 | high bits)", 19, { FXARG(FX_UDP), KADDR, HI }, 0 },
	{ "mmap(anonymous, unknown prot and flags)", 9, { 0, 4096, 0x1000003, 0x800022, -1, 0 }, ANY_MAP },
	{ "mmap(anonymous MAP_SHARED_VALIDATE)", 9, { 0, 4096, 3, 0x800023, -1, 0 }, -EINVAL },
	{ "sendto(bad fd, huge length)", 44, { -1, TMPL_SIN, -1L >> 1, 0, 0, 0 }, -EBADF },
	{ "recvfrom(bad fd, huge length)", 45, { -1, TMPL_SIN, -1L >> 1, 0, 0, 0 }, -EBADF },
};

static void run_answer_probes(void)
{
	for (unsigned int i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		long a[6], ret;
		char what[96];

		for (int j = 0; j < 6; j++) {
			long v = answers[i].args[j];

			a[j] = (v & HI) == HI ? HI | probe_arg(v & ~HI) : probe_arg(v);
		}
		templates_refresh();
		ret = raw6(answers[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		snprintf(what, sizeof(what), "%s", answers[i].name);
		if (answers[i].want == ANY_FD && ret >= 0) {
			raw(3, ret, 0, 0);
			ret = ANY_FD;
		}
		if (answers[i].want == ANY_MAP && ret >= 0 && (u64)ret < USER_TOP) {
			raw(11, ret, a[1], 0);
			ret = ANY_FD;
		}
		probe_answer(what, ret == ANY_FD ? 0 : ret,
			     answers[i].want == ANY_FD || answers[i].want == ANY_MAP ? 0 :
			     answers[i].want);
	}
}

/*
 * Epoll sets watching epoll sets: a cycle, and a chain past Linux's
 * EP_MAX_NESTS (4), answer -ELOOP. (A cycle once panicked unisock: the
 * wake-up went round and re-took the first queue's lock.)
 */
static void run_epoll_loop_probes(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int e[6];
	char what[64];

	for (int i = 0; i < 6; i++)
		e[i] = (int)raw(291, 0, 0, 0);
	probe_answer("epoll_ctl(e1 watches e0)", raw6(233, e[1], EPOLL_CTL_ADD, e[0], (long)&ev, 0, 0), 0);
	probe_answer("epoll_ctl(e0 watches e1: a cycle)",
		     raw6(233, e[0], EPOLL_CTL_ADD, e[1], (long)&ev, 0, 0), -ELOOP);
	raw6(233, e[0], EPOLL_CTL_ADD, fx[FX_UDP], (long)&ev, 0, 0);	/* ready: wakes go up */
	for (int i = 1; i < 5; i++) {
		snprintf(what, sizeof(what), "epoll_ctl(e%d watches e%d: chain of %d)", i + 1, i, i + 2);
		probe_answer(what, raw6(233, e[i + 1], EPOLL_CTL_ADD, e[i], (long)&ev, 0, 0),
			     i < 4 ? 0 : -ELOOP);
	}
	raw(44, fx[FX_UDP], "y", 1);	/* a wake-up up the whole chain */
	raw(24, 0, 0, 0);
	for (int i = 0; i < 6; i++)
		raw(3, e[i], 0, 0);
}

static void run_probes(void)
{
	for (unsigned int i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		run_probe(&probes[i]);
	run_bad_fd_probes();
	run_number_probes();
	run_answer_probes();
	run_epoll_loop_probes();
}

/* ---- the random run ----------------------------------------------------------- */

static bool probe_uses_fd(const struct probe *p)
{
	for (int j = 0; j < 6; j++)
		if (p->args[j] >= 1000 && p->args[j] < 1000 + NR_FX)
			return true;
	return false;
}

/* The known-answer probes that need no fixture fd: a random run may have
 * closed or replaced those. */
static void random_probe(void)
{
	const struct probe *p = &PICK(probes);

	if (!probe_uses_fd(p))
		run_probe(p);
}

static long now_ms(void)
{
	struct timespec ts;

	raw(228, CLOCK_MONOTONIC, &ts, 0);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void remember_mapping(int n, const u64 a[6], long ret)
{
	if ((n != 9 && n != 25) || ret < 0 || (u64)ret >= USER_TOP)
		return;
	if (nr_mm == sizeof(mm_regions) / sizeof(mm_regions[0])) {
		raw(11, mm_regions[0][0], mm_regions[0][1], 0);
		memmove(mm_regions[0], mm_regions[1], sizeof(mm_regions) - sizeof(mm_regions[0]));
		nr_mm--;
	}
	mm_regions[nr_mm][0] = (u64)ret;
	mm_regions[nr_mm][1] = ((n == 9 ? a[1] : a[2]) + PAGE - 1) & ~(PAGE - 1);
	nr_mm++;
}

static u64 saved_fs, initial_brk;
static bool hogging;		/* sysfuzz hog: see hog_run() */

static void one_call(void)
{
	u64 nr, a[6];
	int n;
	long ret;

	for (;;) {
		nr = gen_nr();
		n = eff_nr(nr);
		if (!never_called(n) && !(hogging && (n == 160 || n == 302)))
			break;
		skipped++;
	}
	gen_args(n, a);
	sanitize(n, a);
	nonblock_fds(n, a);
	templates_refresh();
	if (below(3) == 0)
		templates_mutate();
	calls++;
	ret = raw6((long)nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
		   (long)a[5]);
	if (n == 158)	/* arch_prctl: musl's thread pointer back */
		raw(158, 0x1002, saved_fs, 0);
	remember_mapping(n, a, ret);
	if (n == 12)
		heap_end = (u64)raw(12, 0, 0, 0);
	check(nr, a, ret);
}

/* Between epochs: every fd closed, the mappings calls made unmapped,
 * the limits back, fresh fixtures. */
static void new_epoch(void)
{
	struct rlimit nofile = { 1024, 65536 };

	fixtures_close();
	while (nr_mm)
		raw(11, mm_regions[nr_mm - 1][0], mm_regions[nr_mm - 1][1], 0), nr_mm--;
	raw6(302, 0, RLIMIT_NOFILE, (long)&nofile, 0, 0, 0);
	heap_end = (u64)raw(12, initial_brk, 0, 0);
	fixtures_open();
	templates_init();
}

static void print_summary(const char *mode, long ms, bool canary_ok)
{
	char line[1024] = "";
	int len = 0;

	say("sysfuzz: errno counts: values %lu", values);
	for (int e = 1; e <= MAX_ERRNO; e++) {
		if (!errno_count[e])
			continue;
		len += snprintf(line + len, sizeof(line) - len, " %s=%lu", errname(e),
				errno_count[e]);
		if (len > (int)sizeof(line) - 40) {
			say("%s", line);
			len = 0;
			line[0] = '\0';
		}
	}
	say("%s\n", line);
	say("sysfuzz: %s: %lu calls in %ld ms, %lu skipped, %lu wrong answers, "
	    "%lu probes %lu wrong, canary %s\n", mode, calls, ms, skipped, wrong,
	    probes_done, probes_wrong, canary_ok ? "intact" : "DAMAGED");
}

static void fill_canary(u64 seed)
{
	for (size_t i = 0; i < sizeof(canary); i++)
		canary[i] = (u8)(seed >> (i % 8 * 8)) ^ (u8)i;
}

static bool canary_intact(u64 seed)
{
	for (size_t i = 0; i < sizeof(canary); i++)
		if (canary[i] != ((u8)(seed >> (i % 8 * 8)) ^ (u8)i))
			return false;
	return true;
}

static int setup(void)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	u8 *p;

	report_fd = fcntl(1, F_DUPFD_CLOEXEC, REPORT_FD_MIN);
	if (report_fd < 0)
		return -1;
	sigaction(SIGPIPE, &ign, NULL);
	sigaction(SIGXFSZ, &ign, NULL);
	p = mmap((void *)SCRATCH_BASE, (SCRATCH_PAGES + 1 + ARENA_PAGES) * PAGE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE_, -1, 0);
	if (p != (void *)SCRATCH_BASE)
		return -1;
	if (mmap(p, SCRATCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p)
		return -1;
	scratch = p;
	tmpl = (struct templates *)p;
	arena = p + (SCRATCH_PAGES + 1) * PAGE;
	raw(158, 0x1003, &saved_fs, 0);
	initial_brk = heap_end = (u64)raw(12, 0, 0, 0);
	stack_mid = (u64)(uintptr_t)&p;
	return 0;
}

static int fuzz(u64 seed, unsigned long count, long seconds)
{
	struct utsname u;
	long t0, ms;
	bool ok;

	if (uname(&u) || strcmp(u.sysname, "unisock")) {
		say("sysfuzz: random calls run only on unisock (this is %s); "
		    "`sysfuzz probe` is the part safe here\n", u.sysname);
		return 2;
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	fill_canary(seed);
	say("sysfuzz: seed %llu, %lu calls, at most %ld s\n", (unsigned long long)seed,
	    count, seconds);
	probes_quiet = true;
	t0 = now_ms();
	while (calls < count) {
		if (calls % EPOCH == 0)
			new_epoch();
		if (calls % 64 == 0 && now_ms() - t0 >= seconds * 1000)
			break;
		if (below(20) == 0)
			random_probe();
		else
			one_call();
	}
	ms = now_ms() - t0;
	fixtures_close();
	ok = canary_intact(seed);
	print_summary("random", ms, ok);
	return wrong || probes_wrong || !ok;
}

/* ---- diff: the same seeded calls on Linux and on unisock ----------------------- */

/*
 * `sysfuzz diff SEED COUNT`: calls to unisock's own system calls only,
 * each against fresh fixtures, one line each, "d| I NR(args) = ok" or
 * "= -ERRNO", pointers written relative to the program's own regions, so
 * that a run on Linux and one on unisock compare line for line. Safe on
 * Linux, as root too, inside a network namespace of its own with only
 * lo up: sockets are AF_INET only; no signal handler is installed; no fd
 * gets an owner or O_ASYNC (SIGIO, whose default ends a process, would go
 * to a random pid); prlimit64 only reads; mmap lengths stay below
 * 16 MiB; setrlimit (a lowered hard limit cannot be raised again without
 * CAP_SYS_RESOURCE, so later calls would differ), brk (the heap is placed
 * at random on Linux) and arch_prctl (the thread pointer) are left out.
 */
static const int diff_nrs[] = {
	0, 1, 3, 7, 9, 11, 13, 14, 16, 19, 20, 23, 24, 35, 41, 42, 43, 44,
	45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 72, 97, 213, 228, 232,
	233, 270, 271, 281, 288, 291, 302, 318,
};

static void diff_sanitize(int n, u64 a[6])
{
	static const u64 ioctls[] = { 0x541b, 0x5421, 0x5401, 0x5411, 0x8905, 0x8906,
				      0x8912, 0x8915, 0x5413, 0 };

	switch (n) {
	case 41: case 53:
		a[0] = AF_INET;
		break;
	case 13:
		a[1] = 0;
		break;
	case 16:
		a[1] = (a[1] & ~0xffffffffUL) | PICK(ioctls);
		break;
	case 72:	/* F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY */
		switch ((unsigned int)a[1]) {
		case 8: case 10: case 15: case 1024: case 1026:
			a[1] = F_GETFL;
		}
		if ((unsigned int)a[1] == F_SETFL)
			a[2] &= ~(u64)O_ASYNC;
		break;
	case 302:
		a[0] = 0;
		a[2] = 0;
		break;
	case 9:
		if (a[1] > 16UL << 20)
			a[1] = 16UL << 20;
		break;
	}
}

/* An argument as the same line on either kernel prints it. */
static void show_arg(char *buf, size_t len, u64 v)
{
	u64 s = (u64)(uintptr_t)scratch, ar = (u64)(uintptr_t)arena;

	if (v >= s && v < s + (SCRATCH_PAGES + 1) * PAGE)
		snprintf(buf, len, "s+%#lx", (unsigned long)(v - s));
	else if (v >= ar && v < ar + ARENA_PAGES * PAGE)
		snprintf(buf, len, "a+%#lx", (unsigned long)(v - ar));
	else
		snprintf(buf, len, "%#lx", (unsigned long)v);
}

static struct rlimit saved_rlim[16];	/* a call may lower any of them */

static void diff_call(unsigned long i)
{
	int n = PICK(diff_nrs);
	char args[6][40];
	u64 a[6];
	long ret;

	gen_args(n, a);
	sanitize(n, a);
	diff_sanitize(n, a);
	fixtures_close();
	while (nr_mm)
		raw(11, mm_regions[nr_mm - 1][0], mm_regions[nr_mm - 1][1], 0), nr_mm--;
	for (int r = 0; r < 16; r++)
		raw6(302, 0, r, (long)&saved_rlim[r], 0, 0, 0);
	fixtures_open();
	templates_init();
	nonblock_fds(n, a);
	templates_refresh();
	if (below(3) == 0)
		templates_mutate();
	ret = raw6(n, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
	remember_mapping(n, a, ret);
	for (int k = 0; k < 6; k++)
		show_arg(args[k], sizeof(args[k]), a[k]);
	if (ret < 0)
		say("d| %lu %d(%s,%s,%s,%s,%s,%s) = -%s\n", i, n, args[0], args[1], args[2],
		    args[3], args[4], args[5], errname(-ret));
	else
		say("d| %lu %d(%s,%s,%s,%s,%s,%s) = ok\n", i, n, args[0], args[1], args[2],
		    args[3], args[4], args[5]);
}

static int diff(u64 seed, unsigned long count)
{
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (int r = 0; r < 16; r++)
		raw(97, r, &saved_rlim[r], 0);
	saved_rlim[RLIMIT_NOFILE] = (struct rlimit){ 64, 64 };
	for (unsigned long i = 0; i < count; i++)
		diff_call(i);
	fixtures_close();
	say("sysfuzz: diff: seed %llu, %lu calls\n", (unsigned long long)seed, count);
	return 0;
}

/* ---- hog: the calls again, with the machine's memory taken ------------------- */

/*
 * `sysfuzz hog SEED COUNT`: map (and touch) memory until the kernel says
 * -ENOMEM, then make random calls with almost no memory left for the
 * kernel's own allocations (sockets, skbs, epoll items, fd tables), then
 * give the memory back and check the fixtures work again (so no
 * setrlimit or prlimit64 here: a lowered hard limit stays lowered, as
 * for any process without CAP_SYS_RESOURCE). unisock only: on Linux it
 * would take the host's memory.
 */
#define HOG_MAX		4096

static u64 hog[HOG_MAX][2];	/* start, length */
static unsigned int nr_hog;

/* Map and touch memory until the kernel refuses even a page: KiB taken. */
static unsigned long hog_memory(void)
{
	unsigned long kib = 0;

	for (u64 len = 64UL << 20; len >= PAGE && nr_hog < HOG_MAX;) {
		long p = raw6(9, 0, (long)len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p < 0) {
			len /= 2;
			continue;
		}
		memset((void *)p, 0xa5, len);
		hog[nr_hog][0] = (u64)p;
		hog[nr_hog++][1] = len;
		kib += len >> 10;
	}
	return kib;
}

static void hog_release(void)
{
	while (nr_hog) {
		nr_hog--;
		raw(11, hog[nr_hog][0], hog[nr_hog][1], 0);
	}
}

static int hog_run(u64 seed, unsigned long count)
{
	struct utsname u;
	unsigned long kib;
	long t0 = now_ms();
	bool ok;

	if (uname(&u) || strcmp(u.sysname, "unisock")) {
		say("sysfuzz: hog runs only on unisock\n");
		return 2;
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	fill_canary(seed);
	new_epoch();
	kib = hog_memory();
	say("sysfuzz: hog: holding %lu KiB in %u mappings\n", kib, nr_hog);
	probes_quiet = true;
	hogging = true;
	while (calls < count) {
		if (calls % EPOCH == EPOCH - 1) {
			fixtures_close();
			fixtures_open();
			templates_init();
		}
		one_call();
	}
	hog_release();
	new_epoch();
	ok = fx[FX_ACCEPTED] >= 0 && fx[FX_UDP] >= 0 && fx[FX_EPOLL] >= 0 &&
	     raw(44, fx[FX_UDP], "z", 1) == 1;
	say("sysfuzz: hog: memory given back, fixtures %s\n", ok ? "work again" : "FAILED");
	fixtures_close();
	print_summary("hog", now_ms() - t0, canary_intact(seed));
	return wrong || !ok || !canary_intact(seed);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sysfuzz SEED [COUNT [SECONDS]] | sysfuzz probe\n");
		return 2;
	}
	if (setup()) {
		perror("sysfuzz: setup");
		return 2;
	}
	if (!strcmp(argv[1], "probe")) {
		fixtures_open();
		templates_init();
		run_probes();
		fixtures_close();
		print_summary("probe", 0, true);
		return probes_wrong != 0;
	}
	if (!strcmp(argv[1], "hog") && argc > 3)
		return hog_run(strtoull(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (!strcmp(argv[1], "diff") && argc > 3) {
		fd_scan = 64;
		return diff(strtoull(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	}
	return fuzz(strtoull(argv[1], NULL, 0), argc > 2 ? strtoul(argv[2], NULL, 0) : 50000,
		    argc > 3 ? strtol(argv[3], NULL, 0) : 60);
}
