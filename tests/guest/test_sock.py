"""
Socket layer in the guest (issue 5): the security policy from the command
line and the monitor, the socket table the monitor prints, and the
sockcheck program answering every socket call as Linux does.
"""
import os
import subprocess

from harness import Guest, ROOT, exit_code


def test_security_rules_from_command_line_and_monitor():
    rule = "deny:bind+connect:0.0.0.0/0:1-1023"
    with Guest("sock-security", append="quiet security=" + rule) as g:
        g.wait_for(r"unisock> ", 60)
        # netd's bind of TCP port 7 at boot is the one refusal.
        g.command("security", r"1 rules, default allow, 1 refused")
        g.wait_for(r"0 deny:bind\+connect:0\.0\.0\.0/0:1-1023", 10)
        g.command("security add allow:sendmsg:10.0.2.0/24:53",
                  r"unisock> ")
        g.command("security", r"2 rules")
        g.wait_for(r"1 allow:sendmsg:10\.0\.2\.0/24:53-53", 10)
        g.command("security add nonsense", r"security: bad rule")
        g.command("security clear", r"unisock> ")
        g.command("security", r"0 rules, default allow")
        if "unknown command-line key 'security'" in g.text():
            g.fail("the security key is not known to the command line")


def test_bad_security_rule_on_command_line_leaves_allow_all():
    with Guest("sock-badrule", append="quiet security=deny:bind:*") as g:
        g.wait_for(r"security=deny:bind:\*: bad rule list, policy stays allow-all", 60)
        g.wait_for(r"unisock> ", 60)
        g.command("security", r"0 rules, default allow")


def test_sockets_command_shows_a_programs_socket():
    with Guest("sock-table", append="quiet app=sockcheck -- echo 7") as g:
        g.wait_for(r"sockcheck: udp echo on port 7", 60)
        g.wait_for(r"unisock> ", 30)
        g.command("sockets", r"FD  TYPE   PROT STATE  LOCAL")
        g.wait_for(r"pid \d+ \(sockcheck\):\s*\n3\s+DGRAM\s+UDP\s+UNCONN\s+0\.0\.0\.0:7\s+"
                   r"0\.0\.0\.0:\*\s+0/0 0 0", 10)
        g.wait_for(r"1 sockets, 1 socks", 10)


def test_security_policy_refuses_bind_with_eacces():
    with Guest("sock-deny", append="quiet security=deny:bind:*:1-1023 app=sockcheck -- echo 7") as g:
        g.wait_for(r"sockcheck echo: Permission denied", 60)
        g.wait_for(r"exited with status 1", 30)
        g.wait_for(r"unisock> ", 30)
        g.command("security", r"1 rules, default allow, 1 refused")


def sk_lines(text):
    return [l for l in text.splitlines() if l.startswith("sk| ")]


def test_sockcheck_answers_as_on_linux():
    """The same static binary, natively in a fresh network namespace (only
    lo, so no traffic leaves it) and in the guest: every socket call's
    answer identical, line for line, on loopback: errno cases, UDP echo
    through poll and epoll, a raw ICMP ping, ECONNREFUSED, SO_RCVTIMEO."""
    exe = os.path.join(ROOT, "build", "user", "sockcheck")
    native = subprocess.run(["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0"', exe],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    want = sk_lines(native.stdout)
    if native.returncode != 0 or len(want) < 40:
        raise AssertionError("native run failed (status %d):\n%s%s"
                             % (native.returncode, native.stdout[-3000:], native.stderr[-500:]))
    with Guest("sockcheck", append="test=app app=sockcheck") as g:
        status = g.wait_exit(120)
        got = sk_lines(g.text())
        for i, (w, h) in enumerate(zip(want, got)):
            if w != h:
                g.fail("line %d differs:\n  host:  %s\n  guest: %s" % (i + 1, w, h))
        if len(want) != len(got):
            g.fail("host printed %d lines, guest %d" % (len(want), len(got)))
        if exit_code(status) != 0:
            g.fail("sockcheck exited %r in the guest" % exit_code(status))
        print("    figure: %d socket-call answers identical on host and guest" % len(got))


UDP_CLIENT = r"""
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
for n, size in enumerate((1, 100, 1400, 4000, 0, 512)):
    data = bytes((n * 7 + i) & 0xff for i in range(size))
    s.sendto(data, (host, port))
    got, addr = s.recvfrom(65536)
    print("echo %d bytes: %s from port %d" % (size, "same" if got == data else "DIFFERENT", addr[1]))
"""


def test_udp_echo_and_raw_ping_over_the_tap_as_natively():
    """sockcheck's UDP echo server answers a stock Python client on the tap
    as the same binary does natively in the namespace; the guest's raw
    socket pings the host, and the host's run of the binary pings the
    guest (whose kernel answers)."""
    from netns import HOST_IP, GUEST_IP, NetNS

    exe = os.path.join(ROOT, "build", "user", "sockcheck")
    with NetNS("sock") as ns:
        native = ns.popen([exe, "echo", "7"], stdout=subprocess.PIPE, text=True)
        if "udp echo on port 7" not in native.stdout.readline():
            raise AssertionError("native echo server did not start")
        want = ns.run(["python3", "-c", UDP_CLIENT, HOST_IP, "7"], timeout=30)
        native.kill()
        if want.returncode != 0 or want.stdout.count("same") != 6:
            raise AssertionError("native echo: %s%s" % (want.stdout, want.stderr))
        with ns.guest("sock-echo", append="app=sockcheck -- echo 7") as g:
            g.wait_for(r"sockcheck: udp echo on port 7", 60)
            got = ns.run(["python3", "-c", UDP_CLIENT, GUEST_IP, "7"], timeout=30)
            if got.stdout != want.stdout:
                g.fail("guest echo differs from native:\n%s%s\nnative:\n%s"
                       % (got.stdout, got.stderr, want.stdout))
            ping = ns.run([exe, "ping", GUEST_IP, "3"], timeout=30)
            if "3 packets transmitted, 3 received" not in ping.stdout:
                g.fail("native raw ping of the guest: %s" % ping.stdout)
            g.command("sockets", r"3\s+DGRAM\s+UDP\s+UNCONN\s+0\.0\.0\.0:7\s")
        with ns.guest("sock-ping", append="test=app app=sockcheck -- ping %s 3" % HOST_IP) as g:
            status = g.wait_exit(60)
            if not g.wait_for(r"3 packets transmitted, 3 received", 5):
                g.fail("guest raw ping of the host failed")
            if not g.wait_for(r"28 bytes from 10\.0\.2\.2: icmp_seq=3 ttl=64", 5):
                g.fail("no reply line for seq 3")
            if exit_code(status) != 0:
                g.fail("ping exited %r" % exit_code(status))
        print("    figure: 6 datagrams (1-4000 bytes) echoed identically by guest and native")
