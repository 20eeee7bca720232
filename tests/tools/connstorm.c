/*
 * connstorm: open many TCP connections to one server at once, from several
 * local source addresses, with non-blocking sockets on one epoll loop.
 * The load generator of the connection-storm test (issue 10) and of the
 * 10,000-idle-connections bench figure (issue 9).
 *
 *   connstorm [-n N] [-k K] [-t SECONDS] [-s SRC,SRC,...] [-p] hold|abandon ADDR PORT
 *     -n  connections to open (default 1000)
 *     -k  at most K connects (or echoes) in flight at once (default 256)
 *     -t  deadline for each phase, in seconds (default 60)
 *     -s  local addresses to bind before connect, used in turn
 *     -p  after opening, print a JSON line and wait for a line (or EOF) on
 *         stdin before going on: the caller measures or drops meanwhile
 *   hold:    every open connection then echoes one short line (an echo
 *            server, port 7) and the line must come back whole
 *   abandon: the connections are just closed
 *
 * Prints one JSON line: {"phase", "mode", "connections", "opened", "failed",
 * "echoed", "elapsed"}: opened + failed = connections; echoed <= opened.
 * Exits 0 if it ran (the counts say how well), 2 on a usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SRCS	64
#define MSG_MAX		32
#define MAX_EVENTS	256

enum conn_state { C_IDLE, C_CONNECTING, C_OPEN, C_ECHOING, C_DONE, C_FAILED };

struct conn {
	int fd;
	enum conn_state state;
	unsigned char got;		/* echo bytes read back so far */
};

struct storm {
	const char *mode;
	int n, k, pause;
	double deadline_s;
	struct sockaddr_in dst;
	struct in_addr srcs[MAX_SRCS];
	int nsrcs;
	struct conn *conns;
	int epfd;
	int opened, failed, echoed, in_flight;
	double t0;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: connstorm [-n N] [-k K] [-t SECONDS] [-s SRC,...] [-p] "
		"hold|abandon ADDR PORT\n");
	exit(2);
}

/* As many fds as the hard limit allows: one per connection, plus a few. */
static void raise_nofile(int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur < (rlim_t)want)
		rl.rlim_cur = rl.rlim_max < (rlim_t)want ? rl.rlim_max : (rlim_t)want;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		perror("connstorm: setrlimit");
}

static void parse_srcs(struct storm *s, char *list)
{
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (s->nsrcs == MAX_SRCS || !inet_aton(tok, &s->srcs[s->nsrcs]))
			usage();
		s->nsrcs++;
	}
}

static void parse_args(struct storm *s, int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "n:k:t:s:p")) != -1) {
		if (opt == 'n')
			s->n = atoi(optarg);
		else if (opt == 'k')
			s->k = atoi(optarg);
		else if (opt == 't')
			s->deadline_s = atof(optarg);
		else if (opt == 's')
			parse_srcs(s, optarg);
		else if (opt == 'p')
			s->pause = 1;
		else
			usage();
	}
	if (argc - optind != 3 || s->n <= 0 || s->k <= 0 || s->deadline_s <= 0)
		usage();
	s->mode = argv[optind];
	if (strcmp(s->mode, "hold") && strcmp(s->mode, "abandon"))
		usage();
	s->dst.sin_family = AF_INET;
	s->dst.sin_port = htons((unsigned short)atoi(argv[optind + 2]));
	if (!inet_aton(argv[optind + 1], &s->dst.sin_addr))
		usage();
}

/* Give up on @c; a connection that never opened counts as failed. */
static void conn_fail(struct storm *s, struct conn *c)
{
	if (c->state == C_IDLE || c->state == C_CONNECTING)
		s->failed++;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = C_FAILED;
}

/* Start connection @i: bind to its source address, connect, watch EPOLLOUT. */
static void conn_start(struct storm *s, int i)
{
	struct conn *c = &s->conns[i];
	struct epoll_event ev = { .events = EPOLLOUT, .data.u32 = (unsigned int)i };
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0) {
		conn_fail(s, c);
		return;
	}
	if (s->nsrcs) {
		struct sockaddr_in src = { .sin_family = AF_INET,
					   .sin_addr = s->srcs[i % s->nsrcs] };

		/* The port is chosen at connect(), per 4-tuple, not per address. */
		setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		if (bind(c->fd, (struct sockaddr *)&src, sizeof(src))) {
			conn_fail(s, c);
			return;
		}
	}
	if (connect(c->fd, (struct sockaddr *)&s->dst, sizeof(s->dst)) &&
	    errno != EINPROGRESS) {
		conn_fail(s, c);
		return;
	}
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, c->fd, &ev)) {
		conn_fail(s, c);
		return;
	}
	c->state = C_CONNECTING;
	s->in_flight++;
}

static void conn_connected(struct storm *s, struct conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	s->in_flight--;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		conn_fail(s, c);
		return;
	}
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	c->state = C_OPEN;
	s->opened++;
}

static int wait_events(struct storm *s, struct epoll_event *ev, double deadline)
{
	double left = deadline - now();
	int n;

	if (left <= 0)
		return -1;
	n = epoll_wait(s->epfd, ev, MAX_EVENTS, (int)(left * 1000) + 1);
	return n < 0 && errno == EINTR ? 0 : n;
}

/* Phase 1: open every connection, at most k connecting at once. */
static void open_all(struct storm *s)
{
	struct epoll_event ev[MAX_EVENTS];
	double deadline = now() + s->deadline_s;
	int next = 0;

	while (next < s->n || s->in_flight) {
		int n;

		while (next < s->n && s->in_flight < s->k)
			conn_start(s, next++);
		n = wait_events(s, ev, deadline);
		if (n < 0)
			break;
		for (int i = 0; i < n; i++)
			conn_connected(s, &s->conns[ev[i].data.u32]);
	}
	for (int i = 0; i < s->n; i++)		/* still connecting at the deadline */
		if (s->conns[i].state == C_CONNECTING || s->conns[i].state == C_IDLE)
			conn_fail(s, &s->conns[i]);
	s->in_flight = 0;
}

static int echo_msg(int i, char *buf)
{
	return snprintf(buf, MSG_MAX, "connstorm %d\n", i);
}

static void echo_start(struct storm *s, int i)
{
	struct conn *c = &s->conns[i];
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (unsigned int)i };
	char msg[MSG_MAX];
	int len = echo_msg(i, msg);

	if (send(c->fd, msg, (size_t)len, MSG_NOSIGNAL) != len ||
	    epoll_ctl(s->epfd, EPOLL_CTL_ADD, c->fd, &ev)) {
		conn_fail(s, c);
		return;
	}
	c->state = C_ECHOING;
	s->in_flight++;
}

/* Read what came back; the connection is done when the whole line did. */
static void echo_readable(struct storm *s, int i)
{
	struct conn *c = &s->conns[i];
	char want[MSG_MAX], buf[MSG_MAX];
	int len = echo_msg(i, want);
	ssize_t n = recv(c->fd, buf, (size_t)(len - c->got), 0);

	if (n < 0 && errno == EAGAIN)
		return;
	s->in_flight--;
	if (n <= 0 || memcmp(buf, want + c->got, (size_t)n)) {
		conn_fail(s, c);
		return;
	}
	c->got = (unsigned char)(c->got + n);
	if (c->got < len) {
		s->in_flight++;
		return;
	}
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	c->state = C_DONE;
	s->echoed++;
}

/* Phase 2 (hold): each open connection echoes one line, k at a time. */
static void echo_all(struct storm *s)
{
	struct epoll_event ev[MAX_EVENTS];
	double deadline = now() + s->deadline_s;
	int next = 0;

	for (;;) {
		int n;

		while (next < s->n && s->in_flight < s->k)
			if (s->conns[next++].state == C_OPEN)
				echo_start(s, next - 1);
		if (next == s->n && !s->in_flight)
			break;
		n = wait_events(s, ev, deadline);
		if (n < 0)
			break;
		for (int i = 0; i < n; i++)
			echo_readable(s, (int)ev[i].data.u32);
	}
	for (int i = 0; i < s->n; i++)		/* no answer by the deadline */
		if (s->conns[i].state == C_ECHOING)
			conn_fail(s, &s->conns[i]);
}

static void print_result(struct storm *s, const char *phase)
{
	printf("{\"phase\": \"%s\", \"mode\": \"%s\", \"connections\": %d, "
	       "\"opened\": %d, \"failed\": %d, \"echoed\": %d, \"elapsed\": %.3f}\n",
	       phase, s->mode, s->n, s->opened, s->failed, s->echoed, now() - s->t0);
	fflush(stdout);
}

static void wait_stdin(void)
{
	char line[256];

	if (!fgets(line, sizeof(line), stdin) && ferror(stdin))
		perror("connstorm: stdin");
}

int main(int argc, char **argv)
{
	static struct storm s = { .n = 1000, .k = 256, .deadline_s = 60 };

	parse_args(&s, argc, argv);
	raise_nofile(s.n + 16);
	s.conns = calloc((size_t)s.n, sizeof(*s.conns));
	s.epfd = epoll_create1(0);
	if (!s.conns || s.epfd < 0) {
		perror("connstorm");
		return 1;
	}
	for (int i = 0; i < s.n; i++)
		s.conns[i].fd = -1;
	s.t0 = now();
	open_all(&s);
	if (s.pause) {
		print_result(&s, "open");
		wait_stdin();
	}
	if (!strcmp(s.mode, "hold"))
		echo_all(&s);
	for (int i = 0; i < s.n; i++)
		if (s.conns[i].fd >= 0)
			close(s.conns[i].fd);
	print_result(&s, "done");
	return 0;
}
