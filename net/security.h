/*
 * The socket security hooks (Linux include/linux/security.h): the socket
 * layer asks before bind, connect, sendmsg and recvmsg. The policy is a
 * short ordered list of allow/deny rules on an IPv4 prefix and a port
 * range; the first rule that matches decides, and with no match the call
 * is allowed. Refusals answer as Linux's LSMs do: -EACCES, except sendmsg,
 * which gets -EPERM as a packet refused by netfilter does.
 *
 * Rule syntax (command line `security=R1,R2`, monitor `security add R`):
 *   allow|deny:OPS:A.B.C.D/N:PORT[-PORT]   OPS = bind+connect+sendmsg+recvmsg|all
 *   e.g. deny:bind:0.0.0.0/0:1-1023   allow:connect:10.0.2.0/24:*
 */
#ifndef NET_SECURITY_H
#define NET_SECURITY_H

#include "lib/types.h"

struct socket;
struct sockaddr;
struct msghdr;

#define SEC_OP_BIND	(1u << 0)
#define SEC_OP_CONNECT	(1u << 1)
#define SEC_OP_SENDMSG	(1u << 2)
#define SEC_OP_RECVMSG	(1u << 3)
#define SEC_OP_ALL	0xfu

#define SECURITY_MAX_RULES	32

struct security_rule {
	bool allow;
	unsigned int ops;	/* SEC_OP_* */
	u32 addr;		/* host order */
	unsigned int prefix;
	u16 port_lo, port_hi;	/* host order, inclusive */
};

int security_socket_bind(struct socket *sock, struct sockaddr *address,
			 int addrlen);
int security_socket_connect(struct socket *sock, struct sockaddr *address,
			    int addrlen);
int security_socket_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int security_socket_recvmsg(struct socket *sock, struct msghdr *msg,
			    size_t size, int flags);

/* Parse one rule; 0 or -EINVAL. */
int security_rule_parse(const char *s, struct security_rule *r);
/* Append a rule (-ENOSPC when full) / a comma-separated list (first error). */
int security_add_rule(const struct security_rule *r);
int security_add_rules(const char *list);
void security_clear_rules(void);
int security_rule_count(void);
/* One rule as text, in the syntax security_rule_parse() reads. */
void security_rule_format(const struct security_rule *r, char *buf, size_t len);
const struct security_rule *security_rule_get(int i);
/* Calls refused so far. */
extern u64 security_denials;

#endif
