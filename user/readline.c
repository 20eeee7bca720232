/*
 * readline: the console as the program's input (console=app). First a
 * non-blocking read, which finds nothing yet (EAGAIN), then a blocking
 * readv of one line into two buffers, echoed back with its length.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	char buf[128];
	struct iovec iov[2] = {{buf, 4}, {buf + 4, sizeof(buf) - 5}};
	int fl = fcntl(0, F_GETFL);
	ssize_t n;

	fcntl(0, F_SETFL, fl | O_NONBLOCK);
	n = read(0, buf, sizeof(buf));
	printf("readline: non-blocking read: %zd %s\n", n,
	       n < 0 && errno == EAGAIN ? "EAGAIN" : "?");
	fcntl(0, F_SETFL, fl);
	printf("readline: type a line\n");
	n = readv(0, iov, 2);
	if (n < 0)
		return 1;
	buf[n] = '\0';
	printf("readline: read %zd bytes: %s", n, buf);
	return 0;
}
