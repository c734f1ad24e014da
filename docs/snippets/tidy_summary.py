"""Per-arm counts and shares and Fleiss' kappa from a Focus tidy CSV, as the results page shows them.

Usage: python3 tidy_summary.py focus-study-<id>-<stamp>-tidy.csv   (standard library only; prints JSON)
"""
import csv
import json
import sys
from collections import Counter, defaultdict


def summary(path):
    with open(path, newline="", encoding="utf-8") as f:
        # Revoked and excluded readers' answers are exported but, as on the results page, not counted; repeated
        # readings (repeat = 1) are for intra-reader agreement only.
        rows = [
            r
            for r in csv.DictReader(f)
            if r["question"] == "best_map"
            and r["reader_status"] not in ("revoked", "excluded")
            and r.get("repeat", "0") in ("", "0")
        ]
    arms = sorted({r["answer"] for r in rows})
    counts = Counter(r["answer"] for r in rows)
    n = len(rows)
    by_case = defaultdict(Counter)
    for r in rows:
        by_case[r["case_id"]][r["answer"]] += 1
    table = [[c[a] for a in arms] for c in by_case.values()]
    return {
        "n_answers": n,
        "n_readers": len({r["reader"] for r in rows}),
        "counts": {a: counts[a] for a in arms},
        "shares": {a: counts[a] / n for a in arms},
        "fleiss_kappa": fleiss_kappa(table),
    }


def fleiss_kappa(table):
    """Fleiss (1971); None unless every case has the same number (>= 2) of answers, or when chance agreement is 1."""
    totals = {sum(row) for row in table}
    if len(totals) != 1 or min(totals) < 2:
        return None
    k = totals.pop()
    p_bar = sum((sum(v * v for v in row) - k) / (k * (k - 1)) for row in table) / len(table)
    p_e = sum((sum(col) / (len(table) * k)) ** 2 for col in zip(*table))
    return None if p_e >= 1 - 1e-12 else (p_bar - p_e) / (1 - p_e)


if __name__ == "__main__":
    print(json.dumps(summary(sys.argv[1]), indent=2))
