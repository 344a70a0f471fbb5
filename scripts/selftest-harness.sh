#!/bin/sh
# selftest-harness.sh: the harness must catch what it claims to catch.
#  - check-log.sh fails a run on a kernel WARNING, an Oops, a program that
#    failed or hung, missing TAP totals, or a guest that never finished;
#    and passes a clean run (one with a gcov dump too);
#  - strip-cma.sh fails, naming file and pattern, when a pattern no longer
#    matches (here: a Kconfig block already gone, a table row missing);
#  - our tools, given bad input (a wrong argument, a missing program or
#    package, a config fragment that does not apply), stop with one line
#    that says what is wrong, and a non-zero exit;
#  - every arch record (scripts/arches/) has every field, and make help
#    lists every option a script reads from the environment.
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
[    0.0] KASAN init done
[    0.1] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
$clean_run"
# guest/gcov.c's dump: hex, so no line of it can read as a kernel report.
verdict "gcov counters dumped" pass "cma-run: begin gcov-dump
TAP version 13
1..1
cma-gcov: begin /sys/kernel/debug/gcov/build/kbuild/x86_64-debug-gcov/mm/process_vm_access.gcda 4444 0fabf782
cma-gcov: 000000 616463672a323242459e3d3000000000000000010c000000941f0e23be9b4c223eb2bbc00000a101
cma-gcov: end /sys/kernel/debug/gcov/build/kbuild/x86_64-debug-gcov/mm/process_vm_access.gcda
ok 1 gcov: counters dumped
# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0
cma-run: end gcov-dump exit=0 (1 s)
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

# refuses NAME EXPECTED_TEXT CMD...: our tools, given bad input, must exit
# non-zero, their last line saying what is wrong (EXPECTED_TEXT in it),
# after at most one progress line.
refuses() {
	name=$1 want=$2
	shift 2
	if out=$("$@" 2>&1); then
		echo "WRONG: refuses: $name -> succeeded"
		bad=$((bad + 1))
	elif [ "$(printf '%s\n' "$out" | wc -l)" -gt 2 ] ||
	     ! printf '%s\n' "$out" | tail -n 1 | grep -q -- "$want"; then
		echo "WRONG: refuses: $name -> does not end in one line naming '$want':"
		printf '%s\n' "$out" | head -n 5 | sed 's/^/    /'
		bad=$((bad + 1))
	else
		echo "ok: refuses: $name -> $(printf '%s\n' "$out" | tail -n 1 | cut -c1-160)"
	fi
}
s=$top/scripts
refuses "unknown arch" "unknown arch 'sparc'" "$s/build-kernel.sh" sparc series
refuses "unknown variant" "no commit 'seris'" "$s/build-kernel.sh" x86_64 seris
refuses "missing arguments" "usage" "$s/build-kernel.sh" x86_64
refuses "missing config fragment" "not found" "$s/build-kernel.sh" x86_64 series "$tmp/none.config"
refuses "guest without kernel" "no kernel image" "$s/run-guest.sh" x86_64 "$tmp/none" "$tmp/none" smoke "$tmp/log"
refuses "guest on an unknown arch" "unknown arch" "$s/mkinitramfs.sh" mips "$tmp/x.cpio"
refuses "check-log without a log" "no such log" "$s/check-log.sh" "$tmp/none.log"
mkdir -p "$tmp/apt/sources.list.d"
refuses "MPI image without an apt source for its suite" "no 'deb URI bookworm main' entry" \
	env -u CMA_DEBIAN_MIRROR CMA_APT_ETC="$tmp/apt" "$s/mpi-rootfs.sh"
refuses "check-arches with an unknown target" "unknown target 'sparc'" "$s/check-arches.sh" sparc
refuses "deps with a wrong argument" "usage" "$s/deps.sh" all
refuses "check-debug with a wrong option" "unknown arch '--fast'" "$s/check-debug.sh" --fast
refuses "selftests for an unknown ABI" "unknown ABI 'vax'" "$s/build-selftests.sh" vax "$tmp/st"
refuses "guest programs for an unknown ABI" "unknown ABI 'vax'" make -s -C "$top/guest" ABI=vax
refuses "trace-call with one kernel" "give two kernels, not 1" "$s/trace-call.sh" x86_64-series
refuses "trace-call with an unknown option" "unknown option '--read'" "$s/trace-call.sh" --read a b
refuses "trace-call with a bad size" "--size 4KB: give a number of bytes" "$s/trace-call.sh" --size 4KB a b
refuses "trace-call with a kernel not built" "no kernel 'x86_64-nosuch' in build/kernels" \
	"$s/trace-call.sh" x86_64-nosuch x86_64-nosuch
printf 'not a kernel\n' >"$tmp/notakernel"
refuses "trace-call of a file that is no x86-64 kernel" "not an x86-64 kernel image" \
	"$s/trace-call.sh" "$tmp/notakernel" "$tmp/notakernel"

# Every record loads: a missing field would otherwise fail far from it.
for a in $all_arches; do
	if msg=$( (arch_load "$a") 2>&1); then
		echo "ok: record: scripts/arches/$a.sh"
	else
		echo "WRONG: record: $msg"
		bad=$((bad + 1))
	fi
done
# make help names every option a script reads from the environment.
help=$(make -s -C "$top" help 2>&1)
# shellcheck disable=SC2016
for v in KBUILD_EXTRA $(cat "$top"/scripts/*.sh | grep -o '\${\{0,1\}\(CMA\|FUZZ\)_[A-Z0-9_]*' |
	tr -d '${' | sort -u); do
	if printf '%s\n' "$help" | grep -q "\b$v\b"; then
		echo "ok: make help lists $v"
	else
		echo "WRONG: make help does not list $v"
		bad=$((bad + 1))
	fi
done

# A missing program: a PATH with everything but QEMU and ppc64's cross
# compiler (the names as the arch records give them).
arch_load x86_64
qemu=$arch_qemu
arch_load ppc64
cross=$arch_cross
mkdir -p "$tmp/bin"
for d in /usr/local/bin /usr/bin /bin; do
	for f in "$d"/*; do
		case "${f##*/}" in qemu-system-* | "$cross"*) continue ;; esac
		[ -e "$tmp/bin/${f##*/}" ] || ln -s "$f" "$tmp/bin/${f##*/}"
	done
done
touch "$tmp/image" "$tmp/initrd"
refuses "QEMU not installed" "$qemu not found: run 'make deps'" \
	env PATH="$tmp/bin" "$s/run-guest.sh" x86_64 "$tmp/image" "$tmp/initrd" smoke "$tmp/log"
refuses "cross compiler not installed" "${cross}gcc not found: run 'make deps'" \
	env PATH="$tmp/bin" "$s/build-kernel.sh" ppc64 series
# Missing packages, seen by someone who is not root: what to install, how.
# The stand-ins live in a directory of their own: $tmp/bin holds symlinks
# to the real programs, and writing there would overwrite them.
mkdir -p "$tmp/stub"
printf '#!/bin/sh\nexit 1\n' >"$tmp/stub/dpkg-query"
printf '#!/bin/sh\necho 1000\n' >"$tmp/stub/id"
chmod +x "$tmp/stub/dpkg-query" "$tmp/stub/id"
refuses "packages missing, not root" "sudo apt-get update && sudo apt-get install" \
	env PATH="$tmp/stub:$tmp/bin" "$s/deps.sh"

# A fragment asking for a symbol that does not exist must stop the build.
echo "CONFIG_CMA_NO_SUCH_OPTION=y" >"$tmp/bogus.config"
refuses "config fragment that does not apply" "did not apply: CONFIG_CMA_NO_SUCH_OPTION" \
	"$s/build-kernel.sh" x86_64 series "$tmp/bogus.config"
rm -rf "$build/kbuild/x86_64-bogus" "$(kernel_dir x86_64-bogus series)"

[ "$bad" -eq 0 ] || die "$bad harness self-checks wrong"
