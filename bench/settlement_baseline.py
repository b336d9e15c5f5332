#!/usr/bin/env python3
"""Baseline for bench/settlement_bench: what a data team would write with the csv module.

Reads GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 files, finds columns by header name, converts
amounts in the file's number format (comma decimals when the currency is written that way) with
Decimal (money: floats would not tie to the cent) and sums them by transaction-type, amount-type
and amount-description. Prints one JSON object: seconds and cpu_seconds (best of --runs), bytes,
rows, peak RSS, and the sums in minor units so the C++ side can check both computed the same thing.
"""
import csv
import json
import os
import sys
import time
from decimal import Decimal

# Currencies whose settlement files write `1.234,56` (the generated files are USD and EUR/DE).
COMMA_CURRENCIES = {"EUR", "SEK", "PLN", "TRY", "BRL"}


def sum_file(path, sums):
    rows = 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}
        tt, at, ad = col["transaction-type"], col["amount-type"], col["amount-description"]
        amount, currency = col["amount"], col["currency"]
        comma = False
        for row in reader:
            if not row[tt]:
                comma = row[currency] in COMMA_CURRENCIES  # the summary row
                continue
            text = row[amount]
            if comma:
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
            key = (row[tt], row[at], row[ad])
            sums[key] = sums.get(key, Decimal(0)) + Decimal(text)
            rows += 1
    return rows


def peak_rss_mb():
    # VmHWM belongs to this process image (reset by exec), unlike ru_maxrss.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def main():
    args = sys.argv[1:]
    runs = 1
    if args and args[0] == "--runs":
        runs, args = int(args[1]), args[2:]
    best = best_cpu = None
    for _ in range(runs):
        sums = {}
        start, cpu_start = time.perf_counter(), time.process_time()
        rows = sum(sum_file(p, sums) for p in args)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if best is None or elapsed < best:
            best, best_cpu = elapsed, cpu
    print(json.dumps({
        "seconds": best,
        "cpu_seconds": best_cpu,
        "bytes": sum(os.path.getsize(p) for p in args),
        "rows": rows,
        "peak_rss_mb": peak_rss_mb(),
        "sums": {"\t".join(k): int(v * 100) for k, v in sorted(sums.items())},
    }))


if __name__ == "__main__":
    main()
