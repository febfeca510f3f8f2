"""The katas are honest: red on every stub, green on every reference, every wrong variant caught.

One verify covers every kata (dojo/verify.py: child runs two at a time, sharing one PostgreSQL
server); its results are reported here per kata and per variant, by name.
"""
import pytest

from dojo import manifest, verify

KATAS = manifest.load()
IDS = [k.id for k in KATAS]
VARIANTS = [(k, v) for k in KATAS for v in k.wrong_variants()]
WHOLE_CHECK = pytest.mark.timeout(5400)      # the first test to ask pays for the whole verify


class StageTimes:
    """Prints where the two-sided check spent its time, at the end of the run (CI's per-stage split)."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line("two-sided check, wall time per stage: "
                                    + ", ".join(f"{stage} {s:.0f} s" for stage, s in self.seconds.items()))


@pytest.fixture(scope="session")
def verification(request) -> verify.Report:
    report = verify.verify(KATAS, ("stub", "solution", "variant"), say=lambda line: None)
    request.config.pluginmanager.register(StageTimes(report.seconds), "dojo-two-sided-stages")
    return report


def messages(findings):
    return "\n".join(f"{f.kata}: {f.message}" for f in findings)


@pytest.mark.parametrize("kata", KATAS, ids=IDS)
def test_kata_has_stub_tests_solution_hints_and_a_wrong_variant(kata):
    findings = [f for f in verify.layout_problems([kata]) if f.kata == kata.id]
    assert not findings, messages(findings)


def test_every_file_belongs_to_a_kata():
    strays = [f for f in verify.layout_problems([]) if f.kata == "-"]
    assert not strays, messages(strays)


@WHOLE_CHECK
@pytest.mark.parametrize("kata", KATAS, ids=IDS)
def test_every_test_fails_on_the_untouched_stub(kata, verification):
    rows = [r for r in verification.rows["stub"] if r["kata"] == kata.id]
    findings = verify.side_findings([kata.id], rows, "stub", "failed")
    assert not findings, messages(findings)


@WHOLE_CHECK
@pytest.mark.parametrize("kata", KATAS, ids=IDS)
def test_every_test_passes_on_the_reference(kata, verification):
    rows = [r for r in verification.rows["solution"] if r["kata"] == kata.id]
    findings = verify.side_findings([kata.id], rows, "solution", "passed")
    assert not findings, messages(findings)


@WHOLE_CHECK
def test_no_test_ran_outside_a_kata(verification):
    orphans = [r["nodeid"] for r in verification.rows["solution"] if r["kata"] is None]
    assert not orphans, f"tests that belong to no kata (or a crashed run): {orphans}"


@WHOLE_CHECK
@pytest.mark.parametrize("kata,variant", VARIANTS, ids=[f"{k.id}/{v.stem}" for k, v in VARIANTS])
def test_wrong_variant_is_caught(kata, variant, verification):
    finding = verification.variants[f"{kata.id}/{variant.name}"]
    assert finding is None, finding.message
