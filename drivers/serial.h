/* The 16550 UART on COM1: the console and the monitor's input. */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "lib/types.h"

void serial_init(void);
void serial_enable_rx_irq(void);
void serial_write(const char *s, size_t len);
/* Next received byte, or -1 when none is buffered. */
int serial_getc(void);
/* Is a received byte waiting? (It stays for serial_getc.) */
bool serial_rx_ready(void);
/* Called with each received byte (from the IRQ handler); set by the monitor. */
extern void (*serial_rx_hook)(void);

#endif
