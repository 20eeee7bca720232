/*
 * The bench's host build has no sanitizer runtime, but tests/host/sched.c
 * tells ASan about each stack switch: without ASan there is nothing to tell.
 */
#include <sanitizer/common_interface_defs.h>

void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
				    size_t size)
{
}

void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
				     size_t *size_old)
{
}
