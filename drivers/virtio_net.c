/*
 * virtio-net [VIRTIO 5.1]: one receive and one transmit queue feeding the
 * stack through struct net_device. Interrupt -> napi_schedule ->
 * virtnet_poll() -> netif_receive_skb(); dev_queue_xmit() ->
 * virtnet_start_xmit() -> the transmit ring, reclaimed in the poll.
 */
#include "drivers/pci.h"
#include "drivers/virtio.h"
#include "drivers/virtio_net.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/vsprintf.h"
#include "net/netdevice.h"

#define VIRTNET_RING_MAX	256
#define VIRTNET_HDR_LEN		sizeof(struct virtio_net_hdr)
/* One receive buffer: the header and a full Ethernet frame. */
#define VIRTNET_RX_BUF_LEN	(VIRTNET_HDR_LEN + ETH_FRAME_LEN + 4)
#define VIRTNET_TX_DESCS	2	/* header + linear frame */
#define VIRTNET_REFILL_RETRY_MS	10

/* MSI-X table entries we use */
enum { VIRTNET_VEC_CONFIG, VIRTNET_VEC_RX, VIRTNET_VEC_TX, VIRTNET_NVEC };

static const u64 virtnet_features =
	1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_RING_F_EVENT_IDX |
	1ULL << VIRTIO_NET_F_MAC | 1ULL << VIRTIO_NET_F_STATUS |
	1ULL << VIRTIO_NET_F_MRG_RXBUF | 1ULL << VIRTIO_NET_F_CSUM |
	1ULL << VIRTIO_NET_F_GUEST_CSUM | 1ULL << VIRTIO_NET_F_HOST_TSO4 |
	1ULL << VIRTIO_NET_F_GUEST_TSO4;

struct virtnet_info {
	struct net_device *dev;
	struct virtio_pci_dev vdev;
	struct virtqueue rxq, txq;
	struct napi_struct napi;
	struct virtio_net_hdr *tx_hdr;	/* one per transmit chain head */
	spinlock_t tx_lock;
	struct timer_list refill_timer;
	bool mergeable;
	bool msix;
};

static void virtnet_update_link(struct virtnet_info *vi)
{
	u16 status = VIRTIO_NET_S_LINK_UP;

	if (virtio_has_feature(&vi->vdev, VIRTIO_NET_F_STATUS))
		virtio_read_config(&vi->vdev, VIRTIO_NET_CFG_STATUS, &status,
				   sizeof(status));
	if (status & VIRTIO_NET_S_LINK_UP) {
		if (!netif_carrier_ok(vi->dev))
			netif_carrier_on(vi->dev);
	} else if (netif_carrier_ok(vi->dev)) {
		netif_carrier_off(vi->dev);
	}
}

/*
 * Post receive buffers until the ring is full. An allocation failure
 * leaves the ring short; the timer retries, so an empty ring (which
 * brings no interrupts) still recovers when memory comes back.
 */
static void virtnet_refill(struct virtnet_info *vi)
{
	struct net_device *dev = vi->dev;
	bool added = false;

	while (vi->rxq.num_free) {
		struct sk_buff *skb = netdev_alloc_skb(dev, VIRTNET_RX_BUF_LEN);
		struct vring_sg sg;

		if (!skb) {
			dev->stats.rx_nobuf++;
			mod_timer(&vi->refill_timer,
				  jiffies + msecs_to_jiffies(VIRTNET_REFILL_RETRY_MS));
			break;
		}
		sg.addr = virt_to_phys(skb->data);
		sg.len = VIRTNET_RX_BUF_LEN;
		virtqueue_add(&vi->rxq, &sg, 0, 1, skb);
		added = true;
	}
	if (added)
		virtqueue_kick(&vi->rxq);
}

static void virtnet_refill_timer(struct timer_list *t)
{
	struct virtnet_info *vi = from_timer(vi, t, refill_timer);

	napi_schedule(&vi->napi);
}

/*
 * MRG_RXBUF: a frame spans @nbufs buffers [VIRTIO 5.1.6.4.2]. Skbs are
 * linear, so copy them into one; the common one-buffer frame is not copied.
 */
static struct sk_buff *virtnet_merge(struct virtnet_info *vi,
				     struct sk_buff *first, u16 nbufs)
{
	struct net_device *dev = vi->dev;
	struct sk_buff *skb = NULL;
	bool broken = nbufs > vi->rxq.num;

	if (!broken)
		skb = netdev_alloc_skb(dev, nbufs * VIRTNET_RX_BUF_LEN);
	if (skb)
		skb_put_data(skb, first->data, first->len);
	consume_skb(first);
	while (!broken && --nbufs) {
		u32 len;
		struct sk_buff *buf = virtqueue_get_buf(&vi->rxq, &len);

		if (!buf || len > VIRTNET_RX_BUF_LEN)
			broken = true;	/* the device broke its own count */
		else if (skb)
			skb_put_data(skb, buf->data, len);
		if (buf)
			consume_skb(buf);
	}
	if (skb && !broken)
		return skb;
	/* Counted where a NIC counts frames it had no buffer for. */
	dev->stats.rx_dropped++;
	if (broken) {
		dev->stats.rx_errors++;
		dev->stats.rx_length_errors++;
		if (skb)
			kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
	} else {
		dev->stats.rx_missed_errors++;
	}
	return NULL;
}

/* What the device told us about checksum and segmentation [VIRTIO 5.1.6.4]. */
static void virtnet_rx_offload(struct sk_buff *skb, const struct virtio_net_hdr *h)
{
	/*
	 * NEEDS_CSUM: a frame from the host's own stack whose checksum was
	 * never filled in; like DATA_VALID it cannot be corrupt, so the stack
	 * trusts it (Linux treats rx CHECKSUM_PARTIAL the same way).
	 */
	if (h->flags & (VIRTIO_NET_HDR_F_DATA_VALID | VIRTIO_NET_HDR_F_NEEDS_CSUM))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	if ((h->gso_type & ~0x80) == VIRTIO_NET_HDR_GSO_TCPV4 && h->gso_size) {
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_size = h->gso_size;
		skb_shinfo(skb)->gso_segs = (u16)DIV_ROUND_UP(skb->len, h->gso_size);
	}
}

static void virtnet_receive_buf(struct virtnet_info *vi, struct sk_buff *skb, u32 len)
{
	struct net_device *dev = vi->dev;
	struct virtio_net_hdr h;

	if (len < VIRTNET_HDR_LEN + ETH_HLEN || len > VIRTNET_RX_BUF_LEN) {
		dev->stats.rx_errors++;
		dev->stats.rx_length_errors++;
		dev->stats.rx_dropped++;
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return;
	}
	skb_put(skb, len);
	memcpy(&h, skb->data, sizeof(h));
	if (vi->mergeable && h.num_buffers > 1) {
		skb = virtnet_merge(vi, skb, h.num_buffers);
		if (!skb)
			return;
	}
	skb_pull(skb, VIRTNET_HDR_LEN);
	virtnet_rx_offload(skb, &h);
	skb->dev = dev;
	netif_receive_skb(skb);
}

static int virtnet_receive(struct virtnet_info *vi, int budget)
{
	int done = 0;

	while (done < budget) {
		u32 len;
		struct sk_buff *skb = virtqueue_get_buf(&vi->rxq, &len);

		if (!skb)
			break;
		virtnet_receive_buf(vi, skb, len);
		done++;
	}
	return done;
}

/* Free what the device has sent; the caller holds tx_lock. Returns how many. */
static unsigned int virtnet_free_old_xmit(struct virtnet_info *vi)
{
	struct sk_buff *skb;
	unsigned int n = 0;
	u32 len;

	while ((skb = virtqueue_get_buf(&vi->txq, &len))) {
		dev_consume_skb_any(skb);
		n++;
	}
	return n;
}

static void virtnet_tx_complete(struct virtnet_info *vi)
{
	unsigned long flags;
	bool wake;

	spin_lock_irqsave(&vi->tx_lock, flags);
	virtnet_free_old_xmit(vi);
	wake = netif_queue_stopped(vi->dev) && vi->txq.num_free >= VIRTNET_TX_DESCS;
	if (wake)
		virtqueue_disable_cb(&vi->txq);
	spin_unlock_irqrestore(&vi->tx_lock, flags);
	if (wake)
		netif_wake_queue(vi->dev);
}

/*
 * NAPI poll: reclaim transmitted frames, hand up to @budget received ones
 * to the stack, refill. Under budget, re-arm the receive interrupt and
 * look once more, so a frame used in between is never stranded.
 */
static int virtnet_poll(struct napi_struct *napi, int budget)
{
	struct virtnet_info *vi = netdev_priv(napi->dev);
	int done;

	virtnet_tx_complete(vi);
	done = virtnet_receive(vi, budget);
	virtnet_refill(vi);
	if (done < budget && napi_complete_done(napi, done)) {
		if (!virtqueue_enable_cb(&vi->rxq)) {
			virtqueue_disable_cb(&vi->rxq);
			napi_schedule(napi);
		}
	}
	return done;
}

/* Checksum and TSO requests for the device [VIRTIO 5.1.6.2]. */
static void virtnet_tx_hdr(struct virtio_net_hdr *h, const struct sk_buff *skb)
{
	const struct skb_shared_info *si = skb_shinfo(skb);

	memset(h, 0, sizeof(*h));
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->csum_start = (u16)(skb->csum_start - skb_headroom(skb));
		h->csum_offset = skb->csum_offset;
	}
	if (si->gso_size && si->gso_type == SKB_GSO_TCPV4) {
		const u8 *th = skb_transport_header(skb);

		h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		h->gso_size = si->gso_size;
		h->hdr_len = (u16)(skb_transport_offset(skb) + (th[12] >> 4) * 4);
	}
}

/*
 * No room for another frame? Then arm the completion interrupt, which
 * restarts the queue from the poll, and look once more so a completion
 * that came in between is not missed. Caller holds tx_lock.
 */
static bool virtnet_tx_full(struct virtnet_info *vi)
{
	if (vi->txq.num_free >= VIRTNET_TX_DESCS)
		return false;
	if (!virtqueue_enable_cb(&vi->txq))
		virtnet_free_old_xmit(vi);
	if (vi->txq.num_free < VIRTNET_TX_DESCS)
		return true;
	virtqueue_disable_cb(&vi->txq);
	return false;
}

static netdev_tx_t virtnet_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);
	struct vring_sg sg[VIRTNET_TX_DESCS];
	struct virtio_net_hdr *h;
	unsigned long flags;

	spin_lock_irqsave(&vi->tx_lock, flags);
	virtnet_free_old_xmit(vi);
	if (virtnet_tx_full(vi)) {
		netif_stop_queue(dev);
		spin_unlock_irqrestore(&vi->tx_lock, flags);
		return NETDEV_TX_BUSY;
	}
	h = &vi->tx_hdr[vi->txq.free_head];
	virtnet_tx_hdr(h, skb);
	sg[0] = (struct vring_sg){ virt_to_phys(h), VIRTNET_HDR_LEN };
	sg[1] = (struct vring_sg){ virt_to_phys(skb->data), skb->len };
	virtqueue_add(&vi->txq, sg, VIRTNET_TX_DESCS, 0, skb);
	virtqueue_kick(&vi->txq);
	if (virtnet_tx_full(vi))
		netif_stop_queue(dev);
	spin_unlock_irqrestore(&vi->tx_lock, flags);
	return NETDEV_TX_OK;
}

static int virtnet_open(struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);

	napi_schedule(&vi->napi);
	return 0;
}

static int virtnet_stop(struct net_device *dev)
{
	return 0;
}

static int virtnet_ring_info(struct net_device *dev, char *buf, size_t len)
{
	struct virtnet_info *vi = netdev_priv(dev);

	return scnprintf(buf, len,
			 "rx ring %u/%u tx ring %u/%u kicks rx %lu tx %lu suppressed %lu irq %s",
			 virtqueue_in_flight(&vi->rxq), vi->rxq.num,
			 virtqueue_in_flight(&vi->txq) / VIRTNET_TX_DESCS,
			 vi->txq.num / VIRTNET_TX_DESCS, (unsigned long)vi->rxq.kicks,
			 (unsigned long)vi->txq.kicks,
			 (unsigned long)(vi->rxq.kicks_suppressed + vi->txq.kicks_suppressed),
			 vi->msix ? "msix" : "intx");
}

static const struct net_device_ops virtnet_ops = {
	.ndo_open = virtnet_open,
	.ndo_stop = virtnet_stop,
	.ndo_start_xmit = virtnet_start_xmit,
	.ndo_ring_info = virtnet_ring_info,
};

/* Interrupt handlers: count, silence the source, let NAPI do the work. */
static void virtnet_rx_irq(void *data)
{
	struct virtnet_info *vi = data;

	vi->dev->stats.interrupts++;
	virtqueue_disable_cb(&vi->rxq);
	napi_schedule(&vi->napi);
}

static void virtnet_tx_irq(void *data)
{
	struct virtnet_info *vi = data;

	vi->dev->stats.interrupts++;
	virtqueue_disable_cb(&vi->txq);
	napi_schedule(&vi->napi);
}

static void virtnet_config_irq(void *data)
{
	struct virtnet_info *vi = data;

	vi->dev->stats.interrupts++;
	virtnet_update_link(vi);
}

/* INTx: the ISR register says which; reading it lowers the line [4.1.4.5]. */
static void virtnet_intx(void *data)
{
	struct virtnet_info *vi = data;
	u8 isr = virtio_read_isr(&vi->vdev);

	if (!isr)
		return;		/* another device on a shared line */
	vi->dev->stats.interrupts++;
	if (isr & VIRTIO_ISR_QUEUE) {
		virtqueue_disable_cb(&vi->rxq);
		napi_schedule(&vi->napi);
	}
	if (isr & VIRTIO_ISR_CONFIG)
		virtnet_update_link(vi);
}

static int virtnet_setup_msix(struct virtnet_info *vi)
{
	struct pci_dev *pci = vi->vdev.pci;
	int err;

	if (pci->msix_nvec < VIRTNET_NVEC)
		return -ENODEV;
	err = pci_msix_request(pci, VIRTNET_VEC_CONFIG, virtnet_config_irq, vi, "virtio-net config");
	if (!err)
		err = pci_msix_request(pci, VIRTNET_VEC_RX, virtnet_rx_irq, vi, "virtio-net rx");
	if (!err)
		err = pci_msix_request(pci, VIRTNET_VEC_TX, virtnet_tx_irq, vi, "virtio-net tx");
	if (!err)
		err = virtio_set_config_vector(&vi->vdev, VIRTNET_VEC_CONFIG);
	return err;
}

static int virtnet_setup_queues(struct virtnet_info *vi)
{
	u16 rxvec = vi->msix ? VIRTNET_VEC_RX : VIRTIO_MSI_NO_VECTOR;
	u16 txvec = vi->msix ? VIRTNET_VEC_TX : VIRTIO_MSI_NO_VECTOR;
	int err;

	err = virtqueue_setup(&vi->vdev, &vi->rxq, VIRTIO_NET_RXQ, VIRTNET_RING_MAX, rxvec);
	if (!err)
		err = virtqueue_setup(&vi->vdev, &vi->txq, VIRTIO_NET_TXQ,
				      VIRTNET_RING_MAX, txvec);
	if (err)
		return err;
	vi->tx_hdr = kcalloc(vi->txq.num, sizeof(*vi->tx_hdr));
	if (!vi->tx_hdr)
		return -ENOMEM;
	/* Completions are reclaimed as we go; interrupt only when stopped. */
	virtqueue_disable_cb(&vi->txq);
	return 0;
}

/* Take what we can use of the offer, minus features whose needs are missing. */
static u64 virtnet_choose_features(u64 offer)
{
	u64 f = offer & virtnet_features;

	if (!(f & 1ULL << VIRTIO_NET_F_CSUM))
		f &= ~(1ULL << VIRTIO_NET_F_HOST_TSO4);
	/* Big receive segments need GUEST_CSUM and, here, mergeable buffers. */
	if (!(f & 1ULL << VIRTIO_NET_F_GUEST_CSUM) || !(f & 1ULL << VIRTIO_NET_F_MRG_RXBUF))
		f &= ~(1ULL << VIRTIO_NET_F_GUEST_TSO4);
	return f;
}

/* [VIRTIO 3.1.1] the initialisation sequence up to FEATURES_OK. */
static int virtnet_negotiate(struct virtnet_info *vi, const char *where)
{
	u64 offer, want;

	virtio_reset_and_ack(&vi->vdev);
	offer = virtio_device_features(&vi->vdev);
	if (!(offer & 1ULL << VIRTIO_F_VERSION_1)) {
		printk("virtio-net %s: device offers no VIRTIO_F_VERSION_1 (legacy only): not supported\n",
		       where);
		return -ENODEV;
	}
	want = virtnet_choose_features(offer);
	if (virtio_finalize_features(&vi->vdev, want)) {
		printk("virtio-net %s: device refused features %#lx (offered %#lx): giving up\n",
		       where, (unsigned long)want, (unsigned long)offer);
		return -EIO;
	}
	return 0;
}

static void virtnet_set_features(struct virtnet_info *vi)
{
	struct net_device *dev = vi->dev;

	vi->mergeable = virtio_has_feature(&vi->vdev, VIRTIO_NET_F_MRG_RXBUF);
	if (virtio_has_feature(&vi->vdev, VIRTIO_NET_F_CSUM))
		dev->features |= NETIF_F_IP_CSUM;
	if (virtio_has_feature(&vi->vdev, VIRTIO_NET_F_GUEST_CSUM))
		dev->features |= NETIF_F_RXCSUM;
	if (virtio_has_feature(&vi->vdev, VIRTIO_NET_F_HOST_TSO4)) {
		dev->features |= NETIF_F_TSO;
		dev->gso_max_size = 65536;
	}
	if (virtio_has_feature(&vi->vdev, VIRTIO_NET_F_GUEST_TSO4))
		dev->features |= NETIF_F_LRO;
	if (virtio_has_feature(&vi->vdev, VIRTIO_NET_F_MAC))
		virtio_read_config(&vi->vdev, VIRTIO_NET_CFG_MAC, dev->dev_addr, ETH_ALEN);
	else
		memcpy(dev->dev_addr, (u8[ETH_ALEN]){ 0x52, 0x54, 0, 0x12, 0x34,
						     vi->vdev.pci->slot }, ETH_ALEN);
}

static int virtnet_setup_irq(struct virtnet_info *vi)
{
	vi->msix = virtnet_setup_msix(vi) == 0;
	if (vi->msix)
		return 0;
	return pci_intx_request(vi->vdev.pci, virtnet_intx, vi, "virtio-net");
}

static int virtnet_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	char where[16];
	struct net_device *dev;
	struct virtnet_info *vi;
	int err;

	snprintf(where, sizeof(where), "%02x:%02x.%x", pci->bus, pci->slot, pci->func);
	dev = alloc_etherdev(sizeof(*vi));
	if (!dev)
		return -ENOMEM;
	vi = netdev_priv(dev);
	vi->dev = dev;
	spin_lock_init(&vi->tx_lock);
	timer_setup(&vi->refill_timer, virtnet_refill_timer, 0);
	err = virtio_pci_init(&vi->vdev, pci);
	if (err) {
		printk("virtio-net %s: no virtio 1.x PCI capabilities: not supported\n", where);
		goto err_free;
	}
	err = virtnet_negotiate(vi, where);
	if (err)
		goto err_fail;
	pci_set_master(pci);
	err = virtnet_setup_irq(vi);
	if (!err)
		err = virtnet_setup_queues(vi);
	if (err)
		goto err_fail;
	virtnet_set_features(vi);
	dev->netdev_ops = &virtnet_ops;
	netif_napi_add(dev, &vi->napi, virtnet_poll, NAPI_POLL_WEIGHT);
	virtnet_refill(vi);
	virtio_driver_ok(&vi->vdev);
	virtqueue_kick(&vi->rxq);
	err = register_netdev(dev);
	if (err)
		goto err_fail;
	virtnet_update_link(vi);
	printk("%s: virtio-net at %s, MAC %pM, features %#lx, %s, rx %u tx %u\n",
	       dev->name, where, dev->dev_addr, (unsigned long)vi->vdev.features,
	       vi->msix ? "MSI-X" : "INTx", vi->rxq.num, vi->txq.num);
	return 0;

err_fail:
	/* A reset silences the device before its state goes away [VIRTIO 2.1]. */
	virtio_reset_and_ack(&vi->vdev);
	virtio_fail(&vi->vdev);
err_free:
	free_netdev(dev);
	return err;
}

static const struct pci_device_id virtnet_ids[] = {
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_LEGACY_NET },
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_NET },
	{ 0, 0 },
};

static struct pci_driver virtnet_driver = {
	.name = "virtio-net",
	.id_table = virtnet_ids,
	.probe = virtnet_probe,
};

static int virtnet_init(void)
{
	return pci_register_driver(&virtnet_driver);
}
DEFINE_INITCALL(INITCALL_DEVICE, virtnet_init);
