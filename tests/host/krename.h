/*
 * Force-included when lib/string.c, lib/vsprintf.c and kernel/printk.c are
 * built for the host: their functions take a k_ prefix so they can be
 * tested beside the C library's namesakes without replacing them.
 */
#define memcpy k_memcpy
#define memmove k_memmove
#define memset k_memset
#define memcmp k_memcmp
#define memchr k_memchr
#define strlen k_strlen
#define strnlen k_strnlen
#define strcmp k_strcmp
#define strncmp k_strncmp
#define strchr k_strchr
#define strrchr k_strrchr
#define strstr k_strstr
#define strlcpy k_strlcpy
#define vsnprintf k_vsnprintf
#define snprintf k_snprintf
#define scnprintf k_scnprintf
#define vscnprintf k_vscnprintf
