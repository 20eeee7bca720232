/*
 * The monitor's `ping A.B.C.D [count]`: ICMP echo requests one a second
 * at most, each waiting up to PING_WAIT_MS for its reply on a wait queue
 * that the echo-reply hook (softirq context) wakes.
 */
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "lib/byteorder.h"
#include "lib/cmdline.h"
#include "net/icmp.h"
#include "net/net_monitor.h"

#define PING_ID		0x7069
#define PING_LEN	56
#define PING_WAIT_MS	1000
#define PING_MAX_COUNT	100

static DECLARE_WAIT_QUEUE_HEAD(ping_wait);
static u16 ping_seq_seen;

static void ping_reply(__be32 saddr, u16 id, u16 seq, unsigned int len)
{
	(void)saddr;
	(void)len;
	if (id != PING_ID)
		return;
	ping_seq_seen = seq;
	wake_up(&ping_wait);
}

/* One echo; the round trip in ns, or -errno (-ETIMEDOUT without a reply). */
static s64 ping_once(__be32 daddr, u16 seq)
{
	ktime_t start = ktime_get();
	long left;
	int err;

	err = icmp_send_echo(daddr, PING_ID, seq, PING_LEN);
	if (err)
		return err;
	left = wait_event_timeout(ping_wait, ping_seq_seen == seq,
				  (long)msecs_to_jiffies(PING_WAIT_MS));
	if (!left)
		return -ETIMEDOUT;
	return ktime_get() - start;
}

int net_cmd_ping(int argc, char **argv)
{
	unsigned long count = 3;
	unsigned int received = 0;
	__be32 daddr;
	u32 addr;

	if (argc < 2 || argc > 3 || in4_pton(argv[1], &addr) ||
	    (argc == 3 && (kstrtoul(argv[2], 10, &count) || !count ||
			   count > PING_MAX_COUNT))) {
		kprintf("usage: ping A.B.C.D [count 1..%d]\n", PING_MAX_COUNT);
		return -1;
	}
	daddr = htonl(addr);
	ping_seq_seen = 0;
	icmp_echo_reply_hook = ping_reply;
	for (u16 seq = 1; seq <= count; seq++) {
		s64 rtt = ping_once(daddr, seq);

		if (rtt >= 0) {
			received++;
			kprintf("%d bytes from %pI4: icmp_seq=%u time=%ld.%03ld ms\n",
				PING_LEN + 8, &daddr, seq, (long)(rtt / NSEC_PER_MSEC),
				(long)(rtt / 1000 % 1000));
		} else {
			kprintf("icmp_seq=%u: %s\n", seq, rtt == -ETIMEDOUT ?
				"no reply" : errno_name((int)-rtt));
		}
	}
	icmp_echo_reply_hook = NULL;
	kprintf("%lu packets transmitted, %u received\n", count, received);
	return received ? 0 : -1;
}
DEFINE_MONITOR_CMD(ping, net_cmd_ping, "ping A.B.C.D [count]: ICMP echo");
