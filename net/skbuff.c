/*
 * sk_buff allocation, reference counting and queues (net/skbuff.h).
 * The header comes from the "skbuff_head_cache" slab cache, the data area
 * from kmalloc with struct skb_shared_info at its end; clones share the
 * data area and count themselves in shinfo->dataref.
 */
#include "net/skbuff.h"
#include "kernel/panic.h"
#include "kernel/slab.h"
#include "lib/ratelimit.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "net/netdevice.h"

u64 skb_drop_counts[SKB_DROP_REASON_MAX];

static struct kmem_cache *skbuff_head_cache;
static u64 live_count, live_bytes;
static unsigned int fail_next;
static u64 mem_limit = SKB_MEM_LIMIT_DEFAULT;

static const char *const drop_reason_names[SKB_DROP_REASON_MAX] = {
	[SKB_NOT_DROPPED_YET] = "NOT_DROPPED_YET",
	[SKB_CONSUMED] = "CONSUMED",
	[SKB_DROP_REASON_NOT_SPECIFIED] = "NOT_SPECIFIED",
	[SKB_DROP_REASON_NO_MEMORY] = "NO_MEMORY",
	[SKB_DROP_REASON_PKT_TOO_SMALL] = "PKT_TOO_SMALL",
	[SKB_DROP_REASON_PKT_TOO_BIG] = "PKT_TOO_BIG",
	[SKB_DROP_REASON_OTHERHOST] = "OTHERHOST",
	[SKB_DROP_REASON_UNHANDLED_PROTO] = "UNHANDLED_PROTO",
	[SKB_DROP_REASON_IPV6] = "IPV6",
	[SKB_DROP_REASON_ARP_INVALID] = "ARP_INVALID",
	[SKB_DROP_REASON_ARP_QUEUE_FULL] = "ARP_QUEUE_FULL",
	[SKB_DROP_REASON_ARP_FAILED] = "ARP_FAILED",
	[SKB_DROP_REASON_IP_HDR] = "IP_HDR",
	[SKB_DROP_REASON_IP_CSUM] = "IP_CSUM",
	[SKB_DROP_REASON_IP_NOT_OURS] = "IP_NOT_OURS",
	[SKB_DROP_REASON_IP_TTL] = "IP_TTL",
	[SKB_DROP_REASON_IP_NOPROTO] = "IP_NOPROTO",
	[SKB_DROP_REASON_IP_FRAG] = "IP_FRAG",
	[SKB_DROP_REASON_NO_ROUTE] = "NO_ROUTE",
	[SKB_DROP_REASON_ICMP_INVALID] = "ICMP_INVALID",
	[SKB_DROP_REASON_ICMP_RATELIMIT] = "ICMP_RATELIMIT",
	[SKB_DROP_REASON_UDP_HDR] = "UDP_HDR",
	[SKB_DROP_REASON_UDP_CSUM] = "UDP_CSUM",
	[SKB_DROP_REASON_NO_SOCKET] = "NO_SOCKET",
	[SKB_DROP_REASON_SOCKET_RCVBUFF] = "SOCKET_RCVBUFF",
	[SKB_DROP_REASON_SECURITY] = "SECURITY",
	[SKB_DROP_REASON_TCP_HDR] = "TCP_HDR",
	[SKB_DROP_REASON_TCP_CSUM] = "TCP_CSUM",
	[SKB_DROP_REASON_TCP_INVALID] = "TCP_INVALID",
	[SKB_DROP_REASON_TCP_OFO_DROP] = "TCP_OFO_DROP",
	[SKB_DROP_REASON_TCP_LISTEN_OVERFLOW] = "TCP_LISTEN_OVERFLOW",
	[SKB_DROP_REASON_DEV_DOWN] = "DEV_DOWN",
	[SKB_DROP_REASON_TX_QUEUE_FULL] = "TX_QUEUE_FULL",
	[SKB_DROP_REASON_SKB_MEM_LIMIT] = "SKB_MEM_LIMIT",
};

const char *skb_drop_reason_name(enum skb_drop_reason r)
{
	if ((unsigned int)r >= SKB_DROP_REASON_MAX || !drop_reason_names[r])
		return "?";
	return drop_reason_names[r];
}

u64 skb_live_count(void)
{
	return live_count;
}

u64 skb_live_bytes(void)
{
	return live_bytes;
}

void skb_fail_next(unsigned int n)
{
	fail_next = n;
}

void skb_set_mem_limit(u64 bytes)
{
	mem_limit = bytes;
}

u64 skb_get_mem_limit(void)
{
	return mem_limit;
}

/*
 * May @truesize more bytes of skb be live? Past the cap the allocation is
 * refused, counted, and logged at most once per interval.
 */
static bool skb_mem_charge_ok(unsigned int truesize)
{
	if (live_bytes + truesize <= mem_limit)
		return true;
	skb_drop_counts[SKB_DROP_REASON_SKB_MEM_LIMIT]++;
	pr_warn_ratelimited("net: skb memory limit of %llu bytes reached "
			    "(%llu live), allocation refused; %llu so far\n",
			    (unsigned long long)mem_limit,
			    (unsigned long long)live_bytes,
			    (unsigned long long)
			    skb_drop_counts[SKB_DROP_REASON_SKB_MEM_LIMIT]);
	return false;
}

static struct sk_buff *skb_head_alloc(void)
{
	if (!skbuff_head_cache)
		skbuff_head_cache = kmem_cache_create("skbuff_head_cache",
						      sizeof(struct sk_buff), 8);
	return kmem_cache_alloc(skbuff_head_cache);
}

static void skb_account(struct sk_buff *skb)
{
	live_count++;
	live_bytes += skb->truesize;
}

/*
 * A data area of @size bytes (rounded up so skb_shared_info is aligned)
 * and a fresh header pointing at it, with no headroom yet. @capped: refuse
 * past the skb memory cap.
 */
static struct sk_buff *__alloc_skb(unsigned int size, bool capped)
{
	unsigned int area = ALIGN(size, 8u);
	unsigned int truesize = sizeof(struct sk_buff) + area +
				sizeof(struct skb_shared_info);
	struct sk_buff *skb;
	u8 *data;

	if (fail_next) {
		fail_next--;
		return NULL;
	}
	if (capped && !skb_mem_charge_ok(truesize))
		return NULL;
	skb = skb_head_alloc();
	if (!skb)
		return NULL;
	data = kmalloc(area + sizeof(struct skb_shared_info));
	if (!data) {
		kmem_cache_free(skbuff_head_cache, skb);
		return NULL;
	}
	memset(skb, 0, sizeof(*skb));
	skb->users = 1;
	skb->truesize = truesize;
	skb->head = skb->data = skb->tail = data;
	skb->end = data + area;
	skb->mac_header = skb->network_header = skb->transport_header = 0xffff;
	memset(skb_shinfo(skb), 0, sizeof(struct skb_shared_info));
	skb_shinfo(skb)->dataref = 1;
	skb_account(skb);
	return skb;
}

struct sk_buff *alloc_skb(unsigned int size)
{
	return __alloc_skb(size, true);
}

/*
 * A receive buffer is counted but never refused by the cap: the rings are
 * bounded by their size, and a NIC that cannot refill cannot receive the
 * ACKs and RSTs that would free the memory holding the cap (Linux does not
 * charge ring buffers to tcp_mem either).
 */
struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb = __alloc_skb(len + NET_SKB_PAD, false);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb->dev = dev;
	return skb;
}

static void skb_release_data(struct sk_buff *skb)
{
	if (--skb_shinfo(skb)->dataref == 0)
		kfree(skb->head);
}

static void __kfree_skb(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	skb_release_data(skb);
	live_count--;
	live_bytes -= skb->truesize;
	kmem_cache_free(skbuff_head_cache, skb);
}

/* Drop a reference; true when it was the last and the caller must free. */
static bool skb_unref(struct sk_buff *skb)
{
	if (!skb)
		return false;
	if (skb->users == 0)
		panic("skb %p freed twice", (void *)skb);
	return --skb->users == 0;
}

void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (!skb_unref(skb))
		return;
	if ((unsigned int)reason >= SKB_DROP_REASON_MAX)
		reason = SKB_DROP_REASON_NOT_SPECIFIED;
	skb_drop_counts[reason]++;
	__kfree_skb(skb);
}

void kfree_skb(struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
}

void consume_skb(struct sk_buff *skb)
{
	if (!skb_unref(skb))
		return;
	skb_drop_counts[SKB_CONSUMED]++;
	__kfree_skb(skb);
}

struct sk_buff *skb_get(struct sk_buff *skb)
{
	skb->users++;
	return skb;
}

/* The header fields a copy or clone carries over (not list links, sk, users). */
static void copy_skb_header(struct sk_buff *n, const struct sk_buff *old)
{
	n->dev = old->dev;
	n->tstamp = old->tstamp;
	n->protocol = old->protocol;
	n->pkt_type = old->pkt_type;
	n->ip_summed = old->ip_summed;
	n->trace = old->trace;
	n->csum_start = old->csum_start;
	n->csum_offset = old->csum_offset;
	n->csum = old->csum;
	n->mac_header = old->mac_header;
	n->network_header = old->network_header;
	n->transport_header = old->transport_header;
	memcpy(n->cb, old->cb, sizeof(n->cb));
}

struct sk_buff *skb_clone(struct sk_buff *skb)
{
	struct sk_buff *n;

	if (fail_next) {
		fail_next--;
		return NULL;
	}
	if (!skb_mem_charge_ok(skb->truesize))
		return NULL;
	n = skb_head_alloc();
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	copy_skb_header(n, skb);
	n->users = 1;
	n->len = skb->len;
	n->truesize = skb->truesize;
	n->head = skb->head;
	n->data = skb->data;
	n->tail = skb->tail;
	n->end = skb->end;
	n->cloned = skb->cloned = 1;
	skb_shinfo(skb)->dataref++;
	skb_account(n);
	return n;
}

struct sk_buff *skb_copy(const struct sk_buff *skb)
{
	unsigned int size = (unsigned int)(skb->end - skb->head);
	struct sk_buff *n = alloc_skb(size);

	if (!n)
		return NULL;
	skb_reserve(n, skb_headroom(skb));
	skb_put(n, skb->len);
	memcpy(n->head, skb->head, (size_t)(skb->tail - skb->head));
	copy_skb_header(n, skb);
	*skb_shinfo(n) = *skb_shinfo(skb);
	skb_shinfo(n)->dataref = 1;
	return n;
}

int skb_unshare_data(struct sk_buff *skb)
{
	unsigned int size = (unsigned int)(skb->end - skb->head);
	struct skb_shared_info *old = skb_shinfo(skb);
	u8 *data;

	if (old->dataref == 1) {
		skb->cloned = 0;
		return 0;
	}
	data = kmalloc(size + sizeof(struct skb_shared_info));
	if (!data)
		return -ENOMEM;
	memcpy(data, skb->head, size + sizeof(struct skb_shared_info));
	skb_release_data(skb);
	skb->data = data + (skb->data - skb->head);
	skb->tail = data + (skb->tail - skb->head);
	skb->end = data + size;
	skb->head = data;
	skb_shinfo(skb)->dataref = 1;
	skb->cloned = 0;
	return 0;
}

/* Writing past the buffer is a caller bug, never a packet's fault. */
void *skb_put(struct sk_buff *skb, unsigned int len)
{
	u8 *tmp = skb->tail;

	if (len > skb_tailroom(skb))
		panic("skb_put: %u bytes with only %u of tailroom (len %u)", len,
		      skb_tailroom(skb), skb->len);
	skb->tail += len;
	skb->len += len;
	return tmp;
}

void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	void *p = skb_put(skb, len);

	memcpy(p, data, len);
	return p;
}

void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *p = skb_put(skb, len);

	memset(p, 0, len);
	return p;
}

void *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headroom(skb))
		panic("skb_push: %u bytes with only %u of headroom (len %u)", len,
		      skb_headroom(skb), skb->len);
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb->len)
		return NULL;
	skb->data += len;
	skb->len -= len;
	return skb->data;
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (len < skb->len) {
		skb->len = len;
		skb->tail = skb->data + len;
	}
}

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	if (offset < 0 || len < 0 || (unsigned int)offset > skb->len ||
	    (unsigned int)len > skb->len - (unsigned int)offset)
		return -EFAULT;
	memcpy(to, skb->data + offset, (size_t)len);
	return 0;
}

/* Queues: every operation under the queue's lock, interrupts off. */

void skb_queue_head_init(struct sk_buff_head *list)
{
	spin_lock_init(&list->lock);
	list->next = list->prev = (struct sk_buff *)list;
	list->qlen = 0;
}

static void __skb_insert(struct sk_buff *newsk, struct sk_buff *prev,
			 struct sk_buff *next, struct sk_buff_head *list)
{
	newsk->next = next;
	newsk->prev = prev;
	next->prev = newsk;
	prev->next = newsk;
	list->qlen++;
}

static void __skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	skb->next->prev = skb->prev;
	skb->prev->next = skb->next;
	skb->next = skb->prev = NULL;
	list->qlen--;
}

void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *skb)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_insert(skb, list->prev, (struct sk_buff *)list, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_queue_head(struct sk_buff_head *list, struct sk_buff *skb)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_insert(skb, (struct sk_buff *)list, list->next, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *skb;

	spin_lock_irqsave(&list->lock, flags);
	skb = skb_peek(list);
	if (skb)
		__skb_unlink(skb, list);
	spin_unlock_irqrestore(&list->lock, flags);
	return skb;
}

struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *skb;

	spin_lock_irqsave(&list->lock, flags);
	skb = skb_peek_tail(list);
	if (skb)
		__skb_unlink(skb, list);
	spin_unlock_irqrestore(&list->lock, flags);
	return skb;
}

void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_unlink(skb, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_append(struct sk_buff *prev, struct sk_buff *newsk,
		struct sk_buff_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_insert(newsk, prev, prev->next, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_insert_before(struct sk_buff *next, struct sk_buff *newsk,
		       struct sk_buff_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_insert(newsk, next->prev, next, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

unsigned int skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;
	unsigned int n = 0;

	while ((skb = skb_dequeue(list))) {
		kfree_skb(skb);
		n++;
	}
	return n;
}
