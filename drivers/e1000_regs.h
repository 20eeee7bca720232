/*
 * Intel 82540EM (QEMU's "e1000") registers and descriptors, from the PCI/
 * PCI-X Family of Gigabit Ethernet Controllers Software Developer's Manual
 * (8254x), sections cited as [section].
 */
#ifndef DRIVERS_E1000_REGS_H
#define DRIVERS_E1000_REGS_H

#include "lib/compiler.h"
#include "lib/types.h"

#define E1000_VENDOR_INTEL	0x8086
#define E1000_DEV_82540EM	0x100e

/* Register offsets in BAR0 [13.1, table 13-2] */
#define E1000_CTRL	0x0000	/* [13.4.1] device control */
#define E1000_STATUS	0x0008	/* [13.4.2] device status */
#define E1000_EERD	0x0014	/* [13.4.4] EEPROM read */
#define E1000_ICR	0x00c0	/* [13.4.17] interrupt cause read (clears) */
#define E1000_ITR	0x00c4	/* [13.4.18] interrupt throttling */
#define E1000_IMS	0x00d0	/* [13.4.20] interrupt mask set */
#define E1000_IMC	0x00d8	/* [13.4.21] interrupt mask clear */
#define E1000_RCTL	0x0100	/* [13.4.22] receive control */
#define E1000_TCTL	0x0400	/* [13.4.33] transmit control */
#define E1000_TIPG	0x0410	/* [13.4.34] transmit inter-packet gap */
#define E1000_RDBAL	0x2800	/* [13.4.25] rx descriptor base, low */
#define E1000_RDBAH	0x2804
#define E1000_RDLEN	0x2808	/* ring bytes, a multiple of 128 */
#define E1000_RDH	0x2810	/* head: next the hardware fills */
#define E1000_RDT	0x2818	/* tail: one past the last we posted */
#define E1000_RDTR	0x2820	/* [13.4.30] rx delay timer */
#define E1000_TDBAL	0x3800	/* [13.4.36] tx descriptor base, low */
#define E1000_TDBAH	0x3804
#define E1000_TDLEN	0x3808
#define E1000_TDH	0x3810
#define E1000_TDT	0x3818
#define E1000_MPC	0x4010	/* [13.7] missed packets (clears on read) */
#define E1000_MTA	0x5200	/* [13.4.27] multicast table, 128 words */
#define E1000_RAL0	0x5400	/* [13.4.28] receive address low */
#define E1000_RAH0	0x5404	/* ... high, with Address Valid */

/* CTRL [13.4.1] */
#define E1000_CTRL_ASDE		(1u << 5)	/* auto-speed detection */
#define E1000_CTRL_SLU		(1u << 6)	/* set link up */
#define E1000_CTRL_RST		(1u << 26)	/* device reset, self-clearing */

/* STATUS [13.4.2] */
#define E1000_STATUS_LU		(1u << 1)	/* link up */

/* EERD [13.4.4]: 82540EM layout */
#define E1000_EERD_START	(1u << 0)
#define E1000_EERD_DONE		(1u << 4)
#define E1000_EERD_ADDR_SHIFT	8
#define E1000_EERD_DATA_SHIFT	16

/* Interrupt causes, ICR/IMS/IMC [13.4.17] */
#define E1000_ICR_TXDW		(1u << 0)	/* transmit descriptor written back */
#define E1000_ICR_LSC		(1u << 2)	/* link status change */
#define E1000_ICR_RXDMT0	(1u << 4)	/* rx descriptors below threshold */
#define E1000_ICR_RXO		(1u << 6)	/* receiver overrun */
#define E1000_ICR_RXT0		(1u << 7)	/* receiver timer (frame received) */

/* RCTL [13.4.22] */
#define E1000_RCTL_EN		(1u << 1)	/* receiver enable */
#define E1000_RCTL_BAM		(1u << 15)	/* accept broadcast */
#define E1000_RCTL_BSIZE_2048	(0u << 16)	/* with BSEX = 0 */
#define E1000_RCTL_SECRC	(1u << 26)	/* strip the Ethernet CRC */

/* TCTL [13.4.33] */
#define E1000_TCTL_EN		(1u << 1)	/* transmitter enable */
#define E1000_TCTL_PSP		(1u << 3)	/* pad short packets */
#define E1000_TCTL_CT_SHIFT	4		/* collision threshold */
#define E1000_TCTL_COLD_SHIFT	12		/* collision distance */
#define E1000_TCTL_CT		0x0f
#define E1000_TCTL_COLD_FD	0x40		/* full duplex */

/* TIPG recommended for copper [13.4.34] */
#define E1000_TIPG_DEFAULT	(10u | 8u << 10 | 6u << 20)

/* RAH [13.4.28] */
#define E1000_RAH_AV		(1u << 31)	/* address valid */

/* Receive descriptor [3.2.3] */
struct e1000_rx_desc {
	u64 addr;
	u16 length;
	u16 csum;
	u8 status;
	u8 errors;
	u16 special;
};
BUILD_BUG_ON(sizeof(struct e1000_rx_desc) != 16);
#define E1000_RXD_STAT_DD	(1u << 0)	/* descriptor done */
#define E1000_RXD_STAT_EOP	(1u << 1)	/* end of packet */

/* Legacy transmit descriptor [3.3.3] */
struct e1000_tx_desc {
	u64 addr;
	u16 length;
	u8 cso;
	u8 cmd;
	u8 status;
	u8 css;
	u16 special;
};
BUILD_BUG_ON(sizeof(struct e1000_tx_desc) != 16);
#define E1000_TXD_CMD_EOP	(1u << 0)	/* end of packet */
#define E1000_TXD_CMD_IFCS	(1u << 1)	/* insert FCS */
#define E1000_TXD_CMD_RS	(1u << 3)	/* report status (sets DD) */
#define E1000_TXD_STAT_DD	(1u << 0)

/*
 * TCP/IP context descriptor [3.3.6]: where the checksums go and, with
 * TSE, how to cut a TCP segmentation (TSO) frame [3.5]. It takes a ring
 * slot of its own and applies to the data descriptors that follow.
 * Offsets count from the start of the frame; a CSE of 0 means "to the end".
 */
struct e1000_context_desc {
	u8 ipcss;		/* IP checksum start */
	u8 ipcso;		/* IP checksum offset (where to store) */
	u16 ipcse;		/* IP checksum end, inclusive */
	u8 tucss;		/* TCP/UDP checksum start */
	u8 tucso;		/* TCP/UDP checksum offset */
	u16 tucse;		/* TCP/UDP checksum end, inclusive; 0 = end */
	u32 cmd_and_length;	/* PAYLEN 19:0, DTYP 23:20 (0), TUCMD 31:24 */
	u8 status;
	u8 hdr_len;		/* TSO: bytes of header copied to each segment */
	u16 mss;		/* TSO: payload bytes per segment */
} __packed;
BUILD_BUG_ON(sizeof(struct e1000_context_desc) != 16);

/* TCP/IP data descriptor [3.3.7]: the legacy layout with DEXT set. */
struct e1000_data_desc {
	u64 addr;
	u32 cmd_and_length;	/* DTALEN 19:0, DTYP 23:20 (1), DCMD 31:24 */
	u8 status;
	u8 popts;		/* checksums to insert, from the context */
	u16 special;
} __packed;
BUILD_BUG_ON(sizeof(struct e1000_data_desc) != 16);

/* TUCMD [3.3.6.1] and DCMD [3.3.7.1] share bit positions in bits 31:24. */
#define E1000_TXD_DTYP_D	(1u << 20)	/* data (vs. context) descriptor */
#define E1000_TXD_CMD_TCP	(1u << 24)	/* TUCMD: TCP, not UDP */
#define E1000_TXD_CMD_IP	(1u << 25)	/* TUCMD: IPv4, not IPv6 */
#define E1000_TXD_CMD_TSE	(1u << 26)	/* TCP segmentation enable */
#define E1000_TXD_DCMD_EOP	(1u << 24)
#define E1000_TXD_DCMD_IFCS	(1u << 25)
#define E1000_TXD_DCMD_RS	(1u << 27)
#define E1000_TXD_CMD_DEXT	(1u << 29)	/* extended (TCP/IP) descriptor */
#define E1000_TXD_POPTS_IXSM	(1u << 0)	/* insert the IP checksum */
#define E1000_TXD_POPTS_TXSM	(1u << 1)	/* insert the TCP/UDP checksum */

#endif
