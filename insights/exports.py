"""Each chart's numbers as CSV, the same numbers the chart draws."""

import csv

from core.csv_export import csv_safe

from .svg import Chart


def write_chart_csv(chart: Chart, out) -> None:
    """Write the chart's table: a header row, then one row per category (formula-guarded)."""
    out.write("\ufeff")  # Excel reads the Bosnian letters as UTF-8 only after a BOM
    writer = csv.writer(out)
    writer.writerow([csv_safe(chart.title), *(csv_safe(h) for h in chart.headers)])
    for label, values in chart.rows:
        writer.writerow([csv_safe(label), *values])
