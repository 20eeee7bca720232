/*
 * Virtio 1.x over PCI (modern transport) and split virtqueues, as the
 * virtio 1.1 specification lays them out (sections cited as [VIRTIO x.y]).
 * A device driver (drivers/virtio_net.c) finds the transport with
 * virtio_pci_init(), negotiates features, sets up its queues, and moves
 * buffers with virtqueue_add()/virtqueue_get_buf().
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include "drivers/pci.h"
#include "lib/compiler.h"
#include "lib/types.h"

#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_LEGACY_NET		0x1000	/* transitional virtio-net */
#define VIRTIO_PCI_MODERN_BASE		0x1040	/* + device type [VIRTIO 4.1.2] */
#define VIRTIO_ID_NET			1

/* Device status [VIRTIO 2.1] */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_NEEDS_RESET	64
#define VIRTIO_STATUS_FAILED		128

/* Device-independent feature bits [VIRTIO 6] */
#define VIRTIO_RING_F_INDIRECT_DESC	28
#define VIRTIO_RING_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32

/* PCI capability types [VIRTIO 4.1.4] */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4

#define VIRTIO_MSI_NO_VECTOR		0xffff
#define VIRTIO_ISR_QUEUE		1
#define VIRTIO_ISR_CONFIG		2

/* The vendor capability that points at a structure in a BAR [VIRTIO 4.1.4] */
struct virtio_pci_cap {
	u8 cap_vndr, cap_next, cap_len;
	u8 cfg_type;
	u8 bar;
	u8 padding[3];
	u32 offset;
	u32 length;
} __packed;
BUILD_BUG_ON(sizeof(struct virtio_pci_cap) != 16);

/* Common configuration [VIRTIO 4.1.4.3] */
struct virtio_pci_common_cfg {
	u32 device_feature_select;
	u32 device_feature;
	u32 driver_feature_select;
	u32 driver_feature;
	u16 msix_config;
	u16 num_queues;
	u8 device_status;
	u8 config_generation;
	u16 queue_select;
	u16 queue_size;
	u16 queue_msix_vector;
	u16 queue_enable;
	u16 queue_notify_off;
	u64 queue_desc;
	u64 queue_driver;
	u64 queue_device;
} __packed;
BUILD_BUG_ON(sizeof(struct virtio_pci_common_cfg) != 56);

/* Split virtqueue [VIRTIO 2.6]; naturally aligned, so not packed. */
#define VRING_DESC_F_NEXT		1
#define VRING_DESC_F_WRITE		2
#define VRING_AVAIL_F_NO_INTERRUPT	1
#define VRING_USED_F_NO_NOTIFY		1

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};
BUILD_BUG_ON(sizeof(struct vring_desc) != 16);

struct vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];	/* then used_event */
};

struct vring_used_elem {
	u32 id;
	u32 len;
};
BUILD_BUG_ON(sizeof(struct vring_used_elem) != 8);

struct vring_used {
	u16 flags;
	u16 idx;
	struct vring_used_elem ring[];	/* then avail_event */
};

struct virtio_pci_dev {
	struct pci_dev *pci;
	volatile struct virtio_pci_common_cfg *common;
	volatile u8 *isr;
	volatile u8 *device_cfg;
	volatile u8 *notify_base;
	u32 notify_off_multiplier;
	u64 features;		/* negotiated */
};

/* One buffer of a chain handed to the device. */
struct vring_sg {
	u64 addr;		/* physical */
	u32 len;
};

struct virtqueue {
	struct virtio_pci_dev *vdev;
	u16 index;
	u16 num;		/* ring size, a power of two */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	size_t pages;		/* DMA memory behind desc/avail/used */
	volatile u16 *notify;
	bool event_idx;
	u16 avail_idx;		/* our shadow of avail->idx */
	u16 last_used_idx;	/* next used entry to read */
	u16 kicked_idx;		/* avail->idx at the last notification check */
	u16 free_head;		/* descriptor free list */
	u16 num_free;
	void **token;		/* per chain head: the driver's buffer */
	u64 kicks, kicks_suppressed;
};

static inline bool virtio_has_feature(const struct virtio_pci_dev *vdev,
				      unsigned int bit)
{
	return vdev->features & (1ULL << bit);
}

/* Find the modern capabilities and map them. 0 or -ENODEV. */
int virtio_pci_init(struct virtio_pci_dev *vdev, struct pci_dev *pci);
/* Reset, then ACKNOWLEDGE | DRIVER [VIRTIO 3.1.1 steps 1-3]. */
void virtio_reset_and_ack(struct virtio_pci_dev *vdev);
u64 virtio_device_features(struct virtio_pci_dev *vdev);
/*
 * Write @wanted (a subset of the offer), set FEATURES_OK and check the
 * device kept it [VIRTIO 3.1.1 steps 4-6]. 0, or -EIO if refused.
 */
int virtio_finalize_features(struct virtio_pci_dev *vdev, u64 wanted);
void virtio_driver_ok(struct virtio_pci_dev *vdev);
void virtio_fail(struct virtio_pci_dev *vdev);
/* Route configuration-change interrupts to MSI-X entry @vec. 0 or -EIO. */
int virtio_set_config_vector(struct virtio_pci_dev *vdev, u16 vec);
/* Read-and-clear the ISR status (INTx). */
u8 virtio_read_isr(struct virtio_pci_dev *vdev);
/* Device config bytes at @off, consistent across config_generation. */
void virtio_read_config(struct virtio_pci_dev *vdev, unsigned int off,
			void *buf, unsigned int len);

/* Queue @index with up to @max_num entries, interrupts on MSI-X entry @vec. */
int virtqueue_setup(struct virtio_pci_dev *vdev, struct virtqueue *vq,
		    u16 index, u16 max_num, u16 vec);
/*
 * Add a chain: @out device-readable buffers then @in device-writable ones,
 * remembered by @token. 0 or -ENOSPC. The device sees it at the next kick.
 */
int virtqueue_add(struct virtqueue *vq, const struct vring_sg *sg,
		  unsigned int out, unsigned int in, void *token);
/* Publish added chains and notify the device if it asked to be. */
void virtqueue_kick(struct virtqueue *vq);
/* Next used chain's token (and bytes written in @len), or NULL. */
void *virtqueue_get_buf(struct virtqueue *vq, u32 *len);
bool virtqueue_more_used(const struct virtqueue *vq);
/* Interrupt suppression [VIRTIO 2.6.7]. */
void virtqueue_disable_cb(struct virtqueue *vq);
/* Re-arm; false if used buffers are already pending (poll again). */
bool virtqueue_enable_cb(struct virtqueue *vq);
static inline unsigned int virtqueue_in_flight(const struct virtqueue *vq)
{
	return vq->num - vq->num_free;
}

#endif
