/* lib/cmdline.c and kernel/params.c: the boot command line, good and bad. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "kernel/params.h"
#include "lib/errno.h"

Test(cmdline, keys_flags_and_argv)
{
	struct cmdline cl;

	cr_assert_eq(cmdline_parse(&cl, "  ip=10.0.2.15/24 quiet app=netd -- -p 80 \"two words\""), 0);
	cr_assert_eq(cl.nparams, 3);
	cr_assert_str_eq(cmdline_get(&cl, "ip"), "10.0.2.15/24");
	cr_assert_str_eq(cmdline_get(&cl, "quiet"), "");
	cr_assert(cmdline_has(&cl, "app"));
	cr_assert_null(cmdline_get(&cl, "gw"));
	cr_assert_eq(cl.argc, 3);
	cr_assert_str_eq(cl.argv[0], "-p");
	cr_assert_str_eq(cl.argv[2], "two words");
}

Test(cmdline, later_words_win_and_quotes_hold_spaces)
{
	struct cmdline cl;

	cr_assert_eq(cmdline_parse(&cl, "app=a app=\"b c\""), 0);
	cr_assert_str_eq(cmdline_get(&cl, "app"), "b c");
}

Test(cmdline, malformed_lines_are_errors_not_crashes)
{
	struct cmdline cl;
	char big[CMDLINE_MAX + 10];

	cr_assert_eq(cmdline_parse(&cl, "app=\"unterminated"), -EINVAL);
	cr_assert_eq(cmdline_parse(&cl, "=value"), -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(cmdline_parse(&cl, big), -E2BIG);
	cr_assert_eq(cmdline_parse(&cl, NULL), 0);
	cr_assert_eq(cl.nparams, 0);
}

Test(cmdline, too_many_words)
{
	struct cmdline cl;
	char line[CMDLINE_MAX];
	size_t off = 0;

	for (int i = 0; i < CMDLINE_MAX_PARAMS + 1; i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "k%d ", i);
	cr_assert_eq(cmdline_parse(&cl, line), -E2BIG);
}

Test(cmdline, numbers_and_addresses)
{
	unsigned long v;
	u32 a;
	unsigned int p;

	cr_assert_eq(kstrtoul("1234", 10, &v), 0);
	cr_assert_eq(v, 1234);
	cr_assert_eq(kstrtoul("0x1f", 0, &v), 0);
	cr_assert_eq(v, 31);
	cr_assert_eq(kstrtoul("12a", 10, &v), -EINVAL);
	cr_assert_eq(kstrtoul("", 10, &v), -EINVAL);
	cr_assert_eq(kstrtoul("99999999999999999999999", 10, &v), -ERANGE);
	cr_assert_eq(in4_pton("10.0.2.15", &a), 0);
	cr_assert_eq(a, 0x0a00020f);
	cr_assert_eq(in4_pton("256.0.0.1", &a), -EINVAL);
	cr_assert_eq(in4_pton("1.2.3", &a), -EINVAL);
	cr_assert_eq(in4_pton("1.2.3.4.5", &a), -EINVAL);
	cr_assert_eq(in4_pton("1..2.3", &a), -EINVAL);
	cr_assert_eq(in4_pton("0001.2.3.4", &a), -EINVAL);
	cr_assert_eq(in4_pton_prefix("192.168.1.1/16", &a, &p), 0);
	cr_assert_eq(p, 16);
	cr_assert_eq(in4_pton_prefix("192.168.1.1", &a, &p), 0);
	cr_assert_eq(p, 32);
	cr_assert_eq(in4_pton_prefix("192.168.1.1/33", &a, &p), -EINVAL);
	cr_assert_eq(in4_pton_prefix("192.168.1.1/", &a, &p), -EINVAL);
}

static char reports[1024];

static void collect(const char *msg)
{
	strncat(reports, msg, sizeof(reports) - strlen(reports) - 2);
	strcat(reports, "\n");
}

Test(params, good_line_sets_everything)
{
	struct kernel_params kp;

	reports[0] = '\0';
	cr_assert_eq(kernel_params_parse(&kp, "ip=10.0.2.15/24 gw=10.0.2.2 app=netd "
					 "console=app trace=net test=timer -- x y", collect), 0);
	cr_assert_str_eq(reports, "");
	cr_assert(kp.ip_static);
	cr_assert_eq(kp.ip_addr, 0x0a00020f);
	cr_assert_eq(kp.ip_prefix, 24);
	cr_assert(kp.gw_set);
	cr_assert_str_eq(kp.app, "netd");
	cr_assert_eq(kp.console, CONSOLE_APP);
	cr_assert(kp.trace_net);
	cr_assert_str_eq(kp.test, "timer");
	cr_assert_eq(kp.argc, 2);
}

Test(params, unknown_keys_and_bad_values_are_reported)
{
	struct kernel_params kp;

	reports[0] = '\0';
	cr_assert_eq(kernel_params_parse(&kp, "ip=banana bogus=1 console=tv gw=1.2.3", collect), 4);
	cr_assert(strstr(reports, "unknown command-line key 'bogus'"));
	cr_assert(strstr(reports, "ip=banana"));
	cr_assert(strstr(reports, "console=tv"));
	cr_assert(strstr(reports, "gw=1.2.3"));
	cr_assert(!kp.ip_static, "a bad ip= keeps the default (DHCP)");
	cr_assert(!kp.gw_set);
}

Test(params, default_is_dhcp)
{
	struct kernel_params kp;

	reports[0] = '\0';
	cr_assert_eq(kernel_params_parse(&kp, "", collect), 0);
	cr_assert(!kp.ip_static);
	cr_assert_null(kp.app);
	cr_assert_null(kp.test);
	cr_assert_eq(kp.console, CONSOLE_MONITOR);
}
