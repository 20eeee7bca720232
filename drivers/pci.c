/*
 * PCI bus: enumeration through configuration mechanism #1, BAR sizing,
 * capability lists, MSI-X and INTx, and the driver registry. Bus scan at
 * INITCALL_SUBSYS; NIC drivers register at INITCALL_DEVICE and are probed
 * against the devices found: pci_register_driver() -> probe().
 */
#include "drivers/pci.h"
#include "kernel/apic.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "lib/errno.h"

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_MAX_BUS		256
#define PCI_MAX_SLOT		32
#define PCI_MAX_FUNC		8

/* MSI-X capability registers and table layout [PCI 3.0, 6.8.2] */
#define MSIX_CTRL		2
#define  MSIX_CTRL_ENABLE	(1u << 15)
#define  MSIX_CTRL_FMASK	(1u << 14)
#define  MSIX_CTRL_SIZE		0x7ff	/* table size - 1 */
#define MSIX_TABLE		4	/* offset | BIR */
#define MSIX_PBA		8
#define  MSIX_BIR_MASK		0x7
#define MSIX_ENTRY_SIZE		16
#define MSIX_ENTRY_ADDR_LO	0
#define MSIX_ENTRY_ADDR_HI	4
#define MSIX_ENTRY_DATA		8
#define MSIX_ENTRY_CTRL		12
#define  MSIX_ENTRY_MASKED	1u
/* MSI message address: the LAPIC window, destination ID in 19:12 [SDM 11.11.1] */
#define MSI_ADDR_BASE		0xfee00000u

/*
 * Windows for BARs the firmware left unassigned (qboot assigns none):
 * QEMU's pc machine decodes PCI memory between the top of low RAM and the
 * IOAPIC, and I/O ports above the legacy ISA range, as SeaBIOS uses them.
 */
#define PCI_MEM_WINDOW_START	0xe0000000ULL
#define PCI_MEM_WINDOW_END	0xfec00000ULL
#define PCI_IO_WINDOW_START	0xc000u
#define PCI_IO_WINDOW_END	0x10000u

static LIST_HEAD(pci_devices);
static LIST_HEAD(pci_drivers);
static DEFINE_SPINLOCK(pci_config_lock);
static bool pci_scanned;
static u64 pci_mem_next = PCI_MEM_WINDOW_START;
static u64 pci_io_next = PCI_IO_WINDOW_START;

static u32 config_address(const struct pci_dev *dev, unsigned int off)
{
	return 0x80000000u | (u32)dev->bus << 16 | (u32)dev->slot << 11 |
	       (u32)dev->func << 8 | (off & 0xfc);
}

u32 pci_read_config32(const struct pci_dev *dev, unsigned int off)
{
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONFIG_ADDRESS, config_address(dev, off));
	v = inl(PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return v;
}

u16 pci_read_config16(const struct pci_dev *dev, unsigned int off)
{
	return (u16)(pci_read_config32(dev, off) >> ((off & 2) * 8));
}

u8 pci_read_config8(const struct pci_dev *dev, unsigned int off)
{
	return (u8)(pci_read_config32(dev, off) >> ((off & 3) * 8));
}

void pci_write_config32(const struct pci_dev *dev, unsigned int off, u32 v)
{
	unsigned long flags;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONFIG_ADDRESS, config_address(dev, off));
	outl(PCI_CONFIG_DATA, v);
	spin_unlock_irqrestore(&pci_config_lock, flags);
}

void pci_write_config16(const struct pci_dev *dev, unsigned int off, u16 v)
{
	unsigned long flags;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONFIG_ADDRESS, config_address(dev, off));
	outw((u16)(PCI_CONFIG_DATA + (off & 2)), v);
	spin_unlock_irqrestore(&pci_config_lock, flags);
}

void pci_write_config8(const struct pci_dev *dev, unsigned int off, u8 v)
{
	unsigned long flags;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONFIG_ADDRESS, config_address(dev, off));
	outb((u16)(PCI_CONFIG_DATA + (off & 3)), v);
	spin_unlock_irqrestore(&pci_config_lock, flags);
}

/*
 * Size BAR @i by writing all ones and reading back the writable bits
 * [PCI 3.0, 6.2.5.1], with decoding off meanwhile. Returns how many BAR
 * registers it used (2 for a 64-bit memory BAR).
 */
static unsigned int pci_size_bar(struct pci_dev *dev, unsigned int i)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * i;
	struct pci_bar *b = &dev->bar[i];
	u32 lo = pci_read_config32(dev, off), szlo, hi = 0, szhi = 0xffffffff;
	u64 mask;

	pci_write_config32(dev, off, 0xffffffff);
	szlo = pci_read_config32(dev, off);
	pci_write_config32(dev, off, lo);
	b->io = lo & PCI_BAR_IO;
	if (b->io) {
		b->addr = lo & ~3u;
		mask = (szlo & ~3u) | 0xffff0000u;
		b->size = szlo ? (u32)(~mask + 1) : 0;
		return 1;
	}
	b->mem64 = (lo & 6) == PCI_BAR_MEM_TYPE_64;
	b->prefetch = lo & PCI_BAR_PREFETCH;
	if (b->mem64 && i + 1 < PCI_NUM_BARS) {
		hi = pci_read_config32(dev, off + 4);
		pci_write_config32(dev, off + 4, 0xffffffff);
		szhi = pci_read_config32(dev, off + 4);
		pci_write_config32(dev, off + 4, hi);
	}
	b->addr = (u64)hi << 32 | (lo & ~0xfu);
	mask = (u64)szhi << 32 | (szlo & ~0xfu);
	b->size = (szlo & ~0xfu) ? ~mask + 1 : 0;
	return b->mem64 ? 2 : 1;
}

/*
 * Give an unassigned BAR an address from its window, naturally aligned
 * (a BAR decodes a power-of-two size at a multiple of it).
 */
static void pci_assign_bar(struct pci_dev *dev, unsigned int i)
{
	struct pci_bar *b = &dev->bar[i];
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * i;
	u64 *next = b->io ? &pci_io_next : &pci_mem_next;
	u64 end = b->io ? PCI_IO_WINDOW_END : PCI_MEM_WINDOW_END;
	u64 addr = ALIGN(*next, b->size);

	if (b->addr || !b->size)
		return;
	if (addr + b->size > end) {
		printk("pci %02x:%02x.%x: no room for bar%u (%#lx bytes)\n",
		       dev->bus, dev->slot, dev->func, i, (unsigned long)b->size);
		return;
	}
	*next = addr + b->size;
	b->addr = addr;
	pci_write_config32(dev, off, (pci_read_config32(dev, off) & 0xf) | (u32)addr);
	if (b->mem64)
		pci_write_config32(dev, off + 4, (u32)(addr >> 32));
}

static void pci_read_bars(struct pci_dev *dev)
{
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);

	pci_write_config16(dev, PCI_COMMAND,
			   cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < PCI_NUM_BARS;) {
		unsigned int used = pci_size_bar(dev, i);

		pci_assign_bar(dev, i);
		i += used;
	}
	pci_write_config16(dev, PCI_COMMAND, cmd);
}

u8 pci_find_capability(const struct pci_dev *dev, u8 id, u8 start)
{
	u8 pos;
	int ttl = 48;	/* a looped list must not hang the boot */

	if (!(pci_read_config16(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = start ? pci_read_config8(dev, start + 1)
		    : pci_read_config8(dev, PCI_CAPABILITY_LIST);
	while (pos >= 0x40 && ttl--) {
		pos &= ~3;
		if (pci_read_config8(dev, pos) == id)
			return pos;
		pos = pci_read_config8(dev, pos + 1);
	}
	return 0;
}

static struct pci_dev *pci_probe_function(u8 bus, u8 slot, u8 func)
{
	struct pci_dev probe = { .bus = bus, .slot = slot, .func = func };
	struct pci_dev *dev;
	u32 id = pci_read_config32(&probe, PCI_VENDOR_ID);

	if ((id & 0xffff) == 0xffff)
		return NULL;
	dev = kzalloc(sizeof(*dev));
	if (!dev)
		return NULL;
	*dev = probe;
	dev->vendor = (u16)id;
	dev->device = (u16)(id >> 16);
	dev->revision = pci_read_config8(dev, PCI_REVISION_ID);
	dev->prog_if = pci_read_config8(dev, PCI_CLASS_PROG);
	dev->class = pci_read_config16(dev, PCI_CLASS_DEVICE);
	dev->irq_line = pci_read_config8(dev, PCI_INTERRUPT_LINE);
	dev->irq_pin = pci_read_config8(dev, PCI_INTERRUPT_PIN);
	if ((pci_read_config8(dev, PCI_HEADER_TYPE) & 0x7f) == 0) {
		dev->subsystem_vendor = pci_read_config16(dev, PCI_SUBSYSTEM_VENDOR_ID);
		dev->subsystem_device = pci_read_config16(dev, PCI_SUBSYSTEM_ID);
		pci_read_bars(dev);
		dev->msix_cap = pci_find_capability(dev, PCI_CAP_ID_MSIX, 0);
		if (dev->msix_cap)
			dev->msix_nvec = (pci_read_config16(dev, dev->msix_cap + MSIX_CTRL) &
					  MSIX_CTRL_SIZE) + 1;
	}
	list_add_tail(&dev->list, &pci_devices);
	return dev;
}

static void pci_scan_bus(u8 bus, unsigned int depth);

static void pci_scan_slot(u8 bus, u8 slot, unsigned int depth)
{
	for (u8 func = 0; func < PCI_MAX_FUNC; func++) {
		struct pci_dev *dev = pci_probe_function(bus, slot, func);

		if (!dev) {
			if (func == 0)
				return;
			continue;
		}
		if (dev->class == PCI_CLASS_BRIDGE_PCI) {
			u8 sec = pci_read_config8(dev, PCI_SECONDARY_BUS);

			if (sec > bus && depth < 8)
				pci_scan_bus(sec, depth + 1);
		}
		if (func == 0 && !(pci_read_config8(dev, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNC))
			return;
	}
}

/* Depth-first through PCI-to-PCI bridges, so every bus behind bus 0 is seen. */
static void pci_scan_bus(u8 bus, unsigned int depth)
{
	for (u8 slot = 0; slot < PCI_MAX_SLOT; slot++)
		pci_scan_slot(bus, slot, depth);
}

void pci_enable_device(struct pci_dev *dev)
{
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);

	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		if (!dev->bar[i].size)
			continue;
		cmd |= dev->bar[i].io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	pci_write_config16(dev, PCI_COMMAND, cmd);
}

/* Only a device a driver claimed may master the bus (DMA into our RAM). */
void pci_set_master(struct pci_dev *dev)
{
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);

	if (!dev->driver)
		return;
	pci_write_config16(dev, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
}

void *pci_iomap(struct pci_dev *dev, unsigned int bar)
{
	struct pci_bar *b;

	if (bar >= PCI_NUM_BARS)
		return NULL;
	b = &dev->bar[bar];
	if (b->io || !b->size || !b->addr)
		return NULL;
	if (!b->va)
		b->va = ioremap(b->addr, b->size);
	return b->va;
}

static int pci_msix_map(struct pci_dev *dev)
{
	u32 t = pci_read_config32(dev, dev->msix_cap + MSIX_TABLE);
	u32 p = pci_read_config32(dev, dev->msix_cap + MSIX_PBA);
	u8 *tbar = pci_iomap(dev, t & MSIX_BIR_MASK);
	u8 *pbar = pci_iomap(dev, p & MSIX_BIR_MASK);

	if (!tbar || !pbar)
		return -ENOMEM;
	dev->msix_table = (volatile u32 *)(tbar + (t & ~MSIX_BIR_MASK));
	dev->msix_pba = (volatile u32 *)(pbar + (p & ~MSIX_BIR_MASK));
	/* Every entry masked until a driver routes it. */
	for (unsigned int i = 0; i < dev->msix_nvec; i++)
		dev->msix_table[(i * MSIX_ENTRY_SIZE + MSIX_ENTRY_CTRL) / 4] = MSIX_ENTRY_MASKED;
	return 0;
}

int pci_msix_request(struct pci_dev *dev, unsigned int entry, irq_handler_t fn,
		     void *data, const char *name)
{
	volatile u32 *e;
	u16 ctrl;
	int vector, err;

	if (!dev->msix_cap)
		return -ENODEV;
	if (entry >= dev->msix_nvec)
		return -EINVAL;
	if (!dev->msix_table) {
		err = pci_msix_map(dev);
		if (err)
			return err;
	}
	vector = request_vector(fn, data, name);
	if (vector < 0)
		return vector;
	e = dev->msix_table + entry * MSIX_ENTRY_SIZE / 4;
	e[MSIX_ENTRY_ADDR_LO / 4] = MSI_ADDR_BASE | lapic_id() << 12;
	e[MSIX_ENTRY_ADDR_HI / 4] = 0;
	e[MSIX_ENTRY_DATA / 4] = (u32)vector;	/* fixed delivery, edge */
	e[MSIX_ENTRY_CTRL / 4] = 0;
	ctrl = pci_read_config16(dev, dev->msix_cap + MSIX_CTRL);
	pci_write_config16(dev, dev->msix_cap + MSIX_CTRL,
			   (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FMASK);
	/* With MSI-X on, the INTx pin must stay quiet [PCI 3.0, 6.8.2.3]. */
	pci_write_config16(dev, PCI_COMMAND, pci_read_config16(dev, PCI_COMMAND) |
			   PCI_COMMAND_INTX_DISABLE);
	return 0;
}

int pci_intx_request(struct pci_dev *dev, irq_handler_t fn, void *data,
		     const char *name)
{
	int err;

	if (!dev->irq_pin || dev->irq_line == 0 || dev->irq_line == 0xff)
		return -ENODEV;
	err = request_irq(dev->irq_line, fn, data, name);
	if (err)
		return err;
	pci_write_config16(dev, PCI_COMMAND, pci_read_config16(dev, PCI_COMMAND) &
			   ~PCI_COMMAND_INTX_DISABLE);
	return 0;
}

static const struct pci_device_id *pci_match(const struct pci_driver *drv,
					     const struct pci_dev *dev)
{
	for (const struct pci_device_id *id = drv->id_table; id->vendor; id++)
		if (id->vendor == dev->vendor && id->device == dev->device)
			return id;
	return NULL;
}

static void pci_try_driver(struct pci_driver *drv, struct pci_dev *dev)
{
	const struct pci_device_id *id = pci_match(drv, dev);
	int err;

	if (!id || dev->driver)
		return;
	dev->driver = drv;
	err = drv->probe(dev, id);
	if (err) {
		dev->driver = NULL;
		printk("pci %02x:%02x.%x: %s probe failed: %d\n", dev->bus,
		       dev->slot, dev->func, drv->name, err);
	}
}

int pci_register_driver(struct pci_driver *drv)
{
	struct pci_dev *dev;

	list_add_tail(&drv->list, &pci_drivers);
	if (!pci_scanned)
		return 0;
	list_for_each_entry(dev, &pci_devices, list)
		pci_try_driver(drv, dev);
	return 0;
}

static void pci_print_dev(const struct pci_dev *dev, int (*out)(const char *, ...))
{
	out("%02x:%02x.%x [%04x] %04x:%04x rev %02x irq %u%s %s\n", dev->bus,
	    dev->slot, dev->func, dev->class, dev->vendor, dev->device,
	    dev->revision, dev->irq_pin ? dev->irq_line : 0,
	    dev->msix_cap ? " msix" : "",
	    dev->driver ? dev->driver->name : "-");
	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		const struct pci_bar *b = &dev->bar[i];

		if (!b->size)
			continue;
		out("    bar%u %s %#lx size %#lx%s%s\n", i, b->io ? "io " : "mem",
		    (unsigned long)b->addr, (unsigned long)b->size,
		    b->mem64 ? " 64-bit" : "", b->prefetch ? " prefetch" : "");
	}
}

static int pci_init(void)
{
	struct pci_dev *dev;
	struct pci_driver *drv;
	unsigned int n = 0;

	pci_scan_bus(0, 0);
	pci_scanned = true;
	list_for_each_entry(dev, &pci_devices, list) {
		n++;
		if (!printk_quiet)
			pci_print_dev(dev, printk);
	}
	printk("pci: %u functions found\n", n);
	list_for_each_entry(drv, &pci_drivers, list)
		list_for_each_entry(dev, &pci_devices, list)
			pci_try_driver(drv, dev);
	return 0;
}
DEFINE_INITCALL(INITCALL_SUBSYS, pci_init);

static int cmd_lspci(int argc, char **argv)
{
	struct pci_dev *dev;

	(void)argc;
	(void)argv;
	list_for_each_entry(dev, &pci_devices, list)
		pci_print_dev(dev, kprintf);
	return 0;
}
DEFINE_MONITOR_CMD(lspci, cmd_lspci, "PCI devices: BARs, interrupts, drivers");
