/*
 * Virtio PCI modern transport and split virtqueues [VIRTIO 4.1, 2.6]:
 * capability discovery, the status/feature handshake, queue set-up in DMA
 * memory, and the descriptor/available/used ring protocol with
 * event-index notification suppression. Used by drivers/virtio_net.c.
 */
#include "drivers/virtio.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/string.h"

static void *virtio_map_cap(struct pci_dev *pci, u8 pos, u32 *length)
{
	u8 bar = pci_read_config8(pci, pos + offsetof(struct virtio_pci_cap, bar));
	u32 off = pci_read_config32(pci, pos + offsetof(struct virtio_pci_cap, offset));
	u8 *base;

	*length = pci_read_config32(pci, pos + offsetof(struct virtio_pci_cap, length));
	base = pci_iomap(pci, bar);
	if (!base || (u64)off + *length > pci->bar[bar].size)
		return NULL;
	return base + off;
}

int virtio_pci_init(struct virtio_pci_dev *vdev, struct pci_dev *pci)
{
	u8 pos = 0;
	u32 len;

	memset(vdev, 0, sizeof(*vdev));
	vdev->pci = pci;
	pci_enable_device(pci);
	while ((pos = pci_find_capability(pci, PCI_CAP_ID_VNDR, pos))) {
		u8 type = pci_read_config8(pci, pos + offsetof(struct virtio_pci_cap, cfg_type));
		void *p;

		/* The first capability of each type is the preferred one [4.1.4]. */
		switch (type) {
		case VIRTIO_PCI_CAP_COMMON_CFG:
			if (!vdev->common && (p = virtio_map_cap(pci, pos, &len)))
				vdev->common = p;
			break;
		case VIRTIO_PCI_CAP_NOTIFY_CFG:
			if (!vdev->notify_base && (p = virtio_map_cap(pci, pos, &len))) {
				vdev->notify_base = p;
				vdev->notify_off_multiplier = pci_read_config32(pci, pos + 16);
			}
			break;
		case VIRTIO_PCI_CAP_ISR_CFG:
			if (!vdev->isr && (p = virtio_map_cap(pci, pos, &len)))
				vdev->isr = p;
			break;
		case VIRTIO_PCI_CAP_DEVICE_CFG:
			if (!vdev->device_cfg && (p = virtio_map_cap(pci, pos, &len)))
				vdev->device_cfg = p;
			break;
		}
	}
	if (!vdev->common || !vdev->notify_base || !vdev->isr)
		return -ENODEV;
	return 0;
}

void virtio_reset_and_ack(struct virtio_pci_dev *vdev)
{
	vdev->common->device_status = 0;
	/* Reset completes when the device reads back 0 [VIRTIO 4.1.4.3.2]. */
	while (vdev->common->device_status)
		cpu_relax();
	vdev->common->device_status = VIRTIO_STATUS_ACKNOWLEDGE;
	vdev->common->device_status |= VIRTIO_STATUS_DRIVER;
}

u64 virtio_device_features(struct virtio_pci_dev *vdev)
{
	u64 f;

	vdev->common->device_feature_select = 0;
	f = vdev->common->device_feature;
	vdev->common->device_feature_select = 1;
	return f | (u64)vdev->common->device_feature << 32;
}

int virtio_finalize_features(struct virtio_pci_dev *vdev, u64 wanted)
{
	vdev->common->driver_feature_select = 0;
	vdev->common->driver_feature = (u32)wanted;
	vdev->common->driver_feature_select = 1;
	vdev->common->driver_feature = (u32)(wanted >> 32);
	vdev->common->device_status |= VIRTIO_STATUS_FEATURES_OK;
	if (!(vdev->common->device_status & VIRTIO_STATUS_FEATURES_OK))
		return -EIO;
	vdev->features = wanted;
	return 0;
}

void virtio_driver_ok(struct virtio_pci_dev *vdev)
{
	vdev->common->device_status |= VIRTIO_STATUS_DRIVER_OK;
}

void virtio_fail(struct virtio_pci_dev *vdev)
{
	vdev->common->device_status |= VIRTIO_STATUS_FAILED;
}

int virtio_set_config_vector(struct virtio_pci_dev *vdev, u16 vec)
{
	vdev->common->msix_config = vec;
	return vdev->common->msix_config == vec ? 0 : -EIO;
}

u8 virtio_read_isr(struct virtio_pci_dev *vdev)
{
	return *vdev->isr;
}

void virtio_read_config(struct virtio_pci_dev *vdev, unsigned int off,
			void *buf, unsigned int len)
{
	u8 *p = buf;
	u8 gen;

	if (!vdev->device_cfg) {
		memset(buf, 0, len);
		return;
	}
	do {
		gen = vdev->common->config_generation;
		for (unsigned int i = 0; i < len; i++)
			p[i] = vdev->device_cfg[off + i];
	} while (gen != vdev->common->config_generation);
}

/*
 * Ring layout in one physically contiguous block [VIRTIO 2.6]:
 * descriptors (16-byte aligned), the available ring with used_event, then
 * the used ring with avail_event at 4-byte alignment.
 */
static size_t vring_used_offset(u16 num)
{
	return ALIGN(16u * num + 6u + 2u * num, 4);
}

static size_t vring_bytes(u16 num)
{
	return vring_used_offset(num) + 6u + 8u * num;
}

static volatile u16 *vring_used_event(struct virtqueue *vq)
{
	return &vq->avail->ring[vq->num];
}

static volatile u16 *vring_avail_event(struct virtqueue *vq)
{
	return (volatile u16 *)&vq->used->ring[vq->num];
}

static int vring_alloc(struct virtqueue *vq, u16 num)
{
	u8 *mem;

	vq->pages = DIV_ROUND_UP(vring_bytes(num), PAGE_SIZE);
	mem = alloc_pages_exact(vq->pages);
	vq->token = kcalloc(num, sizeof(void *));
	if (!mem || !vq->token) {
		if (mem)
			free_pages_exact(mem, vq->pages);
		kfree(vq->token);
		return -ENOMEM;
	}
	memset(mem, 0, vq->pages * PAGE_SIZE);
	vq->num = num;
	vq->desc = (struct vring_desc *)mem;
	vq->avail = (struct vring_avail *)(mem + 16u * num);
	vq->used = (struct vring_used *)(mem + vring_used_offset(num));
	for (u16 i = 0; i < num; i++)
		vq->desc[i].next = (u16)(i + 1);
	vq->free_head = 0;
	vq->num_free = num;
	return 0;
}

int virtqueue_setup(struct virtio_pci_dev *vdev, struct virtqueue *vq,
		    u16 index, u16 max_num, u16 vec)
{
	volatile struct virtio_pci_common_cfg *c = vdev->common;
	u16 num;
	int err;

	memset(vq, 0, sizeof(*vq));
	c->queue_select = index;
	num = c->queue_size;
	if (!num || c->queue_enable)
		return -ENOENT;
	while (num > max_num)	/* sizes are powers of two */
		num >>= 1;
	err = vring_alloc(vq, num);
	if (err)
		return err;
	vq->vdev = vdev;
	vq->index = index;
	vq->event_idx = virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);
	c->queue_size = num;
	c->queue_desc = virt_to_phys(vq->desc);
	c->queue_driver = virt_to_phys(vq->avail);
	c->queue_device = virt_to_phys(vq->used);
	c->queue_msix_vector = vec;
	if (c->queue_msix_vector != vec)
		return -EIO;	/* no MSI-X resources in the device */
	vq->notify = (volatile u16 *)(vdev->notify_base +
				      (u32)c->queue_notify_off * vdev->notify_off_multiplier);
	c->queue_enable = 1;
	return 0;
}

int virtqueue_add(struct virtqueue *vq, const struct vring_sg *sg,
		  unsigned int out, unsigned int in, void *token)
{
	unsigned int n = out + in;
	u16 head = vq->free_head, i = head, prev = head;

	if (!n || n > vq->num_free)
		return -ENOSPC;
	for (unsigned int k = 0; k < n; k++) {
		struct vring_desc *d = &vq->desc[i];

		d->addr = sg[k].addr;
		d->len = sg[k].len;
		d->flags = (u16)((k >= out ? VRING_DESC_F_WRITE : 0) |
				 (k + 1 < n ? VRING_DESC_F_NEXT : 0));
		prev = i;
		i = d->next;
	}
	vq->free_head = vq->desc[prev].next;
	vq->num_free -= (u16)n;
	vq->token[head] = token;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	vq->avail_idx++;
	return 0;
}

/* [VIRTIO 2.6.7.2] the device wants a kick once avail passes avail_event. */
static bool vring_need_event(u16 event, u16 new, u16 old)
{
	return (u16)(new - event - 1) < (u16)(new - old);
}

void virtqueue_kick(struct virtqueue *vq)
{
	u16 old = vq->kicked_idx, new = vq->avail_idx;
	bool need;

	if (old == new)
		return;
	/* Descriptors and ring entries before the index that publishes them. */
	dma_wmb();
	WRITE_ONCE(vq->avail->idx, new);
	vq->kicked_idx = new;
	/* The index store must be visible before we read the device's wish. */
	mb();
	if (vq->event_idx)
		need = vring_need_event(READ_ONCE(*vring_avail_event(vq)), new, old);
	else
		need = !(READ_ONCE(vq->used->flags) & VRING_USED_F_NO_NOTIFY);
	if (!need) {
		vq->kicks_suppressed++;
		return;
	}
	vq->kicks++;
	*vq->notify = vq->index;
}

bool virtqueue_more_used(const struct virtqueue *vq)
{
	return READ_ONCE(vq->used->idx) != vq->last_used_idx;
}

static void vring_free_chain(struct virtqueue *vq, u16 head)
{
	u16 i = head;

	vq->num_free++;
	while (vq->desc[i].flags & VRING_DESC_F_NEXT) {
		i = vq->desc[i].next;
		vq->num_free++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
}

void *virtqueue_get_buf(struct virtqueue *vq, u32 *len)
{
	struct vring_used_elem *e;
	void *token;
	u16 head;

	if (!virtqueue_more_used(vq))
		return NULL;
	/* Read the entry only after seeing the index that covers it. */
	dma_rmb();
	e = &vq->used->ring[vq->last_used_idx & (vq->num - 1)];
	head = (u16)e->id;
	if (head >= vq->num || !vq->token[head])
		return NULL;	/* a broken device; stop consuming */
	*len = e->len;
	token = vq->token[head];
	vq->token[head] = NULL;
	vring_free_chain(vq, head);
	vq->last_used_idx++;
	/* With event idx, the disabled state is "used_event left behind". */
	return token;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (!vq->event_idx)
		vq->avail->flags |= VRING_AVAIL_F_NO_INTERRUPT;
}

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	if (vq->event_idx)
		WRITE_ONCE(*vring_used_event(vq), vq->last_used_idx);
	else
		vq->avail->flags &= (u16)~VRING_AVAIL_F_NO_INTERRUPT;
	/*
	 * The re-arm must be visible before we look at used->idx again: a
	 * buffer used in between is either seen here or interrupts us.
	 */
	mb();
	return !virtqueue_more_used(vq);
}
