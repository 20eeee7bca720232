/*
 * connects: N TCP connections from the guest to one listener, one after
 * another, each closed after a one-line request and its answer, to sample
 * the ephemeral ports one boot's connect()s get (tests/guest/test_hostile.py;
 * built by the test with musl-gcc and booted as a module). Prints each local
 * port as getsockname() reports it.
 *
 *   connects A.B.C.D PORT N
 *
 * Exits 0 when all N connections were made and answered, 1 otherwise.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int one(const struct sockaddr_in *to)
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	char buf[64];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)to, sizeof(*to)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&me, &len) < 0 ||
	    write(fd, "port?\n", 6) != 6 || read(fd, buf, sizeof(buf)) <= 0) {
		perror("connects");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return ntohs(me.sin_port);
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int n;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
	    (n = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: connects A.B.C.D PORT N\n");
		return 1;
	}
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	for (int i = 0; i < n; i++) {
		int port = one(&to);

		if (port < 0)
			return 1;
		printf("connects: %d local port %d\n", i, port);
	}
	return 0;
}
