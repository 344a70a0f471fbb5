#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# bench-report.py: the report of `make bench` (doc/design.md section 6) from the
# console logs of its runs: results.csv, report.md (ratios first), the split
# of every figure into a null system call, the copy and CMA's own overhead,
# and the plots.  scripts/bench.sh runs it; by hand:
#
#   scripts/bench-report.py --logs out/logs --out out/bench [--header FILE]
#
# Logs are out/logs/bench-CLOCK-KERNEL-RUN.log, CLOCK one of the cost models
# below, KERNEL series ("ours"), reference or host.

import argparse
import csv
import math
import os
import re
import subprocess
import sys

assert sys.version_info >= (3, 7), "Python version is too old"

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

KIB = 1024
MIB = 1024 * KIB

@dataclass(frozen=True)
class Clock:
	name: str
	title: str	# what the figures are, for headings
	unit: str	# "instructions" or "ns"
	stat: str	# "median" or "min": which of a figure's samples is used
	kernels: Tuple[str, ...]

# The cost models, headline first.  Their names are the CLOCK of the logs.
CLOCKS = (
	Clock('icount', 'QEMU -icount, -cpu max,-erms,-fsrm (kernel copies with rep movsq)',
	      'instructions', 'median', ('series', 'reference')),
	Clock('icount-erms', 'QEMU -icount, -cpu max (kernel copies with rep movsb)',
	      'instructions', 'median', ('series', 'reference')),
	Clock('wall', 'plain TCG wall clock, -cpu max,-erms,-fsrm',
	      'ns', 'median', ('series', 'reference')),
	Clock('native', "this host's own kernel, natively (upstream CMA)",
	      'ns', 'min', ('host',)),
)
CLOCK = {c.name: c for c in CLOCKS}
HEADLINE = 'icount'
KERNEL_NAME = {'series': 'ours', 'reference': 'reference', 'host': 'host kernel'}

LOG_RE = re.compile(r'^bench-(%s)-(series|reference|host)-([0-9]+)\.log$' %
		    '|'.join(re.escape(c.name) for c in CLOCKS))

@dataclass(frozen=True)
class Key:
	op: str
	shape: str
	mem: str
	readers: int
	size: int

@dataclass
class Figure:
	kernel: str
	clock: str
	run: int
	key: Key
	reps: int
	inner: int
	min: float
	median: float
	max: float

@dataclass
class Run:
	"""One guest (or native) run: its figures and its info lines."""
	kernel: str
	clock: str
	run: int
	path: str
	figures: List[Figure] = field(default_factory=list)
	info: Dict[str, str] = field(default_factory=dict)
	notes: List[str] = field(default_factory=list)
	bench_lines: List[str] = field(default_factory=list)
	# gup_test's benchmark (suite gup-bench): program -> [(get us, put us)]
	gup: Dict[str, List[Tuple[int, int]]] = field(default_factory=dict)

# ---- reading the logs

BEGIN_RE = re.compile(r'^cma-run: begin (\S+)')
GUP_RE = re.compile(r"^# [A-Z_]+_BENCHMARK: Time: get:([0-9]+) put:([0-9]+) us\b")

def parse_log(path: str, kernel: str, clock: str, run: int) -> Run:
	r = Run(kernel, clock, run, path)
	prog = ''
	with open(path, errors='replace') as f:
		for line in f:
			line = line.replace('\r', '').rstrip('\n')
			m = BEGIN_RE.match(line)
			if m:
				prog = m.group(1)
				continue
			m = GUP_RE.match(line)
			if m and prog.startswith('gup-bench-'):
				r.gup.setdefault(prog[len('gup-bench-'):], []).append(
					(int(m.group(1)), int(m.group(2))))
				continue
			if line.startswith('info,'):
				k, _, v = line[5:].partition(',')
				r.info.setdefault(k, v)
			elif line.startswith('note,'):
				r.notes.append(line[5:])
			elif line.startswith('bench,'):
				f_ = line.split(',')
				if len(f_) != 11:
					continue
				r.bench_lines.append(line)
				r.figures.append(Figure(kernel, clock, run,
					Key(f_[1], f_[2], f_[3], int(f_[4]), int(f_[5])),
					int(f_[6]), int(f_[7]), float(f_[8]), float(f_[9]),
					float(f_[10])))
	return r

def read_runs(logs: str) -> List[Run]:
	runs = []
	for name in sorted(os.listdir(logs)):
		m = LOG_RE.match(name)
		if m:
			runs.append(parse_log(os.path.join(logs, name), m.group(2),
					      m.group(1), int(m.group(3))))
	return runs

def write_csv(runs: Sequence[Run], path: str) -> None:
	with open(path, 'w', newline='') as f:
		w = csv.writer(f, lineterminator='\n')
		w.writerow(['kernel', 'clock', 'run', 'op', 'shape', 'mem', 'readers',
			    'size', 'reps', 'inner', 'min_ns', 'median_ns', 'max_ns'])
		for r in runs:
			for g in r.figures:
				k = g.key
				w.writerow([g.kernel, g.clock, g.run, k.op, k.shape, k.mem,
					    k.readers, k.size, g.reps, g.inner, g.min,
					    g.median, g.max])

def identical(runs: Sequence[Run]) -> str:
	"""Whether every kernel's icount runs of one model printed the same."""
	n, same = 0, True
	first = {(r.kernel, r.clock): r for r in runs if r.run == 1}
	for r in runs:
		if r.run == 1 or not r.clock.startswith('icount'):
			continue
		n += 1
		a = first.get((r.kernel, r.clock))
		if a is None or not a.bench_lines or a.bench_lines != r.bench_lines:
			same = False
	if n == 0:
		return 'not checked (one icount run)'
	return 'yes (%d repeated run%s)' % (n, 's' if n > 1 else '') if same else 'NO'

# ---- the figures of one run 1 per kernel and clock

class Table:
	"""One figure per (kernel, clock, Key): the median of run 1 (the other
	runs of a deterministic model are there to show they are the same), or
	where a clock takes the fastest sample, the fastest of every run."""

	def __init__(self, runs: Sequence[Run]) -> None:
		self.runs = list(runs)
		self.v: Dict[Tuple[str, str, Key], float] = {}
		self.info: Dict[Tuple[str, str], Dict[str, str]] = {}
		for r in runs:
			stat = CLOCK[r.clock].stat
			if r.run != 1 and stat != 'min':
				continue
			self.info.setdefault((r.kernel, r.clock), r.info)
			for g in r.figures:
				k = (r.kernel, r.clock, g.key)
				v = getattr(g, stat)
				self.v[k] = min(v, self.v.get(k, v))

	def get(self, kernel: str, clock: str, key: Key) -> Optional[float]:
		return self.v.get((kernel, clock, key))

	def has(self, kernel: str, clock: str) -> bool:
		return (kernel, clock) in self.info

	def keys(self, clock: str) -> List[Key]:
		seen = {}
		for (_, c, k) in self.v:
			if c == clock:
				seen[k] = 1
		return list(seen)

	def sizes_of(self, clock: str, pred=lambda k: True) -> List[int]:
		return sorted({k.size for k in self.keys(clock) if pred(k)})

	def page(self, kernel: str, clock: str, mem: str) -> int:
		info = self.info.get((kernel, clock), {})
		if mem == 'thp':
			return int(info.get('thp', 2 * MIB))
		if mem == 'hugetlb':
			return int(info.get('hugetlb', '%d' % (2 * MIB)).split(',')[0])
		return int(info.get('page', 4096))

# ---- the split: cost = null syscall + copy + CMA's own overhead

NULL = Key('null', 'getppid', '-', 0, 0)
EMPTY = Key('empty', 'loop', '-', 0, 0)

def prof_layout() -> List[Tuple[int, int]]:
	"""(offset, length) of the profiler pattern's pieces, as bench.c makes them."""
	r, out = 1, []
	for i in range(64):
		r = (r * 1103515245 + 12345) & 0xffffffff
		ln = 8 + (r >> 8) % 249
		r = (r * 1103515245 + 12345) & 0xffffffff
		off = (r >> 8) % (4 * KIB - 256)
		out.append(((i * 97 + 13) % (MIB // (4 * KIB)) * 4 * KIB + off, ln))
	return out

def remote_pieces(shape: str, size: int) -> List[Tuple[int, int]]:
	if shape == '1x64':
		p = size // 64
		return [(i * 2 * p, p) for i in range(64)]
	if shape.startswith('prof64'):
		return prof_layout()
	return [(0, size)]

def pages(shape: str, size: int, page: int) -> int:
	"""Pages of @page bytes the remote side of a transfer touches."""
	touched = set()
	for off, ln in remote_pieces(shape, size):
		if ln:
			touched.update(range(off // page, (off + ln - 1) // page + 1))
	return max(len(touched), 1)

def copy_key(key: Key) -> Key:
	if key.shape.startswith('prof64'):
		return Key('kcopy', 'prof64', '4k', 0, key.size)
	return Key('kcopy', '1x1', '4k', 0, key.size)

@dataclass
class Split:
	cost: float
	null: float
	copy: float
	calls: int	# system calls per figure

	@property
	def over(self) -> float:
		"""CMA's own: what is neither entering the kernel nor the copy"""
		return self.cost - self.calls * self.null - self.copy

def split(t: Table, kernel: str, clock: str, key: Key) -> Optional[Split]:
	"""Every figure includes the timing loop once per transfer (empty):
	it is taken out of the call, the null syscall and the copy alike."""
	cost = t.get(kernel, clock, key)
	null = t.get(kernel, clock, NULL)
	copy = t.get(kernel, clock, copy_key(key))
	loop = t.get(kernel, clock, EMPTY) or 0.0
	if cost is None or null is None or copy is None:
		return None
	return Split(cost - loop, null - loop, max(copy - loop, 0.0),
		     64 if key.shape == 'prof64-calls' else 1)

@dataclass
class Fit:
	a: float	# per call
	b: float	# per page
	err: float	# largest relative residual
	n: int

# The per-page fit uses the sizes of whole pages: 4 KiB to 1 MiB for 4 KiB
# pages (beyond 1 MiB a host's caches stop holding the struct pages and
# page tables a call walks and its cost per page grows; the model has no
# caches and is linear), 4 MiB to 64 MiB for 2 MiB pages.
FIT_MAX_4K = MIB

def fit(t: Table, kernel: str, clock: str, op: str, shape: str, mem: str) -> Optional[Fit]:
	"""overhead = a + b * pages, least squares over the sizes of whole pages"""
	pg = t.page(kernel, clock, mem)
	pts = []
	for size in t.sizes_of(clock):
		if size < pg or (mem == '4k' and size > FIT_MAX_4K):
			continue
		s = split(t, kernel, clock, Key(op, shape, mem, 0, size))
		if s:
			pts.append((pages(shape, size, pg), s.over))
	n = len(pts)
	if n < 2 or len({p for p, _ in pts}) < 2:
		return None
	mx = sum(x for x, _ in pts) / n
	my = sum(y for _, y in pts) / n
	b = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
	a = my - b * mx
	err = max(abs(a + b * x - y) / abs(y) if y else 0 for x, y in pts)
	return Fit(a, b, err, n)

# ---- formatting

def label(size: int) -> str:
	if size >= MIB:
		return '%g MiB' % (size / MIB)
	if size >= KIB:
		return '%g KiB' % (size / KIB)
	return '%d B' % size

def num(x: Optional[float]) -> str:
	if x is None:
		return '-'
	if abs(x) >= 100:
		return '%.0f' % x
	if abs(x) >= 10:
		return '%.1f' % x
	return '%.2f' % x

def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
	if a is None or b is None or b == 0:
		return None
	return a / b

def rcell(x: Optional[float], bold: bool = True) -> str:
	if x is None:
		return '-'
	s = '%.3f' % x
	return '**%s**' % s if bold and float(s) > 1 else s

def md_table(head: Sequence[str], rows: Iterable[Sequence[str]],
	     align: Optional[str] = None) -> List[str]:
	align = align or 'l' + 'r' * (len(head) - 1)
	out = ['| ' + ' | '.join(head) + ' |',
	       '|' + '|'.join('---' if a == 'l' else '---:' for a in align) + '|']
	out += ['| ' + ' | '.join(r) + ' |' for r in rows]
	return out

def row_name(k: Key) -> str:
	if k.op == 'many':
		return 'many: %d reader%s (readv %s %s)' % (k.readers, 's' if k.readers > 1 else '',
							    k.shape, k.mem)
	if k.shape == 'prof64':
		return 'profiler: 64 reads, one call (riovcnt 64)'
	if k.shape == 'prof64-calls':
		return 'profiler: 64 reads, 64 calls'
	return '%s %s %s' % (k.op, k.shape, k.mem)

def row_order(keys: Iterable[Key], ops: Sequence[str]) -> List[Tuple]:
	"""Distinct (op, shape, mem, readers) rows in the order bench ran them."""
	rows: Dict[Tuple, int] = {}
	for k in keys:
		if k.op in ops:
			rows.setdefault((k.op, k.shape, k.mem, k.readers), len(rows))
	return sorted(rows, key=rows.get)

CMA_OPS = ('readv', 'writev', 'many')

def ratio_table(t: Table, clock: str) -> List[str]:
	keys = t.keys(clock)
	rows = [r for r in row_order(keys, CMA_OPS) if not r[1].startswith('prof64')]
	sizes = t.sizes_of(clock, lambda k: k.op in CMA_OPS and not k.shape.startswith('prof'))
	out, cells, worse, worst = [], 0, 0, (0.0, '')
	body = []
	for r in rows:
		line = [row_name(Key(r[0], r[1], r[2], r[3], 0))]
		for s in sizes:
			k = Key(r[0], r[1], r[2], r[3], s)
			x = ratio(t.get('series', clock, k), t.get('reference', clock, k))
			line.append(rcell(x))
			if x is not None:
				cells += 1
				worse += float('%.3f' % x) > 1
				if x > worst[0]:
					worst = (x, '%s at %s' % (line[0], label(s)))
		body.append(line)
	out += md_table(['ours / reference'] + [label(s) for s in sizes], body)
	prof = []
	for shape in ('prof64', 'prof64-calls'):
		k = [k for k in keys if k.op == 'readv' and k.shape == shape]
		if k:
			x = ratio(t.get('series', clock, k[0]), t.get('reference', clock, k[0]))
			prof.append([row_name(k[0]), '%d B' % k[0].size, rcell(x)])
			if x is not None:
				cells += 1
				worse += float('%.3f' % x) > 1
				if x > worst[0]:
					worst = (x, row_name(k[0]))
	if prof:
		out += [''] + md_table(['ours / reference', 'bytes', 'ratio'], prof)
	out += ['', 'Ours costs more than the reference (ratio > 1.000) in %d of %d cells; '
		'highest ratio %.3f (%s).' % (worse, cells, worst[0], worst[1])]
	return out

def abs_table(t: Table, clock: str) -> List[str]:
	keys = t.keys(clock)
	kernels = [k for k in CLOCK[clock].kernels if t.has(k, clock)]
	rows = row_order(keys, ('null', 'kcopy', 'memcpy', 'double', 'procmem', 'vmsplice') + CMA_OPS)
	# reduce-bench's figures have sizes of their own and a section of their own
	sizes = t.sizes_of(clock, lambda k: not k.shape.startswith('prof') and k.op != 'null' and
			   not is_reduce(k.op))
	body = []
	for r in rows:
		if r[1].startswith('prof') or r[0] == 'null':
			continue
		line = [row_name(Key(r[0], r[1], r[2], r[3], 0))]
		for s in sizes:
			v = [t.get(kn, clock, Key(r[0], r[1], r[2], r[3], s)) for kn in kernels]
			line.append('-' if all(x is None for x in v) else ' / '.join(num(x) for x in v))
		body.append(line)
	head = '%s per transfer: %s' % (CLOCK[clock].unit, ' / '.join(KERNEL_NAME[k] for k in kernels))
	out = md_table([head] + [label(s) for s in sizes], body)
	small = []
	for k in [NULL, EMPTY] + [k for k in keys if k.shape.startswith('prof')]:
		v = [t.get(kn, clock, k) for kn in kernels]
		if any(x is not None for x in v):
			small.append(['null system call (getppid)' if k == NULL else
				      'empty: the timing loop alone' if k == EMPTY else
				      (row_name(k) if k.op != 'kcopy' else 'kcopy of the profiler pieces'),
				      '%d B' % k.size, ' / '.join(num(x) for x in v)])
	out += [''] + md_table(['%s: %s' % (CLOCK[clock].unit, ' / '.join(KERNEL_NAME[k] for k in kernels)),
				'bytes', 'per figure'], small)
	return out

# ---- the goals (the GUP issue's, then issue 13's that it did not restate)

@dataclass
class Goal:
	what: str
	goal: str
	limit: float
	cells: List[Tuple[str, Optional[float]]]

def goals(t: Table, clock: str) -> List[Goal]:
	def fit_ratio(op: str, mem: str) -> Optional[float]:
		a = fit(t, 'series', clock, op, '1x1', mem)
		b = fit(t, 'reference', clock, op, '1x1', mem)
		return ratio(a.b if a else None, b.b if b else None)

	def over_ratio(key: Key) -> Optional[float]:
		a = split(t, 'series', clock, key)
		b = split(t, 'reference', clock, key)
		return ratio(a.over if a else None, b.over if b else None)

	def cost_ratio(key: Key) -> Optional[float]:
		return ratio(t.get('series', clock, key), t.get('reference', clock, key))

	prof = {k.shape: k for k in t.keys(clock) if k.op == 'readv' and k.shape.startswith('prof64')}
	many = [cost_ratio(k) for k in t.keys(clock) if k.op == 'many']
	many = [x for x in many if x is not None]
	cells = [cost_ratio(k) for k in t.keys(clock) if k.op in CMA_OPS]
	cells = [x for x in cells if x is not None]
	gup = gup_ratio(t, clock, 'longterm-512')
	out = [
		Goal('overhead per 4 KiB page beyond the copy (fit b)', '<= 0.50', 0.50,
		     [('readv', fit_ratio('readv', '4k')), ('writev', fit_ratio('writev', '4k'))]),
		Goal('overhead per call beyond a null syscall and the copy, 8 B', '<= 0.80', 0.80,
		     [(op, over_ratio(Key(op, '1x1', '4k', 0, 8))) for op in ('readv', 'writev')]),
		Goal('1x1 total at 1 MiB, 4 KiB pages', '<= 0.75', 0.75,
		     [(op, cost_ratio(Key(op, '1x1', '4k', 0, MIB))) for op in ('readv', 'writev')]),
		Goal('THP: overhead per 2 MiB page beyond the copy (fit b)', '<= 0.50', 0.50,
		     [('readv', fit_ratio('readv', 'thp')), ('writev', fit_ratio('writev', 'thp'))]),
		Goal('hugetlb: overhead per 2 MiB page beyond the copy (fit b)', '<= 0.50', 0.50,
		     [('readv', fit_ratio('readv', 'hugetlb')), ('writev', fit_ratio('writev', 'hugetlb'))]),
		Goal('gup_test pin benchmark, slow path, 4 KiB pages, per page', '<= 0.60', 0.60,
		     [('-L -n 512 get', gup[0] if gup else None)]),
		Goal('any cell of the ratio table (%d cells)' % len(cells), '<= 1.00', 1.00,
		     [('highest', max(cells) if cells else None)]),
		Goal('profiler pattern, total', '<= 0.75', 0.75,
		     [('one call', cost_ratio(prof['prof64']) if 'prof64' in prof else None),
		      ('64 calls', cost_ratio(prof['prof64-calls']) if 'prof64-calls' in prof else None)]),
		Goal('1/2/4 readers of one buffer, highest of %d cells' % len(many), '<= 1.00', 1.00,
		     [('readv', max(many) if many else None)]),
	]
	return out

def gup_times(t: Table, kernel: str, clock: str, prog: str) -> Optional[Tuple[float, float]]:
	"""gup_test's get and put times of PROG, median of its repetitions"""
	for r in t.runs:
		if r.kernel == kernel and r.clock == clock and prog in r.gup:
			gets = sorted(g for g, _ in r.gup[prog])
			puts = sorted(p for _, p in r.gup[prog])
			return (gets[len(gets) // 2], puts[len(puts) // 2])
	return None

def gup_ratio(t: Table, clock: str, prog: str) -> Optional[Tuple[float, float]]:
	a = gup_times(t, 'series', clock, prog)
	b = gup_times(t, 'reference', clock, prog)
	if not a or not b or not b[0] or not b[1]:
		return None
	return (a[0] / b[0], a[1] / b[1])

GUP_PROGS = (('longterm-512', '`-L -n 512`: pin_user_pages(FOLL_LONGTERM), 512 pages a call'),
	     ('longterm-1', '`-L -n 1`: the same, one page a call (no room for a batch)'),
	     ('fast-512', '`-a -n 512`: pin_user_pages_fast(), not the slow path'))

def gup_table(t: Table, clock: str) -> List[str]:
	body = []
	for prog, what in GUP_PROGS:
		a = gup_times(t, 'series', clock, prog)
		b = gup_times(t, 'reference', clock, prog)
		if not a or not b:
			continue
		x = gup_ratio(t, clock, prog)
		body.append([what, '%d / %d' % a, '%d / %d' % b,
			     '%s / %s' % (rcell(x[0], False), rcell(x[1], False)) if x else '-'])
	if not body:
		return []
	return md_table(['gup_test (64 MiB, 10 repetitions, median)', 'ours get / put, us',
			 'reference get / put, us', 'ratio get / put'], body, 'llll')

def goals_table(t: Table, clock: str) -> List[str]:
	body = []
	for g in goals(t, clock):
		vals = [x for _, x in g.cells if x is not None]
		met = '-' if len(vals) < len(g.cells) else ('yes' if all(x <= g.limit for x in vals) else 'no')
		body.append([g.what, g.goal, ', '.join('%s %s' % (n, rcell(x, False)) for n, x in g.cells), met])
	return md_table(['ours / reference, same run', 'goal', 'measured', 'met'], body, 'llll')

# ---- the split tables

def split_rows(t: Table) -> List[Tuple[str, str]]:
	"""(kernel, clock) pairs of the split tables: host first, then the
	headline model, then the reference alone on the second model (which
	is there to show the copy swamping the rest)"""
	out = []
	for c in ('native', 'icount', 'icount-erms'):
		for k in CLOCK[c].kernels:
			if t.has(k, c) and (c, k) != ('icount-erms', 'series'):
				out.append((k, c))
	return out

MODEL_NAME = {'native': 'natively', 'icount': 'model (movsq)', 'icount-erms': '-cpu max (movsb)',
	      'wall': 'TCG wall'}

def who(kernel: str, clock: str) -> str:
	return '%s, %s' % (KERNEL_NAME[kernel], MODEL_NAME[clock])

def split_table(t: Table) -> List[str]:
	body = []
	for op in ('readv', 'writev'):
		for kernel, clock in split_rows(t):
			s8 = split(t, kernel, clock, Key(op, '1x1', '4k', 0, 8))
			null = s8.null if s8 else None
			big = max(t.sizes_of(clock, lambda k: k.op == op and k.shape == '1x1' and
					     k.size <= FIT_MAX_4K) or [0])
			sb = split(t, kernel, clock, Key(op, '1x1', '4k', 0, big))
			cp = sb.copy if sb else None
			pg = t.page(kernel, clock, '4k')
			f = {m: fit(t, kernel, clock, op, '1x1', m) for m in ('4k', 'thp', 'hugetlb')}
			body.append(['%s: %s' % (op, who(kernel, clock)), CLOCK[clock].unit, num(null),
				     num(cp * pg / big if cp and big else None),
				     num(s8.over if s8 else None),
				     num(f['4k'].a if f['4k'] else None),
				     fit_cell(f['4k']), fit_cell(f['thp']), fit_cell(f['hugetlb'])])
	return md_table(['', 'unit', 'null syscall', 'copy per 4 KiB', 'CMA per call at 8 B',
			 'CMA per call (fit a)', 'CMA per 4 KiB page (fit b)',
			 'CMA per 2 MiB THP page (fit b)', 'CMA per 2 MiB hugetlb page (fit b)'], body)

def fit_cell(f: Optional[Fit]) -> str:
	"""b, and the fit's largest residual where it is not a clean line"""
	if f is None:
		return '-'
	if f.err >= 0.5:
		return 'not linear (a line misses by %.0f%%)' % (100 * f.err)
	return num(f.b) + (' (fit off by up to %.0f%%)' % (100 * f.err) if f.err >= 0.05 else '')

def proportion_table(t: Table) -> List[str]:
	"""The proportions that decide what a change of ours can show, for the
	host and each model: unit-free, so they compare across the two"""
	body = []
	for kernel, clock in split_rows(t):
		s8 = split(t, kernel, clock, Key('readv', '1x1', '4k', 0, 8))
		sb = split(t, kernel, clock, Key('readv', '1x1', '4k', 0, FIT_MAX_4K))
		f = fit(t, kernel, clock, 'readv', '1x1', '4k')
		p1 = [k for k in t.keys(clock) if k.op == 'readv' and k.shape == 'prof64']
		p64 = [k for k in t.keys(clock) if k.op == 'readv' and k.shape == 'prof64-calls']
		if not (s8 and sb and f and f.b > 0):
			continue
		cp = sb.copy * t.page(kernel, clock, '4k') / FIT_MAX_4K
		prof = ratio(t.get(kernel, clock, p64[0]), t.get(kernel, clock, p1[0])) if p1 and p64 else None
		body.append([who(kernel, clock), '%.2f' % (cp / f.b), '%.1f' % (s8.over / f.b),
			     '%.2f' % (s8.null / s8.over), '%.1f' % prof if prof else '-'])
	return md_table(['readv, 4 KiB pages', 'copy per page / CMA\'s own per page',
			 'CMA\'s own per call (8 B) / per page', 'null syscall / CMA\'s own per call',
			 'profiler: 64 calls / one call'], body)

SHARE_SIZES = (8, 4 * KIB, 64 * KIB, MIB, 16 * MIB)

def shares(t: Table, kernel: str, clock: str, key: Key) -> Optional[Tuple[float, float, float]]:
	s = split(t, kernel, clock, key)
	if not s or s.cost <= 0:
		return None
	n = s.calls * s.null
	return (100 * n / s.cost, 100 * s.copy / s.cost, 100 * s.over / s.cost)

def share_table(t: Table, op: str) -> List[str]:
	body = []
	for kernel, clock in split_rows(t):
		line = [who(kernel, clock)]
		for size in SHARE_SIZES:
			sh = shares(t, kernel, clock, Key(op, '1x1', '4k', 0, size))
			line.append('%.0f / %.0f / %.0f' % sh if sh else '-')
		prof = [k for k in t.keys(clock) if k.op == 'readv' and k.shape.startswith('prof64')]
		for k in sorted(prof, key=lambda k: k.shape):
			sh = shares(t, kernel, clock, Key(op, k.shape, k.mem, 0, k.size)) if op == 'readv' else None
			line.append('%.0f / %.0f / %.0f' % sh if sh else '-')
		body.append(line)
	head = ['%s 1x1 4k: %% null / copy / CMA' % op] + [label(s) for s in SHARE_SIZES]
	if op == 'readv':
		head += ['profiler, one call', 'profiler, 64 calls']
	else:
		body = [b[:len(SHARE_SIZES) + 1] for b in body]
	return md_table(head, body)

def copy_check_table(t: Table) -> List[str]:
	"""The copy's count two ways: kcopy on the headline model, and the
	difference the copy instruction alone makes between the two models
	(rep movsb counts 8 per 8 bytes, rep movsq 1: the difference is 7x
	the movsq copy, if nothing else in the call changes)."""
	body = []
	sizes = [s for s in t.sizes_of('icount', lambda k: k.op == 'kcopy' and k.shape == '1x1') if s >= 4 * KIB]
	for op in ('readv', 'writev'):
		for kernel in ('series', 'reference'):
			line = ['%s 1x1 4k, %s' % (op, KERNEL_NAME[kernel])]
			for s in sizes:
				k = Key(op, '1x1', '4k', 0, s)
				a, b = t.get(kernel, 'icount-erms', k), t.get(kernel, 'icount', k)
				c = t.get(kernel, 'icount', copy_key(k))
				line.append('-' if None in (a, b, c) else '%.3f' % ((a - b) / 7 / c))
			body.append(line)
	return md_table(['(cost with movsb - cost with movsq) / 7 / kcopy'] + [label(s) for s in sizes], body)

def huge_check(t: Table) -> List[str]:
	"""Copy per byte against readv of hugetlb memory at the largest size,
	where CMA's own overhead is one step per 2 MiB"""
	body = []
	for kernel, clock in split_rows(t):
		sizes = t.sizes_of(clock, lambda k: k.op == 'readv' and k.mem == 'hugetlb')
		if not sizes:
			continue
		s = sizes[-1]
		sp = split(t, kernel, clock, Key('readv', '1x1', 'hugetlb', 0, s))
		if sp:
			body.append([who(kernel, clock), label(s), '%.4f' % (sp.copy / s),
				     '%.4f' % (sp.cost / s), '%.0f%%' % (100 * sp.copy / sp.cost)])
	return md_table(['', 'size', 'kcopy per byte', 'readv hugetlb per byte', 'copy share'], body)

def baseline_table(t: Table, clock: str, kernel: str) -> List[str]:
	sizes = t.sizes_of(clock, lambda k: k.op == 'readv' and k.shape == '1x1' and k.mem == '4k')
	body = []
	for op in ('kcopy', 'memcpy', 'double', 'procmem', 'vmsplice'):
		body.append(['%s / readv' % op] + [rcell(ratio(t.get(kernel, clock, Key(op, '1x1', '4k', 0, s)),
							  t.get(kernel, clock, Key('readv', '1x1', '4k', 0, s))), False)
						  for s in sizes])
	return md_table(['%s: over readv 1x1 4k' % who(kernel, clock)] + [label(s) for s in sizes], body)

# ---- PROCESS_VM_REDUCE against copy-then-reduce (guest/reduce-bench.c)

REDUCE_GOAL = 0.70
REDUCE_GOAL_FROM = 64 * KIB
REDUCE_GOAL_LINE = 'Goal: REDUCE <= 0.7x copy-then-reduce from 64 KiB up'
# reduce-bench's OPs: METHOD-ELEM for one pair, allreduce-METHOD for 4 ranks
REDUCE_ELEMS = (('f64sum', 'f64 SUM'), ('u32bxor', 'u32 BXOR'))
REDUCE_METHODS = ('reduce', 'copyloop', 'reducew')
ALLREDUCE_OPS = ('allreduce-reduce', 'allreduce-copyloop')
REDUCE_CLOCKS = ('icount', 'wall')

def is_reduce(op: str) -> bool:
	return op in ALLREDUCE_OPS or any(op == '%s-%s' % (m, e) for m in REDUCE_METHODS
					  for e, _ in REDUCE_ELEMS)

def reduce_figs(t: Table, kernel: str, clock: str) -> Dict[Tuple[str, int], float]:
	"""(op, size) -> figure of one kernel and clock; readers and shape are
	fixed by the op (1x1 and 1 for a pair, 4ranks and 4 for the allreduce)"""
	return {(k.op, k.size): v for (kn, c, k), v in t.v.items()
		if kn == kernel and c == clock and is_reduce(k.op)}

def goal_cell(x: Optional[float], size: int) -> str:
	"""A ratio, and from 64 KiB up whether it meets the goal"""
	if x is None:
		return '-'
	s = '%.3f' % x
	if size < REDUCE_GOAL_FROM:
		return s
	return '%s (met)' % s if float(s) <= REDUCE_GOAL else '**%s** (not met)' % s

def reduce_tables(t: Table, clock: str) -> Tuple[List[str], int, int]:
	"""The tables of one clock, and the cells from 64 KiB up: met, in all"""
	ours = reduce_figs(t, 'series', clock)
	ref = reduce_figs(t, 'reference', clock)
	unit = CLOCK[clock].unit
	out: List[str] = []
	met = cells = 0

	def ratio_of(a: str, b: str, size: int) -> str:
		nonlocal met, cells
		x = ratio(ours.get((a, size)), ours.get((b, size)))
		if x is not None and size >= REDUCE_GOAL_FROM:
			cells += 1
			met += float('%.3f' % x) <= REDUCE_GOAL
		return goal_cell(x, size)

	for elem, title in REDUCE_ELEMS:
		ops = ['%s-%s' % (m, elem) for m in REDUCE_METHODS]
		sizes = sorted({sz for (op, sz) in ours if op in ops})
		if not sizes:
			continue
		with_ref = any((ops[1], sz) in ref for sz in sizes)
		body = []
		for sz in sizes:
			line = [label(sz), num(ours.get((ops[0], sz))), num(ours.get((ops[1], sz))),
				ratio_of(ops[0], ops[1], sz), num(ours.get((ops[2], sz)))]
			if with_ref:
				line.append(num(ref.get((ops[1], sz))))
			body.append(line)
		head = ['%s: %s per call, ours' % (title, unit), 'reduce', 'copy+loop',
			'reduce / (copy+loop)', 'reducew']
		out += md_table(head + (['copy+loop, reference'] if with_ref else []), body) + ['']
	sizes = sorted({sz for (op, sz) in ours if op in ALLREDUCE_OPS})
	if sizes:
		with_ref = any((ALLREDUCE_OPS[1], sz) in ref for sz in sizes)
		body = []
		for sz in sizes:
			line = [label(sz), num(ours.get((ALLREDUCE_OPS[0], sz))),
				num(ours.get((ALLREDUCE_OPS[1], sz))),
				ratio_of(ALLREDUCE_OPS[0], ALLREDUCE_OPS[1], sz)]
			if with_ref:
				line.append(num(ref.get((ALLREDUCE_OPS[1], sz))))
			body.append(line)
		head = ['allreduce, 4 ranks, f64 SUM: %s per allreduce, ours (size: each rank\'s vector)' % unit,
			'with REDUCE', 'copy+loop', 'REDUCE / (copy+loop)']
		out += md_table(head + (['copy+loop, reference'] if with_ref else []), body) + ['']
	return out, met, cells

def reduce_section(t: Table) -> List[str]:
	"""report.md's REDUCE section; nothing for logs without reduce-bench"""
	clocks = [c for c in REDUCE_CLOCKS if reduce_figs(t, 'series', c)]
	if not clocks:
		return []
	L = ['## REDUCE: PROCESS_VM_REDUCE against copy-then-reduce, ours', '',
	     REDUCE_GOAL_LINE, '',
	     'guest/reduce-bench.c, run after bench in the same guest.  A rank pulls a peer\'s',
	     'contribution and reduces it into its own buffer: *reduce* is one',
	     '`process_vm_readv(PROCESS_VM_REDUCE(op, type))` (local = local op remote);',
	     '*copy+loop* a plain `process_vm_readv` into a scratch buffer, then the loop',
	     '`local[i] = local[i] op scratch[i]` in user space (gcc -O3, vectorised with',
	     'SSE2 like the kernel\'s own loops); *reducew* is `process_vm_writev` with the',
	     'same flags (remote = remote op local).  One 1x1 call, 4 KiB pages on both',
	     'sides, median per call.  The allreduce: 4 rank processes, each with a vector',
	     'of doubles, a ring reduce-scatter then a ring allgather (3 + 3 pulls from the',
	     'left neighbour per rank, a barrier after each step), timed whole by rank 0;',
	     'with REDUCE the reduce-scatter\'s pulls reduce, with copy+loop they copy to a',
	     'scratch chunk and the loop adds it.  Every result was checked element by',
	     'element first.  The reference kernel has no REDUCE: its copy+loop figures are',
	     'there for comparison.  From 64 KiB up each ratio says whether it meets the goal.', '']
	for clock in clocks:
		tables, met, cells = reduce_tables(t, clock)
		L += ['### %s' % CLOCK[clock].title, '']
		probe = t.info.get(('series', clock), {}).get('reduce')
		if probe:
			L += ['Ours: %s.' % probe, '']
		L += tables
		L += ['Goal met in %d of %d ratio cells from 64 KiB up.' % (met, cells), '']
	return L

# ---- plots

PLOT_SIZES = ('set xtics ("8" 8, "64" 64, "512" 512, "4K" 4096, "64K" 65536, "1M" 1048576, '
	      '"4M" 4194304, "16M" 16777216, "64M" 67108864)')

def gnuplot(script: str) -> None:
	try:
		subprocess.run(['gnuplot'], input=script, text=True, check=True)
	except (OSError, subprocess.CalledProcessError) as e:
		print('bench-report: gnuplot failed: %s' % e, file=sys.stderr)

def plot_split(t: Table, out: str, data: str) -> None:
	"""Stacked bars: the shares of readv 1x1 4k's cost, per size and kernel"""
	path = os.path.join(data, 'split.dat')
	with open(path, 'w') as f:
		for size in SHARE_SIZES:
			for kernel, clock in split_rows(t):
				sh = shares(t, kernel, clock, Key('readv', '1x1', '4k', 0, size))
				if sh:
					f.write('"%s: %s" %.2f %.2f %.2f\n' %
						(label(size), who(kernel, clock).replace('reference', 'ref.'), *sh))
			f.write('"" 0 0 0\n')
	gnuplot('''set terminal pngcairo size 1500,750 font ",10"
set output "%s"
set title "Where a readv goes (1x1, 4 KiB pages): null system call, the copy, CMA's own overhead"
set style data histograms
set style histogram rowstacked
set style fill solid border -1
set boxwidth 0.8
set yrange [0:100]
set ylabel "%% of the call's cost"
set xtics rotate by -45 font ",8" nomirror
set bmargin 12
set key outside right top
plot "%s" using 2:xtic(1) title "null system call" lc rgb "#0072b2", \\
     "" using 3 title "the copy" lc rgb "#009e73", \\
     "" using 4 title "CMA's own" lc rgb "#e69f00"
''' % (os.path.join(out, 'bench-split.png'), path))

def plot_ratio(t: Table, clock: str, out: str, data: str) -> None:
	cmds = []
	colors = ('#9400d3', '#009e73', '#56b4e9', '#e69f00', '#0072b2', '#e51e10', '#000000', '#cc79a7')
	rows = [r for r in row_order(t.keys(clock), ('readv', 'writev')) if not r[1].startswith('prof')]
	for i, r in enumerate(rows):
		path = os.path.join(data, 'ratio-%s-%s-%s-%s.dat' % (clock, r[0], r[1], r[2]))
		with open(path, 'w') as f:
			for s in t.sizes_of(clock):
				k = Key(r[0], r[1], r[2], 0, s)
				x = ratio(t.get('series', clock, k), t.get('reference', clock, k))
				if x is not None:
					f.write('%d %.5f\n' % (s, x))
		if os.path.getsize(path):
			cmds.append('"%s" using 1:2 with linespoints lc rgb "%s" dt %d pt %d title "%s"' %
				    (path, colors[i // 2 % len(colors)], 1 + i % 2, i + 1, row_name(Key(*r, 0))))
	if not cmds:
		return
	gnuplot('''set terminal pngcairo size 1400,700 font ",11"
set output "%s"
set title "Ours / reference, %s (below 1: ours is cheaper)"
set logscale x
set xlabel "transfer size (bytes)"
set ylabel "ours / reference, median"
%s
set grid
set key outside right top
plot %s, 1 with lines lc rgb "#888888" dt 3 notitle
''' % (os.path.join(out, 'bench-ratio-%s.png' % clock), CLOCK[clock].title, PLOT_SIZES, ', '.join(cmds)))

def plot_cost(t: Table, clock: str, out: str, data: str) -> None:
	cmds = []
	colors = ('#9400d3', '#009e73', '#56b4e9', '#e69f00', '#b8860b', '#0072b2', '#e51e10', '#000000',
		  '#cc79a7', '#2f4f4f', '#808000')
	methods = (('readv', '1x1', '4k'), ('writev', '1x1', '4k'), ('readv', '1x64', '4k'),
		   ('readv', '16x1', '4k'), ('readv', '1x1', 'thp'), ('readv', '1x1', 'hugetlb'),
		   ('kcopy', '1x1', '4k'), ('memcpy', '1x1', '4k'), ('double', '1x1', '4k'),
		   ('procmem', '1x1', '4k'), ('vmsplice', '1x1', '4k'))
	for i, m in enumerate(methods):
		for kernel, dt in (('series', 1), ('reference', 2)):
			path = os.path.join(data, 'cost-%s-%s-%s-%s-%s.dat' % (clock, kernel, *m))
			n = 0
			with open(path, 'w') as f:
				for s in t.sizes_of(clock):
					v = t.get(kernel, clock, Key(*m, 0, s))
					if v:
						f.write('%d %.6g\n' % (s, v / s))
						n += 1
			if n and (m[0] in ('readv', 'writev') or kernel == 'series'):
				cmds.append('"%s" using 1:2 with linespoints lc rgb "%s" dt %d pt %d title "%s"' %
					    (path, colors[i], dt, i + 1, '%s %s %s, %s' % (*m, KERNEL_NAME[kernel])
					     if m[0] in ('readv', 'writev') else '%s %s %s' % m))
	if not cmds:
		return
	gnuplot('''set terminal pngcairo size 1400,900 font ",11"
set output "%s"
set title "Cost per byte, %s: ours solid, reference dashed"
set logscale xy
set xlabel "transfer size (bytes)"
set ylabel "%s per byte"
%s
set grid
set key outside right top
plot %s
''' % (os.path.join(out, 'bench-%s.png' % clock), CLOCK[clock].title, CLOCK[clock].unit, PLOT_SIZES,
       ', '.join(cmds)))

# ---- the report

def headline(t: Table) -> List[str]:
	"""A few lines for `make`'s demonstration (scripts/demo.sh)"""
	out = []
	if t.has('host', 'native'):
		s = split(t, 'host', 'native', Key('readv', '1x1', '4k', 0, MIB))
		if s:
			out.append('readv of 1 MiB on this machine\'s own kernel (natively, upstream CMA):')
			out.append('  %.0f us: the copy %.0f%%, CMA\'s own work %.0f%%, entering the kernel %.0f%%' %
				   (s.cost / 1000, 100 * s.copy / s.cost, 100 * s.over / s.cost,
				    100 * s.null / s.cost))
	if t.has('series', HEADLINE) and t.has('reference', HEADLINE):
		g = {x.what: x for x in goals(t, HEADLINE)}
		cells = []
		for what, name in (('1x1 total at 1 MiB, 4 KiB pages', '1 MiB'),
				   ('overhead per 4 KiB page beyond the copy (fit b)', 'CMA\'s own per page'),
				   ('overhead per call beyond a null syscall and the copy, 8 B',
				    'per call')):
			v = [x for _, x in g[what].cells] if what in g else []
			if v and None not in v:
				cells.append('%s %s' % (name, '/'.join('%.2f' % x for x in v)))
		if cells:
			out.append('ours / upstream (readv/writev), QEMU -icount on a CPU without ERMS/FSRM:')
			out.append('  ' + ', '.join(cells))
	return out

def report(runs: Sequence[Run], out: str, header: Optional[str]) -> str:
	t = Table(runs)
	data = os.path.join(out, 'plot-data')
	os.makedirs(data, exist_ok=True)
	L: List[str] = ['# Cross Memory Attach: benchmark', '']
	if header and os.path.exists(header):
		with open(header) as f:
			L += f.read().rstrip('\n').split('\n')
	L += ['| icount runs identical | %s |' % identical(runs)]
	for r in runs:
		if r.run == 1:
			L += ['| guest, %s | %s |' % (who(r.kernel, r.clock),
				'; '.join('%s: %s' % (k, re.sub(r',(?! )', ' ', v)) for k, v in r.info.items()
					  if k in ('kernel', 'cpuinfo', 'kcopy', 'meltdown', 'page', 'thp', 'hugetlb',
						   'cpus')))]
			L += ['| note, %s | %s |' % (who(r.kernel, r.clock), n) for n in r.notes]
	L += ['']
	if t.has('series', HEADLINE) and t.has('reference', HEADLINE):
		L += ['## Goals: ours / reference, %s' % CLOCK[HEADLINE].title, '',
		      'The GUP issue\'s goals (the first six rows, and the last) and issue 13\'s',
		      'that it did not restate, each from one run of both kernels.  Overheads are',
		      'beyond the null system call and the copy (see the split below); "fit b" is',
		      'the slope of CMA\'s own cost over pages touched.', '']
		L += goals_table(t, HEADLINE)
		L += ['']
		gt = gup_table(t, HEADLINE)
		if gt:
			L += ['## A GUP caller that is not ours: upstream\'s gup_test', '',
			      'tools/testing/selftests/mm/gup_test (CONFIG_GUP_TEST) in the first headline',
			      'run of each kernel: 64 MiB of 4 KiB pages (-T), pinned and unpinned 10',
			      'times; its own timer, in guest microseconds (a thousand instructions).', '']
			L += gt
			L += ['']
	L += reduce_section(t)
	L += ['## Where a call\'s cost goes: null system call, the copy, CMA\'s own', '',
	      'Each readv/writev figure is split as cost = null + copy + overhead:', '',
	      '- null: a `getppid()` call, the cost of entering and leaving the kernel;',
	      '- copy: `kcopy`, the same bytes moved by the instruction the kernel\'s',
	      '  `copy_user_generic()` uses on that CPU (`/proc/cpuinfo` decides: rep movsb',
	      '  with FSRM, rep movsq without ERMS and FSRM), in user space, one copy of',
	      '  the whole transfer;',
	      '- overhead: the rest, CMA\'s own: permission checks, the iovec copies,',
	      '  pinning and unpinning, the per-page copy calls.  Per call it is given',
	      '  as measured at 8 B; per page it is the slope b of a least-squares fit',
	      '  a + b * pages over the sizes of whole pages: 4 KiB to 1 MiB for 4 KiB',
	      '  pages (beyond 1 MiB the host\'s caches stop holding what a call walks',
	      '  and its cost per page grows; the model has no caches), 4 to 64 MiB for',
	      '  2 MiB THP and hugetlbfs pages.', '',
	      'Host rows are this machine\'s own kernel run natively (each figure the',
	      'fastest sample of three runs: the host runs other work too); model rows',
	      'are guest instructions (the median; under -icount samples barely differ).', '']
	L += split_table(t)
	L += ['', 'Shares of the cost, in %, null / copy / CMA\'s own:', '']
	L += share_table(t, 'readv')
	L += ['']
	L += share_table(t, 'writev')
	L += ['', '![where a readv goes](bench-split.png)', '']
	L += ['### The model against the host', '',
	      'Unit-free proportions, so that the host\'s nanoseconds and the model\'s',
	      'instructions compare.  The headline model should sit near the host where',
	      'it matters for our work (the copy against CMA\'s own cost per page);',
	      'under -cpu max the copy is several times CMA\'s own per-page cost,',
	      'which is why that model could not show a change of ours.  Instruction',
	      'counts weigh a call\'s fixed path (locks, atomics, the pid and mm',
	      'lookups, cache misses) less than hardware does, and this host\'s',
	      'system calls are dear (it is itself a virtual machine, with PTI): per',
	      'call the model under-weighs what a profiler pays, so the call-count',
	      'figures (the profiler\'s 64 calls) show a change of ours smaller than',
	      'a host would.', '']
	L += proportion_table(t)
	L += ['']
	L += ['### How the copy\'s share was measured, and checked', '',
	      'The copy is measured, not assumed: `kcopy` moves the transfer\'s bytes',
	      'with the kernel\'s own copy instruction for the CPU the guest sees, in',
	      'the same run, on the same kernel.  Under -icount each iteration of a',
	      'rep prefix counts one instruction, so this is the count the kernel\'s',
	      'copy_user has for those bytes (it copies page by page, so it adds a',
	      'call per page, which lands in CMA\'s own per-page figure).', '',
	      'Check 1: the two CPU models differ only in the copy instruction',
	      '(`-cpu max` has ERMS, so the kernel copies with rep movsb from 64 bytes',
	      'on; QEMU 7.2\'s max has no FSRM, `-fsrm` only keeps it so on a newer',
	      'QEMU; the headline model removes just those two flags).',
	      'rep movsb counts 8 where rep movsq counts 1, so the difference between',
	      'the two models\' figures for one call is 7 times the movsq copy, if',
	      'nothing else changed.  Divided by 7 and by kcopy it should be 1:', '']
	L += copy_check_table(t)
	L += ['', 'Check 2, a bound: the copy can be no more than the whole call.  readv',
	      'of hugetlbfs memory at the largest size, where CMA\'s own work per byte',
	      'is least (one page-table step per 2 MiB; pinning and copying still go',
	      'by 4 KiB today), must cost more than kcopy of the same bytes, on every',
	      'kernel and natively:', '']
	L += huge_check(t)
	L += ['']
	for clock in ('icount', 'icount-erms', 'wall'):
		if not (t.has('series', clock) and t.has('reference', clock)):
			continue
		title = {'icount': '## Ours / reference, deterministic (icount), headline model, median',
			 'icount-erms': '## Ours / reference, icount, -cpu max (rep movsb copy), median',
			 'wall': '## Ours / reference, wall clock (plain TCG), median'}[clock]
		L += [title, '', CLOCK[clock].title + '.  Below 1.000 ours is cheaper; **bold** where ours costs more.', '']
		L += ratio_table(t, clock)
		L += ['']
	if t.has('host', 'native'):
		L += ['## This host\'s kernel, natively: the baselines over readv', '']
		L += baseline_table(t, 'native', 'host')
		L += ['']
	if t.has('series', HEADLINE):
		L += ['## The baselines over readv, headline model', '',
		      'User-space memcpy and the double copy use vector instructions (32 bytes',
		      'or more each); instruction counts undercount them against the kernel\'s',
		      'copy: compare CMA with them natively (above), not here.', '']
		L += baseline_table(t, HEADLINE, 'series')
		L += ['']
	for clock in ('icount', 'icount-erms', 'wall', 'native'):
		if any(t.has(k, clock) for k in CLOCK[clock].kernels):
			L += ['## Absolute figures, %s (%s per transfer; many: per round)' %
			      (CLOCK[clock].title, CLOCK[clock].unit), '']
			L += abs_table(t, clock)
			L += ['']
	for clock in ('icount', 'icount-erms', 'wall'):
		if t.has('series', clock) and t.has('reference', clock):
			plot_ratio(t, clock, out, data)
	if t.has('series', HEADLINE):
		plot_cost(t, HEADLINE, out, data)
	plot_split(t, out, data)
	plots = [('ours / reference, headline model', 'bench-ratio-icount.png'),
		 ('cost per byte, headline model', 'bench-icount.png'),
		 ('ours / reference, -cpu max', 'bench-ratio-icount-erms.png'),
		 ('ours / reference, wall clock', 'bench-ratio-wall.png')]
	# Only the plots this run drew (CMA_BENCH_CLOCKS may leave some out)
	L += ['## Plots', '']
	L += ['![%s](%s)' % p for p in plots if os.path.exists(os.path.join(out, p[1]))]
	L += ['', '## What was trimmed', '',
	      '- 8 B is skipped for 1x64 and 16x1 (no piece would hold a byte);',
	      '- THP and hugetlbfs run the 1x1 shape only; "many" (1, 2, 4 child',
	      '  readers of one target, 1x1, 4 KiB pages) runs 4 KiB, 64 KiB, 1 MiB and 16 MiB;',
	      '- the profiler pattern: 64 reads of 8-256 bytes (8642 in all), each in its own',
	      '  4 KiB stretch of 1 MiB of the target at an odd offset, into consecutive',
	      '  local bytes; one call with riovcnt 64, or 64 calls of 1x1;',
	      '- repetitions: each sample lasts >= 50 us of guest time (several calls',
	      '  for small sizes), 5 to 15 samples within ~20 ms of guest time per',
	      '  figure, so sizes from 4 MiB up get the minimum of 5.  "many" rounds',
	      '  carry 256 KiB / size transfers per reader (1 to 64), the same on',
	      '  both kernels: a round\'s pipe wake-ups are part of its figure.',
	      '- wall clock under TCG is noisy and at times bimodal: judge by icount.',
	      '- the local buffer is always 4 KiB pages; pieces of a split side are',
	      '  a piece apart (never adjacent).']
	with open(os.path.join(out, 'headline.txt'), 'w') as f:
		f.write('\n'.join(headline(t)) + '\n')
	return '\n'.join(L) + '\n'

def main(argv: Sequence[str]) -> int:
	parser = argparse.ArgumentParser(
		description='Write results.csv, report.md, headline.txt and plots from make bench\'s logs.')
	parser.add_argument('--logs', required=True, help='directory with bench-CLOCK-KERNEL-RUN.log')
	parser.add_argument('--out', required=True, help='directory to write (out/bench)')
	parser.add_argument('--header', help='markdown rows describing the run (bench.sh writes it)')
	args = parser.parse_args(argv)
	if not os.path.isdir(args.logs):
		parser.error('%s: no such directory; give the logs directory of make bench (out/logs)' % args.logs)
	runs = read_runs(args.logs)
	if not runs:
		parser.error('no bench-CLOCK-KERNEL-RUN.log in %s: run make bench first' % args.logs)
	os.makedirs(args.out, exist_ok=True)
	write_csv(runs, os.path.join(args.out, 'results.csv'))
	text = report(runs, args.out, args.header)
	with open(os.path.join(args.out, 'report.md'), 'w') as f:
		f.write(text)
	return 0

if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
