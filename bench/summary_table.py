#!/usr/bin/env python3
"""Summary table (汇总表) for 1,000 recommended cases: Excel and PDF generation time.

    .venv/bin/python bench/summary_table.py [--rows 1000]

Target (issue 5): under 2 s for 1,000 rows. The baseline is writing the same rows as CSV in
the same run. Rows are generated (no real names); nothing touches the database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _submissions(count: int) -> list[SimpleNamespace]:
    from xinan.demo.services.people import make_name

    rng = random.Random(5)
    triggers, natures = ["学业", "家庭", "恋爱", "疾患"], ["自我伤害", "轻生自杀", "攻击伤人"]
    return [
        SimpleNamespace(
            title=f"携手同行 守护生命（第{n}例）",
            subtitle=f"——一例由{rng.choice(triggers)}挫折引发的{rng.choice(natures)}危机的干预报告",
            outcome="successful",
            filer=SimpleNamespace(name=make_name(rng)),
            contact_phone=f"1360000{n:04d}",
            school=SimpleNamespace(name=f"基准学校{n % 97:03d}"),
            authors=[{"name": make_name(rng), "unit": "某大学心理中心", "position": "专职咨询师"}],
            trigger=rng.choice(triggers),
            nature=rng.choice(natures),
        )
        for n in range(1, count + 1)
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args(argv)
    os.environ.setdefault("XINAN_DATA_DIR", str(ROOT / "var" / "bench" / "summary"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from xinan.selection.services.summary import build_summary_pdf, build_summary_xlsx, summary_rows

    campaign = SimpleNamespace(title="2026年高校学生心理危机干预案例征集")
    province = SimpleNamespace(name="基准省")
    rows = summary_rows(_submissions(args.rows))
    common = {
        "campaign": campaign,
        "province": province,
        "generated_at": dt.datetime.now(dt.UTC),
        "code": "ABCD-EF01-2345",
        "digest": "0" * 64,
    }

    started = time.perf_counter()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    xlsx = build_summary_xlsx(rows, **common)
    xlsx_time = time.perf_counter() - started
    started = time.perf_counter()
    pdf = build_summary_pdf(rows, **common)
    pdf_time = time.perf_counter() - started

    print(f"\nsummary table, {args.rows} rows (target: both under 2 s)")
    print(f"{'output':<26}{'seconds':>10}{'× baseline':>14}{'size KB':>10}")
    print(f"{'baseline: CSV of the rows':<26}{baseline:>10.3f}{1.0:>14.1f}{len(buffer.getvalue()) // 1024:>10}")
    print(f"{'Excel (.xlsx)':<26}{xlsx_time:>10.3f}{xlsx_time / baseline:>14.0f}{len(xlsx) // 1024:>10}")
    print(f"{'PDF (A4, CJK font)':<26}{pdf_time:>10.3f}{pdf_time / baseline:>14.0f}{len(pdf) // 1024:>10}")
    return 0 if max(xlsx_time, pdf_time) < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
