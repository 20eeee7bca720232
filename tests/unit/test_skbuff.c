/* net/skbuff.c: headroom arithmetic, sharing, copies, queues, accounting. */
#include <signal.h>
#include <criterion/criterion.h>
#include "kernel/slab.h"
#include "lib/string.h"
#include "net/skbuff.h"
#include "tests/host/netsim.h"
#include "tests/host/host_slab.h"
#include "tests/host/teardown.h"

static void setup(void)
{
	netsim_reset();
}

static void teardown(void)
{
	netsim_teardown();
	teardown_assert(skb_live_count() == 0, "leaked %lu skbs",
		(unsigned long)skb_live_count());
	teardown_assert(skb_live_bytes() == 0, "leaked %lu skb bytes",
		(unsigned long)skb_live_bytes());
}

TestSuite(skbuff, .init = setup, .fini = teardown);

Test(skbuff, reserve_put_push_pull_trim_move_the_pointers)
{
	struct sk_buff *skb = alloc_skb(200);
	u8 *p;

	cr_assert_not_null(skb);
	cr_assert_geq(skb_tailroom(skb), 200);
	cr_assert_eq(skb_headroom(skb), 0);
	skb_reserve(skb, 64);
	cr_assert_eq(skb_headroom(skb), 64);
	p = skb_put(skb, 100);
	cr_assert_eq(p, skb->data);
	cr_assert_eq(skb->len, 100);
	memset(p, 0xab, 100);
	p = skb_push(skb, 14);
	cr_assert_eq(skb->len, 114);
	cr_assert_eq(skb_headroom(skb), 50);
	cr_assert_eq(skb_pull(skb, 14), skb->data);
	cr_assert_eq(skb->data[0], 0xab);
	cr_assert_null(skb_pull(skb, 101), "pull beyond len must fail");
	cr_assert_eq(skb->len, 100, "a failed pull changes nothing");
	skb_trim(skb, 60);
	cr_assert_eq(skb->len, 60);
	cr_assert_eq(skb->tail, skb->data + 60);
	skb_trim(skb, 80);
	cr_assert_eq(skb->len, 60, "trim never grows");
	cr_assert_eq(skb_live_count(), 1);
	cr_assert_geq(skb_live_bytes(), 200 + sizeof(struct sk_buff));
	consume_skb(skb);
	cr_assert_eq(skb_drop_counts[SKB_CONSUMED], 1);
}

Test(skbuff, put_beyond_tailroom_panics, .signal = SIGABRT)
{
	struct sk_buff *skb = alloc_skb(64);

	skb_put(skb, skb_tailroom(skb) + 1);
}

Test(skbuff, push_beyond_headroom_panics, .signal = SIGABRT)
{
	struct sk_buff *skb = alloc_skb(64);

	skb_reserve(skb, 8);
	skb_push(skb, 9);
}

Test(skbuff, clone_shares_data_until_unshared)
{
	struct sk_buff *skb = alloc_skb(128), *c;

	skb_reserve(skb, 32);
	memcpy(skb_put(skb, 5), "hello", 5);
	c = skb_clone(skb);
	cr_assert_not_null(c);
	cr_assert(skb->cloned && c->cloned);
	cr_assert_eq(c->data, skb->data);
	cr_assert_eq(skb_shinfo(skb)->dataref, 2);
	cr_assert_eq(skb_live_count(), 2);
	cr_assert_eq(skb_unshare_data(c), 0);
	cr_assert_neq(c->data, skb->data);
	cr_assert_eq(memcmp(c->data, "hello", 5), 0);
	cr_assert_eq(skb_headroom(c), 32);
	c->data[0] = 'j';
	cr_assert_eq(skb->data[0], 'h', "the original is untouched");
	cr_assert_eq(skb_shinfo(skb)->dataref, 1);
	cr_assert_eq(skb_unshare_data(skb), 0);
	cr_assert_eq(skb->cloned, 0);
	kfree_skb(skb);
	kfree_skb(c);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_NOT_SPECIFIED], 2);
}

Test(skbuff, freeing_clone_then_original_frees_data_once)
{
	u64 before = host_kmalloc_live();
	struct sk_buff *skb = alloc_skb(64), *c = skb_clone(skb);

	consume_skb(skb);
	cr_assert_eq(skb_live_count(), 1);
	cr_assert_eq(skb_shinfo(c)->dataref, 1);
	consume_skb(c);
	cr_assert_eq(host_kmalloc_live(), before);
}

Test(skbuff, copy_is_private_with_same_offsets)
{
	struct sk_buff *skb = alloc_skb(100), *c;

	skb_reserve(skb, 20);
	memcpy(skb_put(skb, 4), "abcd", 4);
	skb_reset_network_header(skb);
	skb->cb[0] = 7;
	c = skb_copy(skb);
	cr_assert_not_null(c);
	cr_assert_neq(c->head, skb->head);
	cr_assert_eq(skb_headroom(c), 20);
	cr_assert_eq(c->len, 4);
	cr_assert_eq(c->network_header, skb->network_header);
	cr_assert_eq(c->cb[0], 7);
	cr_assert_eq(c->cloned, 0);
	cr_assert_eq(memcmp(c->data, "abcd", 4), 0);
	consume_skb(c);
	consume_skb(skb);
}

Test(skbuff, get_adds_a_reference)
{
	struct sk_buff *skb = alloc_skb(10);

	skb_get(skb);
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_CSUM);
	cr_assert_eq(skb_live_count(), 1);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_IP_CSUM], 0,
		     "a drop is counted when the buffer is freed");
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_CSUM);
	cr_assert_eq(skb_drop_counts[SKB_DROP_REASON_IP_CSUM], 1);
}

Test(skbuff, copy_bits_checks_range)
{
	struct sk_buff *skb = alloc_skb(16);
	char buf[8];

	memcpy(skb_put(skb, 8), "01234567", 8);
	cr_assert_eq(skb_copy_bits(skb, 2, buf, 4), 0);
	cr_assert_eq(memcmp(buf, "2345", 4), 0);
	cr_assert_eq(skb_copy_bits(skb, 6, buf, 3), -14);
	cr_assert_eq(skb_copy_bits(skb, -1, buf, 1), -14);
	cr_assert_eq(skb_copy_bits(skb, 9, buf, 0), -14);
	cr_assert_eq(skb_copy_bits(skb, 8, buf, 0), 0);
	consume_skb(skb);
}

Test(skbuff, fault_injection_fails_allocations)
{
	struct sk_buff *skb;

	skb_fail_next(2);
	cr_assert_null(alloc_skb(10));
	skb = alloc_skb(10);
	cr_assert_null(skb);
	skb = alloc_skb(10);
	cr_assert_not_null(skb);
	skb_fail_next(1);
	cr_assert_null(skb_clone(skb));
	slab_fail_next(1);
	cr_assert_null(alloc_skb(10), "slab failure of the header");
	slab_fail_next(1);
	cr_assert_null(skb_copy(skb));
	consume_skb(skb);
}

Test(skbuff, unshare_without_memory_keeps_sharing)
{
	struct sk_buff *skb = alloc_skb(10), *c;

	c = skb_clone(skb);
	slab_fail_next(1);
	cr_assert_eq(skb_unshare_data(c), -12);
	cr_assert_eq(c->head, skb->head);
	cr_assert_eq(skb_shinfo(skb)->dataref, 2);
	consume_skb(c);
	consume_skb(skb);
}

Test(skbuff, queue_order_and_purge)
{
	struct sk_buff_head q;
	struct sk_buff *a = alloc_skb(1), *b = alloc_skb(1), *c = alloc_skb(1);
	struct sk_buff *d = alloc_skb(1), *e = alloc_skb(1), *it;
	struct sk_buff *order[5];
	int n = 0;

	skb_queue_head_init(&q);
	cr_assert(skb_queue_empty(&q));
	cr_assert_null(skb_peek(&q));
	cr_assert_null(skb_dequeue(&q));
	skb_queue_tail(&q, b);
	skb_queue_head(&q, a);
	skb_queue_tail(&q, d);
	skb_append(b, c, &q);
	skb_insert_before(a, e, &q);	/* e a b c d */
	cr_assert_eq(skb_queue_len(&q), 5);
	skb_queue_walk(&q, it)
		order[n++] = it;
	cr_assert(order[0] == e && order[1] == a && order[2] == b &&
		  order[3] == c && order[4] == d);
	cr_assert_eq(skb_peek_tail(&q), d);
	cr_assert_eq(skb_dequeue_tail(&q), d);
	skb_unlink(b, &q);
	cr_assert_eq(skb_queue_len(&q), 3);
	consume_skb(d);
	consume_skb(b);
	cr_assert_eq(skb_queue_purge(&q), 3);
	cr_assert(skb_queue_empty(&q));
}

Test(skbuff, drop_reason_names)
{
	cr_assert_str_eq(skb_drop_reason_name(SKB_DROP_REASON_IPV6), "IPV6");
	cr_assert_str_eq(skb_drop_reason_name(SKB_DROP_REASON_TX_QUEUE_FULL),
			 "TX_QUEUE_FULL");
	cr_assert_str_eq(skb_drop_reason_name(SKB_DROP_REASON_MAX), "?");
	for (int r = 0; r < SKB_DROP_REASON_MAX; r++)
		cr_assert_str_neq(skb_drop_reason_name(r), "?", "reason %d unnamed", r);
}

Test(skbuff, netdev_alloc_skb_reserves_pad)
{
	struct sk_buff *skb = netdev_alloc_skb(NULL, 1514);

	cr_assert_eq(skb_headroom(skb), NET_SKB_PAD);
	cr_assert_geq(skb_tailroom(skb), 1514);
	consume_skb(skb);
}
