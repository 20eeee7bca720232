/*
 * The C string and memory functions the kernel needs, implemented in
 * lib/string.c. On the host the C library provides the same names.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include "lib/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);

/*
 * Copy at most @size - 1 bytes and always terminate; return the length of
 * @src (so a return >= @size means truncation), as BSD strlcpy.
 */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
