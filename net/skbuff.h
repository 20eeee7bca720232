/*
 * struct sk_buff: one buffer per frame (seed 004 §3.2.5, DESIGN §4).
 *
 *          <- push        <- trim
 *           -> pull        -> put
 *   [ headroom ][ data ........ ][ tailroom ][ skb_shared_info ]
 *   head        data          tail        end
 *
 * Headers are stripped by moving data forward (skb_pull) and prepended by
 * moving it back (skb_push): no bytes are copied between layers. Data is
 * always linear (no page fragments); a 64 KiB TSO segment is one buffer.
 * skb_clone() shares the data (dataref in skb_shared_info) and copies only
 * the header, so TCP can transmit a clone while keeping the original on its
 * retransmission queue.
 *
 * Every skb is accounted: skb_live_count()/skb_live_bytes() go back to zero
 * when nothing is held, so a leak is a test failure. Every drop says why
 * (kfree_skb_reason) and is counted per reason.
 */
#ifndef NET_SKBUFF_H
#define NET_SKBUFF_H

#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "lib/compiler.h"
#include "lib/types.h"

struct sock;
struct net_device;

/* skb->pkt_type, set by eth_type_trans() */
#define PACKET_HOST		0
#define PACKET_BROADCAST	1
#define PACKET_MULTICAST	2
#define PACKET_OTHERHOST	3
#define PACKET_LOOPBACK		5

/* skb->ip_summed */
#define CHECKSUM_NONE		0	/* rx: not checked; tx: done in software */
#define CHECKSUM_UNNECESSARY	1	/* rx: the device verified it */
#define CHECKSUM_COMPLETE	2	/* rx: skb->csum holds the sum */
#define CHECKSUM_PARTIAL	3	/* tx: device fills csum_start+csum_offset */

struct skb_shared_info {
	unsigned int dataref;	/* sk_buffs sharing this data */
	u16 gso_size;		/* TSO: MSS of the segments to cut; 0 = none */
	u16 gso_segs;
	u8 gso_type;		/* SKB_GSO_TCPV4 */
};
#define SKB_GSO_TCPV4	1

struct sk_buff {
	/* These two must be first: sk_buff_head lists link through them. */
	struct sk_buff *next;
	struct sk_buff *prev;

	struct sock *sk;
	struct net_device *dev;
	ktime_t tstamp;

	unsigned int len;		/* bytes from data to tail */
	unsigned int truesize;		/* memory charged: header + buffer */
	unsigned int users;		/* references to this sk_buff */
	__be16 protocol;		/* ETH_P_* in network order */
	u8 pkt_type;
	u8 ip_summed;
	u8 cloned;			/* data shared with another sk_buff */
	u8 trace;			/* print this packet's path (trace=net) */
	u16 csum_start;			/* CHECKSUM_PARTIAL: from head */
	u16 csum_offset;		/* ... where to store, from csum_start */
	u32 csum;			/* CHECKSUM_COMPLETE */
	u16 mac_header;			/* offsets from head; ~0 = unset */
	u16 network_header;
	u16 transport_header;

	void (*destructor)(struct sk_buff *skb);

	/* Per-layer scratch space (TCP_SKB_CB, IPCB, reassembly state). */
	char cb[48] __aligned(8);

	unsigned char *head, *data, *tail, *end;
};

struct sk_buff_head {
	/* These two must be first: the head is the list's sentinel. */
	struct sk_buff *next;
	struct sk_buff *prev;
	u32 qlen;
	spinlock_t lock;
};

/* Why a packet was dropped: each has a counter (see skb_drop_counts). */
enum skb_drop_reason {
	SKB_NOT_DROPPED_YET = 0,
	SKB_CONSUMED,
	SKB_DROP_REASON_NOT_SPECIFIED,
	SKB_DROP_REASON_NO_MEMORY,
	SKB_DROP_REASON_PKT_TOO_SMALL,	/* shorter than its headers say */
	SKB_DROP_REASON_PKT_TOO_BIG,
	SKB_DROP_REASON_OTHERHOST,	/* not our MAC */
	SKB_DROP_REASON_UNHANDLED_PROTO,	/* EtherType we do not speak */
	SKB_DROP_REASON_IPV6,		/* IPv4 only for now (DESIGN §4) */
	SKB_DROP_REASON_ARP_INVALID,
	SKB_DROP_REASON_ARP_QUEUE_FULL,
	SKB_DROP_REASON_ARP_FAILED,	/* neighbour never answered */
	SKB_DROP_REASON_IP_HDR,		/* version, IHL, length */
	SKB_DROP_REASON_IP_CSUM,
	SKB_DROP_REASON_IP_NOT_OURS,
	SKB_DROP_REASON_IP_TTL,
	SKB_DROP_REASON_IP_NOPROTO,
	SKB_DROP_REASON_IP_FRAG,	/* reassembly refused or timed out */
	SKB_DROP_REASON_NO_ROUTE,
	SKB_DROP_REASON_ICMP_INVALID,
	SKB_DROP_REASON_ICMP_RATELIMIT,
	SKB_DROP_REASON_UDP_HDR,
	SKB_DROP_REASON_UDP_CSUM,
	SKB_DROP_REASON_NO_SOCKET,
	SKB_DROP_REASON_SOCKET_RCVBUFF,	/* receive buffer full */
	SKB_DROP_REASON_SECURITY,	/* refused by the security policy */
	SKB_DROP_REASON_TCP_HDR,
	SKB_DROP_REASON_TCP_CSUM,
	SKB_DROP_REASON_TCP_INVALID,	/* out of window, bad flags, ... */
	SKB_DROP_REASON_TCP_OFO_DROP,
	SKB_DROP_REASON_TCP_LISTEN_OVERFLOW,
	SKB_DROP_REASON_DEV_DOWN,
	SKB_DROP_REASON_TX_QUEUE_FULL,
	SKB_DROP_REASON_SKB_MEM_LIMIT,	/* allocation refused: skb memory cap */
	SKB_DROP_REASON_MAX
};

extern u64 skb_drop_counts[SKB_DROP_REASON_MAX];
const char *skb_drop_reason_name(enum skb_drop_reason r);

/* Allocation. @size is the data area; headroom is the caller's skb_reserve. */
struct sk_buff *alloc_skb(unsigned int size);
/* An skb for a received frame of up to @len, with NET_SKB_PAD of headroom. */
struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len);
#define NET_SKB_PAD	64
/* Room for every header below TCP/UDP: Ethernet + IPv4 with options + pad. */
#define MAX_HEADER	128

/* Drop one reference; the last frees. kfree_skb counts a drop (reason NOT_SPECIFIED). */
void kfree_skb(struct sk_buff *skb);
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
/* Free after normal use: not a drop. */
void consume_skb(struct sk_buff *skb);
struct sk_buff *skb_get(struct sk_buff *skb);
/* New header sharing the data. NULL on ENOMEM. */
struct sk_buff *skb_clone(struct sk_buff *skb);
/* Full private copy (header and data). */
struct sk_buff *skb_copy(const struct sk_buff *skb);
/* Make the data private (copy if shared), so it may be written. 0 or -ENOMEM. */
int skb_unshare_data(struct sk_buff *skb);

static inline struct skb_shared_info *skb_shinfo(const struct sk_buff *skb)
{
	return (struct skb_shared_info *)skb->end;
}

static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}

static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->end - skb->tail);
}

static inline void skb_reserve(struct sk_buff *skb, unsigned int len)
{
	skb->data += len;
	skb->tail += len;
}

/* Extend the data at the tail by @len; returns where the new bytes go. */
void *skb_put(struct sk_buff *skb, unsigned int len);
void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len);
void *skb_put_zero(struct sk_buff *skb, unsigned int len);
/* Extend the data at the front by @len (a lower layer's header). */
void *skb_push(struct sk_buff *skb, unsigned int len);
/* Strip @len from the front; NULL (and nothing changed) if len > skb->len. */
void *skb_pull(struct sk_buff *skb, unsigned int len);
/* Cut the data to @len bytes (drop link padding, trailing garbage). */
void skb_trim(struct sk_buff *skb, unsigned int len);
/* Linear buffers: "may pull" is just "is it there". */
static inline bool pskb_may_pull(const struct sk_buff *skb, unsigned int len)
{
	return len <= skb->len;
}
/* Copy @len bytes at @offset from data into @to; 0 or -EFAULT if out of range. */
int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);

/* Header offsets, as Linux names them. */
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (u16)(skb->data - skb->head);
}
static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (u16)(skb->data - skb->head);
}
static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (u16)(skb->data - skb->head);
}
static inline void skb_set_network_header(struct sk_buff *skb, int offset)
{
	skb->network_header = (u16)(skb->data - skb->head + offset);
}
static inline void skb_set_transport_header(struct sk_buff *skb, int offset)
{
	skb->transport_header = (u16)(skb->data - skb->head + offset);
}
static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}
static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}

/* Queues: a circular list with the head as sentinel (seed 004 §3.2.4). */
void skb_queue_head_init(struct sk_buff_head *list);
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *skb);
void skb_queue_head(struct sk_buff_head *list, struct sk_buff *skb);
struct sk_buff *skb_dequeue(struct sk_buff_head *list);
struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list);
void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list);
/* Insert @newsk after @prev (out-of-order queues keep sequence order). */
void skb_append(struct sk_buff *prev, struct sk_buff *newsk,
		struct sk_buff_head *list);
void skb_insert_before(struct sk_buff *next, struct sk_buff *newsk,
		       struct sk_buff_head *list);
/* Free everything queued; returns how many. */
unsigned int skb_queue_purge(struct sk_buff_head *list);

static inline u32 skb_queue_len(const struct sk_buff_head *list)
{
	return list->qlen;
}

static inline bool skb_queue_empty(const struct sk_buff_head *list)
{
	return list->next == (const struct sk_buff *)list;
}

static inline struct sk_buff *skb_peek(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->next;

	return skb == (const struct sk_buff *)list ? NULL : skb;
}

static inline struct sk_buff *skb_peek_tail(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->prev;

	return skb == (const struct sk_buff *)list ? NULL : skb;
}

#define skb_queue_walk(queue, skb)					\
	for (skb = (queue)->next; skb != (struct sk_buff *)(queue);	\
	     skb = skb->next)
#define skb_queue_walk_safe(queue, skb, tmp)				\
	for (skb = (queue)->next, tmp = skb->next;			\
	     skb != (struct sk_buff *)(queue); skb = tmp, tmp = skb->next)

/*
 * Detach the skb from its owning socket: run the destructor now (a sent
 * skb gives its sndbuf bytes back) so another owner may charge it.
 */
static inline void skb_orphan(struct sk_buff *skb)
{
	if (skb->destructor) {
		skb->destructor(skb);
		skb->destructor = NULL;
	}
	skb->sk = NULL;
}

/* Accounting: live sk_buff headers and the bytes they hold (truesize). */
u64 skb_live_count(void);
u64 skb_live_bytes(void);

/*
 * The skb memory cap: the total truesize of live skbs. alloc_skb() and
 * skb_clone() refuse an skb that would take it past the cap; each refusal
 * is counted under SKB_MEM_LIMIT and logged at most once per 5 s. Callers
 * already handle NULL: receive paths drop (no reply, no reassembled
 * datagram), transmit paths return -ENOBUFS, as Linux does. Driver
 * receive buffers (netdev_alloc_skb) count towards the total but are not
 * refused: the rings are bounded by their size, and receiving is how the
 * memory holding the cap gets freed. The kernel sizes the cap from RAM at
 * boot or from skb_mem= (kernel/net_sizing.c).
 */
#define SKB_MEM_LIMIT_DEFAULT	(32ULL << 20)
void skb_set_mem_limit(u64 bytes);
u64 skb_get_mem_limit(void);

/* Fault injection for tests: fail the next @n skb allocations. */
void skb_fail_next(unsigned int n);

#endif
