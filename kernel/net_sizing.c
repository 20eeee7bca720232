/*
 * Boot-time sizing of the network stack's memory limits from RAM, as
 * Linux's tcp_init() sizes tcp_mem and tcp_max_tw_buckets: the skb memory
 * cap (net/skbuff.h) and the TIME_WAIT cap (net/inet_timewait_sock.h),
 * unless skb_mem= or tcp_max_tw_buckets= on the command line set them.
 */
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "net/inet_timewait_sock.h"
#include "net/skbuff.h"

#define SKB_MEM_RAM_SHIFT	2		/* a quarter of RAM */
#define SKB_MEM_MIN		(4ULL << 20)
#define TW_BUCKET_RAM_SHIFT	16		/* one per 64 KiB of RAM */
#define TW_BUCKETS_MIN		128

static int net_sizing_init(void)
{
	struct mem_stats st;
	u64 skb_mem;
	long tw_max;

	mem_get_stats(&st);
	skb_mem = st.total >> SKB_MEM_RAM_SHIFT;
	if (skb_mem < SKB_MEM_MIN)
		skb_mem = SKB_MEM_MIN;
	if (kparams.skb_mem)
		skb_mem = kparams.skb_mem;
	tw_max = (long)(st.total >> TW_BUCKET_RAM_SHIFT);
	if (tw_max < TW_BUCKETS_MIN)
		tw_max = TW_BUCKETS_MIN;
	if (kparams.tw_max >= 0)
		tw_max = kparams.tw_max;
	skb_set_mem_limit(skb_mem);
	inet_twsk_set_max_buckets(tw_max);
	pr_info("net: skb memory limit %lu KiB, at most %ld TIME_WAIT socks\n",
		(unsigned long)(skb_mem >> 10), tw_max);
	return 0;
}
DEFINE_INITCALL(INITCALL_CORE, net_sizing_init);
