#!/bin/sh
# series.sh: make series: the mailable series in out/series/: git
# format-patch --cover-letter with a real cover letter (doc/cover-letter.txt,
# the base version, the test matrix and results of the last make check, the
# benchmark headline of the last make bench, or doc/bench/report.md).
set -eu
. "$(dirname "$0")/lib.sh"

"$top/scripts/tree.sh" >/dev/null
dest=$top/out/series
rm -rf "$dest"
mkdir -p "$dest"
git -C "$tree" format-patch -q --cover-letter --no-signature --base=base \
	--subject-prefix=PATCH -o "$dest" base..HEAD

body=$dest/.cover-body
{
	sed '1,2d' "$top/doc/cover-letter.txt"
	echo
	echo "Base: Linux $(cat "$build/VERSION") with the in-tree implementation"
	echo "removed by scripts/strip-cma.sh (base-commit below is that stripped tree)."
	echo
	echo "Tested with make check (QEMU TCG):"
	echo
	echo "  kernel                 user ABIs             result"
	for arch in $guest_arches; do
		arch_load "$arch"
		for v in base series reference; do
			r=$(tail -n 1 "$top/out/results/$arch-$v" 2>/dev/null || echo "not run")
			printf '  %-22s %-21s %s\n' "$arch-$v" "$arch_abi_names" "$r"
		done
	done
	echo
	echo "  base kernels run only the ENOSYS check; series and reference kernels run"
	echo "  the smoke test and the process_vm selftests of patches 7-11, 14-17 and"
	echo "  25-29 for every ABI (the flag tests skip by their probe on the reference"
	echo "  kernels), and must agree on every fuzzed call and every call parked while"
	echo "  its target changes (stall); on x86-64, upstream's mm selftests that pin"
	echo "  pages pass and skip alike on both."
	# The headline table of the latest make bench (out/bench), else the
	# one kept in doc/bench.
	report=$top/out/bench/report.md
	[ -f "$report" ] || report=$top/doc/bench/report.md
	if [ -f "$report" ]; then
		echo
		echo "Benchmark (make bench; QEMU -icount on a CPU without ERMS/FSRM, where the"
		echo "kernel copies with rep movsq: guest instructions, median of >= 5; ours /"
		echo "reference, below 1.000 ours is cheaper; overheads are beyond a null"
		echo "syscall and the copy):"
		echo
		sed -n '/^## Goals/,/^## /p' "$report" |
			grep '^|' | grep -v '^|---' | sed 's/\*\*//g; s/^/  /'
		echo
		sed -n '/^## Ours \/ reference, deterministic/,/^## /p' "$report" |
			grep '^|' | grep -v '^|---' | sed 's/\*\*//g; s/^/  /'
	fi
	echo
} >"$body"

cover=$(ls "$dest"/0000-cover-letter.patch)
subject=$(sed -n '1p' "$top/doc/cover-letter.txt")
awk -v subject="$subject" -v body="$body" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject); print; next }
	/\*\*\* BLURB HERE \*\*\*/ { while ((getline l < body) > 0) print l; next }
	{ print }' "$cover" >"$cover.tmp"
mv "$cover.tmp" "$cover"
rm -f "$body"
grep -q 'HERE \*\*\*' "$cover" && die "cover letter placeholders left in $cover"
echo "out/series/: $(ls "$dest" | wc -l) files"
ls "$dest"
