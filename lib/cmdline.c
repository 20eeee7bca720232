/*
 * Command-line parsing for both boot paths, and the number and address
 * parsers its values need. Untrusted input (a user types it), so every
 * limit is checked and every error is a negative errno, never a crash.
 */
#include "lib/cmdline.h"
#include "lib/ctype.h"
#include "lib/errno.h"
#include "lib/string.h"

/*
 * Copy the next word of @s into @out (at most @room bytes including NUL);
 * a double-quoted stretch may hold spaces. Returns the rest of @s, or NULL
 * on an unterminated quote or overflow.
 */
static const char *next_word(const char *s, char *out, size_t room,
			     size_t *used)
{
	bool quoted = false;
	size_t n = 0;

	for (; *s && (quoted || !k_isspace(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 >= room)
			return NULL;
		out[n++] = *s;
	}
	if (quoted || n + 1 > room)
		return NULL;
	out[n] = '\0';
	*used = n + 1;
	return s;
}

/*
 * Split @s into parameters and argv. Returns 0, -E2BIG when a limit is
 * exceeded, -EINVAL for an unterminated quote or an empty key ("=x").
 */
int cmdline_parse(struct cmdline *cl, const char *s)
{
	size_t off = 0, used;
	bool in_args = false;

	cl->nparams = 0;
	cl->argc = 0;
	if (!s)
		return 0;
	if (strlen(s) >= CMDLINE_MAX)
		return -E2BIG;
	for (;;) {
		char *w = cl->buf + off;
		char *eq;

		while (k_isspace(*s))
			s++;
		if (!*s)
			return 0;
		s = next_word(s, w, CMDLINE_MAX - off, &used);
		if (!s)
			return -EINVAL;
		off += used;
		if (!in_args && !strcmp(w, "--")) {
			in_args = true;
			continue;
		}
		if (in_args) {
			if (cl->argc == CMDLINE_MAX_ARGS)
				return -E2BIG;
			cl->argv[cl->argc++] = w;
			continue;
		}
		if (cl->nparams == CMDLINE_MAX_PARAMS)
			return -E2BIG;
		eq = strchr(w, '=');
		if (eq == w)
			return -EINVAL;
		if (eq)
			*eq = '\0';
		cl->params[cl->nparams].key = w;
		cl->params[cl->nparams].val = eq ? eq + 1 : "";
		cl->nparams++;
	}
}

/* The value of the last occurrence of @key (later words win), or NULL. */
const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	for (int i = cl->nparams - 1; i >= 0; i--)
		if (!strcmp(cl->params[i].key, key))
			return cl->params[i].val;
	return NULL;
}

bool cmdline_has(const struct cmdline *cl, const char *key)
{
	return cmdline_get(cl, key) != NULL;
}

int split_words(char *s, char **argv, int max)
{
	int argc = 0;

	while (*s && argc < max) {
		while (k_isspace(*s))
			*s++ = '\0';
		if (!*s)
			break;
		argv[argc++] = s;
		while (*s && !k_isspace(*s))
			s++;
	}
	return argc;
}

bool cmdline_key_known(const char *const *known, const char *key)
{
	for (; *known; known++)
		if (!strcmp(*known, key))
			return true;
	return false;
}

static int digit_value(char c)
{
	if (k_isdigit(c))
		return c - '0';
	c = (char)k_tolower(c);
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return 99;
}

/*
 * Whole-string unsigned conversion, as Linux's kstrtoul: base 0 accepts
 * 0x/0 prefixes; -EINVAL for empty or trailing junk, -ERANGE on overflow.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long v = 0;

	if (base == 0) {
		base = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
			base = 16;
			s += 2;
		} else if (s[0] == '0' && s[1]) {
			base = 8;
			s++;
		}
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = (unsigned int)digit_value(*s);

		if (d >= base)
			return -EINVAL;
		if (v > (~0UL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*res = v;
	return 0;
}

/*
 * Dotted-quad IPv4 address to host-order u32: exactly four decimal parts
 * of 0..255, no leading junk or trailing characters.
 */
int in4_pton(const char *s, u32 *addr)
{
	u32 a = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int v = 0;
		int digits = 0;

		while (k_isdigit(*s)) {
			v = v * 10 + (unsigned int)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return -EINVAL;
		}
		if (!digits)
			return -EINVAL;
		a = a << 8 | v;
		if (part < 3 && *s++ != '.')
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	*addr = a;
	return 0;
}

/* "A.B.C.D/N" (N in 0..32); without "/N" the prefix is 32. */
int in4_pton_prefix(const char *s, u32 *addr, unsigned int *prefix)
{
	char tmp[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long p = 32;
	int err;

	if (n >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	err = in4_pton(tmp, addr);
	if (err)
		return err;
	if (slash && (kstrtoul(slash + 1, 10, &p) || p > 32))
		return -EINVAL;
	*prefix = (unsigned int)p;
	return 0;
}
