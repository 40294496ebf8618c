"""Wording the rules engine changes by structure rather than by one fact's value.

The patient-specific rewordings a clinician reviews clause by clause are data, in
``knowledge/data/wording.yaml`` (applied in order by :func:`myositis.services.careplan.rules.fire`).
These few stay in code because the engine applies them to a whole clause family: dropping the
pregnancy clauses from the plan of someone who cannot become pregnant, the HBV antiviral of
pregnancy, and the HIV-suppressive HBV antiviral.
"""

from __future__ import annotations

PREGNANCY_CLAUSES = ("in pregnancy", "in a girl who could be pregnant",
                     "in anyone who can become pregnant")
"""Clause openings (after '; ') dropped from a rule's text without childbearing potential."""


PREGNANCY_SWAPS = (
    ("entecavir or tenofovir", "tenofovir disoproxil (the HBV antiviral used in pregnancy and "
                               "before conception; not entecavir)"),
)
"""General wording replaced in a pregnancy, or when a woman who can become pregnant plans one."""
HIV_HBV_ANTIVIRAL = ("tenofovir within a fully suppressive HIV regimen, arranged with the HIV team "
                     "(never entecavir, lamivudine or tenofovir alone, which select HIV resistance)")
"""The HBV antiviral named when HIV is recorded (EASL 2017 HBV guideline: HIV-HBV co-infection
is treated with a tenofovir-based antiretroviral regimen)."""


__all__ = ["HIV_HBV_ANTIVIRAL", "PREGNANCY_CLAUSES", "PREGNANCY_SWAPS"]
