"""`kata bench --plot`: the contenders side by side; with --compare, the learner's saved runs over time.

Built on matplotlib's Figure with the Agg canvas (no screen, no pyplot state). The figure is drawn
from the same Timing values as the table, so a test reads its bars and lines back, not its pixels.
"""
from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from dojo.learner.benchmarks import SavedRun, Timing, seconds

ORDER = ("learner", "reference", "naive")
COLOURS = {"learner": "tab:blue", "reference": "tab:green", "naive": "tab:gray"}
LOG_SCALE_ABOVE = 30          # a naive baseline 100x slower would flatten the other bars


def figure(timings: list[Timing], history: list[SavedRun] | None = None) -> Figure:
    """One row per benchmark group: the contenders' means with their spread, and the history if given."""
    groups = list(dict.fromkeys(t.group for t in timings))
    columns = 1 if history is None else 2
    fig = Figure(figsize=(6 * columns, 3.8 * len(groups)), layout="constrained")
    axes = fig.subplots(len(groups), columns, squeeze=False)
    for row, group in enumerate(groups):
        mine = [t for t in timings if t.group == group]
        draw_contenders(axes[row][0], group, mine)
        if history is not None:
            draw_history(axes[row][1], group, history, mine)
    return fig


def ordered(timings: list[Timing]) -> list[Timing]:
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(timings, key=lambda t: (rank.get(t.contender, len(ORDER)), t.contender))


def draw_contenders(ax, group: str, timings: list[Timing]) -> None:
    """Bars of the mean, error bars of one standard deviation, each labelled with its ratio to the reference."""
    shown = ordered(timings)
    names = [t.contender for t in shown]
    means = [t.mean_s for t in shown]
    bars = ax.bar(names, means, yerr=[t.stddev_s for t in shown], capsize=4,
                  color=[COLOURS.get(n, "tab:orange") for n in names], label="mean")
    reference = next((t.mean_s for t in shown if t.contender == "reference"), None)
    if reference:
        ax.bar_label(bars, labels=[f"{m / reference:.2f}x ref" for m in means], padding=2)
    if max(means) / max(min(means), 1e-12) > LOG_SCALE_ABOVE:
        ax.set_yscale("log")
    ax.set_title(group)
    ax.set_ylabel("seconds per call (mean ± stddev)")


def draw_history(ax, group: str, history: list[SavedRun], now: list[Timing]) -> None:
    """The learner's mean in every saved run, then this run; the reference of this run as a dashed line."""
    points = [(run.when[:16].replace("T", " "), t) for run in history for t in run.timings
              if t.group == group and t.contender == "learner"]
    points += [("now", t) for t in now if t.contender == "learner"]
    labels = [label for label, _ in points]
    ax.errorbar(range(len(points)), [t.mean_s for _, t in points], yerr=[t.stddev_s for _, t in points],
                marker="o", capsize=4, color=COLOURS["learner"], label="learner")
    ax.set_xticks(range(len(points)), labels, rotation=30, ha="right")
    reference = next((t.mean_s for t in now if t.contender == "reference"), None)
    if reference:
        ax.axhline(reference, linestyle="--", color=COLOURS["reference"], label=f"reference {seconds(reference)}")
    ax.set_title(f"{group}: your saved runs")
    ax.set_ylabel("seconds per call")
    ax.legend(loc="best")


def save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return path
