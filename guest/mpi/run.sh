#!/bin/sh
# run.sh cma|fallback: inside the MPI guest (guest/init.c runs it), run our
# ping-pong and collective under Open MPI with vader's CMA single copy, each
# under strace, and print TAP.
#   cma       every byte right, and strace saw exactly the process_vm_readv
#             calls and bytes the message schedule implies, no
#             process_vm_writev (ob1 reads, it does not write), no failed
#             call and no "Read -1, expected N" line from Open MPI
#   fallback  (the base kernel) every byte right, no successful call, and
#             one failed call (ENOSYS) and one "Read -1" line per large
#             message: Open MPI fell back to copying through shared memory
set -u
mode=${1:-}
case "$mode" in
cma | fallback) ;;
*) echo "usage: $0 cma|fallback" >&2; exit 2 ;;
esac

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# vader's eager limit, named so that the programs can derive the schedule
eager=4096
n=0 pass=0 fail=0

result() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok $n $2"
	else
		fail=$((fail + 1))
		echo "not ok $n $2"
	fi
}

setup() {
	mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 tmpfs /dev/shm || return 1
	/mpi/lo-up || return 1
	echo localhost >/proc/sys/kernel/hostname
}

# count TRACE: "readv_ok readv_bytes writev_ok failed enosys" from strace -f output
count() {
	awk '
	/process_vm_(readv|writev)/ && !/unfinished \.\.\.>/ {
		r = $0; sub(/.* = /, "", r); split(r, f, " ")
		if (f[1] ~ /^[0-9]+$/) {
			if ($0 ~ /readv/) { rd++; bytes += f[1] } else wr++
		} else {
			bad++
			if (f[2] == "ENOSYS") enosys++
		}
	}
	END { printf "%d %d %d %d %d\n", rd, bytes, wr, bad, enosys }' "$1"
}

# run_one PROG: one mpirun under strace, then its checks
run_one() {
	prog=$1 out=/tmp/$1.out trace=/tmp/$1.strace
	t0=$(date +%s)
	strace -f -qq -o "$trace" -e trace=process_vm_readv,process_vm_writev \
		mpirun -n 2 --oversubscribe --bind-to none \
		--mca pml ob1 --mca btl self,vader \
		--mca btl_vader_single_copy_mechanism cma \
		--mca btl_vader_eager_limit "$eager" \
		/mpi/"$prog" "$eager" >"$out" 2>&1
	rc=$?
	sed 's/^/# | /' "$out"
	echo "# $prog: mpirun exit $rc after $(($(date +%s) - t0)) s"

	if [ $rc -eq 0 ] && grep -q '^# Totals: pass:[1-9][0-9]* fail:0 ' "$out"; then
		result ok "$prog: every byte of every message right"
	else
		result notok "$prog: data or exit status wrong"
	fi

	set -- $(sed -n 's/^# cma-expect: reads \([0-9]*\) bytes \([0-9]*\).*/\1 \2/p' "$out") 0 0
	exp_reads=$1 exp_bytes=$2
	set -- $(count "$trace")
	rd=$1 bytes=$2 wr=$3 bad=$4 enosys=$5
	fallbacks=$(grep -c 'Read -\{0,1\}[0-9]*, expected [0-9]*, errno = ' "$out")
	echo "# strace $prog: process_vm_readv ok $rd ($bytes bytes), process_vm_writev ok $wr, failed $bad (ENOSYS $enosys); Open MPI 'Read ..., expected' lines: $fallbacks"
	echo "# schedule $prog: $exp_reads single-copy reads of $exp_bytes bytes"

	if [ "$mode" = cma ]; then
		if [ "$exp_reads" -gt 0 ] && [ "$rd" -eq "$exp_reads" ] &&
		   [ "$bytes" -eq "$exp_bytes" ] && [ "$wr" -eq 0 ]; then
			result ok "$prog: CMA carried every large message ($rd reads)"
		else
			result notok "$prog: CMA calls differ from the schedule"
		fi
		if [ "$bad" -eq 0 ] && [ "$fallbacks" -eq 0 ]; then
			result ok "$prog: no failed call, no fallback"
		else
			result notok "$prog: $bad failed calls, $fallbacks fallback lines"
		fi
	else
		if [ "$rd" -eq 0 ] && [ "$wr" -eq 0 ]; then
			result ok "$prog: no successful CMA call"
		else
			result notok "$prog: $rd + $wr CMA calls succeeded on a kernel without them"
		fi
		if [ "$exp_reads" -gt 0 ] && [ "$bad" -eq "$exp_reads" ] &&
		   [ "$enosys" -eq "$bad" ] && [ "$fallbacks" -eq "$bad" ]; then
			result ok "$prog: Open MPI saw ENOSYS for each of the $bad large messages and fell back"
		else
			result notok "$prog: no ENOSYS fallback seen"
		fi
	fi
}

echo "TAP version 13"
if ! setup; then
	result notok "guest setup (/dev/shm, lo, hostname)"
else
	echo "# $(uname -r) $(uname -v), $(nproc) CPUs, mode $mode"
	run_one pingpong
	run_one collective
fi
echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ $fail -eq 0 ]
