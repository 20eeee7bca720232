/*
 * One stack on one fake device, for tests that feed it frames and read
 * what it sends: eth0 is 10.0.0.1/24 with MAC OUR_MAC; the peer 10.0.0.2
 * (PEER_MAC) is already in the ARP cache, so replies leave at once.
 */
#ifndef TESTS_HOST_NETTEST_H
#define TESTS_HOST_NETTEST_H

#include "net/ip.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"

extern const u8 OUR_MAC[ETH_ALEN], PEER_MAC[ETH_ALEN], BCAST_MAC[ETH_ALEN];
extern struct net_device *nt_dev;
extern __be32 nt_ours, nt_peer;

void nettest_setup(void);
/* Tear down and assert nothing leaked. */
void nettest_teardown(void);
/*
 * netsim_teardown(), then assert no socket, sock or skb outlived the test:
 * the ending every socket-level test shares.
 */
void netsim_teardown_no_leaks(void);
/* An IPv4 frame from the peer to @ip->daddr (0: us), with @pad bytes of trailer. */
void nettest_inject_ip(struct pkt_ip *ip, const void *payload, unsigned int plen,
		       unsigned int pad);
/* The next transmitted IPv4 frame, ARP skipped (freed at teardown), or fail. */
struct sk_buff *nettest_tx(void);
/* Its IP header and payload. */
const struct iphdr *tx_iph(const struct sk_buff *skb);

#endif
