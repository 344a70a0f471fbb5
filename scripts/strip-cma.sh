#!/bin/sh
# Turn an upstream 6.12 tree into the pre-CMA base: remove process_vm_readv
# and process_vm_writev as doc/design.md section 2 lists.  Every edit states how
# many lines it expects to remove; any mismatch stops the script, naming the
# file and the pattern, so that a new 6.12.y cannot silently give a wrong base.
#
# usage: scripts/strip-cma.sh LINUX_TREE
set -eu

die() { echo "strip-cma: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 LINUX_TREE"
[ -f "$1/Makefile" ] && [ -d "$1/mm" ] || die "$1 is not a kernel source tree"
cd "$1"

# cut FILE COUNT SED_ADDRESS: delete the COUNT lines SED_ADDRESS selects.
cut() {
	[ -f "$1" ] || die "$1: file not found"
	n=$(sed -n "$3p" "$1" | wc -l)
	[ "$n" -eq "$2" ] ||
		die "$1: pattern '$3' selects $n lines, expected $2"
	sed -i "$3d" "$1"
}

rm -f mm/process_vm_access.c || die "mm/process_vm_access.c: cannot remove"
[ ! -e mm/process_vm_access.c ] || die "mm/process_vm_access.c still there"

cut mm/Makefile 4 '/^ifdef CONFIG_CROSS_MEMORY_ATTACH$/,/^$/'
cut init/Kconfig 10 '/^config CROSS_MEMORY_ATTACH$/,/^$/'
cut include/linux/syscalls.h 12 '/^asmlinkage long sys_process_vm_\(readv\|writev\)(/,/);$/'
cut kernel/sys_ni.c 4 '/^COND_SYSCALL\(_COMPAT\)\?(process_vm_\(readv\|writev\));$/'
cut include/uapi/asm-generic/unistd.h 4 '/^\(#define __NR\|__SYSCALL(__NR\)_process_vm_\(readv\|writev\)\b/'

# Syscall tables: the rows of every real table (symlinks share a file).
# x86-64's carries four (64-bit and x32), every other one two.  Each table
# known to carry them must still do so.
row='/^[0-9]\+[[:space:]]\+[a-z0-9]\+[[:space:]]\+process_vm_\(readv\|writev\)[[:space:]]/'
required="alpha/kernel/syscalls/syscall.tbl arm/tools/syscall.tbl
	arm64/tools/syscall_32.tbl m68k/kernel/syscalls/syscall.tbl
	microblaze/kernel/syscalls/syscall.tbl mips/kernel/syscalls/syscall_n32.tbl
	mips/kernel/syscalls/syscall_n64.tbl mips/kernel/syscalls/syscall_o32.tbl
	parisc/kernel/syscalls/syscall.tbl powerpc/kernel/syscalls/syscall.tbl
	s390/kernel/syscalls/syscall.tbl sh/kernel/syscalls/syscall.tbl
	sparc/kernel/syscalls/syscall.tbl x86/entry/syscalls/syscall_32.tbl
	x86/entry/syscalls/syscall_64.tbl xtensa/kernel/syscalls/syscall.tbl"
for t in $required; do
	[ -f "arch/$t" ] || die "arch/$t: syscall table not found"
	grep -q 'process_vm_readv' "arch/$t" ||
		die "arch/$t: no process_vm_readv row to remove"
done
tables=$(find arch scripts -name '*.tbl' -type f | sort)
for t in $tables; do
	case "$t" in
	arch/x86/entry/syscalls/syscall_64.tbl) want=4 ;;
	*) want=2 ;;
	esac
	grep -q 'process_vm_\(readv\|writev\)' "$t" || continue
	cut "$t" "$want" "$row"
done

# Nothing may be left outside tools/ and Documentation/.
left=$(grep -rlE 'sys_process_vm_(readv|writev)|__NR_process_vm_|CROSS_MEMORY_ATTACH' \
	--exclude-dir=tools --exclude-dir=Documentation --exclude-dir=configs \
	--exclude-dir=.git . || true)
[ -z "$left" ] || die "still mentions process_vm syscalls: $(echo $left)"
exit 0
