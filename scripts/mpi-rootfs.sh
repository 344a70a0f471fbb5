#!/bin/sh
# mpi-rootfs.sh: the x86-64 guest image for check-mpi.sh.  A Debian bookworm
# minbase root file system with openmpi-bin and strace, our MPI programs
# (built with the host's mpicc, so the image holds no compiler), our /init
# and the suites mpi (CMA must carry the data) and mpi-base (the fallback
# must be seen), packed as build/mpi/initramfs.cpio.  Cached: rebuilt only
# when its key (this script, guest/mpi/, our init, the host's Open MPI)
# changes.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: $0 (no arguments)"
suite=bookworm
pkgs=openmpi-bin,strace
out=$build/mpi
cpio=$out/initramfs.cpio

# apt_mirror SUITE: the archive this machine's apt already installs SUITE's
# main component from, read from its sources (one-line sources.list and
# *.list files, deb822 *.sources files, in apt's order; the first entry
# wins), so that the harness itself names no mirror.
apt_mirror() {
	etc=${CMA_APT_ETC:-/etc/apt}	# another apt tree, for tests
	for f in "$etc/sources.list" "$etc"/sources.list.d/*; do
		[ -f "$f" ] || continue
		case "$f" in
		*.list) # deb [options] URI SUITE COMPONENT...
			awk -v s="$1" '{ sub(/#.*/, ""); gsub(/\[[^]]*\]/, "") }
				$1 == "deb" && $3 == s { for (i = 4; i <= NF; i++) if ($i == "main") print $2 }' "$f" ;;
		*.sources) # stanzas of Types, URIs, Suites, Components, Enabled
			awk -v s="$1" '
				function has(l, w,   n, a, i) { n = split(l, a, /[ \t]+/)
					for (i = 1; i <= n; i++) if (a[i] == w) return 1
					return 0 }
				function stanza(   n, u) { if (has(f["types"], "deb") && has(f["suites"], s) &&
						has(f["components"], "main") && tolower(f["enabled"]) != "no") {
						n = split(f["uris"], u, /[ \t]+/); print u[1] == "" ? u[2] : u[1] }
					split("", f); k = "" }
				/^#/ { next }
				/^[ \t]*$/ { stanza(); next }
				/^[ \t]/ { if (k != "") f[k] = f[k] " " $0; next }
				{ k = tolower($0); sub(/:.*/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v); f[k] = v }
				END { stanza() }' "$f" ;;
		esac
	done | grep -v '^cdrom:' | head -n 1
}
mirror=${CMA_DEBIAN_MIRROR:-$(apt_mirror "$suite")}
[ -n "$mirror" ] ||
	die "no 'deb URI $suite main' entry in apt's sources (${CMA_APT_ETC:-/etc/apt}/sources.list, sources.list.d/*.list, *.sources): add one, or set CMA_DEBIAN_MIRROR to a Debian archive URL"

for tool in debootstrap mpicc cpio; do
	command -v $tool >/dev/null || die "$tool not found: run 'make deps'"
done
# pkg_version STATUS_FILE PACKAGE: the installed version (read directly:
# the programs must match the image's Open MPI, whatever dpkg tools exist)
pkg_version() {
	awk -v p="$2" '/^Package: / { hit = $2 == p; ok = 0 } hit && /^Status: .* installed$/ { ok = 1 }
		hit && ok && /^Version: / { print $2; exit }' "$1"
}
host_ompi=$(pkg_version /var/lib/dpkg/status libopenmpi-dev)
[ -n "$host_ompi" ] || die "libopenmpi-dev not installed: run 'make deps'"

key=$( {
	cat "$0" "$top/guest/init.c" "$top/guest/Makefile"
	for f in "$top"/guest/mpi/*; do echo "$f"; cat "$f"; done
	echo "$suite $pkgs libopenmpi-dev=$host_ompi"
} | sha256sum | cut -d' ' -f1)
if [ -f "$cpio" ] && [ "$(cat "$out/key" 2>/dev/null)" = "$key" ]; then
	echo "${cpio#"$top"/}: up to date"
	exit 0
fi

root=$out/root
rm -rf "$root" "$out/key" "$cpio"
mkdir -p "$out"
echo "debootstrap $suite minbase + $pkgs from $mirror"
debootstrap --variant=minbase --include="$pkgs" "$suite" "$root" "$mirror" >"$out/debootstrap.log" 2>&1 ||
	die "debootstrap failed, see ${out#"$top"/}/debootstrap.log"

# The programs link against the image's libmpi, so both must be one Open MPI.
guest_ompi=$(pkg_version "$root/var/lib/dpkg/status" libopenmpi3)
[ "${guest_ompi%%-*}" = "${host_ompi%%-*}" ] ||
	die "Open MPI differs: host libopenmpi-dev $host_ompi, image libopenmpi3 $guest_ompi"

# Our programs, our init, the suites.
mkdir -p "$root/mpi" "$root/suites"
for prog in pingpong collective; do
	mpicc -O2 -Wall -Wextra -Werror -o "$root/mpi/$prog" "$top/guest/mpi/$prog.c"
done
gcc -static -O2 -Wall -Wextra -Werror -o "$root/mpi/lo-up" "$top/guest/mpi/lo-up.c"
cp "$top/guest/mpi/run.sh" "$root/mpi/run.sh"
make -s -C "$top/guest" ABI=x86_64 OUT="$out/bin" \
	KSFT="$tree/tools/testing/selftests" "$out/bin/init"
cp "$out/bin/init" "$root/init"
echo "mpi 900 /bin/sh /mpi/run.sh cma" >"$root/suites/mpi"
echo "mpi-base 900 /bin/sh /mpi/run.sh fallback" >"$root/suites/mpi-base"
printf '127.0.0.1\tlocalhost\n' >"$root/etc/hosts"

# Trim what a test run never reads, and the compiler wrappers (no compiler).
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
	"$root"/usr/share/locale/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* \
	"$root"/var/cache/debconf/*-old "$root"/var/log/*
for w in mpicc mpiCC mpic++ mpicxx mpif77 mpif90 mpifort mpijavac mpijavac.pl \
	oshcc oshfort shmemcc shmemfort opalcc ortecc opal_wrapper; do
	rm -f "$root/usr/bin/$w" "$root/usr/bin/$w.openmpi"
done
for cc in cc gcc c++ g++ cpp as ld; do
	[ ! -e "$root/usr/bin/$cc" ] || die "the image holds a compiler tool: /usr/bin/$cc"
done

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$cpio.tmp"
mv "$cpio.tmp" "$cpio"
echo "$key" >"$out/key"
echo "${cpio#"$top"/}: $(du -h "$cpio" | cut -f1), Open MPI $guest_ompi"
