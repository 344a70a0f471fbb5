# Cross Memory Attach: process_vm_readv/process_vm_writev as a patch series
# on Debian's linux-source-6.12.  See README.md.

# ARCH=ppc64 on our command line names our arch, not the kernel's (powerpc):
# keep command-line variables out of the MAKEFLAGS the kernel's make inherits.
MAKEOVERRIDES =

all: demo

demo:
	@scripts/demo.sh

check:
	@scripts/deps.sh >/dev/null || scripts/deps.sh
	@scripts/check.sh

# Not part of check (CI budget): the other tables booted, series against
# reference: riscv64, ppc64le, s390x and arm64 with 64 KiB pages.
# TARGETS="riscv64 s390x" for some of them.
check-arches:
	@scripts/deps.sh arches >/dev/null || scripts/deps.sh arches
	@scripts/check-arches.sh $(TARGETS)

# Not part of check (too slow for CI): debug kernels (KASAN, lockdep,
# kmemleak, fault injection) and 100000 fuzzed calls per arch.  ARCH=x86_64
# or ARCH=ppc64 for one arch.
check-debug:
	@scripts/deps.sh >/dev/null || scripts/deps.sh
	@scripts/check-debug.sh $(ARCH)

# Open MPI moving its messages through our syscalls in a Debian guest
check-mpi:
	@scripts/check-mpi.sh

# The stress suite (guest/stress.c, pincheck) on series and reference
# kernels: ~2 min per kernel.  ARCH=x86_64, SUITE=stress-long (5 min per ABI),
# VARIANTS="debug-series" for other kernels.
stress:
	@CMA_STRESS_SUITE=$(or $(SUITE),stress) $(if $(VARIANTS),CMA_STRESS_VARIANTS="$(VARIANTS)") \
		scripts/stress.sh $(ARCH)

# Not part of check: ~20 minutes of QEMU; writes out/bench/ (report.md first)
bench:
	@scripts/bench.sh

# The mailable series with its cover letter, in out/series/
series:
	@scripts/series.sh

deps:
	@scripts/deps.sh

tree:
	@scripts/tree.sh

export:
	@scripts/export.sh

# One kernel by hand: make kernel ARCH=ppc64 VARIANT=reference
kernel:
	@scripts/build-kernel.sh $(or $(ARCH),x86_64) $(or $(VARIANT),series)

clean:
	@if [ -d build/linux/.git ] && [ -n "$$(git -C build/linux status --porcelain --untracked-files=no)" ]; then \
		echo "make clean: build/linux has uncommitted changes; commit and 'make export' first"; exit 1; fi
	@if [ -f build/linux/.git/cma-applied ] && \
	    [ "$$(git -C build/linux rev-parse HEAD)" != "$$(cut -d' ' -f1 build/linux/.git/cma-applied)" ]; then \
		echo "make clean: build/linux has commits not in patches/; run 'make export' first"; exit 1; fi
	rm -rf build out

.PHONY: all demo check check-arches check-debug check-mpi stress bench series deps tree export kernel clean
