"""
Socket layer in the guest (issue 5): the security policy from the command
line and the monitor, and the socket table the monitor prints.
"""
from harness import Guest


def test_security_rules_from_command_line_and_monitor():
    rule = "deny:bind+connect:0.0.0.0/0:1-1023"
    with Guest("sock-security", append="quiet security=" + rule) as g:
        g.wait_for(r"unisock> ", 60)
        g.command("security", r"1 rules, default allow, 0 refused")
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


def test_sockets_command_prints_the_table():
    with Guest("sock-table", append="quiet") as g:
        g.wait_for(r"unisock> ", 60)
        g.command("sockets", r"FD  TYPE   PROT STATE  LOCAL")
        g.wait_for(r"\d+ sockets, \d+ socks", 10)
