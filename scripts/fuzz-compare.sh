#!/bin/sh
# fuzz-compare.sh SERIES_LOG REFERENCE_LOG: compare the fuzz-digest lines
# (guest/fuzz.c) of two console logs, block by block (ABI, seed, first
# call).  Prints "no difference in N calls (...)" and exits 0, or names every
# block that differs and then finds the first differing call of the first
# such block: it boots both kernels again with that block alone in verbose
# mode and prints the call with both kernels' results.
#   FUZZ_SERIES_IMAGE, FUZZ_REFERENCE_IMAGE   kernels for the replay
#                    (default build/kernels/ARCH-{series,reference}/image)
#   FUZZ_CPIO        initramfs with the fuzz suite (default
#                    build/initramfs-ARCH.cpio, as make check builds it)
#   FUZZ_NO_REPLAY=1 only compare the digests
set -u
. "$(dirname "$0")/lib.sh"
export LC_ALL=C		# join and sort must agree on the order

compare_logs_setup "$@"

# digests LOG: "abi seed first<TAB>the rest of the line", sorted
digests() {
	keyed_lines "$1" 's/^fuzz-digest abi=\([^ ]*\) seed=\([^ ]*\) first=\([^ ]*\) \(.*\)$/\1 \2 \3\t\4/p'
}
digests "$1" >"$work/s"
digests "$2" >"$work/r"
[ -s "$work/s" ] || die "$1: no fuzz-digest lines (did the fuzz suite run?)"
[ -s "$work/r" ] || die "$2: no fuzz-digest lines (did the fuzz suite run?)"

# Every block of either log, side by side; a block only one log has differs.
side_by_side "$work/s" "$work/r" >"$work/joined"
awk -F '\t' '$2 != $3' "$work/joined" >"$work/diff"

if [ ! -s "$work/diff" ]; then
	awk -F '\t' '
	{ split($1, k, " "); split($2, f, " "); split(f[1], c, "=")
	  calls += c[2]; abis[k[1]] = 1; seeds[k[2]] = 1 }
	END {
		for (a in abis) al = al " " a
		for (s in seeds) sl = sl " " s
		printf "no difference in %d calls (ABI%s; seeds%s)\n", calls, al, sl
	}' "$work/joined"
	exit 0
fi

echo "DIFFERENCE in $(wc -l <"$work/diff") block(s) of $(wc -l <"$work/joined"):"
head -n 20 "$work/diff" | awk -F '\t' '{
	print "  block " $1 " (abi seed first-call)"
	print "    series:    " $2
	print "    reference: " $3 }'

[ "${FUZZ_NO_REPLAY:-}" = 1 ] && exit 1

# Replay the first differing block on both kernels, one line per call.
set -- $(head -n 1 "$work/diff" | cut -f1)
abi=$1 seed=$2 first=$3
calls=$(head -n 1 "$work/diff" | cut -f2,3 | tr '\t' '\n' |
	sed -n 's/^calls=\([0-9]*\).*/\1/p' | sort -n | tail -n 1)
# The arch whose guests run the block's ABI (scripts/arches/)
abi_load "$abi"
arch=$abi_arch
s_image=${FUZZ_SERIES_IMAGE:-$(kernel_image "$arch" series)}
r_image=${FUZZ_REFERENCE_IMAGE:-$(kernel_image "$arch" reference)}
cpio=${FUZZ_CPIO:-$build/initramfs-$arch.cpio}
for f in "$s_image" "$r_image" "$cpio"; do
	[ -f "$f" ] || die "$f: missing, cannot replay the block"
done

echo "replaying abi=$abi seed=$seed calls $first..$((first + ${calls:-1000} - 1)) verbosely on both kernels"
for k in series reference; do
	if [ $k = series ]; then image=$s_image; else image=$r_image; fi
	log=$logs/fuzz-replay-$arch-$k.log
	CMA_APPEND="cmafuzz_abi=$abi cmafuzz_seeds=$seed cmafuzz_first=$first cmafuzz_calls=${calls:-1000} cmafuzz_verbose=1" \
		"$top/scripts/run-guest.sh" "$arch" "$image" "$cpio" fuzz "$log" 1800 ||
		echo "  $k replay: qemu exit status $? (log ${log#"$top"/})"
	tr -d '\r' <"$log" | grep '^fuzz-call ' |
		sed 's/^fuzz-call abi=[^ ]* seed=[^ ]* i=\([0-9]*\) /\1\t/; s/ -> /\t/' |
		sort -t "	" -k1,1 >"$work/calls-$k"
done

join -t "	" -a 1 -a 2 -e MISSING -o 0,1.2,1.3,2.3 "$work/calls-series" "$work/calls-reference" |
	sort -n | awk -F '\t' '$3 != $4' >"$work/calls-diff"
if [ ! -s "$work/calls-diff" ]; then
	echo "every call of the block agrees on return value, errno and data; the block's"
	echo "whole-arena hash differs: a write outside every iovec span, or state left"
	echo "behind by one call for another (logs: out/logs/fuzz-replay-$arch-*.log)"
	exit 1
fi
echo "$(wc -l <"$work/calls-diff") call(s) of the block differ; the first:"
head -n 1 "$work/calls-diff" | awk -F '\t' -v abi="$abi" -v seed="$seed" '{
	print "  call:      fuzz --seed " seed " --first " $1 " --calls 1 --verbose   (abi " abi ")"
	print "  params:    " $2
	print "  series:    " $3
	print "  reference: " $4 }'
exit 1
