#!/usr/bin/env python3
"""Summarises `jfr print --json --events jdk.ExecutionSample,jdk.ObjectAllocationSample` for
bench/web/profile.sh: usage jfr-summary.py FILE REQUESTS [TOP].

Prints the event loop's top self-time frames (the sampled stack's top frame), its samples by the
first dev.dnslab frame on the stack (or the first Netty handler when none of ours is there), and the
bytes allocated per request by class: the allocation samples' weights (JFR's estimate of the bytes
allocated since the last sample of that thread) summed, but for each thread's first, and divided by
REQUESTS."""
import collections
import json
import sys


def type_name(frame):
    return frame["method"]["type"]["name"].replace("/", ".")


def frame_name(frame):
    return f'{type_name(frame)}.{frame["method"]["name"]}'


def thread_of(event):
    values = event["values"]
    return (values.get("sampledThread") or values.get("eventThread") or {}).get("javaName") or "?"


def table(title, counter, total, top, unit):
    print(f"-- {title}")
    for name, n in counter.most_common(top):
        print(f"  {100.0 * n / total:5.1f} %  {unit(n):>10}  {name}")


def main():
    path, requests = sys.argv[1], int(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    events = json.load(open(path))["recording"]["events"]
    # The event loop: the thread with the most stack samples (one thread serves every connection).
    loop = collections.Counter(thread_of(e) for e in events if e["type"] == "jdk.ExecutionSample").most_common(1)
    loop = loop[0][0] if loop else None
    self_time = collections.Counter()
    ours = collections.Counter()
    by_thread = collections.Counter()
    allocated = collections.Counter()
    allocated_at = collections.Counter()
    allocated_in_ours = collections.Counter()
    samples = 0
    sampled_threads = set()
    for event in sorted(events, key=lambda e: e["values"]["startTime"]):
        values = event["values"]
        thread = thread_of(event)
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if event["type"] == "jdk.ExecutionSample":
            by_thread[thread] += 1
            if thread != loop:
                continue
            samples += 1
            if frames:
                self_time[frame_name(frames[0])] += 1
            first_ours = next((frame_name(f) for f in frames if type_name(f).startswith("dev.dnslab")), None)
            ours[first_ours or "(no dev.dnslab frame) " + (frame_name(frames[-1]) if frames else "?")] += 1
        elif event["type"] == "jdk.ObjectAllocationSample":
            # A thread's first sample weighs all it allocated since the thread started (before the
            # recording, here the channels of wrk's connections too): not the recorded requests'.
            if thread not in sampled_threads:
                sampled_threads.add(thread)
                continue
            weight = values["weight"]
            allocated[values["objectClass"]["name"].replace("/", ".")] += weight
            caller = next((frame_name(f) for f in frames if not type_name(f).startswith(("java.", "jdk.", "sun."))), "?")
            allocated_at[caller] += weight
            first_ours = next((f"{frame_name(f)} line {f['lineNumber']}" for f in frames if type_name(f).startswith("dev.dnslab")), None)
            allocated_in_ours[first_ours or "(no dev.dnslab frame) " + caller] += weight
    print(f"execution samples by thread: {dict(by_thread.most_common(8))}")
    if samples:
        table(f"event loop {loop}, top self-time frames ({samples} samples)", self_time, samples, top, lambda n: f"{n} smp")
        table("event loop, samples by the first dev.dnslab frame on the stack", ours, samples, top, lambda n: f"{n} smp")
    total = sum(allocated.values())
    print(f"-- allocation: {total / requests:.0f} bytes per request (JFR's sampled estimate, {requests} requests)")
    table("allocated bytes per request by class", allocated, total, top, lambda n: f"{n / requests:.1f} B")
    table("allocated bytes per request by the first non-JDK frame", allocated_at, total, top, lambda n: f"{n / requests:.1f} B")
    table("allocated bytes per request by the first dev.dnslab frame (and line)", allocated_in_ours, total, top, lambda n: f"{n / requests:.1f} B")


main()
