/*
 * 16550 UART driver for COM1 (I/O port 0x3f8, IRQ 4). Output is polled
 * (QEMU's UART drains at once); input is interrupt-driven into a small ring
 * that the monitor reads.
 */
#include "drivers/serial.h"
#include "kernel/irq.h"
#include "kernel/x86.h"

#define COM1		0x3f8
#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define UART_DLL	0	/* divisor latch, with LCR.DLAB */
#define UART_DLM	1
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define IER_RDI		0x01	/* received data available interrupt */
#define COM1_IRQ	4

static u8 rx_ring[256];
static volatile u8 rx_head, rx_tail;	/* u8 wraps with the ring */
void (*serial_rx_hook)(void);

void serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x80);	/* DLAB */
	outb(COM1 + UART_DLL, 1);	/* 115200 baud */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, 0x03);	/* 8N1 */
	outb(COM1 + UART_FCR, 0x07);	/* FIFO on, cleared */
	outb(COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (IRQ line) */
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		;
	outb(COM1 + UART_THR, (u8)c);
}

void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static void serial_irq(void *data)
{
	(void)data;
	while (inb(COM1 + UART_LSR) & LSR_DR) {
		u8 c = inb(COM1 + UART_RBR);

		if ((u8)(rx_head + 1) != rx_tail) {	/* drop when full */
			rx_ring[rx_head] = c;
			rx_head++;
		}
	}
	if (serial_rx_hook)
		serial_rx_hook();
}

void serial_enable_rx_irq(void)
{
	request_irq(COM1_IRQ, serial_irq, NULL, "serial");
	outb(COM1 + UART_IER, IER_RDI);
	serial_irq(NULL);	/* anything typed before now */
}

bool serial_rx_ready(void)
{
	return rx_tail != rx_head;
}

int serial_getc(void)
{
	int c;

	if (rx_tail == rx_head)
		return -1;
	c = rx_ring[rx_tail];
	rx_tail++;
	return c;
}
