"""katas.toml, the one manifest: every kata's id, title, plan item, hints, needs and order."""
from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dojo.paths import KATAS, MANIFEST, SOLUTIONS, WRONG_VARIANTS, kata_relpath

SERVICES = ("pg", "spark", "aws", "http", "perf")


@dataclass(frozen=True)
class Kata:
    id: str
    title: str
    seed: str
    difficulty: int
    hints: tuple[str, ...]
    needs: tuple[str, ...] = ()
    engines: tuple[str, ...] = ()        # SQL katas: which engines run them
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def day(self) -> str:
        return self.id.split(".")[0]

    @property
    def topic(self) -> str:
        return self.id.split(".")[1]

    @property
    def name(self) -> str:
        return self.id.split(".")[-1]

    @property
    def folder(self) -> Path:
        """The topic folder under katas/ that holds this kata."""
        return KATAS / kata_relpath(self.id).parent

    def stub_paths(self, root: Path = KATAS) -> list[Path]:
        """The kata's own files: a `.py` module, or a folder of artefacts (`.sql`)."""
        base = root / kata_relpath(self.id)
        return [p for p in (base.with_suffix(".py"), base) if p.exists()]

    def test_paths(self) -> list[Path]:
        """`test_<name>.py` and `test_<name>_*.py` beside the stub, or `test_*.py` inside a folder kata.

        A sibling kata whose name extends this one (`s3` and `s3_to_redshift`) keeps its own tests.
        """
        base = KATAS / kata_relpath(self.id)
        beside = [p for p in base.parent.glob(f"test_{self.name}*.py")
                  if p.stem == f"test_{self.name}" or not _is_kata(base.parent / p.stem.removeprefix("test_"))]
        return sorted(beside) + sorted(base.glob("test_*.py"))

    def solution_paths(self) -> list[Path]:
        return self.stub_paths(SOLUTIONS)

    @property
    def is_mock(self) -> bool:
        return self.day == "mock"

    @property
    def model_answer(self) -> Path:
        """What to say in the interview, beside the reference: `solutions/<path>.md` (mock katas)."""
        return SOLUTIONS / kata_relpath(self.id).with_suffix(".md")

    def wrong_variants(self) -> list[Path]:
        """Known-wrong versions: files (`name.py`) or folders of artefacts, with a docstring/README."""
        folder = WRONG_VARIANTS / kata_relpath(self.id)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if not p.name.startswith(("_", ".")))


def _is_kata(base: Path) -> bool:
    return base.with_suffix(".py").exists() or base.is_dir()


class UnknownKata(LookupError):
    """A kata id that is not in the manifest; the message names the nearest ids."""


def load(path: Path = MANIFEST) -> list[Kata]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    katas = []
    for entry in data.get("kata", []):
        known = {"id", "title", "seed", "difficulty", "hints", "needs", "engines"}
        katas.append(Kata(
            id=entry["id"], title=entry["title"], seed=entry["seed"],
            difficulty=int(entry.get("difficulty", 1)), hints=tuple(entry.get("hints", ())),
            needs=tuple(entry.get("needs", ())), engines=tuple(entry.get("engines", ())),
            extra={k: v for k, v in entry.items() if k not in known},
        ))
    return katas


def find(kata_id: str, katas: list[Kata] | None = None) -> Kata:
    katas = load() if katas is None else katas
    for kata in katas:
        if kata.id == kata_id:
            return kata
    nearest = difflib.get_close_matches(kata_id, [k.id for k in katas], n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(nearest)}?" if nearest else ""
    raise UnknownKata(f"no kata {kata_id!r}{hint}")


def kata_for_test_file(path: Path, katas: list[Kata]) -> Kata | None:
    """Which kata a test file belongs to (test files are named after their kata)."""
    path = Path(path).resolve()
    for kata in katas:
        if path in {p.resolve() for p in kata.test_paths()}:
            return kata
    return None
