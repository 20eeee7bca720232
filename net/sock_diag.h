/*
 * The socket table as text (net/sock_diag.c), for the monitor's `sockets`.
 */
#ifndef NET_SOCK_DIAG_H
#define NET_SOCK_DIAG_H

#include "lib/types.h"

struct sock;
struct files_struct;

/* One line for @sk reached from @fd (-1: none); returns its length. */
int sock_diag_format(const struct sock *sk, int fd, char *buf, size_t len);
void sock_diag_header(void);
void sock_diag_show_files(struct files_struct *files);
void sock_diag_show_orphans(void);
/* Every sock of @type (SOCK_DGRAM, SOCK_RAW), whoever holds it: `ss -u`, `ss -w`. */
void sock_diag_show_type(unsigned short type);

#endif
