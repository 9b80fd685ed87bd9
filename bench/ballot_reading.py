"""Ballot reading (issue 14): generated scans read by machine, against their ground truth.

    uv run python bench/ballot_reading.py [--quick] [--seed N] [--only accuracy box headline]

Scans come from tests/harness/ballot_scans.py (marked, degraded, saved as PDF / TIFF / JPEG /
PNG), with a new seed each run unless ``--seed``; the 60-name list scanned at ``--dpi`` (150),
the 200-name list at ``--dpi-long`` (300, the setting docs/ballot-reading.md gives for long
lists). Generating them is never timed. Clear ballots sent to the committee are also counted by
the voter's pen (``clear_by_pen``). Figures:

1. **wrong and not flagged** (target 0): the 60-name list (2,000 ballots) and the 200-name list
   (200), and a held-out set of each (``held_out=True``: worse scans and pens) reported apart.
   A wrong read is a sheet whose verdict is valid or invalid but whose marks or verdict differ
   from the truth, or a truth ballot of a committee category that was not sent to the
   committee; a sheet missing, or one the reader found where there is none, counts too. A
   strike running into a neighbour's row is a voter's mark (the issue lists it so), not a
   committee category: flagged or read as the voter marked it, never read otherwise.
2. **clear ballots sent to the committee** (target at most 1 %): clear ballots (no committee
   category in the truth) whose verdict is undecided, over all clear ballots of the two
   (non-held-out) lists.
3. **sheets per second** (target at least 10): the same two sets read by a pool of 2 worker
   processes (multiprocessing; each builds its own BallotReader), wall time from the pool's
   start to the last sheet back, reading only.
4. **a box checked against a hand count** (target under 5 minutes): 1,600 ballots of the
   60-name list printed from a real SQLite store's election (counting started: the committee's
   hand team from tally sheets and the machine team), the hand team's tally sheets entered per
   batch of about 100 ballots (whole files; totals from the truth, the committee's decisions
   included) before the clock starts. Timed from the first file to no double-entry
   differences: files read by the pool of 2 and each sheet recorded as it comes back
   (``store.record_reading``, one process), the undecided ones decided through
   ``store.decide_reading`` with the truth (the committee's decision, taken instantly: the
   committee's own time is shown apart, at ``--decide-seconds`` each), then
   ``session.count.differences`` must be empty.
5. **the headline** (target under 15 minutes): 1,600 ballots of the 200-name list, from the
   last ballot into the scanners to the result ready to announce, four scanners. Four folders
   fill at a scanner's pace (each scanner 1 to 2 sheets a second, drawn per scanner; a file
   appears once its last page is scanned), while four real ``presidium read-ballots --watch``
   processes read them into the store (their own batch each). The committee (this process)
   polls the store as the counting screen does and decides each doubtful sheet with the truth
   at once; its time is *simulated*: ``--deciders`` members each taking ``--decide-seconds`` a
   sheet, from the moment the sheet was recorded, one after the other. When every sheet is
   read and decided the box is counted, the minutes signed, the result computed and the
   counting minutes written (real time). Headline = max(last reading recorded, simulated
   committee done) + counting time - last file scanned; the breakdown shows the scanning, the
   reading lag after the last sheet, the committee's backlog after the reading, the counting.

``--quick`` runs every part at a small size (see the JSON's ``sizes``); figures measured below
the issue's size say so. Prints a table and writes bench/results/ballot_reading.json
(``--quick``: ballot_reading_quick.json).
"""

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from printouts.ballot_geometry import ballot_geometry  # noqa: E402
from printouts.ballots import write_ballots  # noqa: E402
from printouts.reading.reader import BallotReader  # noqa: E402
from printouts.reading.shelf import Templates  # noqa: E402
from session import i18n  # noqa: E402
from session.ballot_reading import (  # noqa: E402
    Outcome,
    SheetPlace,
    Verdict,
    ballot_from_marks,
    marks_text,
    outcome,
)
from session.ballots import BallotFormat, BallotInput, InvalidReason  # noqa: E402
from session.congress import Congress  # noqa: E402
from session.elections import Election  # noqa: E402
from tests.harness import ballot_scans as bs  # noqa: E402
from tests.harness.scan_files import render_pdf  # noqa: E402

CHUNK = 100  # ballots per generation task
WORKERS = 2
TARGETS = {
    "wrong_unflagged": 0,
    "clear_to_committee_pct": 1.0,
    "sheets_per_s": 10.0,
    "box_vs_hand_s": 300.0,
    "headline_s": 900.0,
}
FULL = {"n60": 2000, "n200": 200, "held60": 500, "held200": 50, "box": 1600, "headline": 1600}
QUICK = {"n60": 80, "n200": 16, "held60": 24, "held200": 6, "box": 80, "headline": 64}


# ----------------------------------------------------------------------------- generation


@dataclass(frozen=True)
class Source:
    """What the scans are printed from: the harness's list `kind`, or a store's election."""

    kind: str
    congress: Congress | None = None
    election: Election | None = None

    def ballot(self) -> tuple[Congress, Election]:
        if self.congress is None or self.election is None:
            return bs.ballot_list(self.kind)
        return self.congress, self.election


_BLANKS: dict[tuple[str, str, float], bs.Blank] = {}


def _blank_of(source: Source, dpi: float) -> bs.Blank:
    """ballot_scans.blank for `source` (the same drawing, for a store's election too)."""
    congress, election = source.ballot()
    key = (source.kind, election.id, dpi)
    if key not in _BLANKS:
        geo = ballot_geometry(congress, election, 1, stamp=True)
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "ballots.pdf"
            write_ballots(pdf, congress, election, 1, geo.per_page, stamp=True)
            image = render_pdf(pdf, dpi, [0])[0]
        image.setflags(write=False)
        _BLANKS[key] = bs.Blank(source.kind, dpi, geo, image)
    return _BLANKS[key]


def _generate_chunk(task: tuple[Source, int, int, Path, float, bool]) -> bs.BoxTruth:
    """One generate_box call; for a store's election the harness's blank is swapped for the
    election's own (the thin wrapper: generate_box takes a list kind, not an election)."""
    source, count, seed, folder, dpi, held_out = task
    page = _blank_of(source, dpi)
    saved = bs.blank
    bs.blank = lambda kind, dpi=150, stamp=True: page  # type: ignore[assignment]
    try:
        return bs.generate_box(
            source.kind, count, seed, folder, dpi=dpi, held_out=held_out, save_truth=False
        )
    finally:
        bs.blank = saved  # type: ignore[assignment]


@dataclass
class Scans:
    """A generated set: its files (unique names, in tray order) and each ballot's truth by
    (file, page, slot)."""

    name: str
    source: Source
    folder: Path
    files: list[str] = field(default_factory=list)
    truth: dict[tuple[str, int, int], bs.BallotTruth] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)  # pages per file
    fmt: BallotFormat = BallotFormat.STRIKE_OUT
    candidates: int = 0
    seats: int = 0
    generate_s: float = 0.0


def generate(
    pool: Any, name: str, source: Source, count: int, seed: int, folder: Path, dpi: float,
    held_out: bool = False,
) -> Scans:  # fmt: skip
    """`count` ballots in chunks of CHUNK generated by the pool, each chunk its own seed; the
    files renamed "cNN-scan-XXXX.ext" into `folder`."""
    started = time.perf_counter()
    tasks = []
    for i, start in enumerate(range(0, count, CHUNK)):
        n = min(CHUNK, count - start)
        tasks.append((source, n, seed * 1000 + i, folder / f"part-{i:02d}", dpi, held_out))
    scans = Scans(name, source, folder)
    for i, box in enumerate(pool.imap(_generate_chunk, tasks)):
        scans.fmt, scans.candidates, scans.seats = box.format, box.candidates, box.seats
        renamed = {}
        for f in box.files:
            renamed[f] = f"c{i:02d}-{f}"
            (box.folder / f).rename(folder / renamed[f])
            scans.files.append(renamed[f])
        box.folder.rmdir()
        for b in box.ballots:
            scans.truth[(renamed[b.file], b.page, b.slot)] = b
            scans.pages[renamed[b.file]] = max(scans.pages.get(renamed[b.file], 0), b.page)
    scans.generate_s = time.perf_counter() - started
    return scans


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Read:
    """One sheet as read, slim enough to send between processes."""

    place: SheetPlace
    code: str
    marks: str
    outcome: Outcome


_READERS: dict[str, BallotReader] = {}


def _init_reader(sources: dict[str, Source], target: tuple[str, int]) -> None:
    """A pool worker: its own reader per source (each knows only that source's election)."""
    for name, source in sources.items():
        congress, election = source.ballot()
        _READERS[name] = BallotReader(Templates(congress, {election.id: election}.get), target)


def _read_file(task: tuple[str, str]) -> list[Read]:
    name, path = task
    _, results = _READERS[name].read(Path(path))
    return [Read(r.place, r.code, marks_text(r.marks), r.outcome) for r in results]


def reader_pool(sources: dict[str, Source], target: tuple[str, int]) -> Any:
    return mp.get_context("fork").Pool(WORKERS, _init_reader, (sources, target))


def read_all(pool: Any, scans: Scans, ordered: bool = False) -> Iterable[list[Read]]:
    tasks = [(scans.name, str(scans.folder / f)) for f in scans.files]
    if ordered:
        return pool.imap(_read_file, tasks)
    return pool.imap_unordered(_read_file, tasks)


# ----------------------------------------------------------------------------- checking


def committee_ballot(fmt: BallotFormat, truth: bs.BallotTruth) -> BallotInput:
    """What the counting committee decides for a ballot: a name written in, a signature or no
    stamp make it invalid; otherwise the voter's marks as the rules take them."""
    spoilt = {
        "write_in": InvalidReason.WRITE_IN,
        "signature": InvalidReason.SIGNED_OR_MARKED,
        "no_stamp": InvalidReason.NOT_ISSUED,
    }
    if truth.category in spoilt:
        return BallotInput.spoilt(spoilt[truth.category], "bench")
    return ballot_from_marks(fmt, truth.marks)


@dataclass
class Check:
    """Sheets read against the truth."""

    sheets: int = 0
    ballots: int = 0
    clear: int = 0
    clear_flagged: int = 0
    committee: int = 0
    committee_flagged: int = 0
    wrong_marks: int = 0  # valid / invalid, but marks differ from the truth
    wrong_verdict: int = 0  # valid / invalid, marks right, verdict not the truth's
    committee_unflagged: int = 0  # a committee ballot taken by rule
    missing: int = 0
    extra: int = 0
    by_category: dict[str, Counter[str]] = field(default_factory=dict)
    flag_doubts: Counter[str] = field(default_factory=Counter)  # doubts on clear ballots
    clear_by_pen: dict[str, Counter[str]] = field(default_factory=dict)  # ballots, flagged
    examples: list[dict[str, object]] = field(default_factory=list)

    @property
    def wrong_unflagged(self) -> int:
        return (
            self.wrong_marks + self.wrong_verdict + self.committee_unflagged
            + self.missing + self.extra
        )  # fmt: skip

    @property
    def clear_flagged_pct(self) -> float:
        return 100 * self.clear_flagged / self.clear if self.clear else 0.0

    def add(self, other: "Check") -> "Check":
        out = Check()
        for name in ("sheets", "ballots", "clear", "clear_flagged", "committee",
                     "committee_flagged", "wrong_marks", "wrong_verdict",
                     "committee_unflagged", "missing", "extra"):  # fmt: skip
            setattr(out, name, getattr(self, name) + getattr(other, name))
        for c in (self, other):
            for cat, n in c.by_category.items():
                out.by_category.setdefault(cat, Counter()).update(n)
            out.flag_doubts.update(c.flag_doubts)
            for pen, n in c.clear_by_pen.items():
                out.clear_by_pen.setdefault(pen, Counter()).update(n)
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "sheets": self.sheets, "ballots": self.ballots,
            "wrong_unflagged": self.wrong_unflagged, "wrong_marks": self.wrong_marks,
            "wrong_verdict": self.wrong_verdict, "committee_unflagged": self.committee_unflagged,
            "missing": self.missing, "extra": self.extra, "clear": self.clear,
            "clear_flagged": self.clear_flagged,
            "clear_flagged_pct": round(self.clear_flagged_pct, 2),
            "committee": self.committee, "committee_flagged": self.committee_flagged,
            "by_category": {k: dict(v) for k, v in sorted(self.by_category.items())},
            "clear_flag_doubts": dict(self.flag_doubts),
            "clear_by_pen": {
                pen: {**n, "flagged_pct": round(100 * n["flagged"] / n["ballots"], 2)}
                for pen, n in sorted(self.clear_by_pen.items())
            },
            "examples": self.examples[:20],
        }  # fmt: skip


Seen = tuple[str, int, int, str, Verdict, Sequence[str]]  # file, page, slot, marks, verdict, doubts


# Categories of the generator that the issue lists among the marks voters make, not among those
# that must go to the committee: neither clear (the ≤ 1 % figure) nor the committee's.
VOTERS_MARKS = frozenset({"into_neighbour"})


def check(scans: Scans, reads: Iterable[Seen]) -> Check:
    """Every sheet read (`reads`) against the truth."""
    c = Check(ballots=len(scans.truth))
    seen = set()
    for file, page, slot, marks, verdict, doubts in reads:
        c.sheets += 1
        key = (file, page, slot)
        truth = scans.truth.get(key)
        if truth is None or key in seen:
            c.extra += 1
            c.examples.append({"sheet": list(key), "problem": "extra", "verdict": verdict.value})
            continue
        seen.add(key)
        tally = c.by_category.setdefault(truth.category, Counter())
        tally["ballots"] += 1
        flagged = verdict is Verdict.UNDECIDED
        problem = ""
        if truth.clear:
            c.clear += 1
            by_pen = c.clear_by_pen.setdefault(truth.pen.kind, Counter())
            by_pen["ballots"] += 1
            by_pen["flagged"] += flagged
            if flagged:
                c.clear_flagged += 1
                c.flag_doubts.update(doubts)
                tally["flagged"] += 1
            elif marks != marks_text(truth.marks):
                c.wrong_marks += 1
                problem = "marks"
            elif verdict is not truth.expected.verdict:
                c.wrong_verdict += 1
                problem = "verdict"
        elif truth.category in VOTERS_MARKS:
            # the voter's own strikes (one running into the next row): the committee may look,
            # or the reader reads them; read, they must be read as the voter marked them
            tally["flagged" if flagged else "read"] += 1
            as_marked = outcome(scans.fmt, scans.candidates, scans.seats, truth.marks)
            if not flagged and (
                marks != marks_text(truth.marks) or verdict is not as_marked.verdict
            ):
                c.wrong_marks += 1
                problem = "marks"
        else:
            c.committee += 1
            if flagged:
                c.committee_flagged += 1
                tally["flagged"] += 1
            else:
                c.committee_unflagged += 1
                problem = "committee ballot taken by rule"
        if problem:
            tally["wrong"] += 1
            c.examples.append({
                "sheet": list(key), "problem": problem, "category": truth.category,
                "verdict": verdict.value, "expected": truth.expected.verdict.value,
                "rows_differing": differing(marks, marks_text(truth.marks)),
                "defects": {k: v for k, v in vars_of(truth.defects).items() if v},
            })  # fmt: skip
    for key, truth in scans.truth.items():
        if key not in seen:
            c.missing += 1
            c.by_category.setdefault(truth.category, Counter())["missing"] += 1
            c.examples.append({"sheet": list(key), "problem": "missing"})
    return c


def differing(a: str, b: str) -> list[int]:
    """The rows (1-based) where two readings differ."""
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True), 1) if x != y]


def vars_of(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]


def as_checked(reads: Iterable[Read]) -> Iterable[Seen]:
    for r in reads:
        p, o = r.place, r.outcome
        yield p.file, p.page, p.slot, r.marks, o.verdict, [d.value for d in o.doubts]


# ----------------------------------------------------------------------------- part 1-3


def part_accuracy(
    sizes: dict[str, int], seed: int, tmp: Path, dpi: float, dpi_long: float
) -> dict[str, object]:
    sets = [("60", "60", sizes["n60"], False), ("200", "200", sizes["n200"], False),
            ("held-out 60", "60", sizes["held60"], True),
            ("held-out 200", "200", sizes["held200"], True)]  # fmt: skip
    sources = {name: Source(kind) for name, kind, _, _ in sets}
    generated: dict[str, Scans] = {}
    with mp.get_context("fork").Pool(WORKERS) as pool:
        for i, (name, kind, n, held) in enumerate(sets):
            if n:
                folder = tmp / f"acc-{i}"
                folder.mkdir()
                generated[name] = generate(pool, name, sources[name], n, seed + 7919 * i,
                                           folder, dpi_long if kind == "200" else dpi,
                                           held)  # fmt: skip
                print(f"  generated {name}: {n} ballots in {generated[name].generate_s:.0f} s",
                      flush=True)  # fmt: skip
    out: dict[str, object] = {}
    checks: dict[str, Check] = {}
    times: dict[str, float] = {}
    with reader_pool(sources, ("bch", 1)) as pool:
        for name, scans in generated.items():
            started = time.perf_counter()
            reads = [r for file_reads in read_all(pool, scans) for r in file_reads]
            times[name] = time.perf_counter() - started
            checks[name] = check(scans, as_checked(reads))
            out[name] = {
                "ballots": len(scans.truth), "files": len(scans.files),
                "pages": sum(scans.pages.values()), "read_s": round(times[name], 2),
                "sheets_per_s": round(checks[name].sheets / times[name], 2),
                "generate_s": round(scans.generate_s, 1), **checks[name].to_json(),
            }  # fmt: skip
            c = checks[name]
            print(f"  read {name}: {c.sheets} sheets in {times[name]:.1f} s, "
                  f"{c.wrong_unflagged} wrong unflagged, {c.clear_flagged_pct:.1f} % of clear "
                  f"flagged", flush=True)  # fmt: skip
            pens = ", ".join(f"{pen} {n['flagged']}/{n['ballots']}"
                             for pen, n in sorted(c.clear_by_pen.items()))  # fmt: skip
            print(f"    clear flagged by pen: {pens}", flush=True)
    main_sets = [n for n in ("60", "200") if n in checks]
    total = Check()
    for n in main_sets:
        total = total.add(checks[n])
    held = Check()
    for n in ("held-out 60", "held-out 200"):
        if n in checks:
            held = held.add(checks[n])
    sheets = sum(checks[n].sheets for n in main_sets)
    seconds = sum(times[n] for n in main_sets)
    return {
        "sets": out,
        "main": total.to_json(),
        "held_out": held.to_json(),
        "sheets_per_s": sheets / seconds if seconds else 0.0,
    }


# ----------------------------------------------------------------------------- main


def figure(name: str, value: float, target: float, at_most: bool, size: str, unit: str) -> dict:
    met = value <= target if at_most else value >= target
    return {"figure": name, "value": round(value, 2), "target": target,
            "target_kind": "at most" if at_most else "at least", "unit": unit, "met": met,
            "measured_at": size}  # fmt: skip


def main() -> None:
    # figures 4 and 5: modules of their own, which import what they share from this one
    from ballot_reading_box import part_box
    from ballot_reading_headline import part_headline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every part at a small size")
    parser.add_argument("--seed", type=int, help="the scans' seed (default: a new one)")
    parser.add_argument("--only", nargs="+", choices=("accuracy", "box", "headline"),
                        default=("accuracy", "box", "headline"))  # fmt: skip
    for key in FULL:
        parser.add_argument(f"--{key}", type=int, help=f"ballots (full {FULL[key]})")
    parser.add_argument("--dpi", type=float, default=150, help="the 60-name list's scans")
    parser.add_argument("--dpi-long", type=float, default=300,
                        help="the 200-name list's scans (docs/ballot-reading.md: 300 dpi for "
                        "the long lists, whose names are printed at 7-8 pt)")  # fmt: skip
    parser.add_argument("--scanners", type=int, default=4)
    parser.add_argument("--decide-seconds", type=float, default=20.0)
    parser.add_argument("--deciders", type=int, default=1)
    parser.add_argument("--stall", type=float, default=60.0,
                        help="headline: give up after this long with no new reading")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="keep the scans and stores in this folder")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes = dict(QUICK if args.quick else FULL)
    for key in FULL:
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    seed = args.seed if args.seed is not None else random.randrange(1, 1_000_000)
    out_path = args.out or ROOT / "bench" / "results" / (
        "ballot_reading_quick.json" if args.quick else "ballot_reading.json"
    )
    i18n.use("vi")
    print(f"seed {seed}, sizes {sizes}", flush=True)
    report: dict[str, Any] = {
        "machine": platform.platform(), "python": sys.version.split()[0],
        "when": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(), "seed": seed,
        "quick": args.quick, "sizes": sizes, "dpi": args.dpi, "dpi_long": args.dpi_long,
        "reader_workers": WORKERS,
        "committee_pace": {"decide_seconds": args.decide_seconds, "deciders": args.deciders,
                           "simulated": True},
    }  # fmt: skip
    figures = []
    started = time.perf_counter()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp_name:
        tmp = Path(tmp_name)

        def save() -> None:  # after each part: a long run stopped half-way keeps its figures
            report["figures"] = figures
            report["bench_s"] = round(time.perf_counter() - started, 1)
            out_path.parent.mkdir(parents=True, exist_ok=True)
            out_path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))

        if "accuracy" in args.only:
            print("1-3: accuracy and speed", flush=True)
            report["load_before"] = {"accuracy": os.getloadavg()[0]}
            acc = part_accuracy(sizes, seed, tmp, args.dpi, args.dpi_long)
            report["accuracy"] = acc
            size = f"{sizes['n60']} x 60 names + {sizes['n200']} x 200 names"
            held = f"{sizes['held60']} x 60 + {sizes['held200']} x 200, held out"
            figures += [
                figure("wrong and not flagged", acc["main"]["wrong_unflagged"], 0, True, size,
                       "sheets"),
                figure("wrong and not flagged (held out)", acc["held_out"]["wrong_unflagged"],
                       0, True, held, "sheets"),
                figure("clear ballots to the committee", acc["main"]["clear_flagged_pct"], 1.0,
                       True, size, "%"),
                figure("clear ballots to the committee (held out)",
                       acc["held_out"]["clear_flagged_pct"], 1.0, True, held, "%"),
                figure("sheets per second (2 workers)", acc["sheets_per_s"], 10.0, False, size,
                       "sheets/s"),
            ]  # fmt: skip
            save()
        if "box" in args.only:
            print("4: a box against a hand count", flush=True)
            report.setdefault("load_before", {})["box"] = os.getloadavg()[0]
            box = part_box(sizes["box"], seed, tmp, args.dpi, args.decide_seconds)
            report["box"] = box
            figures.append(figure("box read, checked against hand count", box["total_s"],
                                  300, True, f"{sizes['box']} x 60 names", "s"))  # fmt: skip
            if not box["no_differences"]:
                figures[-1]["met"] = False
                figures[-1]["note"] = (
                    f"differences remain: {box['batches_differing']} batch(es), "
                    f"{box['candidates_differing']} candidate(s)"
                )
            save()
        if "headline" in args.only:
            print("5: the headline, four scanners", flush=True)
            report.setdefault("load_before", {})["headline"] = os.getloadavg()[0]
            head = part_headline(sizes["headline"], seed, tmp, args.dpi_long, args.scanners,
                                 args.decide_seconds, args.deciders, args.stall)  # fmt: skip
            report["headline"] = head
            figures.append(figure("last ballot scanned to result ready", head["headline_s"],
                                  900, True, f"{sizes['headline']} x 200 names", "s"))  # fmt: skip
            if not head["result_ready"] or head["errors"]:
                figures[-1]["met"] = False
                figures[-1]["note"] = "; ".join([*head["errors"], head["count_error"]])
            figures[-1]["note"] = (
                figures[-1].get("note", "")
                + f" committee: {head['undecided']} sheets, {args.deciders} member(s) x "
                f"{args.decide_seconds:g} s simulated"
            ).strip()
            save()
        if args.keep:
            shutil.copytree(tmp, args.keep / "last-run", dirs_exist_ok=True)
    save()
    print_table(figures)
    if "headline" in report:
        h = report["headline"]
        print(
            "\nheadline breakdown (s): scanning {scanning_s}, reading lag after the last sheet "
            "{reading_lag_after_last_sheet_s}, committee backlog after reading "
            "{committee_backlog_after_reading_s} ({undecided} sheets, {deciders} x "
            "{decide_s_each} s simulated), counting {counting_s}; total {headline_s}; "
            "members needed for the target: {deciders_for_target}".format(**h)
        )
    print(f"\nwritten to {out_path} ({report['bench_s']:.0f} s)")


def print_table(figures: list[dict]) -> None:
    print()
    width = max(len(f["figure"]) for f in figures) if figures else 10
    print(f"{'figure':<{width}} | {'value':>10} | {'target':>12} | {'met':>7} | measured at")
    for f in figures:
        target = f"{'<=' if f['target_kind'] == 'at most' else '>='} {f['target']:g}"
        met = "met" if f["met"] else "NOT met"
        note = f" ({f['note']})" if f.get("note") else ""
        print(
            f"{f['figure']:<{width}} | {f['value']:>10g} | {target:>12} | {met:>7} | "
            f"{f['measured_at']}{note}"
        )


if __name__ == "__main__":
    # run as a script, this module is `__main__`: registered under its own name too, so that
    # figures 4 and 5 importing `ballot_reading` share it rather than load a second copy
    sys.modules.setdefault("ballot_reading", sys.modules[__name__])
    main()
