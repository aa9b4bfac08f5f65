#!/usr/bin/env python3
"""Demo input for self-assessment and appraisal (SPEC §3.3): Thừa Thiên Huế's departments
in 2023 assessed themselves before the council appraised them.

    python scripts/appraisal_demo.py [DATA_DIR]      (default: data)

writes DATA_DIR/submissions/2023/thuathienhue_dti_tu_danh_gia_2023.csv, a long file with a
`stage` column (`tự đánh giá`): for every value of the appraised file
(thuathienhue_dti_so_nganh_2023.csv, which keeps the published figures) a self-assessed
value, most a little above the appraisal (units over-score themselves), some below,
never above the indicator's maximum. One indicator of the Sở Y tế (46.SYT) is still waiting
for its appraisal: its row is taken out of the appraised file and its self-assessed value
is the appraised one it replaces, so every published total stays as it was and the unit is
provisional. Re-running gives the same files. Stdlib only.
"""
import csv
import random
import re
import sys
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

SEED = 20231
PENDING = ("46.SYT", "NT.1.1.1")  # appraisal not done yet
INDICATOR = re.compile(r"\{code: ([A-Z0-9_.]+), name: .*?, max: ([0-9.]+), rule:")


def main(data: Path) -> None:
    maxima = {code: D(mx) for code, mx in INDICATOR.findall(
        (data / "frameworks" / "tth-dti-department-2023.yaml").read_text(encoding="utf-8"))}
    folder = data / "submissions" / "2023"
    appraised_path = folder / "thuathienhue_dti_so_nganh_2023.csv"
    self_path = folder / "thuathienhue_dti_tu_danh_gia_2023.csv"
    with appraised_path.open(encoding="utf-8", newline="") as f:
        appraised = list(csv.reader(f))
    header, rows = appraised[0], appraised[1:]
    pending = [row for row in rows if tuple(row[:2]) == PENDING]
    if pending:  # first run: the row moves out of the appraised file
        pending_value = pending[0][2]
        rows = [row for row in rows if tuple(row[:2]) != PENDING]
    else:  # a re-run: it is in the self-assessment already
        with self_path.open(encoding="utf-8", newline="") as f:
            pending_value = next(row[3] for row in csv.reader(f) if tuple(row[:2]) == PENDING)

    rng = random.Random(SEED)
    out = [["unit_code", "indicator_code", "stage", "value"]]
    for unit, indicator, value in sorted(rows + [[*PENDING, pending_value]]):
        if (unit, indicator) == PENDING or not re.fullmatch(r"[0-9.]+", value):
            self_value = value  # N/A stays N/A
        else:
            factor = D(str(1 + rng.choice([0, 0, 0.05, 0.1, 0.15, 0.2, -0.05])))
            self_value = min(maxima[indicator], (D(value) * factor).quantize(D("0.01"), ROUND_HALF_UP))
            self_value = format(self_value.normalize(), "f")
        out.append([unit, indicator, "tự đánh giá", self_value])
    with self_path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
    with appraised_path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *rows])
    print(f"{self_path}: {len(out) - 1} self-assessed values; {PENDING[0]} {PENDING[1]} awaits its appraisal")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data"))
