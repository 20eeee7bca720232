/* Character classes for the command line, the monitor and vsnprintf. */
#ifndef LIB_CTYPE_H
#define LIB_CTYPE_H

static inline int k_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int k_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline int k_isxdigit(int c)
{
	return k_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static inline int k_isprint(int c) { return c >= 0x20 && c < 0x7f; }
static inline int k_tolower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

#endif
