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
#include "net/netdevice.h"

#define E1000_RX_RING		256
#define E1000_TX_RING		256
#define E1000_RX_BUF_LEN	2048	/* RCTL.BSIZE */
/* ITR in 256 ns units [13.4.18]: at most ~8000 interrupts/s. */
#define E1000_ITR_DEFAULT	488
#define E1000_REFILL_RETRY_MS	10
#define E1000_IRQ_RX		(E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0)
#define E1000_IRQ_NAPI		(E1000_IRQ_RX | E1000_ICR_TXDW)

struct e1000_adapter {
	struct net_device *dev;
	struct pci_dev *pci;
	volatile u8 *regs;
	struct napi_struct napi;
	struct e1000_rx_desc *rx_ring;
	struct e1000_tx_desc *tx_ring;
	struct sk_buff *rx_skb[E1000_RX_RING];
	struct sk_buff *tx_skb[E1000_TX_RING];
	unsigned int rx_next;		/* next descriptor the hardware completes */
	unsigned int rx_fill;		/* next descriptor to post (RDT) */
	unsigned int rx_posted;
	unsigned int tx_next;		/* next free descriptor (TDT) */
	unsigned int tx_clean;		/* oldest in flight */
	unsigned int tx_inflight;
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

static void e1000_tx_clean(struct e1000_adapter *a)
{
	unsigned long flags;
	bool wake;

	spin_lock_irqsave(&a->tx_lock, flags);
	while (a->tx_inflight &&
	       (READ_ONCE(a->tx_ring[a->tx_clean].status) & E1000_TXD_STAT_DD)) {
		dev_consume_skb_any(a->tx_skb[a->tx_clean]);
		a->tx_skb[a->tx_clean] = NULL;
		a->tx_clean = (a->tx_clean + 1) % E1000_TX_RING;
		a->tx_inflight--;
	}
	wake = netif_queue_stopped(a->dev) && a->tx_inflight < E1000_TX_RING - 1;
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

static netdev_tx_t e1000_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct e1000_adapter *a = netdev_priv(dev);
	struct e1000_tx_desc *d;
	unsigned long flags;

	spin_lock_irqsave(&a->tx_lock, flags);
	if (a->tx_inflight >= E1000_TX_RING - 1) {
		netif_stop_queue(dev);
		spin_unlock_irqrestore(&a->tx_lock, flags);
		return NETDEV_TX_BUSY;
	}
	d = &a->tx_ring[a->tx_next];
	d->addr = virt_to_phys(skb->data);
	d->length = (u16)skb->len;
	d->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	d->status = 0;
	a->tx_skb[a->tx_next] = skb;
	a->tx_next = (a->tx_next + 1) % E1000_TX_RING;
	a->tx_inflight++;
	dma_wmb();
	ew32(a, E1000_TDT, a->tx_next);
	if (a->tx_inflight >= E1000_TX_RING - 1)
		netif_stop_queue(dev);	/* TXDW restarts it from the poll */
	spin_unlock_irqrestore(&a->tx_lock, flags);
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

	return scnprintf(buf, len, "rx ring %u/%u tx ring %u/%u irq intx itr %u",
			 a->rx_posted, E1000_RX_RING, a->tx_inflight, E1000_TX_RING,
			 er32(a, E1000_ITR));
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
	BUILD_BUG_ON(E1000_TX_RING * sizeof(struct e1000_tx_desc) != PAGE_SIZE);
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
	ew32(a, E1000_TDLEN, E1000_TX_RING * sizeof(struct e1000_tx_desc));
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
