#!/bin/sh
# verify-base.sh: the base commit of build/linux is upstream without Cross
# Memory Attach: no implementation, Kconfig symbol, table row, prototype or
# COND_SYSCALL left outside tools/ and Documentation/; upstream had them.
set -eu
. "$(dirname "$0")/lib.sh"

pattern='sys_process_vm_(readv|writev)|__NR_process_vm_(readv|writev)|CROSS_MEMORY_ATTACH'
where='. :!tools :!Documentation :!arch/*/configs/*'

n=$(git -C "$tree" grep -lE "$pattern" upstream -- $where | wc -l)
[ "$n" -ge 20 ] || die "upstream has only $n files with process_vm syscalls; is this 6.12?"
if git -C "$tree" cat-file -e base:mm/process_vm_access.c 2>/dev/null; then
	die "base still has mm/process_vm_access.c"
fi
left=$(git -C "$tree" grep -nE "$pattern" base -- $where || true)
[ -z "$left" ] || die "base still has process_vm syscalls: $(echo "$left" | sed 's/^base://' | head -5)"
rows=$(git -C "$tree" grep -nE '\bprocess_vm_(readv|writev)\b' base -- 'arch/*.tbl' 'scripts/*.tbl' || true)
[ -z "$rows" ] || die "base still has syscall table rows: $rows"
echo "base: clean ($n files in upstream carried the syscalls)"
