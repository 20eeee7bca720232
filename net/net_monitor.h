/*
 * The network commands of the kernel monitor (DESIGN §7): ifconfig, arp,
 * route, stats, trace. Each prints in a stable text form that guest tests
 * parse; they are callable directly so host tests check the same text.
 */
#ifndef NET_NET_MONITOR_H
#define NET_NET_MONITOR_H

int net_cmd_ifconfig(int argc, char **argv);
int net_cmd_arp(int argc, char **argv);
int net_cmd_route(int argc, char **argv);
int net_cmd_stats(int argc, char **argv);
int net_cmd_trace(int argc, char **argv);
int net_cmd_ping(int argc, char **argv);

#endif
