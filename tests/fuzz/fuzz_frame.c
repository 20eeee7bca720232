/*
 * libFuzzer target: one received Ethernet frame into a fresh stack (device
 * 10.0.0.1/24, peer 10.0.0.2 resolved) through eth_type_trans -> ARP/IPv4
 * -> ICMP/UDP/fragments, then 31 s of virtual time so every timer runs, then
 * a teardown after which no sk_buff may be left. The first input byte picks
 * options: bit 0 repairs the IPv4 and ICMP/UDP checksums (so the fuzzer gets
 * past them), bit 1 sends the frame twice (duplicates, reassembly).
 */
#include <stdlib.h>
#include <string.h>

#include "net/checksum.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "tests/host/host_random.h"
#include "tests/host/netsim.h"
#include "tests/host/pktbuild.h"
#include "tests/host/platform.h"

static const u8 our_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const u8 peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0xab, 0xcd, 0xef };

static void fold_into(u8 *at, u32 sum)
{
	put_be16(at, csum_fold(sum));	/* csum_fold() is host order */
}

/* Make the IPv4 header checksum (and ICMP/UDP's) right where lengths allow. */
static void repair(u8 *f, size_t len)
{
	u8 *ip = f + ETH_HLEN;
	size_t ihl, tot;

	if (len < ETH_HLEN + 20 || get_be16(f + 12) != ETH_P_IP)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	if (ihl < 20 || ETH_HLEN + ihl > len)
		return;
	memset(ip + 10, 0, 2);
	fold_into(ip + 10, csum_partial(ip, (unsigned int)ihl, 0));
	tot = get_be16(ip + 2);
	if (tot < ihl || ETH_HLEN + tot > len || (get_be16(ip + 6) & 0x3fff))
		return;
	if (ip[9] == 1 && tot - ihl >= 4) {
		memset(ip + ihl + 2, 0, 2);
		fold_into(ip + ihl + 2, csum_partial(ip + ihl, (unsigned int)(tot - ihl), 0));
	} else if (ip[9] == 17 && tot - ihl >= 8) {
		__be32 s, d;

		memcpy(&s, ip + 12, 4);
		memcpy(&d, ip + 16, 4);
		memset(ip + ihl + 6, 0, 2);
		fold_into(ip + ihl + 6,
			  csum_partial(ip + ihl, (unsigned int)(tot - ihl),
				       csum_tcpudp_nofold(s, d, (unsigned int)(tot - ihl), 17, 0)));
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct net_device *dev;
	u8 buf[128], *frame;
	unsigned int opts;

	if (size < 1 || size > PKT_MAX)
		return 0;
	opts = data[0];
	frame = malloc(size);
	if (!frame)
		return 0;
	memcpy(frame, data + 1, size - 1);
	if (opts & 1)
		repair(frame, size - 1);

	netsim_reset();
	host_random_seed(1);
	dev = fakedev_create(our_mac);
	inet_set_address(dev, ip4(10, 0, 0, 1), 24);
	fakedev_inject(dev, buf, pkt_arp(buf, our_mac, 2, peer_mac, ip4(10, 0, 0, 2),
					 our_mac, ip4(10, 0, 0, 1)));
	fakedev_inject(dev, frame, (unsigned int)(size - 1));
	if (opts & 2)
		fakedev_inject(dev, frame, (unsigned int)(size - 1));
	host_clock_advance(31 * NSEC_PER_SEC);
	fakedev_flush_tx(dev);
	netsim_teardown();
	if (skb_live_count() != 0)
		abort();	/* a leaked sk_buff is a bug */
	free(frame);
	return 0;
}
