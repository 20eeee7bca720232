/*
 * readline: the console as the program's input (console=app). First a
 * non-blocking read, which finds nothing yet (EAGAIN), then a blocking
 * read of one line, echoed back with its length.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char buf[128];
	int fl = fcntl(0, F_GETFL);
	ssize_t n;

	fcntl(0, F_SETFL, fl | O_NONBLOCK);
	n = read(0, buf, sizeof(buf));
	printf("readline: non-blocking read: %zd %s\n", n,
	       n < 0 && errno == EAGAIN ? "EAGAIN" : "?");
	fcntl(0, F_SETFL, fl);
	printf("readline: type a line\n");
	n = read(0, buf, sizeof(buf) - 1);
	if (n < 0)
		return 1;
	buf[n] = '\0';
	printf("readline: read %zd bytes: %s", n, buf);
	return 0;
}
