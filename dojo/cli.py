"""The `kata` command: the learner's entry point (`kata --help`); `python -m dojo` is the same.

Each subcommand is a short function here; the work lives in dojo/learner/, one module per job.
A learner never needs a pytest flag: every run goes through pytest exactly like a plain run, so
progress is recorded in `.dojo/` and `kata status` agrees with pytest.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dojo import changed, manifest, paths, verify
from dojo.learner import (
    backup,
    benchmarks,
    diffing,
    files,
    hints,
    mock,
    pristine,
    progress,
    review,
    runner,
    selection,
    watch,
)
from dojo.learner.console import Out


def cmd_status(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    states = progress.all_of(selection.many(args.prefix, katas) if args.prefix else katas)
    if args.prefix:
        out.table(["kata", "state", "tests passed", "title"],
                  [[s.kata.id, s.state, f"{s.passed}/{s.total}" if s.total else "-", s.kata.title] for s in states])
        return 0
    overview(states, out)
    solved = sum(s.state == progress.SOLVED for s in states)
    out.line(f"{solved} of {len(states)} katas solved (from {paths.STATE / 'results.json'}); "
             f"`kata status day1` lists each kata")
    return 0


def overview(states: list[progress.KataState], out: Out) -> None:
    """One row per day and per topic: a bar and the counts of solved, attempted and untouched katas."""
    groups: dict[str, list[progress.KataState]] = {}
    for s in states:
        groups.setdefault(s.kata.day, []).append(s)
        groups.setdefault(f"{s.kata.day}.{s.kata.topic}", []).append(s)
    rows = []
    for name in sorted(groups, key=lambda g: (g.split(".")[0], "." in g, g)):
        group = groups[name]
        n = {state: sum(s.state == state for s in group) for state in (progress.SOLVED, progress.ATTEMPTED)}
        label = name if "." not in name else "  " + name.split(".", 1)[1]
        rows.append([label, out.bar(n["solved"], n["attempted"], len(group)),
                     str(n["solved"]), str(n["attempted"]), str(len(group) - n["solved"] - n["attempted"])])
    out.table(["day / topic", "progress", "solved", "attempted", "untouched"], rows)


def cmd_next(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    kata = progress.next_unsolved(katas)
    if kata is None:
        out.line("every kata is solved; `kata review` says what to practise again", "bold green")
        return 0
    out.heading(f"{kata.id}: {kata.title}")
    out.line(files.statement(kata))
    out.line()
    how_to_start(kata, out)
    return 0


def how_to_start(kata: manifest.Kata, out: Out) -> None:
    out.line("edit:  " + "  ".join(f"katas/{n}" for n in files.names(kata)), "bold")
    out.line(f"run:   kata check {kata.id}   (or: {runner.shown_command([kata])})", "bold")
    out.line(f"       kata watch {kata.id} reruns on every save; kata hint {kata.id} when stuck")


def cmd_start(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    """Run a day's tests once, then one screen: progress per day and topic, and the kata to open first."""
    chosen = selection.many(args.day, katas)
    out.line(f"running the tests of the {len(chosen)} {args.day} katas ...", "dim")
    done = runner.run(chosen)
    if args.full:
        out.line(done.output.rstrip())
    overview(progress.all_of(katas), out)
    counts = done.counts()
    green = sum(done.green(k.id) for k in chosen)
    out.line(f"{args.day}: {green} of {len(chosen)} katas green, {counts.get('failed', 0)} tests red, "
             f"{counts.get('passed', 0)} passed" + ("" if args.full else "  (every test: add --full)"))
    kata = progress.next_unsolved(chosen) or progress.next_unsolved(katas)
    if kata is None:
        out.line("every kata is solved; `kata review` says what to practise again", "bold green")
        return done.exit_code
    statement = files.statement(kata).splitlines()
    out.line()
    out.line(f"start with {kata.id}: {statement[0] if statement else kata.title}", "bold")
    how_to_start(kata, out)
    out.line("       kata next prints the whole statement; kata status shows your progress")
    return done.exit_code


def cmd_hint(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    kata = selection.one(args.id, katas)
    if args.all:
        shown = hints.shown_so_far(kata)
        for i, text in enumerate(shown, 1):
            out.line(f"hint {i}/{len(kata.hints)}: {text}")
        if not shown:
            out.line(f"no hint revealed yet for {kata.id}: `kata hint {kata.id}`")
        return 0
    revealed = hints.reveal_next(kata)
    if revealed is None:
        out.line(f"all {len(kata.hints)} hints of {kata.id} are shown (`--all`); "
                 f"`kata diff {kata.id} --peek` shows the reference")
        return 0
    number, text = revealed
    out.line(f"hint {number}/{len(kata.hints)}: {text}", "cyan")
    return 0


def cmd_check(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    chosen = [k for target in args.targets for k in selection.many(target, katas)]
    chosen = list(dict.fromkeys(chosen))
    done = runner.run(chosen)
    if args.verbose:
        out.line(done.output.rstrip())
    rows = []
    for kata in chosen:
        c = done.counts(kata.id)
        mark = "✓" if done.green(kata.id) else "✗" if c.get("failed") else "·"
        rows.append([mark, kata.id, str(c.get("passed", 0)), str(c.get("failed", 0)), str(c.get("skipped", 0))])
    out.table(["", "kata", "passed", "failed", "skipped"], rows)
    green = [k for k in chosen if done.green(k.id)]
    if len(green) == len(chosen) and done.exit_code == 0:
        out.line(f"all green: {len(green)} kata{'s' * (len(green) != 1)} solved", "bold green")
    else:
        out.line(f"{len(green)} of {len(chosen)} green; first failure:", "bold red")
        out.line(done.first_failure([k.id for k in katas if k in chosen]) or done.output.strip()[-2000:])
        out.line(f"all the details: {runner.shown_command(chosen)}", "dim")
    return done.exit_code


def cmd_watch(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    start = selection.one(args.id, katas) if args.id else progress.next_unsolved(katas)
    if start is None:
        out.line("every kata is solved; `kata review` says what to practise again")
        return 0
    return watch.watch(katas, start, out)


def cmd_diff(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    kata = selection.one(args.id, katas)
    if progress.of(kata).state != progress.SOLVED and not args.peek:
        out.line(f"{kata.id} is not solved yet: the reference waits until it passes "
                 f"(`kata check {kata.id}`), or peek with `kata diff {kata.id} --peek`")
        return 1
    if args.peek:
        review.note_peek(kata)
    text = diffing.unified(kata)
    out.diff(text) if text else out.line("your files are the same as the reference")
    return 0


def cmd_bench(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    kata = selection.one(args.id, katas)
    if not benchmarks.has_benchmarks(kata):
        with_bench = [k.id for k in katas if benchmarks.has_benchmarks(k)]
        out.line(f"{kata.id} has no benchmark; these have: {', '.join(with_bench) or 'none'}")
        return 1
    if args.save and args.impl == "solutions":
        out.line("--save keeps YOUR runs to compare refactors against; with --impl solutions it would keep "
                 "the reference's", "bold red")
        return 2
    done, timings, previous = benchmarks.run(kata, save=args.save, compare=args.compare, max_time=args.max_time,
                                             mode=args.impl)
    if not timings:
        out.line(done.first_failure() or done.output.strip()[-2000:])
        out.line("no timing came back: the benchmarks failed (your answer must match the reference first; "
                 f"`kata bench {kata.id} --impl solutions` shows the race with the reference in your place)",
                 "bold red")
        return done.exit_code or 1
    if args.impl == "solutions":
        out.line("--impl solutions: the learner row runs the reference", "dim")
    columns = ["kata", "contender", "mean", "x reference", "x fastest"]
    if args.compare:
        columns.append("x last save" if previous else "x last save (none yet)")
    out.table(columns, benchmarks.rows(timings, previous))
    if args.save:
        out.line(f"saved in {benchmarks.storage().removeprefix('file://')}; `kata bench {kata.id} --compare` after a refactor")
    if args.plot:
        from dojo.learner import bench_plot  # matplotlib only when a picture is asked for

        history = benchmarks.saved_runs(kata.id) if args.compare else None
        out.line(f"plot: {bench_plot.save(bench_plot.figure(timings, history), args.plot)}")
    return done.exit_code


def cmd_reset(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    kata = selection.one(args.id, katas)
    _back_to_stub(kata, out)
    _rerun(kata, args, out)
    return 0


def cmd_redo(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    kata = selection.one(args.id, katas)
    _back_to_stub(kata, out)
    hints.forget(kata)
    review.start_practice(kata)
    out.line(f"practising {kata.id} again; its review history is kept. `kata watch {kata.id}`")
    _rerun(kata, args, out)
    return 0


def _back_to_stub(kata: manifest.Kata, out: Out) -> None:
    saved = backup.reset(kata)
    if saved is None:
        out.line(f"{kata.id} is already its stub; nothing to back up")
    else:
        out.line(f"{kata.id} is back to its stub; your version is in {saved}")


def _rerun(kata: manifest.Kata, args: argparse.Namespace, out: Out) -> None:
    """Run the stub's tests once, so the recorded results (and `kata status`) match the file on disk."""
    if args.no_run:
        return
    runner.run([kata])
    out.line(f"status: {progress.of(kata).state}", "dim")


def cmd_review(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    schedule = review.schedule(katas)
    if not schedule:
        out.line("nothing to review yet: solved katas are scheduled here (spaced repetition, FSRS)")
        return 0
    due = review.due_now(katas)
    upcoming = [d for d in schedule if d not in due]
    if due:
        out.table(["due", "kata", "title"], [[d.due.date().isoformat(), d.kata.id, d.kata.title] for d in due],
                  title="due for practice: `kata redo ID`, then solve it again")
    else:
        out.line("nothing is due today")
    if upcoming:
        out.table(["due", "kata", ""], [[d.due.date().isoformat(), d.kata.id, "practising" if d.practising else ""]
                                        for d in upcoming[:10]], title="coming up")
    return 0


def cmd_mock(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    pool = mock.questions(katas, args.track)
    if not pool:
        out.line(f"no mock questions{' for ' + args.track if args.track else ''} in katas.toml yet "
                 "(their ids are mock.<track>.<name>)")
        return 1
    chosen = mock.pick(pool, args.minutes)
    if not chosen:
        out.line("every mock question of this track is solved; `kata redo ID` to practise one again")
        return 0
    out.heading(f"mock interview: {len(chosen)} question{'s' * (len(chosen) != 1)}, {args.minutes} minutes")
    for i, kata in enumerate(chosen, 1):
        out.line(f"{i}. {kata.title}  [{kata.id}]", "bold")
    spent, ended = mock.interview(chosen, args.minutes * 60, out, stop=mock.enter_pressed)
    outcomes = mock.grade(chosen, spent)
    mock.record(outcomes, args.minutes, ended)
    mock.summary(outcomes, out)
    return 0 if all(o.passed for o in outcomes) else 1


def cmd_answer(args: argparse.Namespace, katas: list[manifest.Kata], out: Out) -> int:
    kata = selection.one(args.id, katas)
    answer = mock.model_answer(kata)
    if answer is None:
        out.line(f"{kata.id} has no model answer (mock katas have one: solutions/<path>.md)")
        return 1
    if not args.peek and progress.of(kata).state == progress.UNTOUCHED:
        out.line(f"try it first: `kata check {kata.id}` (or `kata answer {kata.id} --peek` to read it now)")
        return 1
    out.heading(f"model answer: {kata.id}")
    for line in answer.splitlines():
        out.line(line)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    katas = manifest.load()
    try:
        katas = verify_selection(args, katas)
    except (manifest.UnknownKata, changed.NotARepository) as exc:
        print(f"kata: {exc}", file=sys.stderr)
        return 2
    if not katas:
        print("verify: no kata selected (nothing changed?)")
        return 0
    sides = tuple(s for s in ("layout", "stub", "solution", "variant") if s not in args.skip)
    report = verify.verify(katas, sides, say=lambda line: print(line, file=sys.stderr, flush=True),
                           workers=args.workers)
    for finding in report.findings:
        print(f"FAIL {finding.check:8} {finding.kata}: {finding.message}")
    summary = ", ".join(f"{n} {check}" for check, n in report.checked.items())
    print(f"verify: {len(katas)} katas checked ({summary}); {len(report.findings)} problems")
    print("verify: wall time " + ", ".join(f"{stage} {s:.0f} s" for stage, s in report.seconds.items()),
          file=sys.stderr)
    return 0 if report.ok else 1


def verify_selection(args: argparse.Namespace, katas: list[manifest.Kata]) -> list[manifest.Kata]:
    """The katas named by id or prefix, or those the change touches (--changed), or all."""
    if args.changed:
        touched, elsewhere = changed.changed_katas(katas)
        if elsewhere:
            shown = ", ".join(str(p.relative_to(paths.ROOT)) for p in elsewhere[:5])
            print(f"verify: also changed outside any kata ({shown}{', ...' if len(elsewhere) > 5 else ''}): "
                  "run a full verify before you push", file=sys.stderr)
        return touched
    if not args.ids:
        return katas
    wanted = [manifest.find(kid, katas) for kid in args.ids if kid.count(".") >= 2]
    prefixes = [kid for kid in args.ids if kid.count(".") < 2]
    wanted += [k for k in katas if any(k.id == p or k.id.startswith(p + ".") for p in prefixes)]
    return wanted


def learner_command(run):
    """Wrap a learner subcommand: load the manifest, record pristine stubs, turn a bad id into exit 2."""
    def wrapped(args: argparse.Namespace) -> int:
        katas = manifest.load()
        pristine.record_all(katas)
        try:
            code = run(args, katas, Out())
            review.sync(katas)        # a kata solved by any run gets its review card dated that run
            return code
        except selection.BadId as exc:
            print(f"kata: {exc}", file=sys.stderr)
            return 2
        except pristine.NoPristineStub as exc:
            print(str(exc), file=sys.stderr)
            return 1
    return wrapped


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kata", description="Practise the katas; check and compare your work.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, run, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=learner_command(run))
        return p

    p = add("status", cmd_status, "progress per day and topic (solved / attempted / untouched), from your pytest runs")
    p.add_argument("prefix", nargs="?", help="a day, topic or kata id: list each kata")
    add("next", cmd_next, "the next unsolved kata: its statement and the command to run it")
    p = add("start", cmd_start, "run a day's tests once, then show progress and the kata to open first")
    p.add_argument("day", nargs="?", default="day1", help="a day, topic or kata id (default: day1)")
    p.add_argument("--full", action="store_true", help="also show pytest's full output")
    p = add("hint", cmd_hint, "the next hint of a kata, remembered between runs")
    p.add_argument("id")
    p.add_argument("--all", action="store_true", help="show every hint revealed so far")
    p = add("check", cmd_check, "run a kata's (or a day's) tests with a short summary; exit code as pytest's")
    p.add_argument("targets", nargs="+", metavar="ID|DAY")
    p.add_argument("-v", "--verbose", action="store_true", help="also show pytest's full output")
    p = add("watch", cmd_watch, "rerun on save, show the first failure, move on when green")
    p.add_argument("id", nargs="?", help="default: the next unsolved kata")
    p = add("diff", cmd_diff, "your files against the reference, once the kata passes")
    p.add_argument("id")
    p.add_argument("--peek", action="store_true", help="show it before the kata passes")
    p = add("bench", cmd_bench, "time your code, the reference and a naive baseline, with ratios")
    p.add_argument("id")
    p.add_argument("--save", action="store_true", help="keep this run to compare a refactor against")
    p.add_argument("--compare", action="store_true", help="show the ratio to the last saved run")
    p.add_argument("--max-time", type=float, default=None, metavar="S", help="seconds per contender (pytest-benchmark)")
    p.add_argument("--plot", type=Path, metavar="FILE.png",
                   help="draw the contenders (and, with --compare, your saved runs over time)")
    p.add_argument("--impl", choices=("katas", "solutions"), default="katas",
                   help="solutions: race the reference in your place (before you have solved the kata)")
    for name, run, text in (("reset", cmd_reset, "put a kata back to its stub; your file is backed up first"),
                            ("redo", cmd_redo, "practise a solved kata again from its stub, keeping its history")):
        p = add(name, run, text)
        p.add_argument("id")
        p.add_argument("--no-run", action="store_true", help="do not rerun the stub's tests afterwards")
    add("review", cmd_review, "solved katas due to be practised again (spaced repetition, FSRS)")
    p = add("answer", cmd_answer, "a mock question's model answer, once you have tried it")
    p.add_argument("id")
    p.add_argument("--peek", action="store_true", help="read it before trying")
    p = add("mock", cmd_mock, "interview mode: timed unsolved mock questions, then a summary and model answers")
    p.add_argument("--track", choices=mock.TRACKS)
    p.add_argument("--minutes", type=int, default=mock.DEFAULT_MINUTES)

    check = sub.add_parser("verify", help="prove the katas honest: stubs red, references green, wrong variants caught")
    check.add_argument("ids", nargs="*", help="kata ids or day/topic prefixes (default: all)")
    check.add_argument("--changed", action="store_true",
                       help="only the katas whose files (or katas.toml block) differ from the last commit on main")
    check.add_argument("--workers", type=int, default=verify.DEFAULT_WORKERS, metavar="N",
                       help=f"child pytest runs at a time (default {verify.DEFAULT_WORKERS})")
    check.add_argument("--skip", action="append", default=[], choices=("layout", "stub", "solution", "variant"),
                       help="leave out one side of the check (repeatable)")
    check.set_defaults(run=cmd_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
