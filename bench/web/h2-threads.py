#!/usr/bin/env python3
"""Where our web JVM's CPU goes in each h2load run of bench/web/run.sh, thread by thread.

  python3 bench/web/h2-threads.py record FILE &   # before bench/web/run.sh (PARTS=h2); ends with the JVM
  python3 bench/web/h2-threads.py report FILE     # afterwards: one line per h2load run

record finds the bench's web JVM (WebServerMain on port 18080), then every 0.5 s writes each of its
threads' CPU ticks (/proc/PID/task/TID/stat, utime + stime) and every h2load's, labelled with the
server it loads (d: ours on 18443, n: nginx) and its request count. report prints, for every h2load
run that lasted at least a sample, its seconds, h2load's CPU and our JVM's, total and per thread
(busiest first), as percent of one core. It showed the C2 compiler at 18-70 % of a core in the
measured h2 rounds under the bench's old warm-up (see the h2 comment in run.sh).
"""
import collections
import os
import sys
import time


def ticks(path):
    stat = open(path).read()
    fields = stat[stat.rindex(')') + 2:].split()
    return int(fields[11]) + int(fields[12])


def web_jvm():
    while True:
        for p in filter(str.isdigit, os.listdir('/proc')):
            try:
                cmd = open(f'/proc/{p}/cmdline', 'rb').read()
            except OSError:
                continue
            if b'WebServerMain' in cmd and b'\x0018080\x00' in cmd:
                return p
        time.sleep(0.1)


def record(out_path):
    pid = web_jvm()
    with open(out_path, 'w') as out:
        while os.path.isdir(f'/proc/{pid}'):
            now, lines = time.time(), []
            try:
                for tid in os.listdir(f'/proc/{pid}/task'):
                    try:
                        name = open(f'/proc/{pid}/task/{tid}/comm').read().strip().replace(' ', '_')
                        lines.append(f'{now:.3f} {tid} {name} {ticks(f"/proc/{pid}/task/{tid}/stat")}')
                    except OSError:
                        pass
            except OSError:
                break
            for p in filter(str.isdigit, os.listdir('/proc')):
                try:
                    if open(f'/proc/{p}/comm').read().strip() != 'h2load':
                        continue
                    args = open(f'/proc/{p}/cmdline', 'rb').read().split(b'\0')
                    who = 'd' if any(a.endswith(b':18443') for a in args) else 'n'
                    count = args[args.index(b'-n') + 1].decode()
                    lines.append(f'{now:.3f} {p} h2load_{who}_{count} {ticks(f"/proc/{p}/stat")}')
                except (OSError, ValueError, IndexError):
                    pass
            out.write('\n'.join(lines) + '\n')
            out.flush()
            time.sleep(0.5)


def report(path):
    runs, jvm, names = collections.OrderedDict(), collections.defaultdict(dict), {}
    for line in open(path):
        t, tid, name, n = line.split()
        t, n = float(t), int(n)
        if name.startswith('h2load_'):
            run = runs.setdefault(tid, [name, t, t, n, n])
            run[2], run[4] = t, n
        else:
            jvm[t][tid], names[tid] = n, name
    hz = os.sysconf('SC_CLK_TCK')
    for name, start, end, first, last in runs.values():
        secs = end - start
        if secs <= 0:
            continue
        used = {tid: n - jvm[start].get(tid, 0) for tid, n in jvm[end].items()}
        pct = lambda n: 100 * n / hz / secs
        busiest = sorted(used.items(), key=lambda kv: -kv[1])[:6]
        print(f'{name:18s} {secs:4.1f}s h2load {pct(last - first):3.0f}%  jvm {pct(sum(used.values())):3.0f}%: '
              + ' '.join(f'{names[tid]}={pct(n):.0f}%' for tid, n in busiest if n > 0))


if __name__ == '__main__':
    {'record': record, 'report': report}[sys.argv[1]](sys.argv[2])
