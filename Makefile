# Cross Memory Attach: process_vm_readv/process_vm_writev as a patch series
# on Debian's linux-source-6.12.  See README.md; `make help` lists the
# targets and the variables that tune them (the "##" lines below).

# ARCH=ppc64 on our command line names our arch, not the kernel's (powerpc):
# keep command-line variables out of the MAKEFLAGS the kernel's make inherits.
MAKEOVERRIDES =

## Targets:
##   make, make demo     build the series into an x86-64 kernel, boot it, show one process reading another (~10 min)
all: demo

demo:
	@$(tarball) scripts/demo.sh

##   make check          every test CI runs; the last line is "N passed, N failed" (~50 min on 2 cores)
check:
	@scripts/deps.sh >/dev/null || scripts/deps.sh
	@$(tarball) $(mirror) scripts/check.sh

# Not part of check (CI budget): the other tables booted, series against
# reference.
##   make check-arches   the arches make check does not boot (riscv64, ppc64le, s390x, arm64 with 64 KiB pages); TARGETS
check-arches:
	@scripts/deps.sh arches >/dev/null || scripts/deps.sh arches
	@scripts/check-arches.sh $(TARGETS)

# Not part of check (too slow for CI).
##   make check-debug    debug kernels (KASAN, lockdep, kmemleak, fault injection), 100000 fuzzed calls per arch; ARCH, FUZZ_CALLS
check-debug:
	@scripts/deps.sh >/dev/null || scripts/deps.sh
	@$(tarball) $(call opt,CMA_FUZZ_CALLS,$(FUZZ_CALLS)) $(call opt,KBUILD_EXTRA,$(KBUILD_EXTRA)) \
		scripts/check-debug.sh $(ARCH)

##   make check-mpi      Open MPI moving its messages through our syscalls in a Debian guest; VARIANTS, MIRROR
check-mpi:
	@$(mirror) scripts/check-mpi.sh $(VARIANTS)

##   make stress         the stress suite (guest/stress.c, pincheck) on series and reference, ~2 min per kernel; ARCH, SUITE, VARIANTS
stress:
	@$(call opt,CMA_STRESS_SUITE,$(SUITE)) $(call opt,CMA_STRESS_VARIANTS,$(VARIANTS)) \
		scripts/stress.sh $(ARCH)

##   make bench          the benchmark, ~40 min of QEMU after two Debian-config kernels; writes out/bench/ (report.md first); BENCH_CONFIG, CLOCKS, ICOUNT_RUNS, SIZES, MANY_SIZES, OURS, NOBUILD
bench:
	@$(tarball) $(call opt,CMA_BENCH_CLOCKS,$(CLOCKS)) $(call opt,CMA_BENCH_ICOUNT_RUNS,$(ICOUNT_RUNS)) \
		$(call opt,CMA_BENCH_SIZES,$(SIZES)) $(call opt,CMA_BENCH_MANY,$(MANY_SIZES)) \
		$(call opt,CMA_BENCH_SERIES,$(OURS)) $(call opt,CMA_BENCH_NOBUILD,$(NOBUILD)) \
		$(call opt,CMA_BENCH_CONFIG,$(BENCH_CONFIG)) scripts/bench.sh

# Not part of check: a tool for finding where a change of instructions
# comes from (doc/bench/README.md, "Where one call's instructions go").
##   make trace-call     one warm process_vm call of two x86-64 kernels single-stepped under gdb: instructions per function, A against B, in out/trace/ (~2 min); A, B, WRITE, SIZE
trace-call:
	@scripts/trace-call.sh $(if $(filter-out 0,$(WRITE)),--write) $(if $(SIZE),--size $(SIZE)) \
		$(or $(A),x86_64-debian-series) $(or $(B),x86_64-debian-reference)

##   make series         the mailable series with its cover letter, in out/series/
series:
	@$(tarball) scripts/series.sh

##   make deps           install the Debian packages the harness needs (as root; else says what to install)
deps:
	@scripts/deps.sh

##   make tree           build/linux: tags upstream and base, then one commit per patch of patches/; TARBALL
tree:
	@$(tarball) scripts/tree.sh

##   make export         build/linux's commits back to patches/ and patches/series
export:
	@scripts/export.sh

##   make kernel         one kernel by hand: ARCH (default x86_64), VARIANT (default series), FRAGMENTS, KBUILD_EXTRA
kernel:
	@$(call opt,KBUILD_EXTRA,$(KBUILD_EXTRA)) \
		scripts/build-kernel.sh $(or $(ARCH),x86_64) $(or $(VARIANT),series) $(FRAGMENTS)

##   make clean          remove build/ and out/ (refuses while build/linux holds work not in patches/)
clean:
	@if [ -d build/linux/.git ] && [ -n "$$(git -C build/linux status --porcelain --untracked-files=no)" ]; then \
		echo "make clean: build/linux has uncommitted changes; commit and 'make export' first"; exit 1; fi
	@if [ -f build/linux/.git/cma-applied ] && \
	    [ "$$(git -C build/linux rev-parse HEAD)" != "$$(cut -d' ' -f1 build/linux/.git/cma-applied)" ]; then \
		echo "make clean: build/linux has commits not in patches/; run 'make export' first"; exit 1; fi
	rm -rf build out

##   make help           this list
help:
	@sed -n 's/^## \{0,1\}//p' $(firstword $(MAKEFILE_LIST))
	@echo "Arches (one record each in scripts/arches/): $$(scripts/arch-info.sh arches)"

## Variables (make TARGET NAME=VALUE; the scripts read the name in brackets):
##   ARCH=ppc64          kernel: the arch (default x86_64); check-debug, stress: one or more ("x86_64 ppc64"), default all of theirs
##   VARIANT=reference   kernel: base, series, reference or a commit of build/linux
##   FRAGMENTS=configs/debug.config  kernel: more config fragments, each a flavour (build/kernels/ARCH-debug-VARIANT)
##   KBUILD_EXTRA=V=1    kernel, check-debug: more arguments for the kernel's make [KBUILD_EXTRA]
##   TARGETS="s390x riscv64"  check-arches: some targets only (default all; arm64-64k is arm64 with 64 KiB pages)
##   FUZZ_CALLS=100000   check-debug: differential fuzzing calls per arch [CMA_FUZZ_CALLS]
##   SUITE=stress-long   stress: stress (30 s per ABI, the default) or stress-long (300 s per ABI) [CMA_STRESS_SUITE]
##   VARIANTS="debug-series"  stress: the kernels, any build/kernels/ARCH-NAME [CMA_STRESS_VARIANTS]; check-mpi: base, series, reference or commits
##   BENCH_CONFIG=tiny   bench: the tinyconfig kernels of make check instead of Debian's configuration (the default) [CMA_BENCH_CONFIG]
##   CLOCKS="icount wall"     bench: a subset of native icount icount-erms wall [CMA_BENCH_CLOCKS]
##   ICOUNT_RUNS=1       bench: passes of the headline model, 1 to 9 (default 2; 1 skips the determinism check) [CMA_BENCH_ICOUNT_RUNS]
##   SIZES=8,4K,1M       bench: transfer sizes, a shorter run [CMA_BENCH_SIZES]
##   MANY_SIZES=64K      bench: sizes of the many-readers runs [CMA_BENCH_MANY]
##   OURS=REV            bench: "ours" is build/linux's REV (branch or commit) instead of the series [CMA_BENCH_SERIES]
##   NOBUILD=1           bench: boot the images in build/kernels as they are [CMA_BENCH_NOBUILD]
##   A=x86_64-series B=PATH  trace-call: the two kernels, each a build/kernels name or an image path (default A=x86_64-debian-series B=x86_64-debian-reference)
##   WRITE=1             trace-call: trace process_vm_writev (default readv)
##   SIZE=4K             trace-call: the bytes the call moves (default 8; at most 16M, about 1000 instructions traced a second)
##   TARBALL=FILE        demo, check, check-debug, bench, series, tree: Debian's linux-source-6.12 tarball, elsewhere [CMA_TARBALL]
##   MIRROR=URL          check, check-mpi: the Debian archive of the MPI image (default: apt's own for bookworm) [CMA_DEBIAN_MIRROR]
##
## Environment the scripts also read, for experiments and tests (scripts/*.sh, run by hand):
##   CMA_CPU, CMA_SMP    run-guest.sh: QEMU's CPU model (default the arch record's) and vCPUs (default 2)
##   CMA_APPEND, CMA_QEMU_EXTRA  run-guest.sh: more kernel command line; more QEMU arguments
##   CMA_STAGE=DIR       mkinitramfs.sh: stage the guest programs there (default build/)
##   CMA_SELFTESTS=DIR   build-selftests.sh: build a work-in-progress copy of the process_vm selftests
##   CMA_APT_ETC=DIR     mpi-rootfs.sh: another apt configuration to find the mirror in (selftest-harness.sh)
##   FUZZ_TIMEOUT        fuzz.sh: seconds per boot
##   FUZZ_SERIES_IMAGE, FUZZ_REFERENCE_IMAGE, FUZZ_CPIO  fuzz.sh, fuzz-compare.sh: boot these instead
##   FUZZ_NO_REPLAY=1    fuzz-compare.sh: compare the digests only, replay nothing

# opt NAME,VALUE: NAME='VALUE' for a script's environment, when VALUE is set
# (an unset option leaves the script its default, or what the environment
# already says).
opt = $(if $(2),$(1)='$(2)')
tarball = $(call opt,CMA_TARBALL,$(TARBALL))
mirror = $(call opt,CMA_DEBIAN_MIRROR,$(MIRROR))

# The options reach each script as written in its recipe, and nowhere else:
# not the kernel's make (which reads ARCH), nor upstream's selftest Makefiles.
unexport ARCH VARIANT FRAGMENTS KBUILD_EXTRA TARGETS FUZZ_CALLS SUITE VARIANTS BENCH_CONFIG CLOCKS \
	ICOUNT_RUNS SIZES MANY_SIZES OURS NOBUILD TARBALL MIRROR A B WRITE SIZE

.PHONY: all demo check check-arches check-debug check-mpi stress bench trace-call series deps tree export kernel clean help
