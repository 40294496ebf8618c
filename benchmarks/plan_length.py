"""Word counts of the care plans over the bundled SYNTHETIC scenarios.

Prints, per scenario, the words of the summary (up to the detail), of the whole Markdown plan and
of the source list, then the median and the largest. Run: python benchmarks/plan_length.py
"""

from __future__ import annotations

import statistics

from myositis.reports import to_markdown
from myositis.reports.careplan import word_count
from myositis.services.careplan import build_care_plan
from myositis.services.scenarios import load_scenarios


def main() -> None:
    rows = []
    for scenario in load_scenarios():
        text = to_markdown(build_care_plan(scenario))
        summary = text.split("## Before starting")[0].split("## Detail")[0]
        sources = text.split("### Sources")[-1]
        rows.append((scenario.id, word_count(summary), word_count(text), word_count(sources)))
    print(f"{'scenario':<14}{'summary':>9}{'full':>7}{'sources':>9}")
    for row in rows:
        print(f"{row[0]:<14}{row[1]:>9}{row[2]:>7}{row[3]:>9}")
    for label, index in (("summary", 1), ("full", 2)):
        values = [r[index] for r in rows]
        print(f"{label}: median {statistics.median(values):.0f}, largest {max(values)}")


if __name__ == "__main__":
    main()
