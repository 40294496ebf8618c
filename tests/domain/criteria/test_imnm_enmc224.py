"""ENMC 224 IMNM (rule unconfirmed, so every result says so): IMNM-1..3."""

from __future__ import annotations

from myositis.domain.criteria.imnm_enmc224 import ImnmInput, assess


def test_imnm1_anti_hmgcr_without_biopsy() -> None:
    result = assess(ImnmInput(anti_hmgcr="positive", ck_elevated=True, proximal_weakness=True))
    assert (result.met, result.category) == (True, "anti-HMGCR myopathy")
    assert result.confirmed is False


def test_imnm2_seronegative_needs_biopsy() -> None:
    no_biopsy = ImnmInput(anti_srp="negative", anti_hmgcr="negative", ck_elevated=True,
                          proximal_weakness=True)
    assert assess(no_biopsy).met is False
    with_biopsy = no_biopsy.model_copy(update={"necrotising_biopsy": True})
    assert assess(with_biopsy).category == "antibody-negative IMNM"


def test_imnm3_ck_must_be_elevated() -> None:
    assert assess(ImnmInput(anti_srp="positive", ck_elevated=False,
                            proximal_weakness=True)).met is False


def test_untested_antibodies_are_unknown() -> None:
    result = assess(ImnmInput(ck_elevated=True, proximal_weakness=True))
    assert result.met is None and set(result.missing) == {"anti_srp", "anti_hmgcr"}
