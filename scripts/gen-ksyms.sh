#!/bin/sh
# Emit the kernel's text symbol table as assembly for the .ksyms section,
# from a linked kernel: gen-ksyms.sh build/kernel.pass1.elf > build/ksyms.S
# Addresses of .text do not depend on .ksyms (it sits after .text), so the
# table built from the first link is exact for the second.
set -e
nm -n --defined-only "$1" | awk '
$2 ~ /^[tT]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "\t.globl ksyms_count, ksyms_table, ksyms_names"
	print "ksyms_count:\t.quad " n
	print "ksyms_table:"
	off = 0
	for (i = 0; i < n; i++) {
		print "\t.quad 0x" addr[i] ", " off
		off += length(name[i]) + 1
	}
	print "ksyms_names:"
	for (i = 0; i < n; i++)
		print "\t.asciz \"" name[i] "\""
}'
