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
	"skb_mem", "tcp_max_tw_buckets", NULL,
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

/*
 * A size as Linux's memparse() takes it: decimal digits and an optional
 * K, M or G suffix. 0 or -EINVAL (also on overflow).
 */
static int parse_size(const char *v, u64 *bytes)
{
	char digits[24];
	size_t n = strlen(v);
	unsigned int shift = 0;
	unsigned long val;

	if (n && (v[n - 1] == 'K' || v[n - 1] == 'k'))
		shift = 10;
	else if (n && (v[n - 1] == 'M' || v[n - 1] == 'm'))
		shift = 20;
	else if (n && (v[n - 1] == 'G' || v[n - 1] == 'g'))
		shift = 30;
	if (shift)
		n--;
	if (n == 0 || n >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, v, n);
	digits[n] = '\0';
	if (kstrtoul(digits, 10, &val) || val > (~0UL >> shift))
		return -EINVAL;
	*bytes = (u64)val << shift;
	return 0;
}

/* skb_mem=SIZE (at least 1M) and tcp_max_tw_buckets=N (issue 10). */
static int parse_limits(struct kernel_params *kp, void (*report)(const char *))
{
	unsigned long n;
	const char *v;
	int bad = 0;

	if ((v = cmdline_get(&kp->cl, "skb_mem"))) {
		if (parse_size(v, &kp->skb_mem) || kp->skb_mem < (1u << 20)) {
			kp->skb_mem = 0;
			bad += complain(report, "skb_mem=%s: expected a size of "
					"at least 1M (digits, then K, M or G)%s",
					v, "");
		}
	}
	if ((v = cmdline_get(&kp->cl, "tcp_max_tw_buckets"))) {
		if (kstrtoul(v, 10, &n) || n > 0x7fffffffUL)
			bad += complain(report, "tcp_max_tw_buckets=%s: expected "
					"a count 0..2147483647%s", v, "");
		else
			kp->tw_max = (long)n;
	}
	return bad;
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
	return bad + parse_limits(kp, report);
}

int kernel_params_parse(struct kernel_params *kp, const char *s,
			void (*report)(const char *msg))
{
	int err, bad;

	memset(kp, 0, sizeof(*kp));
	kp->tw_max = -1;
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
					"quiet test security reflect skb_mem "
					"tcp_max_tw_buckets)%s", kp->cl.params[i].key, "");
	bad += parse_values(kp, report);
	kp->argc = kp->cl.argc;
	kp->argv = kp->cl.argv;
	return bad;
}
