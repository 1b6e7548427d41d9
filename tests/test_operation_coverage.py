"""The operation-coverage check (tests/operation_coverage.py): which operations count as
covered, and when a vendor directory counts as having run completely."""
from tests import operation_coverage as coverage
from tests.support import SpecCheckedClient

VENDOR = "deskchime"
OWN = coverage.VENDOR_TESTS / VENDOR


def test_an_operation_counts_only_with_a_2xx_answer_from_its_vendors_own_tests(monkeypatch):
    first, second, third, *rest = coverage.operations(VENDOR)
    answers = {(VENDOR, op): {str(OWN / "test_lists.py")} for op in rest}
    answers[(VENDOR, second)] = {str(coverage.VENDOR_TESTS.parent / "contract" / "test_x.py")}
    answers[(VENDOR, third)] = {str(coverage.VENDOR_TESTS / "chime" / "test_auth.py")}
    answers[("chime", first)] = {str(OWN / "test_lists.py")}  # another vendor's operation
    monkeypatch.setattr(SpecCheckedClient, "succeeded_by", answers)
    assert coverage.uncovered(VENDOR) == [first, second, third]
    answers[(VENDOR, first)] = {str(OWN / "sub" / "test_deep.py")}
    assert coverage.uncovered(VENDOR) == [second, third]


def test_a_directory_is_complete_only_when_every_file_was_collected_and_every_test_ran(
        monkeypatch, pytestconfig):
    files = {p.resolve() for p in OWN.glob("test_*.py")}
    assert len(files) > 1
    monkeypatch.setattr(coverage, "_modules", {VENDOR: set(files)})
    monkeypatch.setattr(coverage, "_items", {VENDOR: {"a", "b"}})
    monkeypatch.setattr(coverage, "_ran", {"a", "b", "elsewhere"})
    assert coverage._complete(VENDOR, pytestconfig)
    coverage._ran.discard("b")  # deselected by -k, left out by file::test, or stopped by -x
    assert not coverage._complete(VENDOR, pytestconfig)
    coverage._ran.add("b")
    coverage._modules[VENDOR].discard(sorted(files)[0])  # one file of the directory run alone
    assert not coverage._complete(VENDOR, pytestconfig)
    assert not coverage._complete("no-such-vendor", pytestconfig)
