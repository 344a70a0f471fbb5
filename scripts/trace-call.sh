#!/bin/sh
# trace-call.sh [--write] [--size N] KERNEL_A KERNEL_B: where one call's
# instructions go (make trace-call; doc/bench/README.md, "Where one call's
# instructions go").  Boots each kernel under QEMU TCG on make bench's
# headline CPU model (-cpu max,-erms,-fsrm, one vCPU, nokaslr) with
# guest/tracecall.c, which makes 40 process_vm_readv (--write: writev) calls
# of N bytes (default 8; 4K, 1M...), and single-steps the 21st (a warm call)
# through QEMU's gdb stub from entry_SYSCALL_64 until the PC is back in user
# space.  scripts/trace-call.py counts each kernel's instructions per
# function (the text symbol each PC falls in) and prints, A against B, a
# table sorted by |A-B| then by size, with totals.  x86-64 kernels only.
#
# A KERNEL is an image path or a build/kernels name (x86_64-debian-series:
# build/kernels/x86_64-debian-series/image).  Each image is copied first (a
# rebuild next door cannot change it under the trace).  Its symbol map comes
# from a boot of `tracecall --symbols` (/proc/kallsyms), cached next to the
# image as IMAGE.ksyms under the image's md5, so a rebuilt image gets a new
# one.  Writes out/trace/OP-SIZE-A-vs-B.md (the table) with .a.pcs and .b.pcs
# (the PCs of each trace) and .a.flow and .b.flow (each trace as runs of one
# function); full logs in out/logs/trace-*.
set -eu
. "$(dirname "$0")/lib.sh"

usage="usage: ${0##*/} [--write] [--size N] KERNEL_A KERNEL_B, each KERNEL an image path or a build/kernels name such as x86_64-debian-series"
op=readv size=8 kernels=
while [ $# -gt 0 ]; do
	case "$1" in
	--write) op=writev ;;
	--size)
		[ $# -ge 2 ] || die "--size needs a number of bytes (8, 4K, 1M); $usage"
		size=$2
		shift ;;
	--size=*) size=${1#--size=} ;;
	-h | --help) echo "$usage"; exit 0 ;;
	-*) die "unknown option '$1'; $usage" ;;
	*) kernels="$kernels $1" ;;
	esac
	shift
done
# shellcheck disable=SC2086
set -- $kernels
[ $# -eq 2 ] || die "give two kernels, not $#; $usage"
# What guest/util.c's parse_size() takes: digits, then K, M or G
case "$size" in
'' | *[!0-9KMG]* | [!0-9]* | *[KMG]?*) die "--size $size: give a number of bytes such as 8, 4K or 1M" ;;
esac
case "$size" in
0 | 0[KMG]) die "--size $size: give at least one byte" ;;
??????????*) die "--size $size: at most 16M (one gdb step an instruction, some thousand a second: 16M takes about an hour)" ;;
esac
# About one instruction per 8 bytes copied (rep movsq) and a few hundred
# per 4 KiB page: a trace needs steps in proportion, at some thousands a
# second (gdb's round trips).
case "$size" in
*K) bytes=$((${size%K} * 1024)) ;;
*M) bytes=$((${size%M} * 1048576)) ;;
*G) bytes=$((${size%G} * 1073741824)) ;;
*) bytes=$size ;;
esac
[ "$bytes" -le 16777216 ] || die "--size $size: at most 16M (one gdb step an instruction, some thousand a second: 16M takes about an hour)"
max_steps=$((200000 + bytes / 8 + bytes * 1000 / 4096))

# kernel ARG: k_image and k_label of a kernel argument, or die saying why
kernel() {
	if [ -f "$1" ]; then
		k_image=$1
		case "$1" in
		*/kernels/*/image) k_label=${1%/image}; k_label=${k_label##*/} ;;
		*) k_label=${1##*/} ;;
		esac
	else
		case "$1" in
		*/* | *.* | -* | *[!A-Za-z0-9_-]*)
			die "$1: no such kernel image; $usage" ;;
		esac
		# NAME is FLAVOUR-VARIANT (build-kernel.sh's names)
		k_image=$(kernel_image "${1%-*}" "${1##*-}")
		if [ "${1%-*}" = "$1" ] || [ ! -f "$k_image" ]; then
			k_have=
			for k_dir in "$build"/kernels/*/image; do
				[ -f "$k_dir" ] || continue
				k_dir=${k_dir%/image}
				k_have="$k_have ${k_dir##*/}"
			done
			k_have=${k_have# }
			die "no kernel '$1' in build/kernels (it has: ${k_have:-none}); build it first (make kernel, make bench) or give an image path"
		fi
		k_label=$1
	fi
	# x86's boot protocol: "HdrS" at 0x202, XLF_KERNEL_64 in xloadflags (0x236)
	if [ "$(od -An -c -j 514 -N 4 "$k_image" | tr -d ' ')" != HdrS ] ||
	   [ $(($(od -An -tu1 -j 566 -N 1 "$k_image") & 1)) -ne 1 ]; then
		die "$1: not an x86-64 kernel image (bzImage): ${0##*/} traces x86-64 kernels only"
	fi
	k_label=$(printf '%s' "$k_label" | tr -c 'A-Za-z0-9._-' _)
}
kernel "$1"
image_a=$k_image label_a=$k_label
kernel "$2"
image_b=$k_image label_b=$k_label

arch_load x86_64
command -v "$arch_qemu" >/dev/null || die "$arch_qemu not found: run 'make deps'"
command -v gdb >/dev/null || die "gdb not found: run 'make deps'"

# make bench's headline model; one vCPU: nothing runs beside the call
cpu="max,-erms,-fsrm"
skip=20 calls=40
stage=$build/trace
cpio=$stage/initramfs.cpio
out=$top/out/trace
stem=$op-$size-$label_a-vs-$label_b
mkdir -p "$out" "$logs"
work=$(mktemp -d "${TMPDIR:-/tmp}/trace-call.XXXXXX")
guest_pid='' gdb_pid=''
# shellcheck disable=SC2317
cleanup() {
	# a trace that failed or was interrupted: QEMU, in a process group of
	# its own (setsid), and gdb's driver
	[ -z "$guest_pid" ] || kill -TERM "-$guest_pid" 2>/dev/null || true
	[ -z "$gdb_pid" ] || kill -TERM "$gdb_pid" 2>/dev/null || true
	rm -rf "$work"
}
# descriptor 4: the terminal's output, also while a step writes its log
exec 4>&1
trap cleanup EXIT
# (a reader that went away, head say, must not stop the trap halfway)
trap 'trap "" PIPE; echo "interrupted" >&4 2>/dev/null; exit 130' INT TERM HUP PIPE

# The initramfs: our init (guest/init.c) running one suite of tracecall
initramfs() {
	make -s -C "$top/guest" ABI=x86_64 OUT="$stage/bin" KSFT="$tree/tools/testing/selftests" \
		"$stage/bin/init" "$stage/bin/tracecall" || return 1
	i_gen=$(gen_init_cpio) || return 1
	mkdir -p "$stage/suites"
	echo "trace-symbols 600 /bin/x86_64/tracecall --symbols" >"$stage/suites/trace-symbols"
	echo "trace-call 600 /bin/x86_64/tracecall --calls $calls" >"$stage/suites/trace-call"
	cat >"$stage/cpio.list" <<-EOF
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	dir /proc 0755 0 0
	dir /sys 0755 0 0
	dir /tmp 1777 0 0
	dir /bin 0755 0 0
	dir /bin/x86_64 0755 0 0
	file /init $stage/bin/init 0755 0 0
	file /bin/x86_64/tracecall $stage/bin/tracecall 0755 0 0
	dir /suites 0755 0 0
	file /suites/trace-symbols $stage/suites/trace-symbols 0644 0 0
	file /suites/trace-call $stage/suites/trace-call 0644 0 0
	EOF
	"$i_gen" "$stage/cpio.list" >"$cpio.tmp" || return 1
	mv "$cpio.tmp" "$cpio" || return 1
	echo "${cpio#"$top"/}: $(du -h "$cpio" | cut -f1)"
}

# judge CONSOLE: the guest ran its suite to the end and the program passed
judge() {
	j_verdict=$("$top/scripts/check-log.sh" "$1")
	echo "check-log: $j_verdict"
	case "$(echo "$j_verdict" | tail -n 1)" in
	"passed "*" failed 0 "*) return 0 ;;
	*) echo "the guest failed: see ${1#"$top"/}"; return 1 ;;
	esac
}

# symbols LABEL IMAGE_COPY CACHE MD5 IMAGE: the symbol map of an image.  A
# second boot if the listing came garbled (tracecall holds the kernel's
# messages back meanwhile, but one already on its way may cut a line).
symbols() {
	s_console=$logs/trace-symbols-$1.console
	for s_try in 1 2; do
		echo "booting ${2##*/} (md5 $4) with tracecall --symbols; console: ${s_console#"$top"/}"
		CMA_CPU=$cpu CMA_SMP=1 CMA_APPEND=nokaslr CMA_QEMU_EXTRA='' \
			"$top/scripts/run-guest.sh" x86_64 "$2" "$cpio" trace-symbols "$s_console" 600 ||
			{ echo "QEMU failed or timed out (124): status $?"; return 1; }
		judge "$s_console" || return 1
		if python3 "$top/scripts/trace-call.py" symbols --md5 "$4" --image "${5#"$top"/}" \
			"$s_console" "$3.tmp"; then
			mv "$3.tmp" "$3" && echo "written to $3"
			return
		fi
		[ "$s_try" = 2 ] || echo "once more"
	done
	return 1
}

# trace SIDE IMAGE_COPY MAP: one traced call; PCs in out/trace/STEM.SIDE.pcs
trace() {
	t_console=$logs/trace-$stem-$1.console
	t_sock=$work/gdb-$1.sock
	echo "booting ${2##*/} halted, gdb on $t_sock; console: ${t_console#"$top"/}"
	# setsid: QEMU (under run-guest.sh's timeout) in a process group of
	# its own, which cleanup ends if the trace fails
	CMA_CPU=$cpu CMA_SMP=1 CMA_APPEND="nokaslr cmatrace_op=$op cmatrace_size=$size" \
		CMA_QEMU_EXTRA="-gdb unix:$t_sock,server=on,wait=off -S" \
		setsid "$top/scripts/run-guest.sh" x86_64 "$2" "$cpio" trace-call "$t_console" \
		$((600 + max_steps / 200)) &
	guest_pid=$!
	# in the background: a signal to this script is seen while it waits
	python3 "$top/scripts/trace-call.py" trace --socket "$t_sock" --map "$3" --op "$op" \
		--skip "$skip" --max-steps "$max_steps" "$out/$stem.$1.pcs" &
	gdb_pid=$!
	t_rc=0
	wait "$gdb_pid" || t_rc=$?
	gdb_pid=
	[ "$t_rc" -eq 0 ] || return 1
	t_rc=0
	wait "$guest_pid" || t_rc=$?
	guest_pid=
	[ "$t_rc" -eq 0 ] || { echo "QEMU failed or timed out (124): status $t_rc"; return 1; }
	judge "$t_console"
}

# map SIDE IMAGE LABEL: copy IMAGE, then its symbol map, from the cache or
# from a boot (a step); p_map is its path
map() {
	cp "$2" "$work/$1.image"
	p_md5=$(md5sum <"$work/$1.image" | cut -d' ' -f1)
	p_map=$2.ksyms
	# a map in an image directory we may not write goes to out/trace/
	[ -w "$(dirname "$2")" ] || p_map=$out/$3.ksyms
	STEP=$((STEP + 1))
	if [ "$(head -n 1 "$p_map" 2>/dev/null | cut -d' ' -f3)" = "$p_md5" ]; then
		echo "[$STEP/$STEPS] symbols $3 ... cached (${p_map#"$top"/})"
	else
		step "symbols $3" "trace-symbols-$3" symbols "$3" "$work/$1.image" "$p_map" "$p_md5" "$2" ||
			exit 1
	fi
}

echo "Cross Memory Attach: one process_vm_$op call of $size bytes traced, $label_a against $label_b"
STEPS=5 STEP=1
step "initramfs (init, tracecall)" trace-initramfs initramfs || exit 1
map a "$image_a" "$label_a"
map_a=$p_map
map b "$image_b" "$label_b"
map_b=$p_map
STEP=4
step "trace $label_a" "trace-$stem-a" trace a "$work/a.image" "$map_a" || exit 1
STEP=5
step "trace $label_b" "trace-$stem-b" trace b "$work/b.image" "$map_b" || exit 1

echo
python3 "$top/scripts/trace-call.py" report \
	--title "process_vm_$op of $size bytes, call $((skip + 1)) of $calls, from entry_SYSCALL_64 to the return to user space: instructions per kernel function (x86-64, QEMU TCG -cpu $cpu, one vCPU, nokaslr)" \
	--a "$label_a" "$map_a" "$out/$stem.a.pcs" --b "$label_b" "$map_b" "$out/$stem.b.pcs" \
	--out "$out/$stem.md"
echo
echo "written to out/trace/$stem.md; each trace as runs of one function in $stem.a.flow and .b.flow"
