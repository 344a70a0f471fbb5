#!/bin/sh
# arch-info.sh QUERY [NAME]: the arch records (scripts/arches/*.sh) for make
# and for people.
#   arches       every arch with a record, make check's first
#   abis [ARCH]  the user ABIs of ARCH, the native one first; of every arch
#                without ARCH
#   cc ABI       the C compiler of a guest ABI (guest/Makefile's CC)
#   show ARCH    every field of ARCH's record
set -eu
. "$(dirname "$0")/lib.sh"

usage="usage: $0 arches | abis [ARCH] | cc ABI | show ARCH"
case "${1:-} $#" in
"arches 1") echo "$all_arches" ;;
"abis 1") all_abis ;;
"abis 2") arch_load "$2"; echo "$arch_abis" ;;
"cc 2") abi_load "$2"; echo "$abi_cc" ;;
"show 2")
	arch_load "$2"
	set | grep '^arch_'
	for abi in $arch_abis; do
		set | grep "^cc_$abi="
	done ;;
*) die "$usage" ;;
esac
