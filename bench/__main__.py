"""Run the benchmark: `python -m bench [--scale small|full] [--only NAME]` (see README)."""

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import bench


def _load_figures() -> None:
    for module in pkgutil.iter_modules(bench.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"bench.{module.name}")


def _format(value, unit="") -> str:
    if value is None:
        return "-"
    return f"{value:,.3g}{unit}" if abs(value) < 1000 else f"{value:,.0f}{unit}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", choices=["small", "full"], default="full")
    parser.add_argument("--only", action="append", help="run only figures whose name contains this")
    args = parser.parse_args(argv)
    # The bench settings: production on the bench's own database (observatoire/settings/bench.py).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.bench")
    import django

    django.setup()
    _load_figures()

    started = time.monotonic()
    context = {"scale": args.scale}
    results = []
    durations = {}  # seconds each figure took, to keep the whole run within its budget
    for fig in sorted(bench.REGISTRY, key=lambda f: f.order):
        if args.only and not any(part in fig.name for part in args.only):
            continue
        print(f"… {fig.name}", file=sys.stderr, flush=True)
        began = time.monotonic()
        produced = fig.function(context)
        durations[fig.name] = round(time.monotonic() - began, 1)
        print(f"  {fig.name}: {durations[fig.name]} s", file=sys.stderr, flush=True)
        results.extend(produced if isinstance(produced, list) else [produced])

    rows = [("figure", "value", "floor", "ratio", "target", "met")]
    for r in results:
        comparator = {"max": "<=", "min": ">=", "limit": "<="}[r.kind]
        rows.append(
            (
                r.name,
                _format(r.value, r.unit),
                _format(r.floor, r.unit),
                _format(r.ratio),
                f"{comparator} {_format(r.target)}" if r.target is not None else "-",
                {True: "yes", False: "NO", None: "-"}[r.met],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))

    out = Path(os.environ.get("VAR_DIR", "var")) / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "date": stamp,
        "scale": args.scale,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "seconds": round(time.monotonic() - started, 1),
        "durations": durations,
        "results": [r.as_dict() for r in results],
    }
    (out / f"{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (out / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\n{len(results)} figures in {report['seconds']} s; JSON in {out}/{stamp}.json")
    return 1 if any(r.met is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
