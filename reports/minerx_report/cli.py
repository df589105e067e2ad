"""minerx-report RESULTS.db --out DIR [--baseline FILE] [--write-summary FILE]

Exit statuses: 0 done; 1 a metric moved past its tolerance from the baseline; 2 usage error;
65 (EX_DATAERR) not a minerx results database or tables/columns missing; 66 (EX_NOINPUT) the
database or the baseline file does not exist.
"""
import argparse
import json
import os
import sys

from . import metrics, plots, render, summary
from .results_db import EX_DATAERR, EX_NOINPUT, ResultsDb, ResultsError

DESCRIPTION = """\
Writes DIR/report.md and a self-contained DIR/index.html (plots as PNG files beside them and
embedded in the HTML) comparing a pool's reward policies: income stability by member size class,
luck, fairness, the cost to large members and to the operator, the smoothed policy's reserve,
the network's orphan rates and delays, and the theory beside the simulation. RESULTS.db is a
`minerx-sim run` or `minerx-sim sweep` database (docs/results-schema.md); for a sweep the tables
show means over seeds with 95 % t-intervals. Metrics and tolerances: docs/reports.md."""

EPILOG = """\
exit status: 0 done, 1 a metric moved past its tolerance from --baseline, 2 usage,
65 not a minerx results database (or tables missing), 66 input file missing.
example: minerx-report results/network-2021.db --out results/network-2021-report"""


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="minerx-report", description=DESCRIPTION, epilog=EPILOG,
        usage="%(prog)s RESULTS.db --out DIR [--baseline FILE] [--write-summary FILE]",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", metavar="RESULTS.db", help="results database to report on")
    parser.add_argument("--out", metavar="DIR", required=True,
                        help="directory for report.md, index.html and the plots (created)")
    parser.add_argument("--baseline", metavar="FILE",
                        help="summary JSON to compare with; exit 1 when a metric moved past "
                             "its tolerance")
    parser.add_argument("--write-summary", metavar="FILE",
                        help="write the machine-readable summary (JSON) here")
    return parser.parse_args(argv)


def run(args):
    baseline = None
    if args.baseline:
        if not os.path.isfile(args.baseline):
            raise ResultsError(f"{args.baseline}: no such baseline file", EX_NOINPUT)
        try:
            with open(args.baseline, encoding="utf-8") as f:
                baseline = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise ResultsError(f"{args.baseline}: not a summary JSON file: {e}",
                               EX_DATAERR) from e
        if baseline.get("format") != summary.FORMAT:
            raise ResultsError(f"{args.baseline}: not a {summary.FORMAT} file", EX_DATAERR)
    db = ResultsDb(args.database)
    try:
        computed = [metrics.compute(db.load(info)) for info in db.runs]
    finally:
        db.close()
    if not any(rm.pools for rm in computed):
        raise ResultsError(f"{args.database}: the run has no pool with policies to compare",
                           EX_DATAERR)
    points = summary.group_runs(computed)
    os.makedirs(args.out, exist_ok=True)
    figures = plots.make_all(points[0].runs[0], points, args.out)
    render.write(points, figures, args.database, args.out)
    result = summary.build(points, os.path.basename(args.database))
    if args.write_summary:
        summary.write(result, args.write_summary)
    print(f"minerx-report: wrote {os.path.join(args.out, 'index.html')} and report.md")
    if baseline is None:
        return 0
    deviations, problems = summary.compare(result, baseline)
    moved = [d for d in deviations if d.moved]
    if moved or problems:
        print(f"minerx-report: {len(moved)} of {len(deviations)} metrics moved past their "
              f"tolerance from {args.baseline} (docs/reports.md):", file=sys.stderr)
        print(summary.format_comparison(deviations, problems), file=sys.stderr)
        return 1
    print(f"minerx-report: all {len(deviations)} metrics within tolerance of {args.baseline}")
    return 0


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except ResultsError as e:
        print(f"minerx-report: {e}", file=sys.stderr)
        return e.status


if __name__ == "__main__":
    sys.exit(main())
