/*
 * vsnprintf for a freestanding kernel: flags, width, precision, length
 * modifiers, the integer/char/string/pointer conversions, and the %pI4/%pM
 * extensions. The return value is the length the full output would have,
 * as C99 says, so callers can detect truncation.
 */
#include "lib/vsprintf.h"
#include "lib/ctype.h"
#include "lib/string.h"

struct out {
	char *buf;
	size_t size;
	size_t len;	/* what the whole output would take */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

enum {
	F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16,
	F_UPPER = 32, F_SIGNED = 64,
};

struct spec {
	int flags;
	int width;
	int prec;	/* -1: none */
};

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	if (!(sp->flags & F_LEFT))
		pad(o, sp->width - len, ' ');
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->flags & F_LEFT)
		pad(o, sp->width - len, ' ');
}

static void put_num(struct out *o, unsigned long long v, bool neg,
		    unsigned int base, const struct spec *sp)
{
	const char *digits = sp->flags & F_UPPER ? "0123456789ABCDEF"
						: "0123456789abcdef";
	char tmp[24];
	int n = 0, len, zeros = 0;
	char sign = 0;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;		/* "%.0d" of 0 prints nothing, as C says */
	if (neg)
		sign = '-';
	else if (sp->flags & F_PLUS)
		sign = '+';
	else if (sp->flags & F_SPACE)
		sign = ' ';
	if ((sp->flags & F_ALT) && base == 16)
		prefix = sp->flags & F_UPPER ? "0X" : "0x";
	else if ((sp->flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";
	if (sp->prec > n)
		zeros = sp->prec - n;
	len = n + zeros + (sign != 0) + (int)strlen(prefix);
	if (sp->prec < 0 && (sp->flags & F_ZERO) && !(sp->flags & F_LEFT) &&
	    sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}
	if (!(sp->flags & F_LEFT))
		pad(o, sp->width - len, ' ');
	if (sign)
		put(o, sign);
	for (; *prefix; prefix++)
		put(o, *prefix);
	pad(o, zeros, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->flags & F_LEFT)
		pad(o, sp->width - len, ' ');
}

/* %pI4 and %pM: format into a small buffer, then pad like a string. */
static const char *put_pointer_ext(struct out *o, const char *fmt,
				   const void *p, struct spec *sp)
{
	char tmp[24];
	const u8 *b = p;

	if (fmt[0] == 'I' && fmt[1] == '4') {
		if (b)
			snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", b[0], b[1],
				 b[2], b[3]);
		put_str(o, b ? tmp : NULL, sp);
		return fmt + 2;
	}
	if (fmt[0] == 'M') {
		if (b)
			snprintf(tmp, sizeof(tmp),
				 "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
				 b[2], b[3], b[4], b[5]);
		put_str(o, b ? tmp : NULL, sp);
		return fmt + 1;
	}
	sp->flags |= F_ALT;
	put_num(o, (uintptr_t)p, false, 16, sp);
	return fmt;
}

static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	for (;; fmt++) {
		if (*fmt == '-')
			sp->flags |= F_LEFT;
		else if (*fmt == '0')
			sp->flags |= F_ZERO;
		else if (*fmt == '+')
			sp->flags |= F_PLUS;
		else if (*fmt == ' ')
			sp->flags |= F_SPACE;
		else if (*fmt == '#')
			sp->flags |= F_ALT;
		else
			break;
	}
	if (*fmt == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_LEFT;
			sp->width = -sp->width;
		}
		fmt++;
	} else {
		while (k_isdigit(*fmt))
			sp->width = sp->width * 10 + (*fmt++ - '0');
	}
	if (*fmt == '.') {
		fmt++;
		sp->prec = 0;
		if (*fmt == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			fmt++;
		} else {
			while (k_isdigit(*fmt))
				sp->prec = sp->prec * 10 + (*fmt++ - '0');
		}
	}
	return fmt;
}

/* Length modifiers: 0 int, 1 long, 2 long long, -1 short, -2 char. */
static const char *parse_length(const char *fmt, int *lenmod)
{
	*lenmod = 0;
	if (fmt[0] == 'h' && fmt[1] == 'h')
		*lenmod = -2, fmt += 2;
	else if (fmt[0] == 'h')
		*lenmod = -1, fmt++;
	else if (fmt[0] == 'l' && fmt[1] == 'l')
		*lenmod = 2, fmt += 2;
	else if (fmt[0] == 'l' || fmt[0] == 'z' || fmt[0] == 't' ||
		 fmt[0] == 'j')
		*lenmod = 1, fmt++;
	return fmt;
}

static unsigned long long get_unsigned(va_list *ap, int lenmod)
{
	switch (lenmod) {
	case 2: return va_arg(*ap, unsigned long long);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static long long get_signed(va_list *ap, int lenmod)
{
	switch (lenmod) {
	case 2: return va_arg(*ap, long long);
	case 1: return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static void put_integer(struct out *o, char conv, struct spec *sp,
			va_list *ap, int lenmod)
{
	unsigned int base = 10;

	if (conv == 'd' || conv == 'i') {
		long long v = get_signed(ap, lenmod);
		unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
					       : (unsigned long long)v;

		put_num(o, mag, v < 0, 10, sp);
		return;
	}
	if (conv == 'x' || conv == 'X')
		base = 16;
	else if (conv == 'o')
		base = 8;
	if (conv == 'X')
		sp->flags |= F_UPPER;
	put_num(o, get_unsigned(ap, lenmod), false, base, sp);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;
	int lenmod;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		fmt = parse_length(fmt, &lenmod);
		switch (*fmt) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			put_integer(&o, *fmt, &sp, &aq, lenmod);
			break;
		case 'c': {
			char c[2] = { (char)va_arg(aq, int), 0 };

			sp.prec = 1;
			put_str(&o, c, &sp);
			break;
		}
		case 's':
			put_str(&o, va_arg(aq, const char *), &sp);
			break;
		case 'p':
			fmt = put_pointer_ext(&o, fmt + 1, va_arg(aq, void *), &sp);
			continue;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			continue;	/* a lone '%' at the end */
		default:
			put(&o, '%');	/* unknown conversion: print it as is */
			put(&o, *fmt);
			break;
		}
		fmt++;
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (size == 0)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
