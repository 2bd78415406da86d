"""Write p180_fidelity.json from the committed p180 logs in logs/: `python experiments/2026-11-28_p180_fidelity/make_fidelity_json.py`.

Every number in the JSON is computed from logs/ by `golf_nb.bench.fidelity_report`; only the three strings
below (where and how the logs were made) are stated here. nbs/97_bench.ipynb checks that the JSON stays equal to
the report.
"""
import sys
from pathlib import Path

from golf_nb.bench import fidelity_report
from golf_nb.train import write_json_atomic

HERE = Path(__file__).resolve().parent
MACHINE = "4x NVIDIA H200 (one run per GPU, four runs concurrently)"
COMMAND = "RUN_TIMEOUT=440 bash experiments/2026-11-28_p180_fidelity/p180_fidelity.sh"
SETUP = "the zstandard wheel installed first (pip install zstandard); data copied to .gpu/data, the seed's script to .seed/"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    logs = Path(argv[0]) if argv else HERE / "logs"
    out = Path(argv[1]) if len(argv) > 1 else HERE / "p180_fidelity.json"
    write_json_atomic(out, fidelity_report(logs, machine=MACHINE, command=COMMAND, setup=SETUP))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
