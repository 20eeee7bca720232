/*
 * lwIP's side of the host benchmark (bench_pair.h): Debian's liblwip (2.1,
 * built with its own lwipopts.h: NO_SYS 0, MSS 1460, TCP_WND and
 * TCP_SND_BUF 0xFFFF, window scale 1, no timestamps, software checksums).
 * Debian's library is one stack per process, so the pair is two netifs,
 * 10.0.0.1/24 and 10.0.0.2/24, each pcb pinned to its netif with
 * tcp_bind_netif(), and linkoutput of one queues the frame for the other.
 *
 * Only lwip_init() runs, not tcpip_init(): no tcpip thread, no mailbox,
 * the raw API called from this one thread, as an lwIP NO_SYS port does,
 * and tcp_tmr() (one 250 ms tick) when time has to pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "netif/ethernet.h"

#include "tests/bench/host/bench_pair.h"

#define WIRE_MAX	4096	/* frames one end may have queued */
#define RXQ_MAX		256	/* segments an application queue holds; past
				   that lwIP keeps them as refused data */

/* Frames one netif sent, oldest first; the other end receives them. */
struct wire {
	struct pbuf *frame[WIRE_MAX];
	unsigned int head, len;
};

struct bench_conn {
	struct tcp_pcb *pcb;
	struct pbuf *rxq[RXQ_MAX];	/* received, not yet read */
	unsigned int rx_head, rx_len;
	u16_t rx_off;			/* read from rxq[rx_head] so far */
	bool established, eof, failed;
};

static struct netif nif[2];
static struct wire wires[2];
static unsigned long delivered;
static struct bench_conn *accepted;

static err_t wire_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct wire *w = netif->state;

	if (w->len == WIRE_MAX)
		return ERR_MEM;
	/* Held, not copied, as a NIC holds a TX descriptor until it is sent. */
	pbuf_ref(p);
	w->frame[(w->head + w->len++) % WIRE_MAX] = p;
	return ERR_OK;
}

static err_t wire_netif_init(struct netif *netif)
{
	int i = (int)(netif - nif);

	netif->name[0] = 'b';
	netif->name[1] = (char)('0' + i);
	netif->output = etharp_output;
	netif->linkoutput = wire_linkoutput;
	netif->mtu = 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, (u8_t[]){ 0x52, 0x54, 0, 0, 1, (u8_t)(0xa + i) },
	       ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

static int lwip_setup(void)
{
	ip4_addr_t mask, gw;

	lwip_init();
	IP4_ADDR(&mask, 255, 255, 255, 0);
	ip4_addr_set_zero(&gw);
	for (int i = 0; i < 2; i++) {
		ip4_addr_t ip;

		IP4_ADDR(&ip, 10, 0, 0, i + 1);
		if (!netif_add(&nif[i], &ip, &mask, &gw, &wires[i], wire_netif_init,
			       ethernet_input))
			return -ENODEV;
		netif_set_up(&nif[i]);
		netif_set_link_up(&nif[i]);
	}
	return 0;
}

/* A copy into a fresh receive buffer, as the NIC's DMA writes one. */
static void wire_deliver(struct netif *to, struct pbuf *p)
{
	struct pbuf *q = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_RAM);

	if (q) {
		pbuf_copy_partial(p, q->payload, p->tot_len, 0);
		if (to->input(q, to) != ERR_OK)
			pbuf_free(q);
	}
	pbuf_free(p);
	delivered++;
}

static struct pbuf *wire_pop(struct wire *w)
{
	struct pbuf *p = w->frame[w->head];

	w->head = (w->head + 1) % WIRE_MAX;
	w->len--;
	return p;
}

static unsigned long lwip_pump(void)
{
	unsigned long before = delivered;

	while (wires[0].len || wires[1].len) {
		if (wires[0].len)
			wire_deliver(&nif[1], wire_pop(&wires[0]));
		if (wires[1].len)
			wire_deliver(&nif[0], wire_pop(&wires[1]));
	}
	return delivered - before;
}

static bool lwip_advance(void)
{
	tcp_tmr();
	return true;
}

static unsigned long lwip_frames(void)
{
	return delivered;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct bench_conn *conn = arg;

	if (!p) {
		if (conn)
			conn->eof = true;
		return ERR_OK;
	}
	if (!conn) {		/* closed by us: discard */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	if (conn->rx_len == RXQ_MAX)
		return ERR_MEM;	/* lwIP keeps it as refused data */
	conn->rxq[(conn->rx_head + conn->rx_len++) % RXQ_MAX] = p;
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	struct bench_conn *conn = arg;

	if (conn) {
		conn->failed = true;
		conn->pcb = NULL;	/* lwIP has freed it */
	}
}

/* malloc, not calloc: the queue is not read before it is written. */
static struct bench_conn *conn_alloc(void)
{
	struct bench_conn *conn = malloc(sizeof(*conn));

	if (conn) {
		conn->pcb = NULL;
		conn->rx_head = conn->rx_len = 0;
		conn->rx_off = 0;
		conn->established = conn->eof = conn->failed = false;
	}
	return conn;
}

static void conn_init(struct bench_conn *conn, struct tcp_pcb *pcb, bool nodelay)
{
	conn->pcb = pcb;
	tcp_arg(pcb, conn);
	tcp_recv(pcb, on_recv);
	tcp_err(pcb, on_err);
	if (nodelay)
		tcp_nagle_disable(pcb);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct bench_conn *conn;

	if (err != ERR_OK || !pcb || accepted)
		return ERR_VAL;
	conn = conn_alloc();
	if (!conn)
		return ERR_MEM;
	conn_init(conn, pcb, false);
	conn->established = true;
	accepted = conn;
	return ERR_OK;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct bench_conn *conn = arg;

	conn->established = true;
	return ERR_OK;
}

static int lwip_listen(unsigned short port)
{
	struct tcp_pcb *pcb = tcp_new(), *l;

	if (!pcb)
		return -ENOMEM;
	tcp_bind_netif(pcb, &nif[1]);
	if (tcp_bind(pcb, netif_ip_addr4(&nif[1]), port) != ERR_OK)
		return -EADDRINUSE;
	l = tcp_listen_with_backlog(pcb, 4);
	if (!l)
		return -ENOMEM;
	tcp_accept(l, on_accept);
	return 0;
}

static int lwip_connect(unsigned short port, bool nodelay, struct bench_conn **c,
			struct bench_conn **s)
{
	struct bench_conn *conn = conn_alloc();
	struct tcp_pcb *pcb = tcp_new();
	unsigned int idle = 0;

	if (!conn || !pcb)
		return -ENOMEM;
	conn_init(conn, pcb, nodelay);
	tcp_bind_netif(pcb, &nif[0]);
	if (tcp_bind(pcb, netif_ip_addr4(&nif[0]), 0) != ERR_OK ||
	    tcp_connect(pcb, netif_ip_addr4(&nif[1]), port, on_connected) != ERR_OK)
		return -EADDRNOTAVAIL;
	while (!(conn->established && accepted) && !conn->failed)
		if (!lwip_pump() && (++idle > 100 || !lwip_advance()))
			return -ETIMEDOUT;
	if (conn->failed)
		return -ECONNREFUSED;
	if (nodelay)
		tcp_nagle_disable(accepted->pcb);
	*c = conn;
	*s = accepted;
	accepted = NULL;
	return 0;
}

static long lwip_write(struct bench_conn *conn, const void *buf, size_t len)
{
	size_t room;
	err_t err;

	if (conn->failed)
		return -ECONNRESET;
	room = tcp_sndbuf(conn->pcb);
	if (len > room)
		len = room;
	if (len > 0xffff)
		len = 0xffff;
	if (!len)
		return 0;
	err = tcp_write(conn->pcb, buf, (u16_t)len, TCP_WRITE_FLAG_COPY);
	if (err == ERR_MEM)
		len = 0;
	else if (err != ERR_OK)
		return -EIO;
	tcp_output(conn->pcb);
	return (long)len;
}

static long lwip_read(struct bench_conn *conn, void *buf, size_t len)
{
	size_t got = 0;

	if (len > 0xffff)
		len = 0xffff;	/* what tcp_recved() takes */
	while (got < len && conn->rx_len) {
		struct pbuf *p = conn->rxq[conn->rx_head];
		u16_t n = (u16_t)(p->tot_len - conn->rx_off);

		if (n > len - got)
			n = (u16_t)(len - got);
		pbuf_copy_partial(p, (char *)buf + got, n, conn->rx_off);
		got += n;
		conn->rx_off = (u16_t)(conn->rx_off + n);
		if (conn->rx_off == p->tot_len) {
			pbuf_free(p);
			conn->rx_head = (conn->rx_head + 1) % RXQ_MAX;
			conn->rx_len--;
			conn->rx_off = 0;
		}
	}
	if (got) {
		tcp_recved(conn->pcb, (u16_t)got);
		return (long)got;
	}
	if (conn->failed)
		return -ECONNRESET;
	return conn->eof ? -1 : 0;
}

static void lwip_close(struct bench_conn *conn)
{
	if (conn->pcb) {
		tcp_arg(conn->pcb, NULL);
		if (tcp_close(conn->pcb) != ERR_OK)
			tcp_abort(conn->pcb);
	}
	while (conn->rx_len) {
		pbuf_free(conn->rxq[conn->rx_head]);
		conn->rx_head = (conn->rx_head + 1) % RXQ_MAX;
		conn->rx_len--;
	}
	free(conn);
}

const struct bench_stack bench_stack = {
	.name = "lwip",
	.setup = lwip_setup,
	.listen = lwip_listen,
	.connect = lwip_connect,
	.write = lwip_write,
	.read = lwip_read,
	.close = lwip_close,
	.pump = lwip_pump,
	.advance = lwip_advance,
	.frames = lwip_frames,
};
