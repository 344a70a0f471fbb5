#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# trace-call.py: the gdb side and the report of scripts/trace-call.sh, which
# counts the instructions of one process_vm_readv or process_vm_writev call
# per kernel function, two x86-64 kernels side by side.  Three commands:
#
#   scripts/trace-call.py symbols --md5 MD5 --image IMAGE CONSOLE_LOG OUT
#       the symbol map of a kernel from the console of a boot that ran
#       `tracecall --symbols` (guest/tracecall.c: its /proc/kallsyms text
#       symbols, cma-ksym lines, then their count); OUT starts with
#       "# md5 MD5 IMAGE", the key trace-call.sh checks its cache by
#
#   scripts/trace-call.py trace --socket PATH --map MAP --op readv|writev \
#       [--skip 20] [--max-steps N] OUT
#       connect gdb to a QEMU halted at its start (-gdb unix:PATH,... -S),
#       stop at entry_SYSCALL_64 on every system call, let SKIP calls of
#       the op's number go, then single-step the next one from
#       entry_SYSCALL_64 until the PC is back in user space; write its PCs
#       (hex, one a line) to OUT and let the guest run on to its end
#
#   scripts/trace-call.py report --a LABEL MAP PCS --b LABEL MAP PCS \
#       [--title TEXT] [--out FILE]
#       instructions per function of the two traces (each PC counted to the
#       text symbol it falls in), sorted by |A-B|, then by A+B; totals
#       last; a markdown table, on stdout and in FILE; STEM.a.flow and
#       STEM.b.flow beside FILE (STEM.md) give each trace as its runs of
#       one function
#
# This file is also the script gdb runs (gdb -x): under gdb it does the
# stepping, with its arguments in the environment (TRACE_CALL_GDB, JSON).
# x86-64 only: the entry symbol, the registers and the syscall numbers are
# that ABI's.

import argparse
import bisect
import collections
import json
import os
import re
import signal
import subprocess
import sys
import time

assert sys.version_info >= (3, 7), "Python version is too old"

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

# x86-64's syscall numbers (guest/abi.h) and where every syscall enters
SYSCALLS = {'readv': 310, 'writev': 311}
ENTRY = 'entry_SYSCALL_64'
# The kernel half of x86-64's address space: a PC below is user space
KERNEL_BASE = 0xffff800000000000
# QEMU's gdb stub: single steps with interrupts and timers masked (its
# default; set anyway, so that no interrupt handler lands in a trace)
SSTEP_FLAGS = 0x7
GDB_ENV = 'TRACE_CALL_GDB'

class TraceError(Exception):
	pass

# ---- symbol maps

@dataclass
class SymbolMap:
	md5: str
	image: str
	addrs: List[int]	# sorted, one name per address
	names: List[str]

	def name_of(self, pc: int) -> str:
		i = bisect.bisect_right(self.addrs, pc) - 1
		return self.names[i] if i >= 0 else '(below the first symbol)'

	def address_of(self, name: str) -> int:
		for a, n in zip(self.addrs, self.names):
			if n == name:
				return a
		raise TraceError('no symbol %s in the map' % name)

KSYM_RE = re.compile(r'^cma-ksym ([0-9a-f]{8,16}) ([tTwW]) (\S+)$')
KSYMS_END_RE = re.compile(r'^cma-ksyms: ([0-9]+)$')

def parse_symbols(console: str) -> List[Tuple[int, str, str]]:
	"""The cma-ksym lines of a console log, checked against their count."""
	syms = []
	count = None
	with open(console, errors='replace') as f:
		for line in f:
			line = line.rstrip('\r\n')
			m = KSYM_RE.match(line)
			if m:
				syms.append((int(m.group(1), 16), m.group(2), m.group(3)))
				continue
			m = KSYMS_END_RE.match(line)
			if m:
				count = int(m.group(1))
	if count is None:
		raise TraceError('%s: no "cma-ksyms: N" line: the symbol listing did not finish' % console)
	if count != len(syms):
		raise TraceError('%s: %d symbols listed, %d read: lines garbled on the console '
				 '(kernel messages in between?); run again' % (console, count, len(syms)))
	return syms

def write_map(path: str, md5: str, image: str, syms: List[Tuple[int, str, str]]) -> None:
	with open(path, 'w') as f:
		f.write('# md5 %s %s\n' % (md5, image))
		for a, t, n in syms:
			f.write('%016x %s %s\n' % (a, t, n))

def load_map(path: str) -> SymbolMap:
	with open(path) as f:
		head = f.readline().split()
		if len(head) < 3 or head[:2] != ['#', 'md5']:
			raise TraceError('%s: not a symbol map of trace-call.py symbols' % path)
		byaddr: Dict[int, str] = {}
		for line in f:
			a, _, n = line.split()[:3]
			# aliases: the first listed (kallsyms' order) names the address
			byaddr.setdefault(int(a, 16), n)
	addrs = sorted(byaddr)
	return SymbolMap(head[2], ' '.join(head[3:]), addrs, [byaddr[a] for a in addrs])

# ---- the gdb side

def gdb_trace(req: dict) -> dict:
	"""Runs inside gdb: one traced call.  Returns what the driver reads."""
	import gdb	# pylint: disable=import-error,import-outside-toplevel

	def pc() -> int:
		return int(gdb.parse_and_eval('$pc')) & 0xffffffffffffffff

	res = {'hits': 0, 'calls': 0, 'steps': 0}
	gdb.execute('set pagination off')
	gdb.execute('set confirm off')
	gdb.execute('set architecture i386:x86-64')
	gdb.execute('target remote ' + req['socket'])
	gdb.execute('maintenance packet Qqemu.sstep=%#x' % SSTEP_FLAGS, to_string=True)
	entry, nr, skip = req['entry'], req['nr'], req['skip']
	gdb.execute('hbreak *%#x' % entry, to_string=True)
	try:
		while True:
			gdb.execute('continue', to_string=True)
			if pc() != entry:
				raise TraceError('stopped at %#x, not at %s' % (pc(), ENTRY))
			res['hits'] += 1
			if int(gdb.parse_and_eval('$rax')) & 0xffffffff == nr:
				res['calls'] += 1
				if res['calls'] > skip:
					break
	except gdb.error as e:
		raise TraceError('the guest went away after %d system calls, %d of them number %d '
				 '(the trace waits for call %d): %s' %
				 (res['hits'], res['calls'], nr, skip + 1, e))
	gdb.execute('delete')
	pcs = []
	t0 = time.time()
	p = entry
	while p >= KERNEL_BASE:
		if len(pcs) == req['max_steps']:
			gdb.execute('kill')
			raise TraceError('still in the kernel after %d instructions: raise --max-steps' %
					 len(pcs))
		pcs.append(p)
		gdb.execute('stepi', to_string=True)
		p = pc()
	res['steps'] = len(pcs)
	res['seconds'] = round(time.time() - t0, 1)
	res['user_pc'] = '%#x' % p
	with open(req['out'], 'w') as f:
		f.write(''.join('%x\n' % a for a in pcs))
	# the guest finishes its calls (the program checks them) and powers off
	gdb.execute('detach')
	return res

def gdb_main() -> None:
	req = json.loads(os.environ[GDB_ENV])
	try:
		res = gdb_trace(req)
	except Exception as e:	# pylint: disable=broad-except
		res = {'error': str(e)}
	with open(req['result'], 'w') as f:
		json.dump(res, f)

# ---- the commands

def symbols_handler(args: argparse.Namespace) -> None:
	syms = parse_symbols(args.console)
	if not any(n == ENTRY for _, _, n in syms):
		raise TraceError('%s: no %s among %d symbols: not an x86-64 kernel?' %
				 (args.console, ENTRY, len(syms)))
	write_map(args.out, args.md5, args.image, syms)
	print('%d text symbols of %s (md5 %s)' % (len(syms), args.image, args.md5))

def trace_handler(args: argparse.Namespace) -> None:
	smap = load_map(args.map)
	result = args.out + '.result'
	req = {'socket': args.socket, 'entry': smap.address_of(ENTRY), 'nr': SYSCALLS[args.op],
	       'skip': args.skip, 'max_steps': args.max_steps, 'out': args.out, 'result': result}
	for f in (args.out, result):
		if os.path.exists(f):
			os.unlink(f)
	# QEMU makes the socket as it starts
	deadline = time.time() + 60
	while not os.path.exists(args.socket):
		if time.time() > deadline:
			raise TraceError('%s: QEMU made no gdb socket in 60 s' % args.socket)
		time.sleep(0.2)
	env = dict(os.environ)
	env[GDB_ENV] = json.dumps(req)
	print('gdb: %s at %#x, syscall %d (%s), trace call %d, at most %d steps' %
	      (ENTRY, req['entry'], req['nr'], args.op, args.skip + 1, args.max_steps), flush=True)
	# gdb prints every stop, whatever to_string says: not wanted, errors
	# come back in the result.  Ended with us (trace-call.sh's cleanup
	# sends SIGTERM).
	gdb = subprocess.Popen(['gdb', '-q', '-nx', '-batch', '-x', os.path.abspath(__file__)],
			       env=env, stdout=subprocess.DEVNULL)
	signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
	try:
		gdb.wait()
	finally:
		if gdb.poll() is None:
			gdb.kill()
			gdb.wait()
	if not os.path.exists(result):
		raise TraceError('gdb wrote no result: see its messages above')
	with open(result) as f:
		res = json.load(f)
	os.unlink(result)
	if 'error' in res:
		raise TraceError(res['error'])
	print('traced call %d of %s (after %d system calls): %d instructions in %s s, back in user space at %s' %
	      (args.skip + 1, args.op, res['hits'], res['steps'], res['seconds'], res['user_pc']))

@dataclass
class Trace:
	label: str
	smap: SymbolMap
	pcs: List[int]

	def counts(self) -> Dict[str, int]:
		return collections.Counter(self.smap.name_of(p) for p in self.pcs)

	def flow(self) -> List[Tuple[str, int]]:
		"""The trace as runs of one function: (name, instructions)"""
		runs: List[Tuple[str, int]] = []
		for p in self.pcs:
			n = self.smap.name_of(p)
			if runs and runs[-1][0] == n:
				runs[-1] = (n, runs[-1][1] + 1)
			else:
				runs.append((n, 1))
		return runs

def load_trace(label: str, mapf: str, pcsf: str) -> Trace:
	with open(pcsf) as f:
		pcs = [int(l, 16) for l in f if l.strip()]
	if not pcs:
		raise TraceError('%s: no instructions' % pcsf)
	return Trace(label, load_map(mapf), pcs)

def table(a: Trace, b: Trace) -> List[str]:
	ca, cb = a.counts(), b.counts()
	names = sorted(set(ca) | set(cb),
		       key=lambda n: (-abs(ca.get(n, 0) - cb.get(n, 0)), -(ca.get(n, 0) + cb.get(n, 0)), n))
	rows = [(n, ca.get(n, 0), cb.get(n, 0)) for n in names]
	ta, tb = len(a.pcs), len(b.pcs)
	rows.append(('**total** (%d functions)' % len(names), ta, tb))
	w = max(len('function'), *(len(r[0]) for r in rows))
	wn = max(6, len(str(max(ta, tb))) + 1)
	lines = ['| %-*s | %*s | %*s | %*s |' % (w, 'function', wn, 'A', wn, 'B', wn, 'A-B'),
		 '|%s|%s:|%s:|%s:|' % ('-' * (w + 2), '-' * (wn + 1), '-' * (wn + 1), '-' * (wn + 1))]
	for n, x, y in rows:
		lines.append('| %-*s | %*d | %*d | %+*d |' % (w, n, wn, x, wn, y, wn, x - y))
	return lines

def report_handler(args: argparse.Namespace) -> None:
	a = load_trace(*args.a)
	b = load_trace(*args.b)
	out = []
	if args.title:
		out += [args.title, '']
	for side, t in (('A', a), ('B', b)):
		out.append('%s: %s (image md5 %s): %d instructions' %
			   (side, t.label, t.smap.md5, len(t.pcs)))
	out.append('A/B: %.3f' % (len(a.pcs) / len(b.pcs)))
	out.append('')
	out += table(a, b)
	text = '\n'.join(out) + '\n'
	sys.stdout.write(text)
	if args.out:
		with open(args.out, 'w') as f:
			f.write(text)
		for side, t in (('a', a), ('b', b)):
			with open('%s.%s.flow' % (os.path.splitext(args.out)[0], side), 'w') as f:
				f.write('# %s: its instructions as runs of one function\n' % t.label)
				f.writelines('%-50s %d\n' % r for r in t.flow())

def main(argv: Sequence[str]) -> int:
	parser = argparse.ArgumentParser(
		description='The gdb side and the report of scripts/trace-call.sh.')
	sub = parser.add_subparsers(dest='subcommand')

	p = sub.add_parser('symbols', help='a symbol map from the console of tracecall --symbols')
	p.add_argument('--md5', required=True, help="the image's md5: the cache key")
	p.add_argument('--image', required=True, help='the image the map is of (said in the map)')
	p.add_argument('console', help='console log')
	p.add_argument('out', help='the map to write')

	p = sub.add_parser('trace', help='gdb: single-step one call, write its PCs')
	p.add_argument('--socket', required=True, help="QEMU's gdb socket (-gdb unix:PATH,...)")
	p.add_argument('--map', required=True, help='the symbol map of the kernel booted')
	p.add_argument('--op', choices=sorted(SYSCALLS), default='readv')
	p.add_argument('--skip', type=int, default=20, help='calls to let go first (default %(default)s)')
	p.add_argument('--max-steps', type=int, default=2000000,
		       help='give up after this many instructions (default %(default)s)')
	p.add_argument('out', help='the PCs to write')

	p = sub.add_parser('report', help='instructions per function of two traces')
	p.add_argument('--a', nargs=3, required=True, metavar=('LABEL', 'MAP', 'PCS'))
	p.add_argument('--b', nargs=3, required=True, metavar=('LABEL', 'MAP', 'PCS'))
	p.add_argument('--title', help='a first line for the report')
	p.add_argument('--out', help='also write the report here')

	args = parser.parse_args(argv)
	handlers = {'symbols': symbols_handler, 'trace': trace_handler, 'report': report_handler}
	if args.subcommand not in handlers:
		parser.print_help()
		return 2
	try:
		handlers[args.subcommand](args)
	except (TraceError, OSError) as e:
		print('trace-call.py %s: %s' % (args.subcommand, e), file=sys.stderr)
		return 1
	return 0

if __name__ == '__main__':
	if GDB_ENV in os.environ and 'gdb' in sys.modules:
		gdb_main()
	else:
		sys.exit(main(sys.argv[1:]))
