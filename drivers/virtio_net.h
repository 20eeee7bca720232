/* virtio-net device definitions [VIRTIO 5.1]. */
#ifndef DRIVERS_VIRTIO_NET_H
#define DRIVERS_VIRTIO_NET_H

#include "lib/compiler.h"
#include "lib/types.h"

/* Feature bits [VIRTIO 5.1.3] */
#define VIRTIO_NET_F_CSUM		0	/* device takes partial checksums */
#define VIRTIO_NET_F_GUEST_CSUM		1	/* we take partial/verified checksums */
#define VIRTIO_NET_F_MAC		5
#define VIRTIO_NET_F_GUEST_TSO4		7	/* we take TCPv4 segments > MTU */
#define VIRTIO_NET_F_HOST_TSO4		11	/* device cuts our TCPv4 segments */
#define VIRTIO_NET_F_MRG_RXBUF		15
#define VIRTIO_NET_F_STATUS		16

/* Device configuration [VIRTIO 5.1.4] */
#define VIRTIO_NET_CFG_MAC		0
#define VIRTIO_NET_CFG_STATUS		6
#define VIRTIO_NET_S_LINK_UP		1

#define VIRTIO_NET_RXQ			0
#define VIRTIO_NET_TXQ			1

/* The header before every frame [VIRTIO 5.1.6] (VERSION_1: always 12 bytes) */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1
#define VIRTIO_NET_HDR_F_DATA_VALID	2
#define VIRTIO_NET_HDR_GSO_NONE		0
#define VIRTIO_NET_HDR_GSO_TCPV4	1

struct virtio_net_hdr {
	u8 flags;
	u8 gso_type;
	u16 hdr_len;		/* Ethernet + IP + TCP headers (GSO) */
	u16 gso_size;		/* MSS */
	u16 csum_start;		/* from the Ethernet header */
	u16 csum_offset;	/* from csum_start */
	u16 num_buffers;	/* MRG_RXBUF: buffers this frame spans */
} __packed;
BUILD_BUG_ON(sizeof(struct virtio_net_hdr) != 12);

#endif
