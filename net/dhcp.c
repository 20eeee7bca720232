/*
 * DHCP client (net/dhcp.h). Replies arrive through the UDP port hook for
 * port 68: udp_rcv -> dhcp_rcv -> dhcp_parse -> state machine; requests
 * leave through udp_send. One client per namespace.
 */
#include "net/dhcp.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/slab.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/stack.h"
#include "net/udp.h"

#define DHCP_MSG_MAX	576	/* RFC 2131 §2: clients accept at least this */
#define DHCP_MIN_LEN	300	/* BOOTP's size, padded as servers expect */

static const char *const state_names[] = {
	[DHCP_SELECTING] = "SELECTING", [DHCP_REQUESTING] = "REQUESTING",
	[DHCP_BOUND] = "BOUND", [DHCP_RENEWING] = "RENEWING",
	[DHCP_REBINDING] = "REBINDING", [DHCP_FALLBACK] = "FALLBACK",
};

const char *dhcp_state_name(enum dhcp_state s)
{
	return s <= DHCP_FALLBACK ? state_names[s] : "?";
}

struct dhcp_client *dhcp_client(void)
{
	return net_current()->ipv4.dhcp;
}

/* ---- parsing ---------------------------------------------------------------- */

static void dhcp_option(struct dhcp_lease *l, u8 code, const u8 *v, u8 len)
{
	switch (code) {
	case DHO_MSG_TYPE:
		if (len == 1)
			l->msg_type = v[0];
		break;
	case DHO_SUBNET_MASK:
		if (len == 4)
			memcpy(&l->mask, v, 4);
		break;
	case DHO_ROUTER:
		if (len >= 4 && len % 4 == 0)
			memcpy(&l->router, v, 4);	/* the first router */
		break;
	case DHO_SERVER_ID:
		if (len == 4)
			memcpy(&l->server_id, v, 4);
		break;
	case DHO_LEASE_TIME:
		if (len == 4)
			l->lease_s = get_be32(v);
		break;
	case DHO_T1:
		if (len == 4)
			l->t1_s = get_be32(v);
		break;
	case DHO_T2:
		if (len == 4)
			l->t2_s = get_be32(v);
		break;
	}
}

/* One option area: returns the overload value found (0 if none) or -EINVAL. */
static int dhcp_parse_area(const u8 *p, unsigned int len, struct dhcp_lease *l,
			   bool end_required)
{
	unsigned int i = 0;
	int overload = 0;

	while (i < len) {
		u8 code = p[i], olen;

		if (code == DHO_PAD) {
			i++;
			continue;
		}
		if (code == DHO_END)
			return overload;
		if (i + 2 > len)
			return -EINVAL;
		olen = p[i + 1];
		if (i + 2 + olen > len)
			return -EINVAL;
		if (code == DHO_OVERLOAD) {
			if (olen != 1 || p[i + 2] < 1 || p[i + 2] > 3)
				return -EINVAL;
			overload = p[i + 2];
		} else {
			dhcp_option(l, code, p + i + 2, olen);
		}
		i += 2u + olen;
	}
	return end_required ? -EINVAL : overload;
}

int dhcp_parse(const struct dhcp_msg *msg, unsigned int len, struct dhcp_lease *l)
{
	int overload;

	memset(l, 0, sizeof(*l));
	if (len < sizeof(*msg) || ntohl(msg->cookie) != DHCP_MAGIC)
		return -EINVAL;
	overload = dhcp_parse_area(msg->options, len - sizeof(*msg), l, true);
	if (overload < 0)
		return -EINVAL;
	/* RFC 2132 §9.3: file first, then sname; no further overload there. */
	if ((overload & 1) &&
	    dhcp_parse_area(msg->file, sizeof(msg->file), l, false) != 0)
		return -EINVAL;
	if ((overload & 2) &&
	    dhcp_parse_area(msg->sname, sizeof(msg->sname), l, false) != 0)
		return -EINVAL;
	l->yiaddr = msg->yiaddr;
	return l->msg_type ? 0 : -EINVAL;
}

/* ---- sending ------------------------------------------------------------------ */

static u8 *put_opt(u8 *p, u8 code, const void *v, u8 len)
{
	*p++ = code;
	*p++ = len;
	memcpy(p, v, len);
	return p + len;
}

/* RFC 2131 §4.3.6 table 5: what each state's REQUEST carries. */
static int dhcp_send(struct dhcp_client *c, u8 type)
{
	static const u8 params[] = { DHO_SUBNET_MASK, DHO_ROUTER, DHO_LEASE_TIME,
				     DHO_T1, DHO_T2 };
	u8 buf[DHCP_MSG_MAX];
	struct dhcp_msg *m = (struct dhcp_msg *)buf;
	bool renewing = c->state == DHCP_RENEWING || c->state == DHCP_REBINDING;
	__be32 ours = inet_dev_addr(c->dev), dst = INADDR_BROADCAST;
	u8 *p;

	memset(buf, 0, sizeof(buf));
	m->op = BOOTREQUEST;
	m->htype = 1;
	m->hlen = ETH_ALEN;
	m->xid = htonl(c->xid);
	m->secs = htons((u16)min_t(u64, 0xffff, jiffies_to_msecs(jiffies - c->start) / 1000));
	m->flags = renewing ? 0 : htons(DHCP_FLAG_BROADCAST);
	memcpy(m->chaddr, c->dev->dev_addr, ETH_ALEN);
	m->cookie = htonl(DHCP_MAGIC);
	p = put_opt(m->options, DHO_MSG_TYPE, &type, 1);
	if (type == DHCPREQUEST && c->state == DHCP_REQUESTING) {
		p = put_opt(p, DHO_REQUESTED_ADDR, &c->lease.yiaddr, 4);
		p = put_opt(p, DHO_SERVER_ID, &c->lease.server_id, 4);
	}
	if (renewing) {
		m->ciaddr = ours;
		if (c->state == DHCP_RENEWING)
			dst = c->lease.server_id;
	}
	p = put_opt(p, DHO_PARAM_REQ, params, sizeof(params));
	*p++ = DHO_END;
	c->tries++;
	return udp_send(renewing ? ours : 0, dst, DHCP_CLIENT_PORT, DHCP_SERVER_PORT,
			buf, max_t(unsigned int, DHCP_MIN_LEN, (unsigned int)(p - buf)));
}

static void dhcp_arm(struct dhcp_client *c, u64 ms)
{
	mod_timer(&c->timer, jiffies + msecs_to_jiffies(ms));
}

static void dhcp_discover(struct dhcp_client *c)
{
	c->state = DHCP_SELECTING;
	c->tries = 0;
	c->xid = get_random_u32();
	dhcp_send(c, DHCPDISCOVER);
	dhcp_arm(c, DHCP_RETRANS_MS);
}

/* Lease lost (NAK, expiry): forget the address, start over. */
static void dhcp_restart(struct dhcp_client *c)
{
	if (c->state != DHCP_SELECTING && c->state != DHCP_REQUESTING) {
		inet_clear_address(c->dev);
		c->start = jiffies;
	}
	dhcp_discover(c);
}

static void dhcp_fallback(struct dhcp_client *c)
{
	c->state = DHCP_FALLBACK;
	del_timer(&c->timer);
	printk("dhcp: %s: no answer in %u ms, using 10.0.2.15/24 gw 10.0.2.2\n",
	       c->dev->name, DHCP_FALLBACK_MS);
	net_config_static(c->dev, ip4(10, 0, 2, 15), 24, ip4(10, 0, 2, 2));
}

/* ---- the state machine ------------------------------------------------------------ */

static unsigned int mask_to_prefix(__be32 mask)
{
	u32 m = ntohl(mask);
	unsigned int n = 0;

	while (m & 0x80000000u) {
		n++;
		m <<= 1;
	}
	return m ? 0 : n;	/* non-contiguous: unusable */
}

static void dhcp_bind(struct dhcp_client *c, const struct dhcp_lease *l)
{
	unsigned int prefix = l->mask ? mask_to_prefix(l->mask) : 24;
	struct dhcp_lease *ls = &c->lease;

	ls->yiaddr = l->yiaddr;
	ls->mask = l->mask;
	ls->router = l->router;
	if (l->server_id)
		ls->server_id = l->server_id;
	ls->lease_s = l->lease_s ? l->lease_s : 3600;
	ls->t1_s = l->t1_s ? l->t1_s : ls->lease_s / 2;
	ls->t2_s = l->t2_s ? l->t2_s : ls->lease_s / 8 * 7;
	if (!l->yiaddr || !prefix || prefix > 30) {
		dhcp_restart(c);
		return;
	}
	/* A renewal that changes nothing leaves the interface alone. */
	if ((inet_dev_addr(c->dev) != l->yiaddr ||
	     c->dev->ip_ptr->ifa_prefixlen != prefix) &&
	    net_config_static(c->dev, l->yiaddr, prefix, l->router)) {
		dhcp_restart(c);
		return;
	}
	if (c->state != DHCP_RENEWING && c->state != DHCP_REBINDING)
		printk("dhcp: %s bound to %pI4/%u, lease %u s\n", c->dev->name,
		       &l->yiaddr, prefix, ls->lease_s);
	c->state = DHCP_BOUND;
	c->tries = 0;
	c->bound_at = jiffies;
	dhcp_arm(c, (u64)ls->t1_s * 1000);
}

static void dhcp_handle(struct dhcp_client *c, const struct dhcp_lease *l)
{
	switch (l->msg_type) {
	case DHCPOFFER:
		if (c->state != DHCP_SELECTING || !l->yiaddr || !l->server_id)
			return;
		c->lease.yiaddr = l->yiaddr;
		c->lease.server_id = l->server_id;
		c->state = DHCP_REQUESTING;
		c->tries = 0;
		dhcp_send(c, DHCPREQUEST);
		dhcp_arm(c, DHCP_RETRANS_MS);
		break;
	case DHCPACK:
		if (c->state == DHCP_REQUESTING || c->state == DHCP_RENEWING ||
		    c->state == DHCP_REBINDING)
			dhcp_bind(c, l);
		break;
	case DHCPNAK:
		if (c->state == DHCP_REQUESTING || c->state == DHCP_RENEWING ||
		    c->state == DHCP_REBINDING) {
			printk("dhcp: %s: NAK, starting over\n", c->dev->name);
			dhcp_restart(c);
		}
		break;
	}
}

static int dhcp_rcv(struct sk_buff *skb, void *arg)
{
	struct dhcp_client *c = arg;
	const struct dhcp_msg *m = (const struct dhcp_msg *)skb->data;
	struct dhcp_lease l;

	if (skb->len >= sizeof(*m) && m->op == BOOTREPLY && m->htype == 1 &&
	    m->hlen == ETH_ALEN && ntohl(m->xid) == c->xid &&
	    !memcmp(m->chaddr, c->dev->dev_addr, ETH_ALEN) &&
	    !dhcp_parse(m, skb->len, &l))
		dhcp_handle(c, &l);
	consume_skb(skb);
	return 0;
}

static u64 ms_since(u64 then)
{
	return jiffies_to_msecs(jiffies - then);
}

/* T1 or T2 passed, or a renewal went unanswered (RFC 2131 §4.4.5). */
static void dhcp_renew_timeout(struct dhcp_client *c)
{
	const struct dhcp_lease *l = &c->lease;
	u64 bound_ms = ms_since(c->bound_at), until;

	if (bound_ms >= (u64)l->lease_s * 1000) {
		printk("dhcp: %s: lease expired\n", c->dev->name);
		dhcp_restart(c);
		return;
	}
	c->state = bound_ms >= (u64)l->t2_s * 1000 ? DHCP_REBINDING : DHCP_RENEWING;
	dhcp_send(c, DHCPREQUEST);
	/* Retry at half the time left to T2 (or expiry), at least 60 s. */
	until = (c->state == DHCP_RENEWING ? l->t2_s : l->lease_s) * 1000ull -
		bound_ms;
	dhcp_arm(c, max_t(u64, min_t(u64, until, 60000), until / 2));
}

/* DISCOVER or REQUEST unanswered: retransmit, go back, or fall back. */
static void dhcp_select_timeout(struct dhcp_client *c)
{
	if (ms_since(c->start) >= DHCP_FALLBACK_MS) {
		dhcp_fallback(c);
	} else if (c->state == DHCP_REQUESTING && c->tries >= DHCP_MAX_REQUESTS) {
		dhcp_discover(c);
	} else {
		dhcp_send(c, c->state == DHCP_SELECTING ? DHCPDISCOVER : DHCPREQUEST);
		dhcp_arm(c, DHCP_RETRANS_MS);
	}
}

static void dhcp_timer(struct timer_list *t)
{
	struct dhcp_client *c = from_timer(c, t, timer);
	struct net *prev = net_enter(c->net);

	switch (c->state) {
	case DHCP_SELECTING:
	case DHCP_REQUESTING:
		dhcp_select_timeout(c);
		break;
	case DHCP_BOUND:
	case DHCP_RENEWING:
	case DHCP_REBINDING:
		dhcp_renew_timeout(c);
		break;
	case DHCP_FALLBACK:
		break;
	}
	net_leave(prev);
}

int dhcp_start(struct net_device *dev)
{
	struct dhcp_client *c;
	int err;

	if (dhcp_client())
		return -EBUSY;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->net = net_current();
	c->dev = dev;
	timer_setup(&c->timer, dhcp_timer, 0);
	err = udp_register_port(DHCP_CLIENT_PORT, dhcp_rcv, NULL, c);
	if (!err)
		err = dev_open(dev);
	if (err) {
		udp_unregister_port(DHCP_CLIENT_PORT);
		kfree(c);
		return err;
	}
	net_current()->ipv4.dhcp = c;
	c->start = jiffies;
	printk("dhcp: %s: discovering\n", dev->name);
	dhcp_discover(c);
	return 0;
}

void dhcp_stop(void)
{
	struct dhcp_client *c = dhcp_client();

	if (!c)
		return;
	del_timer(&c->timer);
	udp_unregister_port(DHCP_CLIENT_PORT);
	net_current()->ipv4.dhcp = NULL;
	kfree(c);
}

void dhcp_net_exit(struct net *net)
{
	(void)net;
	dhcp_stop();
}
