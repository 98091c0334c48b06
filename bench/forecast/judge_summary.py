#!/usr/bin/env python3
"""judge_summary.py FILE... — the issue-16 judging table from bench_forecast outputs.

Reads the "summary" lines that bench_forecast prints per scenario and seed (tab-separated:
summary, scenario, seed, days, oracle forks, ours MAE, oracle MAE, ours p90, oracle p90,
ours interval score, oracle interval score, ours coverage over all waits, ours coverage over
waits >= 2 min, ours below naive, QL and EWMA 0/1) and prints, per scenario, every seed's
ours/oracle MAE, the worst run of each figure and whether each target holds on every run.

The judged set is every scenario for 20 days with seeds 1-6; the worst run counts, not a mean.
A scenario with a missing seed, another number of days or mixed oracle forks is reported as
"not judged" and the verdict is not "met": a partial set cannot pass.

Targets (issue 16): ours MAE <= 1.05 x the oracle's; interval score <= 1.10 x the oracle's;
coverage of the 80% range over waits >= 2 min within 75-88%; ours MAE below naive, QL and EWMA.
Reported without a target: ours/oracle p90 absolute error, coverage over all waits, and the
worst ours/oracle MAE of a new office's first day alone (the "first_day" lines: scenario, seed,
ours MAE, oracle MAE, tickets; "–" for outputs without them), and ours/oracle MAE over the
tickets issued in the first 15 minutes of a surge or an unplanned closure, pooled over the seeds
(the "onset" lines: scenario, seed, ours MAE, oracle MAE, tickets, ours and oracle interval
score; "–" where nothing was disrupted). With "blind" lines (bench_forecast --blind-oracle-paths:
scenario, seed, ours MAE, blind oracle MAE, ours and blind oracle interval score), a second
table against the oracle not told who has already left, which no device knows either
(reported, not judged; the runs of the main table without a blind line are named).

Usage: bench_forecast --days 20 --seed S --no-queue 1 > seedS.txt (S = 1..6); then
       bench/forecast/judge_summary.py seed*.txt
       judge_summary.py --self-test   (the ctest forecast_judge_refuses_partial_or_missed_sets)
Exit status: 0 every target met on the judged set, 1 a target missed, 2 the set is incomplete
or a file unreadable.
"""
import contextlib
import io
import os
import sys
import tempfile
from collections import defaultdict

JUDGED_DAYS = 20
JUDGED_SEEDS = [1, 2, 3, 4, 5, 6]
FIELDS = 14


def read(paths):
    rows = defaultdict(dict)
    first = defaultdict(dict)
    onset = defaultdict(dict)
    blind = defaultdict(dict)
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.startswith("blind\t"):
                    cells = line.rstrip("\n").split("\t")
                    if len(cells) != 7:
                        sys.exit("%s:%d: a blind line has %d fields, 7 expected" % (path, number, len(cells)))
                    blind[cells[1]][int(cells[2])] = tuple(float(x) for x in cells[3:7])
                    continue
                if line.startswith("onset\t"):
                    cells = line.rstrip("\n").split("\t")
                    if len(cells) != 8:
                        sys.exit("%s:%d: an onset line has %d fields, 8 expected" % (path, number, len(cells)))
                    onset[cells[1]][int(cells[2])] = (float(cells[3]), float(cells[4]), int(cells[5]))
                    continue
                if line.startswith("first_day\t"):
                    cells = line.rstrip("\n").split("\t")
                    if len(cells) != 6:
                        sys.exit("%s:%d: a first_day line has %d fields, 6 expected" % (path, number, len(cells)))
                    first[cells[1]][int(cells[2])] = (float(cells[3]), float(cells[4]))
                    continue
                if not line.startswith("summary\t"):
                    continue
                cells = line.rstrip("\n").split("\t")
                if len(cells) != FIELDS:
                    sys.exit("%s:%d: a summary line has %d fields, %d expected (a bench_forecast older than "
                             "the p90/coverage columns? rebuild and rerun it)" % (path, number, len(cells), FIELDS))
                _, scen, seed, days, forks = cells[:5]
                v = [float(x) for x in cells[5:13]]
                run = dict(days=int(days), forks=int(forks), ours=v[0], oracle=v[1], p90=v[2], p90_oracle=v[3],
                           interval=v[4], interval_oracle=v[5], cov=v[6], cov2=v[7], below=cells[13] == "1")
                if int(seed) in rows[scen]:
                    sys.exit("%s:%d: %s seed %s appears twice" % (path, number, scen, seed))
                rows[scen][int(seed)] = run
    return rows, first, onset, blind


def ratio(a, b):
    return a / b if b > 0 else float("inf")


def main(paths):
    if not paths:
        sys.exit(__doc__)
    rows, first, onset, blind = read(paths)
    if not rows:
        print("no summary lines in %s" % " ".join(paths), file=sys.stderr)
        return 2
    seeds = sorted({s for r in rows.values() for s in r})
    print("| scenario | " + " | ".join("seed %d" % s for s in seeds) +
          " | worst MAE ratio (≤ 1.05): seed, ours / oracle min | worst p90 ratio (reported) "
          "| worst interval-score ratio (≤ 1.10) | coverage ≥ 2 min (75–88%) | coverage, all waits (reported) "
          "| below naive/QL/EWMA | first day alone: worst ours/oracle MAE, seed (reported) "
          "| a disruption's first 15 min: ours/oracle MAE pooled, tickets (reported) |")
    print("|---" * (len(seeds) + 9) + "|")
    all_met, complete, gaps = True, True, []
    for scen in sorted(rows):
        r = rows[scen]
        runs = [(s, r[s]) for s in seeds if s in r]
        days = {x["days"] for _, x in runs}
        forks = {x["forks"] for _, x in runs}
        judged = sorted(r) == JUDGED_SEEDS and days == {JUDGED_DAYS} and len(forks) == 1
        complete = complete and judged
        worst_seed, worst = max(runs, key=lambda sr: ratio(sr[1]["ours"], sr[1]["oracle"]))
        mae = ratio(worst["ours"], worst["oracle"])
        p90 = max(ratio(x["p90"], x["p90_oracle"]) for _, x in runs)
        interval = max(ratio(x["interval"], x["interval_oracle"]) for _, x in runs)
        cov2 = [x["cov2"] for _, x in runs]
        cov = [x["cov"] for _, x in runs]
        below = all(x["below"] for _, x in runs)
        ok_mae, ok_int = mae <= 1.05, interval <= 1.10
        ok_cov = min(cov2) >= 0.75 and max(cov2) <= 0.88
        all_met = all_met and ok_mae and ok_int and ok_cov and below
        cells = ["%.3f" % ratio(r[s]["ours"], r[s]["oracle"]) if s in r else "–" for s in seeds]
        name = scen if judged else scen + " (incomplete)"
        if not judged:
            gaps.append("%s: seeds %s, days %s, forks %s" % (scen, sorted(r), sorted(days), sorted(forks)))
        miss = lambda ok: "" if ok else "**miss** "
        day0 = [(ratio(o, q), s) for s, (o, q) in first.get(scen, {}).items() if s in r]
        day0_cell = "%.2f, seed %d" % max(day0) if day0 else "–"
        hit = [v for s, v in onset.get(scen, {}).items() if s in r]
        n_hit = sum(n for _, _, n in hit)
        onset_cell = "%.3f, %d" % (ratio(sum(o * n for o, _, n in hit), sum(q * n for _, q, n in hit)), n_hit) if n_hit else "–"
        print("| %s | %s | %s%.3f: seed %d, %.2f / %.2f | %.3f | %s%.3f | %s%.1f–%.1f%% | %.1f–%.1f%% | %s | %s | %s |" % (
            name, " | ".join(cells), miss(ok_mae), mae, worst_seed, worst["ours"], worst["oracle"], p90,
            miss(ok_int), interval, miss(ok_cov), 100 * min(cov2), 100 * max(cov2), 100 * min(cov), 100 * max(cov),
            "all runs" if below else "**not on every run**", day0_cell, onset_cell))
    forks = sorted({x["forks"] for r in rows.values() for x in r.values()})
    print("\noracle forks per ticket: %s" % ", ".join(map(str, forks)))
    if blind:
        print("\nAgainst the oracle not told who has already left (reported, not judged):\n")
        print("| scenario | worst MAE ratio: seed, ours / blind oracle | worst interval-score ratio | runs with MAE ratio ≤ 1.05 |")
        print("|---|---|---|---|")
        within = total = 0
        for scen in sorted(blind):
            b = blind[scen]
            seed, (o, q, oi, qi) = max(b.items(), key=lambda kv: ratio(kv[1][0], kv[1][1]))
            n_ok = sum(ratio(x[0], x[1]) <= 1.05 for x in b.values())
            within, total = within + n_ok, total + len(b)
            print("| %s | %.3f: seed %d, %.2f / %.2f | %.3f | %d of %d |" % (
                scen, ratio(o, q), seed, o, q, max(ratio(x[2], x[3]) for x in b.values()), n_ok, len(b)))
        print("\nruns within 1.05 of the blind oracle: %d of %d" % (within, total))
        # Reported only, but never read as the whole set when it is not: every run of the main
        # table should have its blind line.
        missing = ["%s seed %d" % (scen, s) for scen in sorted(rows) for s in sorted(rows[scen])
                   if s not in blind.get(scen, {})]
        if missing:
            print("the blind oracle is missing on %d of the %d runs above: %s" % (
                len(missing), sum(len(r) for r in rows.values()), ", ".join(missing)))
    if not complete:
        print("incomplete: " + "; ".join(gaps))
        print("every target on every run: NOT JUDGED (the judged set is %d days x seeds %s for every scenario)"
              % (JUDGED_DAYS, "-".join(map(str, [JUDGED_SEEDS[0], JUDGED_SEEDS[-1]]))))
        print("on the runs given: %s" % ("every target met" if all_met else "a target missed"))
        return 2
    print("every target on every run: %s" % ("met" if all_met else "NOT met"))
    return 0 if all_met else 1


def self_test():
    """Fabricated summary lines: the verdict must follow the worst run and the judged set."""
    def line(scen, seed, days=20, ours=2.0, oracle=2.0, interval=10.0, cov2=0.80, below=1):
        return "summary\t%s\t%d\t%d\t48\t%.4f\t%.4f\t5.0\t5.0\t%.4f\t10.0\t0.85\t%.4f\t%d\n" % (
            scen, seed, days, ours, oracle, interval, cov2, below)

    def run(lines):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.writelines(lines)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                code = main([f.name])
        finally:
            os.unlink(f.name)
        return code, out.getvalue()

    good = [line(sc, s) for sc in ("a.toml", "b.toml") for s in JUDGED_SEEDS]
    cases = [
        ("every run within every target", good, 0, "every target on every run: met"),
        ("one run 6% worse than the oracle", good[:-1] + [line("b.toml", 6, ours=2.12)], 1, "**miss** 1.060: seed 6"),
        ("one run's interval score 11% above", good[:-1] + [line("b.toml", 6, interval=11.1)], 1, "**miss** 1.110"),
        ("one run's coverage over waits >= 2 min at 74%", good[:-1] + [line("b.toml", 6, cov2=0.74)], 1, "**miss** 74.0"),
        ("one run not below a baseline", good[:-1] + [line("b.toml", 6, below=0)], 1, "**not on every run**"),
        ("a seed missing", good[:-1], 2, "NOT JUDGED"),
        ("a run of 19 days", good[:-1] + [line("b.toml", 6, days=19)], 2, "NOT JUDGED"),
        ("the best seeds 1-5 only, all met", good[:5] + good[6:11], 2, "NOT JUDGED"),
        ("a first day twice the oracle's is reported, not judged", good + ["first_day\ta.toml\t3\t4.0\t2.0\t100\n",
         "first_day\ta.toml\t4\t2.2\t2.0\t100\n"], 0, "| all runs | 2.00, seed 3 | – |"),
        ("a disruption's first minutes are pooled over the seeds by tickets, not judged",
         good + ["onset\tb.toml\t1\t6.0\t4.0\t10\t20.0\t20.0\n", "onset\tb.toml\t2\t3.0\t3.0\t30\t20.0\t20.0\n"],
         0, "| all runs | – | 1.154, 40 |"),  # (6·10 + 3·30) / (4·10 + 3·30)
        ("the blind oracle's lines make a second table, its worst run first, not judged",
         good + ["blind\ta.toml\t1\t2.0\t2.0\t10.0\t10.0\n", "blind\ta.toml\t2\t2.2\t2.0\t11.0\t10.0\n"],
         0, "| a.toml | 1.100: seed 2, 2.20 / 2.00 | 1.100 | 1 of 2 |"),
        ("a blind table short of the main table's runs says which are missing",
         good + ["blind\ta.toml\t%d\t2.0\t2.0\t10.0\t10.0\n" % s for s in JUDGED_SEEDS if s != 4],
         0, "the blind oracle is missing on 7 of the 12 runs above: a.toml seed 4, b.toml seed 1"),
    ]
    failed = 0
    for name, lines, want_code, want_text in cases:
        code, out = run(lines)
        if code != want_code or want_text not in out:
            failed += 1
            print("FAIL %s: exit %d (want %d), %r %s in:\n%s" % (
                name, code, want_code, want_text, "found" if want_text in out else "not found", out))
        else:
            print("ok   %s: exit %d" % (name, code))
    try:
        run([line("a.toml", 1).rsplit("\t", 2)[0] + "\n"])
        print("FAIL an old-format line was accepted")
        failed += 1
    except SystemExit as e:
        print("ok   an old-format line is refused: %s" % str(e).split(": ", 1)[1][:60])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(self_test() if sys.argv[1:] == ["--self-test"] else main(sys.argv[1:]))
