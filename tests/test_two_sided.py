"""The katas are honest: red on every stub, green on every reference, every wrong variant caught.

One pytest run per side covers every kata (session fixtures); results are reported per kata.
"""
import pytest

from dojo import manifest, verify

KATAS = manifest.load()
IDS = [k.id for k in KATAS]
ALL_TEST_FILES = [p for k in KATAS for p in k.test_paths()]
VARIANTS = [(k, v) for k in KATAS for v in k.wrong_variants()]
SLOW = pytest.mark.timeout(3600)


@pytest.fixture(scope="session")
def stub_run():
    return verify.run_pytest(ALL_TEST_FILES, "katas")


@pytest.fixture(scope="session")
def solution_run():
    return verify.run_pytest(ALL_TEST_FILES, "solutions")


def messages(findings):
    return "\n".join(f"{f.kata}: {f.message}" for f in findings)


@pytest.mark.parametrize("kata", KATAS, ids=IDS)
def test_kata_has_stub_tests_solution_hints_and_a_wrong_variant(kata):
    findings = [f for f in verify.layout_problems([kata]) if f.kata == kata.id]
    assert not findings, messages(findings)


def test_every_file_belongs_to_a_kata():
    strays = [f for f in verify.layout_problems([]) if f.kata == "-"]
    assert not strays, messages(strays)


@SLOW
@pytest.mark.parametrize("kata", KATAS, ids=IDS)
def test_every_test_fails_on_the_untouched_stub(kata, stub_run):
    findings = verify.side_findings([kata.id], [r for r in stub_run if r["kata"] == kata.id], "stub", "failed")
    assert not findings, messages(findings)


@SLOW
@pytest.mark.parametrize("kata", KATAS, ids=IDS)
def test_every_test_passes_on_the_reference(kata, solution_run):
    findings = verify.side_findings([kata.id], [r for r in solution_run if r["kata"] == kata.id],
                                    "solution", "passed")
    assert not findings, messages(findings)


def test_no_test_ran_outside_a_kata(solution_run):
    orphans = [r["nodeid"] for r in solution_run if r["kata"] is None]
    assert not orphans, f"tests that belong to no kata (or a crashed run): {orphans}"


@SLOW
@pytest.mark.parametrize("kata,variant", VARIANTS, ids=[f"{k.id}/{v.stem}" for k, v in VARIANTS])
def test_wrong_variant_is_caught(kata, variant):
    finding = verify.variant_finding(kata, variant)
    assert finding is None, finding.message
