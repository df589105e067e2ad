"""minerx-report: turns a minerx-sim results database into a policy-comparison report.

Modules, one concept each:
  results_db  - opening and validating a results database (single run or sweep), loading one run
  theory      - the closed-form means and variances of docs/theory.md
  metrics     - the report's numbers, computed from one run
  summary     - the machine-readable summary, sweeps' confidence intervals, the baseline check
  plots       - the figures (matplotlib, Agg backend)
  render      - report.md and the self-contained index.html
  cli         - the command line (exit statuses follow sysexits.h)
The metrics are defined in docs/reports.md; the results schema is docs/results-schema.md.
"""
