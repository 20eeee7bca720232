"""
Network core in the guest (issue 4): with no NIC the kernel still boots
and says so; loopback works end to end (test=netloop); the monitor's
network commands answer in their stable form.
"""
from harness import Guest, exit_code


def test_boots_without_nic_and_monitor_shows_loopback():
    with Guest("net-nonic", append="quiet ip=10.0.2.15/24 gw=10.0.2.2") as g:
        g.wait_for(r"net: no network device", 60)
        g.wait_for(r"unisock> ", 60)
        g.command("ifconfig", r"lo: flags=<UP,LOOPBACK,RUNNING>  mtu 65536")
        g.command("route", r"127\.0\.0\.0\s+0\.0\.0\.0\s+255\.0\.0\.0\s+lo")
        g.command("stats", r"Ip: InReceives InHdrErrors")
        g.command("trace on", r"packet trace on")
        g.command("arp", r"Address\s+HWaddress\s+State")
        g.command("ping 127.0.0.1 2", r"2 packets transmitted, 2 received")
        g.send("poweroff")
        code = exit_code(g.wait_exit(30))
        if code != 0:
            g.fail("poweroff gave %r" % code)


def test_loopback_ping_and_udp_selftest():
    with Guest("net-loop", append="test=netloop trace=net") as g:
        status = g.wait_exit(60)
        g.wait_for(r"selftest netloop: err 0, echo replies 1, udp datagrams 1", 5)
        g.wait_for(r"trace: icmp_rcv", 5)
        if exit_code(status) != 0:
            g.fail("test=netloop exit code %r" % exit_code(status))
