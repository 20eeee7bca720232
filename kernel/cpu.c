/*
 * What CPU we run on, for the boot log: vendor, brand string, family and
 * model, and the features this kernel or a newcomer cares about (CPUID
 * leaves 0, 1, 7, 0x80000001-4, 0x80000007).
 */
#include "kernel/cpu.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "lib/string.h"

static void brand_string(char *out, size_t size)
{
	u32 r[12], max, unused;

	cpuid(0x80000000, 0, &max, &unused, &unused, &unused);
	if (max < 0x80000004) {
		strlcpy(out, "(no brand string)", size);
		return;
	}
	for (u32 i = 0; i < 3; i++)
		cpuid(0x80000002 + i, 0, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2],
		      &r[4 * i + 3]);
	memcpy(out, r, size < sizeof(r) ? size - 1 : sizeof(r));
	out[size < sizeof(r) + 1 ? size - 1 : sizeof(r)] = '\0';
	while (*out == ' ')	/* Intel pads the front */
		memmove(out, out + 1, strlen(out));
}

void cpu_print_info(void)
{
	u32 a, b, c, d, c7 = 0, b7 = 0, d_ext = 0, c_ext = 0, d_pm = 0, unused;
	char vendor[13], brand[49];
	unsigned int family, model;

	cpuid(0, 0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	if (a >= 7)
		cpuid(7, 0, &unused, &b7, &c7, &unused);
	cpuid(1, 0, &a, &b, &c, &d);
	family = (a >> 8) & 15;
	model = (a >> 4) & 15;
	if (family == 15)
		family += (a >> 20) & 255;
	if (family >= 6)
		model |= ((a >> 16) & 15) << 4;
	cpuid(0x80000001, 0, &unused, &unused, &c_ext, &d_ext);
	cpuid(0x80000007, 0, &unused, &unused, &unused, &d_pm);
	brand_string(brand, sizeof(brand));
	pr_info("cpu: %s, %s, family %u model %u\n", vendor, brand, family, model);
	pr_info("cpu: features%s%s%s%s%s%s%s%s\n",
		c & (1u << 20) ? " sse4.2" : "", b7 & (1u << 5) ? " avx2" : "",
		c & (1u << 30) ? " rdrand" : "", c & (1u << 21) ? " x2apic" : "",
		c & (1u << 24) ? " tsc-deadline" : "",
		d_pm & (1u << 8) ? " invariant-tsc" : "",
		d_ext & (1u << 26) ? " 1g-pages" : "", d_ext & (1u << 20) ? " nx" : "");
}

bool cpu_has_rdrand(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & (1u << 30);
}
