/*
 * Command-line interpretation (kernel/params.h). Portable, so the host
 * tests feed it every malformed line they can think of.
 */
#include "kernel/params.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/vsprintf.h"

struct kernel_params kparams;

static const char *const known_keys[] = {
	"ip", "gw", "app", "console", "trace", "quiet", "test", "security", "reflect",
	NULL,
};

static int complain(void (*report)(const char *), const char *fmt,
		    const char *a, const char *b)
{
	char msg[160];

	snprintf(msg, sizeof(msg), fmt, a, b);
	report(msg);
	return 1;
}

static int parse_ip(struct kernel_params *kp, const char *v,
		    void (*report)(const char *))
{
	if (!strcmp(v, "dhcp")) {
		kp->ip_static = false;
		return 0;
	}
	if (in4_pton_prefix(v, &kp->ip_addr, &kp->ip_prefix) ||
	    kp->ip_prefix == 0 || kp->ip_prefix > 30)
		return complain(report, "ip=%s: expected dhcp or A.B.C.D/N "
				"with N in 1..30%s", v, "");
	kp->ip_static = true;
	return 0;
}

static int parse_values(struct kernel_params *kp, void (*report)(const char *))
{
	const char *v;
	int bad = 0;

	if ((v = cmdline_get(&kp->cl, "ip")))
		bad += parse_ip(kp, v, report);
	if ((v = cmdline_get(&kp->cl, "gw"))) {
		if (in4_pton(v, &kp->gw_addr))
			bad += complain(report, "gw=%s: not an IPv4 address%s", v, "");
		else
			kp->gw_set = true;
	}
	if ((v = cmdline_get(&kp->cl, "app")) && *v)
		kp->app = v;
	if ((v = cmdline_get(&kp->cl, "console"))) {
		if (!strcmp(v, "app"))
			kp->console = CONSOLE_APP;
		else if (strcmp(v, "monitor"))
			bad += complain(report, "console=%s: expected monitor or app%s",
					v, "");
	}
	if ((v = cmdline_get(&kp->cl, "trace"))) {
		if (!strcmp(v, "net"))
			kp->trace_net = true;
		else
			bad += complain(report, "trace=%s: expected net%s", v, "");
	}
	kp->quiet = cmdline_has(&kp->cl, "quiet");
	if ((v = cmdline_get(&kp->cl, "test")) && *v)
		kp->test = v;
	return bad;
}

int kernel_params_parse(struct kernel_params *kp, const char *s,
			void (*report)(const char *msg))
{
	int err, bad;

	memset(kp, 0, sizeof(*kp));
	err = cmdline_parse(&kp->cl, s);
	if (err) {
		complain(report, "command line ignored: %s%s",
			 err == -E2BIG ? "too long or too many words"
				       : "unterminated quote or empty key", "");
		cmdline_parse(&kp->cl, "");
		return 1;
	}
	bad = 0;
	for (int i = 0; i < kp->cl.nparams; i++)
		if (!cmdline_key_known(known_keys, kp->cl.params[i].key))
			bad += complain(report, "unknown command-line key '%s' "
					"ignored (known: ip gw app console trace "
					"quiet test security reflect)%s", kp->cl.params[i].key, "");
	bad += parse_values(kp, report);
	kp->argc = kp->cl.argc;
	kp->argv = kp->cl.argv;
	return bad;
}
