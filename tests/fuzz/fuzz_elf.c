/*
 * libFuzzer target: the ELF loader's parser (kernel/elf.c) on arbitrary
 * files. It must accept or refuse with a reason, never read out of bounds,
 * and whatever it accepts must describe segments inside the file and the
 * user half.
 */
#include <stdlib.h>

#include "kernel/elf.h"
#include "kernel/memlayout.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct elf_image img;
	const char *why = NULL;

	if (elf_parse(data, size, USER_TOP, &img, &why) == 0) {
		if (img.nsegs == 0 || img.hi > USER_TOP || img.lo > img.hi)
			abort();
		for (unsigned int i = 0; i < img.nsegs; i++) {
			const struct elf_segment *s = &img.segs[i];

			if (s->filesz > s->memsz || s->offset > size ||
			    s->filesz > size - s->offset)
				abort();	/* a segment outside the file */
		}
	} else if (!why) {
		abort();	/* a refusal must say why */
	}
	return 0;
}
