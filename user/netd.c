/*
 * netd: unisock's default program. TCP and UDP echo (port 7), discard (9)
 * and chargen (19), and a small HTTP/1.1 server (80), all on one epoll loop.
 * Only POSIX and Linux socket calls, so the same static binary runs on Linux
 * unchanged and the tests run it there too.
 *
 *   netd [-p OFFSET] [-k IDLE,INTVL,CNT] [-q]
 *     -p  add OFFSET to every port (run beside other servers)
 *     -k  TCP keepalive on accepted connections, times in seconds
 *     -q  no per-connection log lines
 *
 * HTTP: GET / (a small page), GET /N, /Nk, /Nm (a body of N bytes, KiB or
 * MiB, at most 64 MiB, bytes 'a' + (offset % 26)), 404 for anything else;
 * keep-alive as HTTP/1.1 says; a correct Content-Length on every response.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

enum service { ECHO, DISCARD, CHARGEN, HTTP, NSERVICES };

static const struct {
	const char *name;
	int port;
} services[NSERVICES] = {
	[ECHO] = { "echo", 7 },
	[DISCARD] = { "discard", 9 },
	[CHARGEN] = { "chargen", 19 },
	[HTTP] = { "http", 80 },
};

#define BUF_SIZE	16384
#define MAX_BODY	(64L << 20)
#define MAX_EVENTS	64

/* What an epoll event's data.ptr points at. */
struct endpoint {
	enum { LISTENER, UDP, CONN } kind;
	enum service svc;
	int fd;
};

/*
 * A connection's buffers are allocated when bytes arrive (or chargen starts)
 * and freed once drained, so an idle connection costs a struct conn: tens
 * of thousands of idle clients fit where 32 KiB each would not.
 */
struct conn_bufs {
	char in[BUF_SIZE];
	char out[BUF_SIZE];
};

struct conn {
	struct endpoint ep;
	struct conn_bufs *bufs;		/* NULL while idle */
	char *in;			/* request bytes not yet consumed */
	size_t in_len;
	char *out;			/* bytes waiting to be written */
	size_t out_off, out_len;
	long body_left;			/* HTTP body still to generate */
	long body_pos;
	long chargen_pos;		/* rotating pattern position */
	int close_after;		/* close once the output is flushed */
	int want_out;			/* EPOLLOUT is armed */
};

static int epfd;
static int quiet;
static int keepalive[3];
static long nconns;
/* Listeners disarmed because accept ran out of fds or memory. */
static struct endpoint *paused[2 * NSERVICES];
static int npaused;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void ep_ctl(int op, struct endpoint *ep, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.ptr = ep };

	if (epoll_ctl(epfd, op, ep->fd, &ev) < 0 && op != EPOLL_CTL_DEL)
		die("epoll_ctl");
}

static int open_socket(int type, int port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons((unsigned short)port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1, fd = socket(AF_INET, type | SOCK_NONBLOCK, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "netd: bind port %d: %s\n", port, strerror(errno));
		exit(1);
	}
	if (type == SOCK_STREAM && listen(fd, 1024) < 0)
		die("listen");
	return fd;
}

/* RFC 864: 72-character lines, each starting one character further on. */
static size_t chargen_fill(char *buf, size_t room, long *pos)
{
	size_t n = 0;

	while (n + 74 <= room) {
		for (int i = 0; i < 72; i++)
			buf[n++] = (char)(' ' + (*pos + i) % 95);
		buf[n++] = '\r';
		buf[n++] = '\n';
		(*pos)++;
	}
	return n;
}

/* A connection closed (or a second passed): paused listeners may go on. */
static void resume_accepting(void)
{
	while (npaused)
		ep_ctl(EPOLL_CTL_MOD, paused[--npaused], EPOLLIN);
}

/* Give @c its buffers if it has none; -1 if memory ran out. */
static int conn_get_bufs(struct conn *c)
{
	if (c->bufs)
		return 0;
	c->bufs = malloc(sizeof(*c->bufs));
	if (!c->bufs)
		return -1;
	c->in = c->bufs->in;
	c->out = c->bufs->out;
	return 0;
}

/* Nothing buffered, nothing to generate: the buffers go back. */
static void conn_put_bufs(struct conn *c)
{
	if (!c->bufs || c->in_len || c->out_off != c->out_len || c->body_left ||
	    c->ep.svc == CHARGEN)
		return;
	free(c->bufs);
	c->bufs = NULL;
	c->in = c->out = NULL;
	c->out_off = c->out_len = 0;
}

static void conn_close(struct conn *c)
{
	ep_ctl(EPOLL_CTL_DEL, &c->ep, 0);
	close(c->ep.fd);
	free(c->bufs);
	free(c);
	nconns--;
	resume_accepting();
}

/*
 * Out of fds or memory: a level-triggered listener would wake us at once
 * again, so stop watching it until a connection closes.
 */
static void pause_accepting(struct endpoint *l)
{
	if (!quiet || !npaused)
		fprintf(stderr, "netd: accept: %s with %ld connections; pausing "
			"accepts for a second or until one closes\n",
			strerror(errno), nconns);
	ep_ctl(EPOLL_CTL_MOD, l, 0);
	paused[npaused++] = l;
}

static void queue_out(struct conn *c, const char *data, size_t len)
{
	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (len > BUF_SIZE - c->out_len) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
}

static long parse_size(const char *path)
{
	char *end;
	long n;

	if (path[0] != '/' || path[1] < '0' || path[1] > '9')
		return -1;
	n = strtol(path + 1, &end, 10);
	if (*end == 'k' || *end == 'K')
		n <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		n <<= 20, end++;
	if (*end || n < 0 || n > MAX_BODY)
		return -1;
	return n;
}

static const char index_page[] =
	"<!doctype html><title>unisock</title>"
	"<h1>unisock</h1><p>Served by netd: echo 7, discard 9, chargen 19, "
	"http 80. Try /1k, /64k, /1m.</p>\n";

/* Answer one request (the bytes before the blank line). */
static void http_respond(struct conn *c, char *req)
{
	char method[8], path[256], version[16], hdr[256];
	int keep, n;
	long size;
	const char *status = "200 OK";

	if (sscanf(req, "%7s %255s %15s", method, path, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7)) {
		n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 400 Bad Request\r\n"
			     "Content-Length: 0\r\nConnection: close\r\n\r\n");
		queue_out(c, hdr, (size_t)n);
		c->close_after = 1;
		return;
	}
	keep = strcmp(version, "HTTP/1.0") != 0;
	if (strcasestr(req, "\nConnection: close"))
		keep = 0;
	else if (strcasestr(req, "\nConnection: keep-alive"))
		keep = 1;
	size = strcmp(path, "/") ? parse_size(path) : (long)strlen(index_page);
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		status = "405 Method Not Allowed", size = 0;
	else if (size < 0)
		status = "404 Not Found", size = 0;
	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 %s\r\nServer: netd\r\n"
		     "Content-Type: %s\r\nContent-Length: %ld\r\n%s\r\n", status,
		     strcmp(path, "/") ? "application/octet-stream" : "text/html",
		     size, keep ? "" : "Connection: close\r\n");
	queue_out(c, hdr, (size_t)n);
	if (!strcmp(method, "HEAD"))
		size = 0;
	if (!strcmp(path, "/") && size) {
		queue_out(c, index_page, (size_t)size);
		size = 0;
	}
	c->body_left = size;
	c->body_pos = 0;
	c->close_after = !keep;
}

/* Handle every complete request in the input, while no body is pending. */
static void http_input(struct conn *c)
{
	char *end;

	/* One response at a time, and only with room for its head. */
	while (!c->body_left && !c->close_after && c->in_len &&
	       BUF_SIZE - (c->out_len - c->out_off) >= 1024 &&
	       (end = memmem(c->in, c->in_len, "\r\n\r\n", 4))) {
		size_t used = (size_t)(end - c->in) + 4;

		*end = '\0';
		http_respond(c, c->in);
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
	}
	if (c->in_len == BUF_SIZE)	/* a request larger than we take */
		c->close_after = 1;
}

/* Top the output buffer up with generated bytes (HTTP body, chargen). */
static void generate(struct conn *c)
{
	size_t room;

	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	room = BUF_SIZE - c->out_len;
	if (c->ep.svc == CHARGEN) {
		if (c->close_after)
			return;		/* the peer left: drain, then close */
		if (conn_get_bufs(c)) {
			c->close_after = 1;	/* out of memory: shed it */
			return;
		}
		c->out_len += chargen_fill(c->out + c->out_len, room, &c->chargen_pos);
		return;
	}
	if (c->body_left && room) {
		size_t n = room < (size_t)c->body_left ? room : (size_t)c->body_left;

		for (size_t i = 0; i < n; i++)
			c->out[c->out_len + i] = (char)('a' + (c->body_pos + (long)i) % 26);
		c->out_len += n;
		c->body_left -= (long)n;
		c->body_pos += (long)n;
	}
}

/* Write what we can; returns -1 if the connection died. */
static int flush(struct conn *c)
{
	for (;;) {
		ssize_t n;

		generate(c);
		if (c->out_off == c->out_len)
			break;
		/* MSG_NOSIGNAL: a reset peer is an error here, not a SIGPIPE. */
		n = send(c->ep.fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		c->out_off += (size_t)n;
	}
	if (c->ep.svc == HTTP)
		http_input(c);		/* pipelined requests waiting on the body */
	return c->out_off == c->out_len && c->close_after ? -1 : 0;
}

static void arm(struct conn *c)
{
	int pending = c->out_off < c->out_len || c->body_left ||
		      c->ep.svc == CHARGEN;
	/* Backpressure: stop reading while output is stuck. */
	unsigned int ev = pending ? EPOLLOUT : EPOLLIN;

	if (ev == EPOLLOUT && c->ep.svc == CHARGEN)
		ev |= EPOLLIN;		/* chargen still reads (and discards) */
	if ((int)ev != c->want_out) {
		ep_ctl(EPOLL_CTL_MOD, &c->ep, ev | EPOLLRDHUP);
		c->want_out = (int)ev;
	}
}

static void conn_readable(struct conn *c)
{
	if (conn_get_bufs(c)) {
		c->close_after = 1;	/* out of memory: shed it unread */
		return;
	}
	for (;;) {
		char scratch[BUF_SIZE];
		char *dst = c->ep.svc == HTTP ? c->in + c->in_len : scratch;
		size_t room = c->ep.svc == HTTP ? BUF_SIZE - c->in_len : sizeof(scratch);
		ssize_t n;

		if (c->ep.svc == ECHO)
			room = BUF_SIZE - (c->out_len - c->out_off);
		if (!room)
			break;
		n = read(c->ep.fd, dst, room);
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			c->close_after = 1;
			if (c->out_off == c->out_len && !c->body_left)
				break;
			return;
		}
		if (n < 0)
			break;
		if (c->ep.svc == ECHO)
			queue_out(c, scratch, (size_t)n);
		else if (c->ep.svc == HTTP)
			c->in_len += (size_t)n;
		if (c->ep.svc == HTTP)
			http_input(c);
		if (c->ep.svc == ECHO || c->ep.svc == HTTP)
			break;		/* write before reading more */
	}
}

static void conn_event(struct conn *c, unsigned int events)
{
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		conn_readable(c);
	if (flush(c) < 0 || (c->close_after && c->out_off == c->out_len &&
			     !c->body_left)) {
		conn_close(c);
		return;
	}
	arm(c);
	conn_put_bufs(c);
}

/* Watch a new connection; out of memory for that, it is shed (closed). */
static int ep_add_conn(struct conn *c)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = &c->ep };
	int err;

	if (!epoll_ctl(epfd, EPOLL_CTL_ADD, c->ep.fd, &ev))
		return 0;
	err = errno;
	close(c->ep.fd);
	free(c);
	errno = err;
	return -1;
}

static void accept_all(struct endpoint *l)
{
	for (;;) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK);
		struct conn *c;

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOMEM ||
			    errno == ENOBUFS)
				pause_accepting(l);
			else if (errno != EAGAIN && errno != ECONNABORTED && !quiet)
				perror("netd: accept");
			return;
		}
		if (keepalive[0]) {
			int one = 1;

			setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
			setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &keepalive[0], sizeof(int));
			setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &keepalive[1], sizeof(int));
			setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &keepalive[2], sizeof(int));
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			errno = ENOMEM;
			pause_accepting(l);
			return;
		}
		c->ep = (struct endpoint){ CONN, l->svc, fd };
		c->want_out = EPOLLIN;
		if (ep_add_conn(c)) {
			pause_accepting(l);
			return;
		}
		nconns++;
		if (c->ep.svc == CHARGEN)
			conn_event(c, 0);
	}
}

/* UDP: echo returns each datagram, chargen answers with 0..512 bytes. */
static void udp_event(struct endpoint *u)
{
	for (;;) {
		char buf[65536];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(u->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		long pos = 0;

		if (n < 0)
			return;
		if (u->svc == DISCARD)
			continue;
		if (u->svc == CHARGEN) {
			n = (ssize_t)chargen_fill(buf, 74 * 6, &pos);
		}
		sendto(u->fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
}

static void parse_args(int argc, char **argv, int *offset)
{
	int opt;

	while ((opt = getopt(argc, argv, "p:k:q")) != -1) {
		if (opt == 'p')
			*offset = atoi(optarg);
		else if (opt == 'q')
			quiet = 1;
		else if (opt == 'k' && sscanf(optarg, "%d,%d,%d", &keepalive[0],
					      &keepalive[1], &keepalive[2]) == 3)
			continue;
		else {
			fprintf(stderr, "usage: netd [-p port-offset] [-k idle,intvl,cnt] [-q]\n");
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	static struct endpoint eps[2 * NSERVICES];
	struct epoll_event events[MAX_EVENTS];
	struct rlimit rl;
	int offset = 0, neps = 0;

	parse_args(argc, argv, &offset);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	epfd = epoll_create1(0);
	if (epfd < 0)
		die("epoll_create1");
	for (int s = 0; s < NSERVICES; s++) {
		int port = services[s].port + offset;

		eps[neps] = (struct endpoint){ LISTENER, (enum service)s,
					       open_socket(SOCK_STREAM, port) };
		ep_ctl(EPOLL_CTL_ADD, &eps[neps++], EPOLLIN);
		if (s == HTTP)
			continue;
		eps[neps] = (struct endpoint){ UDP, (enum service)s,
					       open_socket(SOCK_DGRAM, port) };
		ep_ctl(EPOLL_CTL_ADD, &eps[neps++], EPOLLIN);
	}
	printf("netd: serving echo %d, discard %d, chargen %d (tcp, udp), http %d (tcp)\n",
	       7 + offset, 9 + offset, 19 + offset, 80 + offset);
	fflush(stdout);
	for (;;) {
		/* Paused listeners retry after a second even if nothing closed,
		 * as nginx does: memory may have come back meanwhile. */
		int n = epoll_wait(epfd, events, MAX_EVENTS, npaused ? 1000 : -1);

		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		if (n == 0)
			resume_accepting();
		for (int i = 0; i < n; i++) {
			struct endpoint *ep = events[i].data.ptr;

			if (ep->kind == LISTENER)
				accept_all(ep);
			else if (ep->kind == UDP)
				udp_event(ep);
			else
				conn_event((struct conn *)ep, events[i].events);
		}
	}
}
