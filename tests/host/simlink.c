/*
 * Simulated links (tests/host/netsim.h): a frame sent by one end is copied
 * "onto the wire" and arrives at the other end's device after the link's
 * delay plus a random jitter (which reorders), unless lost; a duplicated
 * frame arrives twice. All randomness comes from the link's own seeded
 * generator, so a run repeats exactly from its seed.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/netsim.h"
#include "kernel/softirq.h"
#include "kernel/timer.h"
#include "tests/host/platform.h"

struct sim_frame {
	struct sim_frame *next;
	u64 due_ns;
	int to_end;
	unsigned int len;
	u8 data[];
};

struct sim_link {
	struct net_device *end[2];
	struct sim_link_params p;
	u64 rng;
	struct sim_frame *pending;	/* sorted by due time, then send order */
	unsigned int in_flight;
	u64 delivered, lost;
	struct timer_list timer;
	struct sim_link *next_link;	/* every link, for teardown */
};

static struct sim_link *all_links;

static u64 link_rand(struct sim_link *l)
{
	/* xorshift64* */
	l->rng ^= l->rng >> 12;
	l->rng ^= l->rng << 25;
	l->rng ^= l->rng >> 27;
	return l->rng * 2685821657736338717ull;
}

static void link_arm(struct sim_link *l)
{
	u64 ns_per_jiffy = NSEC_PER_SEC / HZ;

	if (l->pending)
		mod_timer(&l->timer, DIV_ROUND_UP(l->pending->due_ns, ns_per_jiffy));
	else
		del_timer(&l->timer);
}

static void link_queue(struct sim_link *l, int to_end, const u8 *data,
		       unsigned int len)
{
	struct sim_frame *f = malloc(sizeof(*f) + len), **pp;
	u64 delay = l->p.delay_ns;

	if (l->p.jitter_ns)
		delay += link_rand(l) % l->p.jitter_ns;
	f->due_ns = host_now_ns() + delay;
	f->to_end = to_end;
	f->len = len;
	memcpy(f->data, data, len);
	for (pp = &l->pending; *pp && (*pp)->due_ns <= f->due_ns; pp = &(*pp)->next)
		;
	f->next = *pp;
	*pp = f;
	l->in_flight++;
	link_arm(l);
}

void sim_link_xmit(struct sim_link *l, int end, struct sk_buff *skb)
{
	int to = !end;

	if (l->p.loss_pct && link_rand(l) % 100 < l->p.loss_pct) {
		l->lost++;
	} else {
		link_queue(l, to, skb->data, skb->len);
		if (l->p.dup_pct && link_rand(l) % 100 < l->p.dup_pct)
			link_queue(l, to, skb->data, skb->len);
	}
	dev_consume_skb_any(skb);
}

static void link_deliver(struct timer_list *t)
{
	struct sim_link *l = from_timer(l, t, timer);
	u64 now = host_now_ns();

	while (l->pending && l->pending->due_ns <= now) {
		struct sim_frame *f = l->pending;

		l->pending = f->next;
		l->in_flight--;
		l->delivered++;
		fakedev_inject(l->end[f->to_end], f->data, f->len);
		free(f);
	}
	link_arm(l);
}

struct sim_link *sim_link_create(struct net_device *a, struct net_device *b,
				 const struct sim_link_params *p)
{
	struct sim_link *l = calloc(1, sizeof(*l));
	struct fake_dev *fa = netdev_priv(a), *fb = netdev_priv(b);

	l->end[0] = a;
	l->end[1] = b;
	l->p = *p;
	l->rng = p->seed ? p->seed : 0x9e3779b97f4a7c15ull;
	timer_setup(&l->timer, link_deliver, 0);
	fa->link = l;
	fa->link_end = 0;
	fb->link = l;
	fb->link_end = 1;
	l->next_link = all_links;
	all_links = l;
	return l;
}

void sim_link_destroy(struct sim_link *l)
{
	struct sim_link **pp;

	for (pp = &all_links; *pp && *pp != l; pp = &(*pp)->next_link)
		;
	if (*pp)
		*pp = l->next_link;
	for (int i = 0; i < 2; i++) {
		struct fake_dev *fd = netdev_priv(l->end[i]);

		fd->link = NULL;
	}
	del_timer(&l->timer);
	while (l->pending) {
		struct sim_frame *f = l->pending;

		l->pending = f->next;
		free(f);
	}
	free(l);
}

unsigned int sim_link_in_flight(const struct sim_link *l)
{
	return l->in_flight;
}

u64 sim_link_delivered(const struct sim_link *l)
{
	return l->delivered;
}

u64 sim_link_lost(const struct sim_link *l)
{
	return l->lost;
}

void sim_links_destroy_all(void)
{
	while (all_links)
		sim_link_destroy(all_links);
}
