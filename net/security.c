/*
 * The socket security policy (net/security.h): an ordered allow/deny list
 * consulted by the hooks sock_sendmsg, sock_recvmsg, bind and connect call
 * before the protocol sees anything.
 */
#include "net/security.h"
#include "kernel/init.h"
#include "kernel/monitor.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "lib/byteorder.h"
#include "lib/cmdline.h"
#include "lib/string.h"
#include "lib/vsprintf.h"
#include "net/inet_sock.h"

static struct security_rule rules[SECURITY_MAX_RULES];
static int nrules;
u64 security_denials;

static const struct {
	const char *name;
	unsigned int op;
} op_names[] = {
	{ "bind", SEC_OP_BIND },	{ "connect", SEC_OP_CONNECT },
	{ "sendmsg", SEC_OP_SENDMSG },	{ "recvmsg", SEC_OP_RECVMSG },
	{ "all", SEC_OP_ALL },
};

static u32 prefix_mask(unsigned int prefix)
{
	return prefix ? ~0u << (32 - prefix) : 0;
}

static bool rule_matches(const struct security_rule *r, unsigned int op,
			 u32 addr, u16 port)
{
	return (r->ops & op) &&
	       ((addr ^ r->addr) & prefix_mask(r->prefix)) == 0 &&
	       port >= r->port_lo && port <= r->port_hi;
}

/* The first matching rule decides; no match allows. */
static int security_check(unsigned int op, __be32 addr, __be16 port)
{
	for (int i = 0; i < nrules; i++) {
		if (!rule_matches(&rules[i], op, ntohl(addr), ntohs(port)))
			continue;
		if (rules[i].allow)
			return 0;
		security_denials++;
		return op == SEC_OP_SENDMSG ? -EPERM : -EACCES;
	}
	return 0;
}

/* Only IPv4 addresses are judged; the protocol rejects anything else. */
static int check_sockaddr(unsigned int op, const struct sockaddr *a, int len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)a;

	if (!a || len < (int)sizeof(*sin) || sin->sin_family != AF_INET)
		return 0;
	return security_check(op, sin->sin_addr.s_addr, sin->sin_port);
}

int security_socket_bind(struct socket *sock, struct sockaddr *address,
			 int addrlen)
{
	return check_sockaddr(SEC_OP_BIND, address, addrlen);
}

int security_socket_connect(struct socket *sock, struct sockaddr *address,
			    int addrlen)
{
	return check_sockaddr(SEC_OP_CONNECT, address, addrlen);
}

/* The destination: the message's address, or the connected peer. */
int security_socket_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;

	if (msg->msg_name)
		return check_sockaddr(SEC_OP_SENDMSG, msg->msg_name,
				      msg->msg_namelen);
	if (!sk || sk->sk_family != AF_INET)
		return 0;
	return security_check(SEC_OP_SENDMSG, sk->sk_daddr, sk->sk_dport);
}

/* Receiving is judged on the socket's own bound address and port. */
int security_socket_recvmsg(struct socket *sock, struct msghdr *msg,
			    size_t size, int flags)
{
	struct sock *sk = sock->sk;

	if (!sk || sk->sk_family != AF_INET)
		return 0;
	return security_check(SEC_OP_RECVMSG, sk->sk_rcv_saddr,
			      htons(sk->sk_num));
}

static int parse_ops(const char *s, size_t len, unsigned int *ops)
{
	*ops = 0;
	while (len) {
		const char *plus = memchr(s, '+', len);
		size_t n = plus ? (size_t)(plus - s) : len;
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(op_names); i++)
			if (strlen(op_names[i].name) == n &&
			    !strncmp(op_names[i].name, s, n))
				break;
		if (i == ARRAY_SIZE(op_names))
			return -EINVAL;
		*ops |= op_names[i].op;
		len -= plus ? n + 1 : n;
		s += plus ? n + 1 : n;
	}
	return *ops ? 0 : -EINVAL;
}

static int parse_port(const char *s, u16 *port)
{
	unsigned long v;

	if (kstrtoul(s, 10, &v) || v > 65535)
		return -EINVAL;
	*port = (u16)v;
	return 0;
}

static int parse_ports(char *s, struct security_rule *r)
{
	char *dash = strchr(s, '-');

	if (!strcmp(s, "*")) {
		r->port_lo = 0;
		r->port_hi = 65535;
		return 0;
	}
	if (dash)
		*dash = '\0';
	if (parse_port(s, &r->port_lo) ||
	    parse_port(dash ? dash + 1 : s, &r->port_hi) ||
	    r->port_lo > r->port_hi)
		return -EINVAL;
	return 0;
}

static int parse_addr(const char *s, struct security_rule *r)
{
	if (!strcmp(s, "*")) {
		r->addr = 0;
		r->prefix = 0;
		return 0;
	}
	if (!strncmp(s, "0.0.0.0/0", 10)) {
		r->addr = 0;
		r->prefix = 0;
		return 0;
	}
	if (strchr(s, '/'))
		return in4_pton_prefix(s, &r->addr, &r->prefix) ||
		       r->prefix > 32 ? -EINVAL : 0;
	r->prefix = 32;
	return in4_pton(s, &r->addr) ? -EINVAL : 0;
}

/* allow|deny:OPS:ADDR[/N]:PORTS */
int security_rule_parse(const char *s, struct security_rule *r)
{
	char buf[96], *f[4], *p = buf;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		f[i] = p;
		p = strchr(p, ':');
		if ((i < 3) != (p != NULL))
			return -EINVAL;
		if (p)
			*p++ = '\0';
	}
	if (!strcmp(f[0], "allow"))
		r->allow = true;
	else if (!strcmp(f[0], "deny"))
		r->allow = false;
	else
		return -EINVAL;
	if (parse_ops(f[1], strlen(f[1]), &r->ops) || parse_addr(f[2], r) ||
	    parse_ports(f[3], r))
		return -EINVAL;
	r->addr &= prefix_mask(r->prefix);
	return 0;
}

int security_add_rule(const struct security_rule *r)
{
	if (nrules == SECURITY_MAX_RULES)
		return -ENOSPC;
	rules[nrules++] = *r;
	return 0;
}

int security_add_rules(const char *list)
{
	char buf[CMDLINE_MAX], *s = buf;

	if (strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	while (s && *s) {
		struct security_rule r;
		char *comma = strchr(s, ',');
		int err;

		if (comma)
			*comma++ = '\0';
		err = security_rule_parse(s, &r);
		if (!err)
			err = security_add_rule(&r);
		if (err)
			return err;
		s = comma;
	}
	return 0;
}

void security_clear_rules(void)
{
	nrules = 0;
}

int security_rule_count(void)
{
	return nrules;
}

const struct security_rule *security_rule_get(int i)
{
	return i >= 0 && i < nrules ? &rules[i] : NULL;
}

void security_rule_format(const struct security_rule *r, char *buf, size_t len)
{
	char ops[48] = "";
	size_t n = 0;

	if (r->ops == SEC_OP_ALL) {
		strlcpy(ops, "all", sizeof(ops));
	} else {
		for (unsigned int i = 0; i < ARRAY_SIZE(op_names) - 1; i++)
			if (r->ops & op_names[i].op)
				n += (size_t)snprintf(ops + n, sizeof(ops) - n,
						      "%s%s", n ? "+" : "",
						      op_names[i].name);
	}
	snprintf(buf, len, "%s:%s:%u.%u.%u.%u/%u:%u-%u",
		 r->allow ? "allow" : "deny", ops, r->addr >> 24,
		 (r->addr >> 16) & 0xff, (r->addr >> 8) & 0xff, r->addr & 0xff,
		 r->prefix, r->port_lo, r->port_hi);
}

static int security_init(void)
{
	const char *v = cmdline_get(&kparams.cl, "security");

	if (v && *v && security_add_rules(v)) {
		security_clear_rules();
		pr_warn("security=%s: bad rule list, policy stays allow-all\n", v);
	}
	return 0;
}
DEFINE_INITCALL(INITCALL_SUBSYS, security_init);

static int cmd_security(int argc, char **argv)
{
	char line[96];

	if (argc == 3 && !strcmp(argv[1], "add")) {
		if (!security_add_rules(argv[2]))
			return 0;
		kprintf("security: bad rule: allow|deny:OPS:A.B.C.D/N:PORT[-PORT]\n");
		return 1;
	}
	if (argc == 2 && !strcmp(argv[1], "clear")) {
		security_clear_rules();
		return 0;
	}
	if (argc != 1) {
		kprintf("usage: security [add RULE | clear]\n");
		return 1;
	}
	kprintf("%d rules, default allow, %llu refused\n", nrules,
	       (unsigned long long)security_denials);
	for (int i = 0; i < nrules; i++) {
		security_rule_format(&rules[i], line, sizeof(line));
		kprintf("  %d %s\n", i, line);
	}
	return 0;
}
DEFINE_MONITOR_CMD(security, cmd_security,
		   "socket policy: list, add allow|deny:OPS:ADDR/N:PORTS, clear");
