/*
 * Socket states, shared by every sock (Linux include/net/tcp_states.h):
 * an unconnected datagram sock is TCP_CLOSE, a connected one
 * TCP_ESTABLISHED; TCP uses all of them (RFC 9293 §3.3.2).
 */
#ifndef NET_TCP_STATES_H
#define NET_TCP_STATES_H

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
	TCP_NEW_SYN_RECV,
	TCP_MAX_STATES
};

#define TCPF_STATE(s)	(1 << (s))

#endif
