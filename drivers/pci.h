/*
 * PCI: configuration space (mechanism #1, ports 0xCF8/0xCFC), the devices
 * found on every bus, their BARs and capabilities, interrupts (MSI-X or
 * legacy INTx through the IOAPIC), and a registry of drivers that claim
 * devices by vendor/device ID. PCI Local Bus Spec 3.0 sections cited.
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include "kernel/irq.h"
#include "lib/compiler.h"
#include "lib/list.h"
#include "lib/types.h"

/* Configuration header, type 0 [PCI 3.0, 6.1] */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		(1u << 0)
#define  PCI_COMMAND_MEMORY	(1u << 1)
#define  PCI_COMMAND_MASTER	(1u << 2)	/* bus mastering (DMA) */
#define  PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	(1u << 4)
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CLASS_DEVICE	0x0a	/* class << 8 | subclass */
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_MULTIFUNC	0x80
#define PCI_BASE_ADDRESS_0	0x10
#define  PCI_BAR_IO		(1u << 0)
#define  PCI_BAR_MEM_TYPE_64	(2u << 1)
#define  PCI_BAR_PREFETCH	(1u << 3)
#define PCI_SECONDARY_BUS	0x19	/* type 1 (bridge) header */
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_CLASS_BRIDGE_PCI	0x0604

/* Capabilities [PCI 3.0, 6.7] */
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11

#define PCI_NUM_BARS		6

struct pci_bar {
	u64 addr;		/* bus address (I/O port or memory) */
	u64 size;
	bool io, mem64, prefetch;
	void *va;		/* mapped memory BAR, NULL until pci_iomap */
};

struct pci_driver;

struct pci_dev {
	u8 bus, slot, func;
	u16 vendor, device;
	u16 subsystem_vendor, subsystem_device;
	u16 class;		/* class << 8 | subclass */
	u8 prog_if, revision;
	u8 irq_line, irq_pin;
	struct pci_bar bar[PCI_NUM_BARS];
	u8 msix_cap;		/* config offset of MSI-X, 0 if none */
	u16 msix_nvec;
	volatile u32 *msix_table;
	volatile u32 *msix_pba;
	const struct pci_driver *driver;
	void *driver_data;
	struct list_head list;
};

struct pci_device_id {
	u16 vendor, device;	/* 0/0 ends a table */
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	/* 0 claims the device; -errno leaves it unclaimed. */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	struct list_head list;
};

u32 pci_read_config32(const struct pci_dev *dev, unsigned int off);
u16 pci_read_config16(const struct pci_dev *dev, unsigned int off);
u8 pci_read_config8(const struct pci_dev *dev, unsigned int off);
void pci_write_config32(const struct pci_dev *dev, unsigned int off, u32 v);
void pci_write_config16(const struct pci_dev *dev, unsigned int off, u16 v);
void pci_write_config8(const struct pci_dev *dev, unsigned int off, u8 v);

/* Register: probes every present, unclaimed device the table matches. */
int pci_register_driver(struct pci_driver *drv);

/* Memory and I/O decoding on; DMA (bus mastering) for a claimed device. */
void pci_enable_device(struct pci_dev *dev);
void pci_set_master(struct pci_dev *dev);
/* Map memory BAR @bar (uncached); its virtual address or NULL. */
void *pci_iomap(struct pci_dev *dev, unsigned int bar);

/* Offset of the first capability @id at or after @start (0: from the list head), or 0. */
u8 pci_find_capability(const struct pci_dev *dev, u8 id, u8 start);

/*
 * MSI-X [PCI 3.0, 6.8.2]: route table entry @entry to a fresh vector
 * handled by @fn (edge, to this CPU's LAPIC) and enable MSI-X. 0 or -errno.
 */
int pci_msix_request(struct pci_dev *dev, unsigned int entry, irq_handler_t fn,
		     void *data, const char *name);
/* Legacy INTx through the IOAPIC (level, active low). 0 or -errno. */
int pci_intx_request(struct pci_dev *dev, irq_handler_t fn, void *data,
		     const char *name);

/*
 * Ordering for DMA memory shared with a device. x86 keeps stores in order
 * and loads in order (TSO), and uncached MMIO is not reordered around
 * them, so only the store->load case needs a fence.
 */
#define dma_wmb()	barrier()
#define dma_rmb()	barrier()
static inline void mb(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

#endif
