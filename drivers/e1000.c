/*
 * Intel 82540EM (QEMU's e1000): descriptor rings in DMA memory with
 * head/tail registers, interrupt causes from ICR. IRQ -> napi_schedule ->
 * e1000_poll() -> netif_receive_skb(); dev_queue_xmit() ->
 * e1000_start_xmit() -> the transmit ring. Register names: e1000_regs.h.
 */
#include "drivers/e1000_regs.h"
#include "drivers/pci.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/vsprintf.h"
#include "net/checksum.h"
#include "net/ip.h"
#include "net/netdevice.h"
#include "net/tcp.h"

#define E1000_RX_RING		256
#define E1000_TX_RING		256
#define E1000_RX_BUF_LEN	2048	/* RCTL.BSIZE */
/* ITR in 256 ns units [13.4.18]: at most ~8000 interrupts/s. */
#define E1000_ITR_DEFAULT	488
#define E1000_REFILL_RETRY_MS	10
#define E1000_IRQ_RX		(E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0)
#define E1000_IRQ_NAPI		(E1000_IRQ_RX | E1000_ICR_TXDW)
/* Bytes per transmit data descriptor, as Linux's e1000 (E1000_MAX_DATA_PER_TXD). */
#define E1000_TX_MAX_PER_DESC	4096
#define E1000_GSO_MAX_SIZE	65536
/* The most slots one frame takes: a context descriptor, then its data. */
#define E1000_TX_MAX_DESCS \
	(1 + DIV_ROUND_UP(ETH_HLEN + E1000_GSO_MAX_SIZE, E1000_TX_MAX_PER_DESC))

/* One transmit slot: a legacy, context or data descriptor [3.3]. */
union e1000_tx_slot {
	struct e1000_tx_desc legacy;
	struct e1000_context_desc ctx;
	struct e1000_data_desc data;
};
BUILD_BUG_ON(sizeof(union e1000_tx_slot) != 16);

struct e1000_adapter {
	struct net_device *dev;
	struct pci_dev *pci;
	volatile u8 *regs;
	struct napi_struct napi;
	struct e1000_rx_desc *rx_ring;
	union e1000_tx_slot *tx_ring;
	struct sk_buff *rx_skb[E1000_RX_RING];
	struct sk_buff *tx_skb[E1000_TX_RING];	/* on a frame's last slot only */
	unsigned int rx_next;		/* next descriptor the hardware completes */
	unsigned int rx_fill;		/* next descriptor to post (RDT) */
	unsigned int rx_posted;
	unsigned int tx_next;		/* next free descriptor (TDT) */
	unsigned int tx_clean;		/* oldest in flight */
	unsigned int tx_inflight;	/* slots, not frames */
	unsigned int tx_frames;		/* skbs the ring holds */
	u64 tx_csum_offload;		/* frames the NIC checksummed */
	u64 tx_tso;			/* TSO frames the NIC cut up */
	u64 tx_tso_segs;		/* segments they became on the wire */
	spinlock_t tx_lock;
	struct timer_list refill_timer;
};

static u32 er32(const struct e1000_adapter *a, u32 reg)
{
	return *(volatile u32 *)(a->regs + reg);
}

static void ew32(struct e1000_adapter *a, u32 reg, u32 v)
{
	*(volatile u32 *)(a->regs + reg) = v;
}

/* [5.3.1] EEPROM word @addr through EERD; false if it never finished. */
static bool e1000_read_eeprom(struct e1000_adapter *a, u8 addr, u16 *word)
{
	ew32(a, E1000_EERD, E1000_EERD_START | (u32)addr << E1000_EERD_ADDR_SHIFT);
	for (int i = 0; i < 10000; i++) {
		u32 v = er32(a, E1000_EERD);

		if (v & E1000_EERD_DONE) {
			*word = (u16)(v >> E1000_EERD_DATA_SHIFT);
			return true;
		}
		cpu_relax();
	}
	return false;
}

/* The MAC: EEPROM words 0-2 [5.6.1], else what RAL0/RAH0 hold. */
static void e1000_read_mac(struct e1000_adapter *a, u8 *mac)
{
	u16 w;
	u32 lo, hi;

	for (u8 i = 0; i < 3; i++) {
		if (!e1000_read_eeprom(a, i, &w))
			goto from_ral;
		mac[2 * i] = (u8)w;
		mac[2 * i + 1] = (u8)(w >> 8);
	}
	return;
from_ral:
	lo = er32(a, E1000_RAL0);
	hi = er32(a, E1000_RAH0);
	memcpy(mac, &lo, 4);
	mac[4] = (u8)hi;
	mac[5] = (u8)(hi >> 8);
}

static void e1000_reset(struct e1000_adapter *a)
{
	ew32(a, E1000_IMC, ~0u);
	ew32(a, E1000_CTRL, er32(a, E1000_CTRL) | E1000_CTRL_RST);
	for (int i = 0; i < 100000 && (er32(a, E1000_CTRL) & E1000_CTRL_RST); i++)
		cpu_relax();
	ew32(a, E1000_IMC, ~0u);
	(void)er32(a, E1000_ICR);
}

static void e1000_update_link(struct e1000_adapter *a)
{
	bool up = er32(a, E1000_STATUS) & E1000_STATUS_LU;

	if (up && !netif_carrier_ok(a->dev))
		netif_carrier_on(a->dev);
	else if (!up && netif_carrier_ok(a->dev))
		netif_carrier_off(a->dev);
}

/*
 * Post receive buffers up to one short of the ring (RDT == RDH means
 * empty [3.2.6]). On allocation failure the timer retries, so a drained
 * ring, which brings no more interrupts, still recovers.
 */
static void e1000_refill(struct e1000_adapter *a)
{
	unsigned int before = a->rx_posted;

	while (a->rx_posted < E1000_RX_RING - 1) {
		struct sk_buff *skb = netdev_alloc_skb(a->dev, E1000_RX_BUF_LEN);
		struct e1000_rx_desc *d = &a->rx_ring[a->rx_fill];

		if (!skb) {
			a->dev->stats.rx_nobuf++;
			mod_timer(&a->refill_timer,
				  jiffies + msecs_to_jiffies(E1000_REFILL_RETRY_MS));
			break;
		}
		a->rx_skb[a->rx_fill] = skb;
		d->addr = virt_to_phys(skb->data);
		d->status = 0;
		a->rx_fill = (a->rx_fill + 1) % E1000_RX_RING;
		a->rx_posted++;
	}
	if (a->rx_posted != before) {
		dma_wmb();	/* descriptors before the tail that hands them over */
		ew32(a, E1000_RDT, a->rx_fill);
	}
}

static void e1000_refill_timer(struct timer_list *t)
{
	struct e1000_adapter *a = from_timer(a, t, refill_timer);

	napi_schedule(&a->napi);
}

static void e1000_receive_one(struct e1000_adapter *a, struct sk_buff *skb,
			      const struct e1000_rx_desc *d)
{
	struct net_device *dev = a->dev;

	/* A frame spanning descriptors cannot fit a 2 KiB buffer at MTU 1500. */
	if (!(d->status & E1000_RXD_STAT_EOP) || d->errors ||
	    d->length < ETH_HLEN || d->length > E1000_RX_BUF_LEN) {
		dev->stats.rx_errors++;
		dev->stats.rx_length_errors++;
		dev->stats.rx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return;
	}
	skb_put(skb, d->length);
	skb->dev = dev;
	netif_receive_skb(skb);
}

static int e1000_receive(struct e1000_adapter *a, int budget)
{
	int done = 0;

	while (done < budget && a->rx_posted) {
		struct e1000_rx_desc *d = &a->rx_ring[a->rx_next];
		struct sk_buff *skb;

		if (!(READ_ONCE(d->status) & E1000_RXD_STAT_DD))
			break;
		dma_rmb();	/* the rest of the descriptor after DD */
		skb = a->rx_skb[a->rx_next];
		a->rx_skb[a->rx_next] = NULL;
		a->rx_next = (a->rx_next + 1) % E1000_RX_RING;
		a->rx_posted--;
		e1000_receive_one(a, skb, d);
		done++;
	}
	return done;
}

/* Slots free for new descriptors: TDT == TDH means empty [3.4]. */
static unsigned int e1000_tx_free(const struct e1000_adapter *a)
{
	return E1000_TX_RING - 1 - a->tx_inflight;
}

static void e1000_tx_clean(struct e1000_adapter *a)
{
	unsigned long flags;
	bool wake;

	spin_lock_irqsave(&a->tx_lock, flags);
	/* Every slot has RS, so each reports DD; the skb hangs on the last. */
	while (a->tx_inflight &&
	       (READ_ONCE(a->tx_ring[a->tx_clean].data.status) & E1000_TXD_STAT_DD)) {
		if (a->tx_skb[a->tx_clean]) {
			dev_consume_skb_any(a->tx_skb[a->tx_clean]);
			a->tx_frames--;
		}
		a->tx_skb[a->tx_clean] = NULL;
		a->tx_clean = (a->tx_clean + 1) % E1000_TX_RING;
		a->tx_inflight--;
	}
	wake = netif_queue_stopped(a->dev) && e1000_tx_free(a) >= E1000_TX_MAX_DESCS;
	spin_unlock_irqrestore(&a->tx_lock, flags);
	if (wake)
		netif_wake_queue(a->dev);
}

/* Frames the hardware dropped for want of a buffer [13.7, MPC]. */
static void e1000_update_missed(struct e1000_adapter *a)
{
	u32 missed = er32(a, E1000_MPC);

	a->dev->stats.rx_missed_errors += missed;
	a->dev->stats.rx_dropped += missed;
}

static bool e1000_rx_pending(const struct e1000_adapter *a)
{
	return a->rx_posted &&
	       (READ_ONCE(a->rx_ring[a->rx_next].status) & E1000_RXD_STAT_DD);
}

/*
 * NAPI poll. Under budget: unmask, then look again. A frame that landed
 * after the last look has latched RXT0 in ICR, so the unmask raises the
 * interrupt; the second look catches it even if it did not.
 */
static int e1000_poll(struct napi_struct *napi, int budget)
{
	struct e1000_adapter *a = netdev_priv(napi->dev);
	int done;

	e1000_tx_clean(a);
	done = e1000_receive(a, budget);
	e1000_refill(a);
	e1000_update_missed(a);
	if (done < budget && napi_complete_done(napi, done)) {
		ew32(a, E1000_IMS, E1000_IRQ_NAPI);
		if (e1000_rx_pending(a)) {
			ew32(a, E1000_IMC, E1000_IRQ_NAPI);
			napi_schedule(napi);
		}
	}
	return done;
}

/* INTx, level-triggered: reading ICR clears the causes and lowers the line. */
static void e1000_intr(void *data)
{
	struct e1000_adapter *a = data;
	u32 icr = er32(a, E1000_ICR);

	if (!icr)
		return;		/* another device on a shared line */
	a->dev->stats.interrupts++;
	if (icr & E1000_ICR_LSC)
		e1000_update_link(a);
	if (icr & E1000_IRQ_NAPI) {
		ew32(a, E1000_IMC, E1000_IRQ_NAPI);
		napi_schedule(&a->napi);
	}
}

static union e1000_tx_slot *e1000_tx_slot(struct e1000_adapter *a)
{
	union e1000_tx_slot *d = &a->tx_ring[a->tx_next];

	a->tx_skb[a->tx_next] = NULL;
	a->tx_next = (a->tx_next + 1) % E1000_TX_RING;
	a->tx_inflight++;
	return d;
}

/*
 * A TSO frame's headers as the NIC wants them [3.5.1]: it writes each
 * segment's IP total length and adds the segment's TCP length to the
 * pseudo-header sum, so the IP checksum field must be 0 and the TCP one
 * must hold the pseudo-header sum without a length.
 */
static int e1000_tso_prepare(struct sk_buff *skb)
{
	struct iphdr *iph;
	struct tcphdr *th;
	u32 sum;

	if (skb->cloned && skb_unshare_data(skb))
		return -ENOMEM;
	iph = ip_hdr(skb);
	th = tcp_hdr(skb);
	iph->check = 0;
	sum = csum_tcpudp_nofold(iph->saddr, iph->daddr, 0, IPPROTO_TCP, 0);
	th->check = htons((u16)~csum_fold(sum));
	return 0;
}

static bool e1000_tso_ok(const struct sk_buff *skb)
{
	const struct skb_shared_info *si = skb_shinfo(skb);

	return si->gso_type == SKB_GSO_TCPV4 && skb->ip_summed == CHECKSUM_PARTIAL &&
	       skb->network_header != 0xffff && skb->transport_header != 0xffff &&
	       ip_hdr(skb)->protocol == IPPROTO_TCP;
}

/*
 * The context descriptor for a CHECKSUM_PARTIAL or TSO frame [3.3.6]:
 * the IP header checksum spans IPCSS..IPCSE, the TCP/UDP one TUCSS to the
 * end of each frame. Written for every such frame, never reused stale.
 * Returns the POPTS bits the data descriptors carry.
 */
static u8 e1000_tx_context(struct e1000_adapter *a, const struct sk_buff *skb)
{
	const struct skb_shared_info *si = skb_shinfo(skb);
	unsigned int tucss = skb->csum_start - skb_headroom(skb);
	unsigned int ipcss = (unsigned int)skb_network_offset(skb);
	struct e1000_context_desc *c = &e1000_tx_slot(a)->ctx;
	u32 tucmd = E1000_TXD_CMD_DEXT | E1000_TXD_CMD_IP | E1000_TXD_DCMD_RS;
	u8 popts = E1000_TXD_POPTS_TXSM;

	if (ip_hdr(skb)->protocol == IPPROTO_TCP)
		tucmd |= E1000_TXD_CMD_TCP;
	c->ipcss = (u8)ipcss;
	c->ipcso = (u8)(ipcss + offsetof(struct iphdr, check));
	c->ipcse = (u16)(tucss - 1);
	c->tucss = (u8)tucss;
	c->tucso = (u8)(tucss + skb->csum_offset);
	c->tucse = 0;
	c->hdr_len = 0;
	c->mss = 0;
	c->status = 0;
	if (si->gso_size) {
		unsigned int hdr_len = tucss + tcp_hdr(skb)->doff * 4u;

		tucmd |= E1000_TXD_CMD_TSE | (skb->len - hdr_len);
		c->hdr_len = (u8)hdr_len;
		c->mss = si->gso_size;
		popts |= E1000_TXD_POPTS_IXSM;
	}
	c->cmd_and_length = tucmd;
	return popts;
}

/* Data descriptors for the frame, E1000_TX_MAX_PER_DESC bytes at most each. */
static void e1000_tx_map(struct e1000_adapter *a, struct sk_buff *skb, u32 cmd, u8 popts)
{
	unsigned int off = 0;

	while (off < skb->len) {
		unsigned int len = min_t(unsigned int, skb->len - off, E1000_TX_MAX_PER_DESC);
		struct e1000_data_desc *d = &e1000_tx_slot(a)->data;
		u32 dcmd = cmd | E1000_TXD_DCMD_IFCS | E1000_TXD_DCMD_RS;

		off += len;
		if (off == skb->len)
			dcmd |= E1000_TXD_DCMD_EOP;
		d->addr = virt_to_phys(skb->data + off - len);
		d->cmd_and_length = dcmd | len;
		d->status = 0;
		d->popts = popts;
		d->special = 0;
	}
	a->tx_skb[(a->tx_next + E1000_TX_RING - 1) % E1000_TX_RING] = skb;
	a->tx_frames++;
}

/*
 * Legacy descriptors for a frame the stack finished [3.3.3]; a context
 * and TCP/IP data descriptors when the NIC is to checksum or cut it [3.3.7].
 */
static void e1000_tx_queue(struct e1000_adapter *a, struct sk_buff *skb)
{
	u32 cmd = E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D;
	u8 popts;

	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		e1000_tx_map(a, skb, 0, 0);
		return;
	}
	popts = e1000_tx_context(a, skb);
	if (skb_shinfo(skb)->gso_size) {
		cmd |= E1000_TXD_CMD_TSE;
		a->tx_tso++;
		a->tx_tso_segs += skb_shinfo(skb)->gso_segs;
	} else {
		a->tx_csum_offload++;
	}
	e1000_tx_map(a, skb, cmd, popts);
}

static unsigned int e1000_tx_descs(const struct sk_buff *skb)
{
	return (skb->ip_summed == CHECKSUM_PARTIAL ? 1 : 0) +
	       DIV_ROUND_UP(skb->len, E1000_TX_MAX_PER_DESC);
}

/* What the NIC cannot take whole: returns a drop reason, or 0. */
static enum skb_drop_reason e1000_tx_check(struct sk_buff *skb)
{
	if (skb->len > ETH_HLEN + E1000_GSO_MAX_SIZE)
		return SKB_DROP_REASON_PKT_TOO_BIG;
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    (skb->csum_start < skb_headroom(skb) + ETH_HLEN + sizeof(struct iphdr) ||
	     skb->csum_start - skb_headroom(skb) + skb->csum_offset + 2 > 255))
		return SKB_DROP_REASON_NOT_SPECIFIED;
	if (!skb_shinfo(skb)->gso_size)
		return 0;
	if (!e1000_tso_ok(skb))
		return SKB_DROP_REASON_NOT_SPECIFIED;
	if (e1000_tso_prepare(skb))
		return SKB_DROP_REASON_NO_MEMORY;
	return 0;
}

static netdev_tx_t e1000_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct e1000_adapter *a = netdev_priv(dev);
	enum skb_drop_reason reason;
	unsigned long flags;

	spin_lock_irqsave(&a->tx_lock, flags);
	if (e1000_tx_free(a) < e1000_tx_descs(skb)) {
		netif_stop_queue(dev);
		spin_unlock_irqrestore(&a->tx_lock, flags);
		return NETDEV_TX_BUSY;
	}
	reason = e1000_tx_check(skb);
	if (reason)
		goto drop;
	e1000_tx_queue(a, skb);
	dma_wmb();	/* descriptors before the tail that hands them over */
	ew32(a, E1000_TDT, a->tx_next);
	if (e1000_tx_free(a) < E1000_TX_MAX_DESCS)
		netif_stop_queue(dev);	/* TXDW restarts it from the poll */
	spin_unlock_irqrestore(&a->tx_lock, flags);
	return NETDEV_TX_OK;

drop:
	dev->stats.tx_dropped++;
	spin_unlock_irqrestore(&a->tx_lock, flags);
	kfree_skb_reason(skb, reason);
	return NETDEV_TX_OK;
}

static int e1000_open(struct net_device *dev)
{
	struct e1000_adapter *a = netdev_priv(dev);

	napi_schedule(&a->napi);
	return 0;
}

static int e1000_stop(struct net_device *dev)
{
	return 0;
}

static int e1000_ring_info(struct net_device *dev, char *buf, size_t len)
{
	struct e1000_adapter *a = netdev_priv(dev);

	return scnprintf(buf, len, "rx ring %u/%u tx ring %u/%u irq intx itr %u"
			 " tx_csum %lu tso %lu tso_segs %lu",
			 a->rx_posted, E1000_RX_RING, a->tx_frames, E1000_TX_RING,
			 er32(a, E1000_ITR), (unsigned long)a->tx_csum_offload,
			 (unsigned long)a->tx_tso, (unsigned long)a->tx_tso_segs);
}

static const struct net_device_ops e1000_ops = {
	.ndo_open = e1000_open,
	.ndo_stop = e1000_stop,
	.ndo_start_xmit = e1000_start_xmit,
	.ndo_ring_info = e1000_ring_info,
};

static int e1000_alloc_rings(struct e1000_adapter *a)
{
	BUILD_BUG_ON(E1000_RX_RING * sizeof(struct e1000_rx_desc) != PAGE_SIZE);
	BUILD_BUG_ON(E1000_TX_RING * sizeof(union e1000_tx_slot) != PAGE_SIZE);
	a->rx_ring = get_zeroed_page();
	a->tx_ring = get_zeroed_page();
	if (a->rx_ring && a->tx_ring)
		return 0;
	if (a->rx_ring)
		free_page(a->rx_ring);
	if (a->tx_ring)
		free_page(a->tx_ring);
	return -ENOMEM;
}

/* [14.4] receive initialisation; [14.5] transmit initialisation. */
static void e1000_configure(struct e1000_adapter *a)
{
	u64 rx = virt_to_phys(a->rx_ring), tx = virt_to_phys(a->tx_ring);
	const u8 *mac = a->dev->dev_addr;

	ew32(a, E1000_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24);
	ew32(a, E1000_RAH0, mac[4] | mac[5] << 8 | E1000_RAH_AV);
	for (u32 i = 0; i < 128; i++)
		ew32(a, E1000_MTA + 4 * i, 0);
	ew32(a, E1000_RDBAL, (u32)rx);
	ew32(a, E1000_RDBAH, (u32)(rx >> 32));
	ew32(a, E1000_RDLEN, E1000_RX_RING * sizeof(struct e1000_rx_desc));
	ew32(a, E1000_RDH, 0);
	ew32(a, E1000_RDT, 0);
	ew32(a, E1000_RDTR, 0);
	ew32(a, E1000_TDBAL, (u32)tx);
	ew32(a, E1000_TDBAH, (u32)(tx >> 32));
	ew32(a, E1000_TDLEN, E1000_TX_RING * sizeof(union e1000_tx_slot));
	ew32(a, E1000_TDH, 0);
	ew32(a, E1000_TDT, 0);
	ew32(a, E1000_TIPG, E1000_TIPG_DEFAULT);
	ew32(a, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP |
	     E1000_TCTL_CT << E1000_TCTL_CT_SHIFT |
	     E1000_TCTL_COLD_FD << E1000_TCTL_COLD_SHIFT);
	ew32(a, E1000_ITR, E1000_ITR_DEFAULT);
	e1000_refill(a);
	ew32(a, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_BSIZE_2048 |
	     E1000_RCTL_SECRC);
	ew32(a, E1000_CTRL, er32(a, E1000_CTRL) | E1000_CTRL_SLU | E1000_CTRL_ASDE);
}

static int e1000_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct e1000_adapter *a;
	int err = -ENODEV;

	dev = alloc_etherdev(sizeof(*a));
	if (!dev)
		return -ENOMEM;
	a = netdev_priv(dev);
	a->dev = dev;
	a->pci = pci;
	spin_lock_init(&a->tx_lock);
	timer_setup(&a->refill_timer, e1000_refill_timer, 0);
	pci_enable_device(pci);
	a->regs = pci_iomap(pci, 0);
	if (!a->regs)
		goto err_free;
	err = e1000_alloc_rings(a);
	if (err)
		goto err_free;
	e1000_reset(a);
	e1000_read_mac(a, dev->dev_addr);
	pci_set_master(pci);
	dev->netdev_ops = &e1000_ops;
	dev->features |= NETIF_F_IP_CSUM | NETIF_F_TSO;
	dev->gso_max_size = E1000_GSO_MAX_SIZE;
	netif_napi_add(dev, &a->napi, e1000_poll, NAPI_POLL_WEIGHT);
	err = pci_intx_request(pci, e1000_intr, a, "e1000");
	if (err)
		goto err_rings;
	e1000_configure(a);
	err = register_netdev(dev);
	if (err)
		goto err_reset;
	e1000_update_link(a);
	ew32(a, E1000_IMS, E1000_IRQ_NAPI | E1000_ICR_LSC);
	printk("%s: e1000 (82540EM) at %02x:%02x.%x, MAC %pM, irq %u, rx %u tx %u\n",
	       dev->name, pci->bus, pci->slot, pci->func, dev->dev_addr,
	       pci->irq_line, E1000_RX_RING, E1000_TX_RING);
	return 0;

err_reset:
	/* The handler stays registered but the device is silenced. */
	e1000_reset(a);
	return err;
err_rings:
	free_page(a->rx_ring);
	free_page(a->tx_ring);
err_free:
	free_netdev(dev);
	return err;
}

static const struct pci_device_id e1000_ids[] = {
	{ E1000_VENDOR_INTEL, E1000_DEV_82540EM },
	{ 0, 0 },
};

static struct pci_driver e1000_driver = {
	.name = "e1000",
	.id_table = e1000_ids,
	.probe = e1000_probe,
};

static int e1000_init(void)
{
	return pci_register_driver(&e1000_driver);
}
DEFINE_INITCALL(INITCALL_DEVICE, e1000_init);
