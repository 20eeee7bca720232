/*
 * The monitor's `sockets`: every task's socket fds, followed
 * fd -> file -> socket -> sock (net/sock_diag.c), then the socks no fd
 * reaches.
 */
#include "kernel/kthread.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "net/sock.h"
#include "net/sock_diag.h"

static void show_task(struct task_struct *p, void *arg)
{
	(void)arg;
	if (!p->files)
		return;
	kprintf("pid %d (%s):\n", p->pid, p->name);
	sock_diag_show_files(p->files);
}

static int cmd_sockets(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sock_diag_header();
	for_each_task(show_task, NULL);
	kprintf("no fd:\n");
	sock_diag_show_orphans();
	kprintf("%ld sockets, %ld socks\n", sockets_in_use(), sk_live_count());
	return 0;
}
DEFINE_MONITOR_CMD(sockets, cmd_sockets,
		   "socket table: fd -> file -> socket -> sock, queues, drops");
