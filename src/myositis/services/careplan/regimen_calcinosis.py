"""The calcinosis regimen: watched when deposits are intact and the disease quiet, treated
when they grow, ulcerate, hurt or limit function.

Split out of ``regimens``. All calcinosis agents are very-low evidence; their order is the
documented project order ``CALCINOSIS_ORDER``.
"""

from __future__ import annotations

from myositis.knowledge.schema import EVIDENCE_ORDER
from myositis.services.careplan.model import Option, Regimen
from myositis.services.careplan.regimen_lines import CALCINOSIS_ORDER, with_caveat
from myositis.services.state import DiseaseState


def calcinosis_regimen(state: DiseaseState, options: list[Option], complications: set[str], *,
                       provisional: bool, pregnant: bool = False) -> Regimen | None:
    """The calcinosis approach, or None without calcinosis or without a calcinosis option."""
    muscle = state.of("muscle")
    if "calcinosis" in complications and pregnant and "calcinosis_intact" in complications:
        # intact deposits in pregnancy get local care; no calcinosis drug (or immunoglobulin for
        # the deposits, with its clot risk) until after the birth (specialist review Z69d P6:
        # IVIG 'first choice here' for intact calcinosis at 7 weeks in a smoker)
        return Regimen(
            domain="calcinosis", state="present",
            first_choice=["local care in pregnancy: intact deposits are watched, and "
                          "calcinosis-specific drugs wait until after the birth"],
            alternatives=[],
            decision_point="Measure or photograph lesions at each visit; an ulcerated, infected "
                           "or disabling deposit in pregnancy: wound care and the obstetric and "
                           "myositis teams together.",
            provisional=provisional)
    if "calcinosis" in complications:
        # calcinosis has its own options (sodium thiosulfate, bisphosphonates, surgery...):
        # shown in the approach, not only in the detail (specialist review Q: progressive
        # ulcerated calcinosis in JDM)
        # a drug that failed before is not offered again for the deposits (specialist review
        # Z10b: IVIG for calcinosis after 18 months of IVIG without response)
        calc_opts = sorted([o for o in options if "calcinosis" in o.complications
                            and o.line in ("complication", "adjunct")
                            and o.previously not in ("ineffective", "not_tolerated")],
                           key=lambda o: (-EVIDENCE_ORDER[o.evidence_level],
                                          CALCINOSIS_ORDER.index(o.therapy)
                                          if o.therapy in CALCINOSIS_ORDER
                                          else len(CALCINOSIS_ORDER)))
        quiet = muscle in ("remission", "stable") and state.of("skin") in (
            "remission", "stable", "not_involved")
        watched = "calcinosis_intact" in complications and quiet
        if calc_opts and (watched or "calcinosis_minor" in complications):
            # intact deposits in quiet disease, or small intact ones in active disease (the
            # disease is treated): watched, not drugged (review C; review E: sodium thiosulfate
            # first for one 6 mm nodule)
            return Regimen(
                domain="calcinosis", state="present",
                first_choice=["observe: intact deposits in quiet disease need no "
                              "calcinosis-specific drug unless they hurt or limit function"
                              if watched else
                              "control of disease activity (the regimens above); small intact "
                              "deposits need no calcinosis-specific drug yet"],
                alternatives=[f"{n} if deposits grow, ulcerate or hurt"
                              for n in dict.fromkeys(map(with_caveat, calc_opts[:2]))],
                decision_point="Measure or photograph lesions at each visit; treat when they "
                               "grow, ulcerate, become infected or limit function"
                               + ("." if watched else "; in JDM, early control of the disease "
                                  "is the main prevention."),
                provisional=provisional)
        elif calc_opts:
            return Regimen(
                domain="calcinosis", state="present",
                # each with its high caution (specialist reviews Z23c P7, Z24b P2: oral
                # alendronate offered beside dysphagia)
                first_choice=["control of disease activity (the regimens above)",
                              *dict.fromkeys(map(with_caveat, calc_opts[:1]))],
                alternatives=list(dict.fromkeys(map(with_caveat, calc_opts[1:5]))),
                decision_point="Measure or photograph lesions at each visit; ulcers: wound "
                               "care, antibiotics only when infected; surgery for a "
                               "localised painful or functionally limiting deposit; in JDM, "
                               "early control of the disease is the main prevention.",
                provisional=provisional)
    return None
