#!/usr/bin/env python3
"""judge_summary.py FILE... — the issue-16 judging table from bench_forecast outputs.

Reads the "summary" lines that bench_forecast prints per scenario and seed
(summary<TAB>scenario<TAB>seed<TAB>ours/oracle MAE<TAB>ours/oracle interval score<TAB>
coverage over waits >= 2 min<TAB>below naive, QL and EWMA 0/1) and prints, per scenario,
every seed's MAE ratio, the worst run of each target and whether it is met.
Usage: bench_forecast --days 20 --seed S --no-queue 1 > seedS.txt (S = 1..6); then
       bench/forecast/judge_summary.py seed*.txt
"""
import sys
from collections import defaultdict

rows = defaultdict(dict)
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("summary\t"):
                continue
            _, scen, seed, mae, interval, cov, below = line.rstrip("\n").split("\t")
            rows[scen][int(seed)] = (float(mae), float(interval), float(cov), below == "1")

seeds = sorted({s for r in rows.values() for s in r})
print("| scenario | " + " | ".join("seed %d" % s for s in seeds) +
      " | worst MAE ratio (≤ 1.05) | worst interval-score ratio (≤ 1.10) | coverage ≥ 2 min (75–88%) | below naive/QL/EWMA |")
print("|---" * (len(seeds) + 5) + "|")
all_met = True
for scen in sorted(rows):
    r = rows[scen]
    maes = [r[s][0] for s in seeds if s in r]
    ints = [r[s][1] for s in seeds if s in r]
    covs = [r[s][2] for s in seeds if s in r]
    below = all(r[s][3] for s in seeds if s in r)
    ok = max(maes) <= 1.05 and max(ints) <= 1.10 and min(covs) >= 0.75 and max(covs) <= 0.88 and below
    all_met = all_met and ok
    cells = ["%.3f" % r[s][0] if s in r else "–" for s in seeds]
    print("| %s | %s | %s%.3f | %s%.3f | %s%.1f–%.1f%% | %s |" % (
        scen, " | ".join(cells),
        "" if max(maes) <= 1.05 else "**miss** ", max(maes),
        "" if max(ints) <= 1.10 else "**miss** ", max(ints),
        "" if min(covs) >= 0.75 and max(covs) <= 0.88 else "**miss** ", 100 * min(covs), 100 * max(covs),
        "all runs" if below else "**not on every run**"))
print("\nevery target on every run: %s" % ("met" if all_met else "NOT met"))
