#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# gcov-report.py: line and branch coverage of Cross Memory Attach's C files
# (mm/process_vm_access.c, and PROCESS_VM_REDUCE's mm/process_vm_reduce.c,
# mm/process_vm_reduce_fpu.c and the loops they both include,
# mm/process_vm_reduce_ops.h) from the console logs of gcov kernel runs
# (configs/gcov.config; the guest's gcov-dump suite prints the counters,
# see guest/gcov.c).  make check-debug runs it; by hand:
#
#   scripts/gcov-report.py [--flavour x86_64-debug-gcov] [--variant series] \
#       [--out out/coverage] LOG...
#
# Each log gives the counters of one boot, per object (its last dump:
# counters add up within a boot); the runs are summed into one .gcda per
# object, which gcov reads with the .gcno of the kernel's object tree.  An
# object the kernel did not profile (no .gcno) is left out, as is one no log
# dumped (said on stderr).  Writes, in --out:
#   FILE.gcov                  the annotated source of all runs, in the
#                              layout of gcov -b -c's (from gcov's JSON:
#                              gcov writes no text without the source file);
#                              OBJECT.o.FILE.gcov for a header, which each
#                              object that includes it counts on its own
#   report.md                  line, branch and function coverage of each
#                              file, per run and merged; every line never
#                              executed, every branch never taken and every
#                              label, with its source line
# The source lines are the kernel's commit's (git show), not build/src's,
# which other builds move.  Exit status 1 when no log held coverage data.

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

assert sys.version_info >= (3, 7), "Python version is too old"

from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, 'build')

@dataclass
class Unit:
	name: str		# the object: mm/NAME.o, NAME.gcda, NAME.gcno
	sources: List[str]	# the files of ours whose lines it counts
	notes: Dict[str, str] = field(default_factory=dict)	# source: what to expect

UNITS = [
	Unit('process_vm_access', ['mm/process_vm_access.c']),
	Unit('process_vm_reduce', ['mm/process_vm_reduce.c', 'mm/process_vm_reduce_ops.h'],
	     {'mm/process_vm_reduce_ops.h':
	      'These are the integer loops built without the FPU: pvm_reduce_setup() '
	      'picks them only where the kernel may not use the FPU, so on x86_64 '
	      'every reduction runs process_vm_reduce_fpu.o\'s build of the same '
	      'lines and none of these is expected to run.'}),
	# process_vm_reduce_fpu.c only instantiates the header's loops: no line of
	# its own holds code, gcov has nothing to say about it.
	Unit('process_vm_reduce_fpu', ['mm/process_vm_reduce_ops.h']),
]

GCOV_DATA_MAGIC = 0x67636461	# "gcda"
GCOV_NOTE_MAGIC = 0x67636e6f	# "gcno"
GCOV_TAG_FUNCTION = 0x01000000
GCOV_TAG_ARCS = 0x01a10000	# GCOV_TAG_FOR_COUNTER(0): the only kind the kernel keeps

DUMP_RE = re.compile(r'cma-gcov: (.*)$')

class ReportError(Exception):
	pass

@dataclass
class Dump:
	log: str
	path: str	# the file's path in the guest's debugfs
	data: bytes
	suites: str	# what the boot ran (cmasuite=)

@dataclass
class Line:
	number: int
	count: int
	function: str
	unexecuted_block: bool
	branches: List[dict] = field(default_factory=list)

@dataclass
class Function:
	name: str
	start: int
	end: int
	calls: int
	blocks: int
	blocks_executed: int

@dataclass
class Coverage:
	lines: Dict[int, Line]
	functions: List[Function]

	def line_totals(self) -> Tuple[int, int]:
		return (sum(1 for l in self.lines.values() if l.count > 0), len(self.lines))

	def branch_totals(self) -> Tuple[int, int]:
		b = [br for l in self.lines.values() for br in l.branches]
		return (sum(1 for br in b if br['count'] > 0), len(b))

	def function_totals(self) -> Tuple[int, int]:
		return (sum(1 for f in self.functions if f.calls > 0), len(self.functions))

# --- the console logs ------------------------------------------------------

def parse_log(path: str) -> Dict[str, Dump]:
	"""The last complete dump of each NAME.gcda in one console log, by NAME."""
	last: Dict[str, Dump] = {}
	cur = None	# [guest path, size, crc, bytearray, line number of begin]
	with open(path, 'rb') as f:
		text = f.read().decode('utf-8', 'replace')
	m = re.search(r'cmasuite=(\S+)', text)
	suites = m.group(1) if m else '?'
	for n, line in enumerate(text.splitlines(), 1):
		m = DUMP_RE.search(line.replace('\r', ''))
		if not m:
			continue
		words = m.group(1).split()
		where = '%s:%d' % (path, n)
		if words[:1] == ['begin'] and len(words) == 4:
			cur = [words[1], int(words[2]), int(words[3], 16), bytearray(), n]
		elif words[:1] == ['end'] and len(words) == 2:
			if cur is None or cur[0] != words[1]:
				raise ReportError('%s: end of a dump that did not begin' % where)
			data = bytes(cur[3])
			if len(data) != cur[1] or zlib.crc32(data) != cur[2]:
				raise ReportError('%s: dump of %s from line %d is damaged '
						  '(%d of %d bytes, CRC %08x, want %08x)' %
						  (where, cur[0], cur[4], len(data), cur[1],
						   zlib.crc32(data), cur[2]))
			base = os.path.basename(cur[0])
			if base.endswith('.gcda'):
				last[base[:-len('.gcda')]] = Dump(path, cur[0], data, suites)
			cur = None
		elif len(words) == 2 and cur is not None:
			try:
				off, chunk = int(words[0], 16), bytes.fromhex(words[1])
			except ValueError:
				raise ReportError('%s: not a dump line: %s' % (where, line.strip()))
			if off != len(cur[3]):
				raise ReportError('%s: dump line at offset %#x, want %#x (a line lost?)' %
						  (where, off, len(cur[3])))
			cur[3] += chunk
		else:
			raise ReportError('%s: not a dump line: %s' % (where, line.strip()))
	if cur is not None:
		raise ReportError('%s: the dump of %s from line %d never ended' % (path, cur[0], cur[4]))
	return last

# --- .gcda and .gcno files -------------------------------------------------

def header(data: bytes, magic: int, what: str) -> Tuple[str, int, int]:
	"""Byte order, gcc major version and stamp of a .gcda or .gcno."""
	if len(data) < 12:
		raise ReportError('%s: too short for a gcov file' % what)
	for order in '<>':
		m, version, stamp = struct.unpack(order + 'III', data[:12])
		if m == magic:
			# version: 4 characters, "B22*" for gcc 12.2, "A94*" for 9.4
			# ('A' + tens and the units of the major, the minor), "407*"
			# for 4.7
			v0, v1 = version >> 24, (version >> 16) & 0xff
			if v0 >= ord('A'):
				major = (v0 - ord('A')) * 10 + v1 - ord('0')
			else:
				major = v0 - ord('0')
			return order, major, stamp
	raise ReportError('%s: not a gcov file (magic)' % what)

@dataclass
class Gcda:
	order: str	# struct's byte order
	unit: int	# bytes in a unit of a record's length
	head: bytes
	records: List[Tuple[int, bytes]]	# (tag, payload)

def parse_gcda(data: bytes, what: str) -> Gcda:
	order, major, _ = header(data, GCOV_DATA_MAGIC, what)
	# gcc 12 added a checksum to the header and counts lengths in bytes.
	pos, unit = (16, 1) if major >= 12 else (12, 4)
	g = Gcda(order, unit, data[:pos], [])
	while pos < len(data):
		if pos + 8 > len(data):
			raise ReportError('%s: truncated record at %d' % (what, pos))
		tag, length = struct.unpack_from(order + 'Ii', data, pos)
		if length < 0:
			raise ReportError('%s: compressed record at %d: not a kernel gcda' % (what, pos))
		g.records.append((tag, data[pos + 8:pos + 8 + length * unit]))
		pos += 8 + length * unit
	if pos != len(data):
		raise ReportError('%s: truncated' % what)
	return g

def merge_gcda(dumps: Sequence[Dump]) -> bytes:
	"""One .gcda whose arc counters are the sums of the dumps' (one object)."""
	first = parse_gcda(dumps[0].data, dumps[0].log)
	order = first.order

	def counters(payload: bytes) -> List[int]:
		return list(struct.unpack(order + '%dQ' % (len(payload) // 8), payload))

	sums = [counters(p) if t == GCOV_TAG_ARCS else None for t, p in first.records]
	for d in dumps[1:]:
		g = parse_gcda(d.data, d.log)
		other = ReportError('%s: counters of another build than %s' % (d.log, dumps[0].log))
		if g.head != first.head or len(g.records) != len(first.records):
			raise other
		for i, (tag, payload) in enumerate(g.records):
			if tag != first.records[i][0] or len(payload) != len(first.records[i][1]):
				raise other
			if tag == GCOV_TAG_ARCS:
				sums[i] = [a + b for a, b in zip(sums[i], counters(payload))]
			elif tag != GCOV_TAG_FUNCTION:
				raise ReportError('%s: record %#x: not a kernel gcda' % (d.log, tag))
			elif payload != first.records[i][1]:
				raise other
	out = bytearray(first.head)
	for (tag, payload), s in zip(first.records, sums):
		if s is not None:
			payload = struct.pack(order + '%dQ' % len(s), *s)
		out += struct.pack(order + 'II', tag, len(payload) // first.unit) + payload
	return bytes(out)

# --- gcov ------------------------------------------------------------------

def run_gcov(gcov: str, workdir: str, name: str, gcno: bytes, gcda: bytes) -> str:
	"""gcov -b -c's JSON for one .gcno/.gcda pair (copied to workdir)."""
	os.makedirs(workdir, exist_ok=True)
	with open(os.path.join(workdir, name + '.gcno'), 'wb') as f:
		f.write(gcno)
	with open(os.path.join(workdir, name + '.gcda'), 'wb') as f:
		f.write(gcda)
	cmd = [gcov, '-b', '-c', '--json-format', '--stdout', name + '.gcda']
	p = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
			   universal_newlines=True)
	if p.returncode != 0 or p.stderr.strip():
		raise ReportError('%s in %s failed:\n%s' % (' '.join(cmd), workdir, p.stderr.strip()))
	return p.stdout

def coverage(gcov_json: str, name: str, source: str) -> Coverage:
	"""One file's lines, branches and functions from gcov's JSON."""
	doc = json.loads(gcov_json)
	files = [f for f in doc['files'] if f['file'].endswith(source)]
	if len(files) != 1:
		raise ReportError('gcov found no %s in %s.gcno' % (source, name))
	lines: Dict[int, Line] = {}
	for l in files[0]['lines']:
		old = lines.get(l['line_number'])
		if old:
			old.count += l['count']
			old.branches += l['branches']
			old.unexecuted_block |= l['unexecuted_block']
		else:
			lines[l['line_number']] = Line(l['line_number'], l['count'],
						       l.get('function_name', ''), l['unexecuted_block'],
						       list(l['branches']))
	functions = [Function(f['name'], f['start_line'], f['end_line'], f['execution_count'],
			      f['blocks'], f['blocks_executed'])
		     for f in files[0]['functions']]
	functions.sort(key=lambda f: f.start)
	return Coverage(lines, functions)

def gcov_text(cov: Coverage, path: str, name: str, source: List[str], commit: str,
	      runs: int) -> str:
	"""The annotated source in gcov -b -c's layout ("returned" and calls left out)."""
	out = ['%9s:%5d:%s' % ('-', 0, 'Source:%s at %s' % (path, commit)),
	       '%9s:%5d:%s' % ('-', 0, 'Graph:%s.gcno' % name),
	       '%9s:%5d:%s' % ('-', 0, 'Data:%s.gcda' % name),
	       '%9s:%5d:%s' % ('-', 0, 'Runs:%d' % runs)]
	for n, text in enumerate(source, 1):
		for f in cov.functions:
			if f.start == n:
				out.append('function %s called %d blocks executed %d%%' % (
					f.name, f.calls,
					100 * f.blocks_executed // f.blocks if f.blocks else 0))
		l = cov.lines.get(n)
		if l is None:
			out.append('%9s:%5d:%s' % ('-', n, text))
			continue
		c = str(l.count) if l.count else '#####'
		out.append('%9s:%5d:%s' % (c + ('*' if l.unexecuted_block and l.count else ''), n, text))
		for i, b in enumerate(l.branches):
			if not l.count:
				out.append('branch %2d never executed' % i)
				continue
			kind = ' (fallthrough)' if b.get('fallthrough') else ' (throw)' if b.get('throw') else ''
			out.append('branch %2d taken %d%s' % (i, b['count'], kind))
	if any(n > len(source) for n in cov.lines):
		raise ReportError('gcov counts line %d; %s at %s has %d lines' %
				  (max(cov.lines), path, commit, len(source)))
	return '\n'.join(out) + '\n'

# --- the report ------------------------------------------------------------

def pct(done: int, total: int) -> str:
	return '%.1f%% (%d of %d)' % (100.0 * done / total if total else 0.0, done, total)

def code(text: str) -> str:
	return '`%s`' % text.strip().replace('|', '\\|') if text.strip() else ''

def function_of(cov: Coverage, n: int) -> str:
	for f in cov.functions:
		if f.start <= n <= f.end:
			return f.name
	return ''

LABEL_RE = re.compile(r'^\s?([A-Za-z_][A-Za-z0-9_]*):\s*(/\*.*)?$')

def count(cov: Coverage, n: int) -> str:
	if n not in cov.lines:
		return '-'
	return '**never**' if cov.lines[n].count == 0 else str(cov.lines[n].count)

def labels(cov: Coverage, source: List[str]) -> List[str]:
	"""A table row for every goto label: the gotos to it and their counts."""
	rows = []
	for i, text in enumerate(source):
		m = LABEL_RE.match(text)
		if not m or m.group(1) == 'default':
			continue
		n, name = i + 1, m.group(1)
		f = function_of(cov, n)
		goto = re.compile(r'\bgoto\s+%s\s*;' % name)
		gotos = [k + 1 for k, t in enumerate(source)
			 if goto.search(t) and function_of(cov, k + 1) == f]
		# the first line with code at or after the label: entered by the
		# gotos and by falling through from above
		nxt = next((k for k in sorted(cov.lines) if k >= n), None)
		rows.append('| %s | %d | %s | %s |' % (
			name, n, count(cov, nxt) if nxt else '-',
			', '.join('%d: %s' % (k, count(cov, k)) for k in gotos) or 'none'))
	return rows

@dataclass
class Section:
	"""One file's coverage as one object counts it."""
	unit: Unit
	path: str
	source: List[str]
	merged: Coverage
	runs: List[Tuple[Dump, Coverage]]

	def title(self) -> str:
		return '%s (in %s.o)' % (self.path, self.unit.name)

	def gcov_name(self) -> str:
		base = os.path.basename(self.path)
		if base == self.unit.name + '.c':
			return base + '.gcov'
		return '%s.o.%s.gcov' % (self.unit.name, base)

def totals(c: Coverage) -> str:
	return '%s | %s | %s' % (pct(*c.line_totals()), pct(*c.branch_totals()),
				 pct(*c.function_totals()))

def report_section(sec: Section) -> List[str]:
	merged, runs, source = sec.merged, sec.runs, sec.source
	L = ['## %s' % sec.title(), '']
	if sec.path in sec.unit.notes:
		L += [sec.unit.notes[sec.path], '']
	L += ['Annotated source: `%s`.' % sec.gcov_name(), '',
	      '| run | lines | branches | functions |', '|---|---|---|---|']
	for d, c in runs:
		log = os.path.relpath(d.log, TOP) if d.log.startswith(TOP + os.sep) else d.log
		L.append('| %s (%s) | %s |' % (log, d.suites.replace(',', ', '), totals(c)))
	if len(runs) > 1:
		L.append('| **all runs** | %s |' % ' | '.join(
			'**%s**' % pct(*t) for t in (merged.line_totals(), merged.branch_totals(),
						     merged.function_totals())))
	L += ['', '### Functions', '',
	      '| function | lines | called | lines executed | branches taken |', '|---|---|---|---|---|']
	for f in merged.functions:
		ls = [l for n, l in merged.lines.items() if f.start <= n <= f.end]
		br = [b for l in ls for b in l.branches]
		L.append('| %s | %d-%d | %d | %s | %s |' % (
			f.name, f.start, f.end, f.calls, pct(sum(1 for l in ls if l.count), len(ls)),
			pct(sum(1 for b in br if b['count']), len(br))))

	never = [n for n in sorted(merged.lines) if merged.lines[n].count == 0]
	L += ['', '### Lines never executed (%d)' % len(never), '']
	if never:
		L += ['| line | function | source |', '|---|---|---|']
		L += ['| %d | %s | %s |' % (n, function_of(merged, n), code(source[n - 1])) for n in never]
	else:
		L.append('None.')

	untaken = []
	for n in sorted(merged.lines):
		brs = merged.lines[n].branches
		for i, b in enumerate(brs):
			if b['count'] == 0:
				kind = 'fallthrough' if b.get('fallthrough') else 'throw' if b.get('throw') else 'jump'
				untaken.append('| %d | %s | %d of %d (%s) | %s | %s |' % (
					n, function_of(merged, n), i, len(brs), kind,
					'/'.join(str(x['count']) for x in brs), code(source[n - 1])))
	L += ['', '### Branches never taken (%d)' % len(untaken), '',
	      'A line executed but one of its outcomes never: "counts" are every outcome\'s of that '
	      'line, in gcov\'s order.', '']
	if untaken:
		L += ['| line | function | branch | counts | source |', '|---|---|---|---|---|'] + untaken
	else:
		L.append('None.')

	labs = labels(merged, source)
	if labs:
		L += ['', '### Labels (%d)' % len(labs), '',
		      'Every goto label (the unwind paths): how often the code after it ran (from the '
		      'gotos and from falling through), and each goto to it (line: count of that line).',
		      '', '| label | line | code after it ran | gotos |', '|---|---|---|---|'] + labs
	return L

def report(sections: Sequence[Section], kernel: str, commit: str, cc: str,
	   gcov_version: str) -> str:
	L = ['# Coverage of Cross Memory Attach\'s C files', '']
	L.append('Kernel `%s` at %s, compiled by %s; read by %s. Lines: lines with code executed '
		 'at least once. Branches: outcomes of conditional jumps taken at least once '
		 '(gcov -b\'s "taken at least once"). Code inlined from the kernel\'s headers is not '
		 'counted; a header of ours (the reduction\'s loops) is counted in each object that '
		 'includes it, on its own. A loop defined by a macro counts on the line that '
		 'expands it.' % (kernel, commit[:12], cc, gcov_version))
	L += ['', '| file | lines | branches | functions |', '|---|---|---|---|']
	L += ['| %s | %s |' % (sec.title(), totals(sec.merged)) for sec in sections]
	for sec in sections:
		L += [''] + report_section(sec)
	return '\n'.join(L) + '\n'

# --- the kernel ------------------------------------------------------------

def read(path: str, mode: str = 'r'):
	try:
		with open(path, mode) as f:
			return f.read()
	except OSError as e:
		raise ReportError('%s: %s' % (path, e.strerror))

def compiler(config: str) -> str:
	m = re.search(r'^CONFIG_CC_VERSION_TEXT="(.*)"$', config, re.M)
	if not m:
		raise ReportError('the kernel config names no compiler (CONFIG_CC_VERSION_TEXT)')
	return m.group(1)

def check_versions(cc: str, gcov: str) -> str:
	try:
		p = subprocess.run([gcov, '--version'], stdout=subprocess.PIPE,
				   universal_newlines=True, check=True)
	except (OSError, subprocess.CalledProcessError) as e:
		raise ReportError('%s: %s (install gcc)' % (gcov, e))
	version = p.stdout.splitlines()[0]
	if cc.split()[-1] != version.split()[-1]:
		raise ReportError('the kernel was compiled by %s, %s is %s: give --gcov the matching one' %
				  (cc, gcov, version))
	return version

def git_show(commit: str, path: str) -> List[str]:
	return subprocess.run(['git', '-C', os.path.join(BUILD, 'linux'), 'show',
			       '%s:%s' % (commit, path)], stdout=subprocess.PIPE,
			      universal_newlines=True, check=True).stdout.splitlines()

def unit_sections(unit: Unit, logs: Sequence[Tuple[str, Dict[str, Dump]]], flavour: str,
		  work: str, gcov: str, commit: str) -> List[Section]:
	"""The sections of one object: none if it was not profiled or not dumped."""
	gcno_path = os.path.join(BUILD, 'kbuild', flavour, 'mm', unit.name + '.gcno')
	if not os.path.exists(gcno_path):
		print('%s: not profiled in this kernel (no %s)' % (unit.name, gcno_path),
		      file=sys.stderr)
		return []
	gcno = read(gcno_path, 'rb')
	stamp = header(gcno, GCOV_NOTE_MAGIC, gcno_path)[2]
	dumps = []
	for log, found in logs:
		d = found.get(unit.name)
		if d is None:
			print('%s: no %s.gcda dump' % (log, unit.name), file=sys.stderr)
			continue
		if header(d.data, GCOV_DATA_MAGIC, log)[2] != stamp:
			raise ReportError('%s: counters of another build than %s (stamps differ): '
					  'was the object tree rebuilt after the run?' % (log, gcno_path))
		dumps.append(d)
	if not dumps:
		return []
	jsons = [run_gcov(gcov, os.path.join(work, unit.name, 'run%d' % (i + 1)), unit.name,
			  gcno, d.data) for i, d in enumerate(dumps)]
	merged = run_gcov(gcov, os.path.join(work, unit.name, 'merged'), unit.name, gcno,
			  merge_gcda(dumps))
	return [Section(unit, path, git_show(commit, path), coverage(merged, unit.name, path),
			[(d, coverage(j, unit.name, path)) for d, j in zip(dumps, jsons)])
		for path in unit.sources]

def main(argv: Sequence[str]) -> int:
	parser = argparse.ArgumentParser(
		description='Coverage of %s from the console logs of gcov kernel runs.' %
		', '.join(sorted({p for u in UNITS for p in u.sources})))
	parser.add_argument('logs', nargs='+', metavar='LOG', help='console log with a gcov-dump')
	parser.add_argument('--flavour', default='x86_64-debug-gcov',
			    help='the kernel\'s flavour: build/kbuild/FLAVOUR (default %(default)s)')
	parser.add_argument('--variant', default='series',
			    help='build/kernels/FLAVOUR-VARIANT (default %(default)s)')
	parser.add_argument('--out', default=os.path.join(TOP, 'out', 'coverage'),
			    help='directory to write (default out/coverage)')
	parser.add_argument('--gcov', default='gcov', help='gcov program (default %(default)s)')
	args = parser.parse_args(argv)

	try:
		kernel = args.flavour + '-' + args.variant
		kdir = os.path.join(BUILD, 'kernels', kernel)
		commit = read(os.path.join(kdir, 'commit')).strip()
		cc = compiler(read(os.path.join(kdir, 'config')))
		gcov_version = check_versions(cc, args.gcov)
		logs = [(log, parse_log(log)) for log in args.logs]
		work = os.path.join(args.out, 'work')
		shutil.rmtree(work, ignore_errors=True)
		sections = []
		for unit in UNITS:
			sections += unit_sections(unit, logs, args.flavour, work, args.gcov, commit)
		if not sections:
			raise ReportError('no coverage data in %s' % ' '.join(args.logs))
		texts = [gcov_text(sec.merged, sec.path, sec.unit.name, sec.source, commit,
				   len(sec.runs)) for sec in sections]
	except (ReportError, subprocess.CalledProcessError) as e:
		print('gcov-report: %s' % e, file=sys.stderr)
		return 1

	for sec, text in zip(sections, texts):
		with open(os.path.join(args.out, sec.gcov_name()), 'w') as f:
			f.write(text)
	with open(os.path.join(args.out, 'report.md'), 'w') as f:
		f.write(report(sections, kernel, commit, cc, gcov_version))
	for sec in sections:
		print('%s: lines %s, branches %s' % (sec.title(), pct(*sec.merged.line_totals()),
						     pct(*sec.merged.branch_totals())))
	# the last line: what check-debug shows
	first = sections[0]
	print('%s: lines %s, branches %s; %d files in %s' % (
		first.title(), pct(*first.merged.line_totals()), pct(*first.merged.branch_totals()),
		len(sections), os.path.relpath(os.path.join(args.out, 'report.md'))))
	return 0

if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
