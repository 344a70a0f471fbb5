#!/bin/sh
# verify-arm64-tables.sh: the arm64 series build carries the calls at their
# ABI numbers, 270/271 for AArch64 (the generic table) and 376/377 for
# AArch32 compat tasks, and links them.  It reads the arm64 object tree,
# which make check leaves at the series (built after base and reference);
# the guests then run both ABIs.
set -eu
. "$(dirname "$0")/lib.sh"

gen=$build/kbuild/arm64/arch/arm64/include/generated/asm
for want in "syscall_table_64.h:__SYSCALL(270, sys_process_vm_readv)" \
	"syscall_table_64.h:__SYSCALL(271, sys_process_vm_writev)" \
	"syscall_table_32.h:__SYSCALL(376, sys_process_vm_readv)" \
	"syscall_table_32.h:__SYSCALL(377, sys_process_vm_writev)"; do
	f=${want%%:*} row=${want#*:}
	grep -qF "$row" "$gen/$f" || die "$gen/$f lacks '$row'"
	echo "$f: $row"
done
for sym in __arm64_sys_process_vm_readv __arm64_sys_process_vm_writev; do
	grep -q " $sym\$" "$build/kbuild/arm64/System.map" || die "$sym not linked into the arm64 kernel"
done
echo "arm64: tables and symbols present"
