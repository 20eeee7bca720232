/*
 * The serial monitor: collects a line with simple editing (backspace,
 * Ctrl-U to kill the line, Ctrl-C to abandon it), splits it into words and
 * runs the command of that name. Core commands live here; others anywhere.
 */
#include "kernel/monitor.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/slab.h"
#include "kernel/time.h"
#include "lib/cmdline.h"
#include "lib/ctype.h"
#include "lib/string.h"

#define LINE_MAX	256
#define MAX_ARGS	16

extern const struct monitor_cmd __monitor_cmds_start[], __monitor_cmds_end[];

static char line[LINE_MAX];
static unsigned int line_len;

static const struct monitor_cmd *find_cmd(const char *name)
{
	for (const struct monitor_cmd *c = __monitor_cmds_start;
	     c < __monitor_cmds_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int monitor_exec(char *s)
{
	char *argv[MAX_ARGS];
	int argc = split_words(s, argv, MAX_ARGS);
	const struct monitor_cmd *c;

	if (!argc)
		return 0;
	c = find_cmd(argv[0]);
	if (!c) {
		kprintf("%s: unknown command; type 'help' for the list\n", argv[0]);
		return -1;
	}
	return c->fn(argc, argv);
}

void monitor_start(void)
{
	kprintf("\nType 'help' for monitor commands.\n" MONITOR_PROMPT);
}

void monitor_input(int c)
{
	if (c == '\r' || c == '\n') {
		kprintf("\n");
		line[line_len] = '\0';
		line_len = 0;
		monitor_exec(line);
		kprintf(MONITOR_PROMPT);
	} else if (c == 0x7f || c == '\b') {
		if (line_len) {
			line_len--;
			kprintf("\b \b");
		}
	} else if (c == 0x15) {		/* Ctrl-U: kill the line */
		while (line_len) {
			line_len--;
			kprintf("\b \b");
		}
	} else if (c == 0x03) {		/* Ctrl-C: abandon the line */
		line_len = 0;
		kprintf("^C\n" MONITOR_PROMPT);
	} else if (k_isprint(c) && line_len + 1 < LINE_MAX) {
		line[line_len++] = (char)c;
		kprintf("%c", c);
	}
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (const struct monitor_cmd *c = __monitor_cmds_start;
	     c < __monitor_cmds_end; c++)
		kprintf("  %-10s %s\n", c->name, c->help);
	return 0;
}
DEFINE_MONITOR_CMD(help, cmd_help, "list the commands");

static int print_cache(const struct kmem_cache_stats *st, void *arg)
{
	(void)arg;
	if (st->total)
		kprintf("  %-16s %6lu B  %8lu active %8lu total %6lu failed\n",
			st->name, (unsigned long)st->obj_size,
			(unsigned long)st->active, (unsigned long)st->total,
			(unsigned long)st->failures);
	return 0;
}

static int cmd_mem(int argc, char **argv)
{
	struct mem_stats st;

	(void)argc;
	(void)argv;
	mem_get_stats(&st);
	kprintf("RAM usable %lu KiB, free %lu KiB, in use %lu KiB\n",
		(unsigned long)(st.total >> 10), (unsigned long)(st.free >> 10),
		(unsigned long)((st.total - st.free) >> 10));
	kprintf("kernel image %lu KiB, boot reserved %lu KiB, slab %lu KiB in %lu pages\n",
		(unsigned long)(st.kernel_image >> 10),
		(unsigned long)(st.reserved_boot >> 10),
		(unsigned long)(slab_bytes() >> 10), (unsigned long)slab_pages());
	kmem_cache_for_each(print_cache, NULL);
	return 0;
}
DEFINE_MONITOR_CMD(mem, cmd_mem, "memory in use: pages, slab caches");

static int cmd_uptime(int argc, char **argv)
{
	ktime_t t = ktime_get();
	u64 khz = tsc_freq_khz();

	(void)argc;
	(void)argv;
	kprintf("up %ld.%03ld s, %lu jiffies, TSC %lu.%03lu MHz\n",
		(long)(t / NSEC_PER_SEC), (long)(t / NSEC_PER_MSEC % 1000),
		(unsigned long)jiffies, (unsigned long)(khz / 1000),
		(unsigned long)(khz % 1000));
	return 0;
}
DEFINE_MONITOR_CMD(uptime, cmd_uptime, "time since boot");

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	kprintf("Powering off.\n");
	poweroff(POWEROFF_OK);
}
DEFINE_MONITOR_CMD(poweroff, cmd_poweroff, "power the VM off");
