"""Run a notebook's code cells in order, `#| cuda` ones included, on a machine without nbdev (the GPU machine).

    python experiments/lib/run_nb_cells.py nbs/34_kernels.ipynb [--skip slow,parity]

tests/test_notebooks.py runs notebooks through nbdev's test runner, which skips `#| cuda` cells where no GPU is; the
GPU machine has no nbdev, execnb or IPython, so this runs the same cells with plain `exec` in one namespace, in
order. Cells that call nbdev (the export cell) and cells flagged with a `--skip` flag are left out; a cell that
raises stops the run with the cell's number and exit status 1. fastcore must be importable (carry its wheel).
"""
from __future__ import annotations
import argparse, json, linecache, re, sys, time, traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLAG = re.compile(r"^#\|\s*(\w+)\s*$", re.M)

def code_cells(nb_path: Path, skip: set[str]) -> list[tuple[int, str, set[str]]]:
    "`(index, source, flags)` of each code cell of the notebook that runs: none calling nbdev, none flagged in `skip`."
    nb = json.loads(nb_path.read_text())
    out = []
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] != "code": continue
        src = "".join(c["source"])
        flags = set(FLAG.findall(src))
        if "nbdev" in src or flags & skip: continue
        out.append((i, src, flags))
    return out

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook", type=Path)
    ap.add_argument("--skip", default="slow,parity", help="comma-separated cell flags to leave out")
    ns = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    cells = code_cells(ns.notebook, set(filter(None, ns.skip.split(","))))
    glb = {"__name__": "__main__"}
    for i, src, flags in cells:
        t0 = time.perf_counter()
        fname = f"<{ns.notebook.name} cell {i}>"   # in linecache: triton.jit and inspect read a kernel's source there
        linecache.cache[fname] = (len(src), None, src.splitlines(keepends=True), fname)
        try: exec(compile(src, fname, "exec"), glb)
        except Exception:
            traceback.print_exc()
            print(f"FAILED: {ns.notebook} cell {i} ({', '.join(sorted(flags)) or 'no flags'})", flush=True)
            return 1
        print(f"cell {i} ok in {time.perf_counter() - t0:.1f} s" + (f" [{', '.join(sorted(flags))}]" if flags else ""), flush=True)
    print(f"{ns.notebook}: {len(cells)} cells ran", flush=True)
    return 0

if __name__ == "__main__": sys.exit(main())
