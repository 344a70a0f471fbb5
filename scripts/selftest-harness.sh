#!/bin/sh
# selftest-harness.sh: the harness must catch what it claims to catch.
#  - check-log.sh fails a run on a kernel WARNING, an Oops, a program that
#    failed or hung, missing TAP totals, or a guest that never finished;
#    and passes a clean run;
#  - strip-cma.sh fails, naming file and pattern, when a pattern no longer
#    matches (here: a Kconfig block already gone, a table row missing).
set -eu
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

clean_run='cma-run: init on smoke
cma-run: begin smoke-x86_64
ok 1 readv
# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0
cma-run: end smoke-x86_64 exit=0 (0 s)
cma-run: done'

# verdict NAME WANT LOG_TEXT: check-log.sh must end in WANT (pass|fail).
verdict() {
	printf '%s\n' "$3" >"$tmp/log"
	last=$("$top/scripts/check-log.sh" "$tmp/log" | tail -n 1)
	case "$last" in
	"passed "*" failed 0 "*) got=pass ;;
	*) got=fail ;;
	esac
	if [ "$got" = "$2" ]; then
		echo "ok: check-log: $1 -> $got"
	else
		echo "WRONG: check-log: $1 -> $got, want $2 ($last)"
		bad=$((bad + 1))
	fi
}

verdict "clean run" pass "$clean_run"
verdict "kernel WARNING" fail "$clean_run
[    3.1] WARNING: CPU: 0 PID: 42 at mm/gup.c:100 foo+0x1/0x2"
verdict "Oops" fail "[    2.0] Oops: general protection fault, probably for non-canonical address
$clean_run"
verdict "BUG" fail "[    2.0] BUG: unable to handle page fault for address: 0000
$clean_run"
verdict "KASAN report" fail "$clean_run
[    4.2] BUG: KASAN: slab-out-of-bounds in process_vm_rw+0x1f/0x30"
verdict "lockdep report" fail "[    5.0] WARNING: possible circular locking dependency detected
$clean_run"
verdict "kmemleak leak" fail "$clean_run
[    9.0] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"
verdict "kmemleak object" fail "$clean_run
# unreferenced object 0xffff888003a1c000 (size 64):"
verdict "debug kernel boot lines" pass "[    0.0] kmemleak: Kernel memory leak detector initialized (mem pool available: 15800)
[    0.0] kasan: KernelAddressSanitizer initialized
[    0.1] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
$clean_run"
verdict "failed test" fail "$(echo "$clean_run" | sed 's/exit=0/exit=1/')"
verdict "hung program" fail "$(echo "$clean_run" | sed 's/exit=0 (0 s)/timeout after 60 s/')"
verdict "no TAP totals" fail "$(echo "$clean_run" | grep -v Totals)"
verdict "guest never finished" fail "$(echo "$clean_run" | grep -v 'cma-run: done')"
verdict "program never finished" fail "$(echo "$clean_run" | grep -v 'cma-run: end')"

# strip-cma.sh on the files it edits, taken from upstream.
files="Makefile init/Kconfig mm/Makefile mm/process_vm_access.c include/linux/syscalls.h
kernel/sys_ni.c include/uapi/asm-generic/unistd.h scripts/syscall.tbl
$(git -C "$tree" ls-tree -r --name-only upstream -- arch | grep '\.tbl$')"
# strip_fails NAME EXPECTED_TEXT EDIT: break a fresh copy with EDIT (run in
# the copy); strip-cma.sh must fail and its message contain EXPECTED_TEXT.
strip_fails() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t"
	# shellcheck disable=SC2086
	git -C "$tree" archive upstream -- $files | tar -x -C "$tmp/t"
	(cd "$tmp/t" && eval "$3")
	if msg=$("$top/scripts/strip-cma.sh" "$tmp/t" 2>&1); then
		echo "WRONG: strip-cma: $1 -> succeeded"
		bad=$((bad + 1))
	elif echo "$msg" | grep -q "$2"; then
		echo "ok: strip-cma: $1 -> $msg"
	else
		echo "WRONG: strip-cma: $1 -> message lacks '$2': $msg"
		bad=$((bad + 1))
	fi
}
strip_fails "Kconfig block renamed" "init/Kconfig" \
	"sed -i 's/^config CROSS_MEMORY_ATTACH$/config CROSS_MEMORY_ATTACH2/' init/Kconfig"
strip_fails "powerpc row missing" "arch/powerpc/kernel/syscalls/syscall.tbl" \
	"sed -i '/process_vm_readv/d' arch/powerpc/kernel/syscalls/syscall.tbl"
strip_fails "x86-64 table has an extra row" "syscall_64.tbl" \
	"echo '999	64	process_vm_readv	sys_process_vm_readv' >>arch/x86/entry/syscalls/syscall_64.tbl"
strip_fails "a prototype left in another header" "still mentions" \
	"mkdir -p include/linux && echo 'long sys_process_vm_readv(void);' >include/linux/extra.h"
rm -rf "$tmp/t"
mkdir -p "$tmp/t"
# shellcheck disable=SC2086
git -C "$tree" archive upstream -- $files | tar -x -C "$tmp/t"
if "$top/scripts/strip-cma.sh" "$tmp/t"; then
	echo "ok: strip-cma: unchanged upstream files -> stripped"
else
	echo "WRONG: strip-cma: failed on upstream's own files"
	bad=$((bad + 1))
fi

[ "$bad" -eq 0 ] || die "$bad harness self-checks wrong"
