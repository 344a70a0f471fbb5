# Shared settings and helpers for the harness scripts (sourced, not run).
# shellcheck shell=sh

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
tree=$build/linux
logs=$top/out/logs
tarball=${CMA_TARBALL:-/usr/src/linux-source-6.12.tar.xz}

# The project identity; fixed dates keep commit ids the same on every machine.
export GIT_AUTHOR_NAME="Cross Memory Attach developers"
export GIT_AUTHOR_EMAIL="cma-devel@lists.invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
export KBUILD_BUILD_TIMESTAMP="2026-01-01"
export KBUILD_BUILD_USER=cma
export KBUILD_BUILD_HOST=cma

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# step LABEL LOGNAME CMD...: run CMD with its output in out/logs/LOGNAME.log
# and print one progress line; STEP and STEPS number it when set.  Inside
# run_checks it is one of the frame's steps: numbered, and a failure counted
# in $failed and listed on descriptor 3.
step() {
	frame_count || return 0
	label=$1 log=$logs/$2.log
	shift 2
	mkdir -p "$logs"
	n=${STEP:+[$STEP/$STEPS] }
	printf '%s%s ... ' "$n" "$label"
	st_t0=$(date +%s)
	if "$@" >"$log" 2>&1; then
		echo "ok ($(($(date +%s) - st_t0)) s)"
		return 0
	fi
	echo "FAILED ($(($(date +%s) - st_t0)) s), log: ${log#"$top"/}"
	tail -n 15 "$log" | sed 's/^/    /'
	if [ "$frame_mode" = run ]; then
		echo "$label" >&3
		failed=$((failed + 1))
	fi
	return 1
}

# keyed_lines LOG SED_SCRIPT: the lines of console LOG that SED_SCRIPT
# (sed -n, with p) turns into "key<TAB>value", sorted for side_by_side.
# The console ends lines with CR LF.
keyed_lines() {
	tr -d '\r' <"$1" | sed -n "$2" | LC_ALL=C sort
}

# side_by_side SERIES REFERENCE: two keyed_lines files joined on the key,
# "key<TAB>series value<TAB>reference value" for every key of either, with
# MISSING where one of them lacks the key.
side_by_side() {
	LC_ALL=C join -t "$(printf '\t')" -a 1 -a 2 -e MISSING -o 0,1.2,2.2 "$1" "$2"
}

# Commit id of a kernel variant in $tree.
variant_ref() {
	case "$1" in
	base) echo base ;;
	series) echo HEAD ;;
	reference) echo upstream ;;
	*) die "unknown kernel variant '$1' (base, series or reference)" ;;
	esac
}

# in_list WORD [ITEM...]: WORD is one of the ITEMs
in_list() {
	il_word=$1
	shift
	for il_item; do
		[ "$il_item" = "$il_word" ] && return 0
	done
	return 1
}

# Booted by make check (doc/design.md section 5, in this order): every patch
# built (bisect-build.sh) and linted on kernel_arches; base, series and
# reference booted on guest_arches.  Every other arch with a record
# (extra_arches) is make check-arches' (scripts/check-arches.sh).
kernel_arches="x86_64 ppc64"
guest_arches="x86_64 ppc64 arm64"

# One record per arch, scripts/arches/ARCH.sh: every fact of an arch the
# harness needs (kernel, QEMU, user ABIs and their compilers, packages), so
# that a new arch is one new file.  arch_load reads one.
arches_dir=$top/scripts/arches
extra_arches=
# shellcheck disable=SC2086
for lib_record in "$arches_dir"/*.sh; do
	lib_arch=${lib_record##*/}
	lib_arch=${lib_arch%.sh}
	in_list "$lib_arch" $guest_arches || extra_arches="$extra_arches $lib_arch"
done
extra_arches=${extra_arches# }
all_arches="$guest_arches${extra_arches:+ $extra_arches}"

# arch_load ARCH: read ARCH's record into these variables, or die naming the
# known arches.  A record sets (empty where marked "or empty"):
#   arch_karch          the kernel's ARCH=
#   arch_cross          CROSS_COMPILE= (or empty: the host's gcc)
#   arch_kimage         the image QEMU boots, in the kernel's object tree
#   arch_tinyconfig     the kernel's own tinyconfig fragments for the arch
#   arch_debian         Debian's configuration for the arch in package
#                       linux-config-6.12 (configs/debian.config), or empty
#   arch_page_size      the guest kernel's page size (4K, 64K): documentation
#   arch_extra_targets  more make check-arches targets of the arch, each
#                       NAME=FRAGMENT (a config fragment on top), or empty
#   arch_qemu           the QEMU binary, arch_machine its -M
#   arch_cpu            its -cpu (or empty: QEMU's default; CMA_CPU overrides)
#   arch_console        the console device (console=)
#   arch_cmdline        more kernel command line, or empty
#   arch_abis           the user ABIs the guest runs, the native one first
#   arch_abi_names      the same as people write them (the cover letter)
#   cc_ABI              for each ABI, its C compiler (abi_load)
#   arch_packages       the Debian packages it needs (deps.sh)
# The arch's own config fragment is configs/ARCH.config (build-kernel.sh).
# shellcheck disable=SC1007,SC1090,SC2034
arch_load() {
	case "$1" in
	'' | */* | .*) al_file= ;;
	*) al_file=$arches_dir/$1.sh ;;
	esac
	[ -n "$al_file" ] && [ -f "$al_file" ] || die "unknown arch '$1' (one of: $all_arches)"
	arch_karch= arch_cross= arch_kimage= arch_tinyconfig= arch_debian= arch_page_size=
	arch_extra_targets= arch_qemu= arch_machine= arch_cpu= arch_console= arch_cmdline=
	arch_abis= arch_abi_names= arch_packages=
	. "$al_file"
	# A record missing a field would fail far from here, or quietly.
	for al_field in karch kimage tinyconfig page_size qemu machine console abis abi_names packages; do
		eval "al_value=\$arch_$al_field"
		[ -n "$al_value" ] || die "${al_file#"$top"/}: arch_$al_field is not set"
	done
	for al_abi in $arch_abis; do
		case "$al_abi" in
		*[!A-Za-z0-9_]*) die "${al_file#"$top"/}: ABI '$al_abi' is not a valid name" ;;
		esac
		eval "al_value=\${cc_$al_abi:-}"
		[ -n "$al_value" ] || die "${al_file#"$top"/}: no compiler cc_$al_abi for ABI $al_abi"
	done
}

# abi_load ABI: arch_load the arch whose guests run ABI; abi_arch is that
# arch, abi_cc ABI's C compiler.  Dies on an ABI no record lists.
# shellcheck disable=SC2034,SC2086
abi_load() {
	for ab_arch in $all_arches; do
		arch_load "$ab_arch"
		if in_list "$1" $arch_abis; then
			abi_arch=$ab_arch
			eval "abi_cc=\$cc_$1"
			return 0
		fi
	done
	die "unknown ABI '$1' (one of: $(all_abis))"
}

# all_abis: every ABI of every record, make check's arches first
all_abis() {
	aa_list=
	for aa_arch in $all_arches; do
		aa_list="$aa_list $(arch_load "$aa_arch" && echo "$arch_abis")"
	done
	echo $aa_list
}

# kernel_flavour ARCH [FRAGMENT...]: the name of a kernel configuration, as
# build-kernel.sh names its object tree and kernels: the arch, then each
# extra fragment's name (x86_64-debug-gcov).
kernel_flavour() {
	kf_name=$1
	shift
	for kf_frag; do
		kf_base=${kf_frag##*/}
		kf_name=$kf_name-${kf_base%.config}
	done
	echo "$kf_name"
}

# kernel_dir FLAVOUR VARIANT: where build-kernel.sh puts a kernel (image,
# config, commit, key); kernel_image FLAVOUR VARIANT: the image QEMU boots.
# VARIANT is base, series, reference or a commit of build/linux.
kernel_dir() {
	echo "$build/kernels/$1-$2"
}
kernel_image() {
	echo "$(kernel_dir "$1" "$2")/image"
}

# gen_init_cpio: the path of the kernel's usr/gen_init_cpio (an initramfs
# from a list of files), built into build/tools from build/linux's source
# when missing or older than it.
gen_init_cpio() {
	gc_tool=$build/tools/gen_init_cpio
	[ -f "$tree/usr/gen_init_cpio.c" ] || die "no $tree/usr/gen_init_cpio.c: run 'make tree' first"
	if [ ! -x "$gc_tool" ] || [ "$tree/usr/gen_init_cpio.c" -nt "$gc_tool" ]; then
		mkdir -p "$build/tools"
		gcc -O2 -o "$gc_tool" "$tree/usr/gen_init_cpio.c" || die "cannot build $gc_tool"
	fi
	echo "$gc_tool"
}

# src_lock: hold build/src for the rest of this process, so that two harness
# commands (a check and a bench, say) never build in it at once.
src_lock() {
	mkdir -p "$build"
	exec 9>"$build/.src.lock"
	flock 9
}

# src_checkout COMMIT: move build/src, the harness's one build checkout (a
# worktree of build/linux), to COMMIT.  Only the files that differ get new
# times, so the object trees rebuild just what changed.
src_checkout() {
	src=$build/src
	if [ ! -d "$src" ]; then
		git -C "$tree" worktree prune
		git -C "$tree" worktree add -q --detach "$src" "$1"
	fi
	[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
		die "build/src has local changes; it is the harness's build checkout, edit build/linux instead"
	git -C "$src" checkout -q --detach "$1"
}

# The frame of every check script (check.sh, check-debug.sh,
# check-arches.sh, stress.sh, check-mpi.sh): run_checks TITLE FAILURES BODY
# [ARG...] runs the function BODY with the ARGs twice.  First a plan, in a
# subshell with all output thrown away, where each step (check, guest_step,
# step) only counts itself: that gives STEPS.  Then for real: a title line,
# each step numbered [STEP/STEPS], every failure listed in out/logs/FAILURES,
# "total N s; ..." and last "N passed, N failed" (CI and README read it).
# Exit status non-zero on any failure.  So, between its steps a BODY only
# prints and reads (the plan runs that too), and may branch on a step's
# result (every step passes in the plan); arguments are checked before.
frame_mode=
run_checks() {
	rc_title=$1 rc_failures=$logs/$2 rc_body=$3
	shift 3
	STEPS=$(frame_mode=plan STEP=0
		"$rc_body" "$@" >/dev/null 2>&1 3>/dev/null
		echo "$STEP")
	[ -n "$STEPS" ] || die "$rc_body stopped while its steps were counted"
	mkdir -p "$logs"
	exec 3>"$rc_failures"
	passed=0 failed=0 STEP=0 frame_mode=run
	rc_t0=$(date +%s)
	echo "Cross Memory Attach: $rc_title on $(uname -m), $(nproc) CPUs"
	"$rc_body" "$@"
	exec 3>&-
	echo "total $(($(date +%s) - rc_t0)) s; failures listed in ${rc_failures#"$top"/}"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# stop_checks: end a run_checks body at once, after a failure the rest
# cannot go on from; the last line is still "N passed, N failed".
stop_checks() {
	echo "$passed passed, $failed failed"
	exit 1
}

# frame_count: a step begins.  Inside run_checks it is numbered (STEP); in
# the plan it is only counted, and frame_count fails so that the step does
# nothing.  Outside run_checks the caller numbers its steps, if at all.
frame_count() {
	case "$frame_mode" in
	plan) STEP=$((STEP + 1)); return 1 ;;
	run) STEP=$((STEP + 1)) ;;
	esac
	return 0
}

# check LABEL LOG CMD...: a step (see step) that is a test, counted in
# $passed when it passes.
check() {
	step "$@" || return 1
	[ "$frame_mode" = plan ] || passed=$((passed + 1))
}

# guest_step LABEL ARCH NAME IMAGE CPIO SUITES TIMEOUT_S: boot IMAGE with
# CPIO running SUITES, judge the console (out/logs/run-NAME.log) with
# check-log.sh, print one progress line and add what the run's tests said
# to $passed and $failed; failures also go to descriptor 3.  A step of
# run_checks' frame (numbered); elsewhere the caller sets STEP.  Its own
# variables are gs_*: callers keep their $name, $arch and the like.
guest_step() {
	frame_count || return 0
	gs_label=$1 gs_arch=$2 gs_name=$3 gs_image=$4 gs_cpio=$5 gs_suites=$6 gs_limit=$7
	printf '%s%s ... ' "${STEP:+[$STEP/$STEPS] }" "$gs_label"
	if [ ! -f "$gs_image" ] || [ ! -f "$gs_cpio" ]; then
		echo "FAILED (no kernel or initramfs)"
		echo "$gs_label: not run" >&3
		failed=$((failed + 1))
		return
	fi
	gs_res=$top/out/results/$gs_name
	mkdir -p "$top/out/results"
	gs_t0=$(date +%s)
	"$top/scripts/run-guest.sh" "$gs_arch" "$gs_image" "$gs_cpio" "$gs_suites" "$logs/run-$gs_name.log" "$gs_limit"
	gs_rc=$?
	"$top/scripts/check-log.sh" "$logs/run-$gs_name.log" >"$gs_res" 2>&1
	[ $gs_rc -eq 0 ] || echo "qemu exit status $gs_rc (124: timeout)" >>"$gs_res"
	set -- $(tail -n 1 "$gs_res")
	gs_p=${2:-0} gs_f=${4:-1} gs_s=${6:-0}
	[ $gs_rc -eq 0 ] || gs_f=$((gs_f + 1))
	[ "$gs_p" -gt 0 ] || gs_f=$((gs_f + 1))	# a run that passed nothing proved nothing
	passed=$((passed + gs_p))
	failed=$((failed + gs_f))
	if [ "$gs_f" -eq 0 ]; then
		echo "ok ($(($(date +%s) - gs_t0)) s, $gs_p passed, $gs_s skipped)"
	else
		echo "FAILED ($(($(date +%s) - gs_t0)) s, $gs_p passed, $gs_f failed), log: out/logs/run-$gs_name.log"
		sed '$d' "$gs_res" | head -n 20 | sed 's/^/    /'
		sed '$d' "$gs_res" | sed "s/^/$gs_name: /" >&3
	fi
}

# compare_logs_setup SERIES_LOG REFERENCE_LOG: what every *-compare.sh
# checks of its two console logs first; $work is a temporary directory,
# removed on exit.
compare_logs_setup() {
	[ $# -eq 2 ] || die "usage: $0 SERIES_LOG REFERENCE_LOG"
	for f in "$1" "$2"; do
		[ -f "$f" ] || die "$f: no such log"
	done
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
}
