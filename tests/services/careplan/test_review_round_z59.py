"""Specialist review round Z59 (all patients SYNTHETIC): a drug allergy clinic, a diabetes
clinic, an obesity and bariatric medicine service and a learning disability liaison service;
and leftovers of round Z58."""

from __future__ import annotations

from myositis.services.careplan.model import Caution, Option
from myositis.services.careplan.regimen_lines import safest_first
from tests.services.careplan.conftest import make_plan, withheld


def _option(therapy: str, *cautions: tuple[str, str]) -> Option:
    return Option(therapy=therapy, name=therapy, line="first", complications=[],
                  evidence_level="moderate", investigational=False, rationale="", citations=[],
                  cautions=[Caution(condition=c, severity=s, text=c, citations=[])
                            for c, s in cautions], kb_entry=therapy)


def test_a_calcineurin_inhibitor_beside_ritonavir_does_not_lead() -> None:
    """Review Z58c P2: tacrolimus first choice beside a ritonavir-boosted regimen taken
    erratically - its exposure rises many-fold and unpredictably, so another agent leads even
    when that one carries more high-severity cautions."""
    tacrolimus = _option("tacrolimus", ("calcineurin_ritonavir", "high"))
    rituximab = _option("rituximab", ("hbv_core", "high"), ("hypogammaglobulinaemia", "high"))
    assert [o.therapy for o in safest_first([tacrolimus, rituximab])] == ["rituximab",
                                                                          "tacrolimus"]
    alone = _option("tacrolimus", ("calcineurin_azole", "high"))
    assert [o.therapy for o in safest_first([alone, rituximab])] == ["tacrolimus", "rituximab"]


def test_pjp_prophylaxis_beside_clozapine_is_atovaquone() -> None:
    """Review Z59d P6: 'plan co-trimoxazole now' for a man on clozapine; the marrow-toxic
    options carry the clozapine caution."""
    record = dict(other_medicines=["clozapine"],
                  treatments=[{"therapy": "glucocorticoids_oral", "start": "2026-11-20",
                               "dose_value": 40, "dose_unit": "mg/day", "outcome": "ongoing"}])
    plan = make_plan(**record)
    text = " ".join(a.text for a in plan.do_now)
    assert "plan co-trimoxazole now" not in text
    assert "atovaquone beside clozapine" in text
    assert any("clozapine_with_marrow_toxic_option" in o.rule_ids or any(
        c.condition == "clozapine_with_marrow_toxic_option" for c in o.cautions)
        for o in plan.options if o.therapy in ("azathioprine", "mycophenolate", "methotrexate"))
    without = " ".join(a.text for a in make_plan(**{**record, "other_medicines": []}).do_now)
    assert "atovaquone beside clozapine" not in without


JDM_PULSE_ANAPHYLAXIS = dict(
    sex="male", date_of_birth="2017-06-20", weight_kg=28, height_cm=132,
    diagnosis={"subgroup": "jdm", "confirmed_on": "2026-11-10"},
    classification={"age_at_onset": 9, "weakness": {"proximal_upper": True},
                    "skin": {"heliotrope_rash": True, "gottron_papules": True}},
    antibodies={"nxp2": {"status": "positive"}, "mi2": {"status": "negative"}},
    organs={"dysphagia": "mild", "dysphagia_level": "oropharyngeal"},
    treatments=[{"therapy": "methylprednisolone_iv_pulse", "start": "2026-11-12",
                 "stop": "2026-11-12", "outcome": "not_tolerated",
                 "reason_stopped": "adverse_event", "reaction_severity": "severe"},
                {"therapy": "glucocorticoids_oral", "start": "2026-11-13", "dose_value": 50,
                 "dose_unit": "mg/day", "outcome": "ongoing"}])


def test_an_urgent_line_giving_pulses_says_they_are_withheld_after_anaphylaxis() -> None:
    """Review Z59a P7 (dangerous): the URGENT severe-JDM line gave IV methylprednisolone pulses
    to a child who had anaphylaxis to his first pulse; only the Withheld list said not to."""
    plan = make_plan(**JDM_PULSE_ANAPHYLAXIS)
    assert "methylprednisolone_iv_pulse" in withheld(plan)
    pulses = [a.text for a in plan.do_now if "methylprednisolone pulses" in a.text]
    assert pulses and all("IV methylprednisolone is withheld for this patient" in t
                          for t in pulses)
    tolerated = {**JDM_PULSE_ANAPHYLAXIS, "treatments": JDM_PULSE_ANAPHYLAXIS["treatments"][1:]}
    assert "withheld for this patient" not in " ".join(a.text for a in
                                                       make_plan(**tolerated).do_now)


def test_a_reaction_explained_by_anti_iga_keeps_an_iga_depleted_product_open() -> None:
    """Review Z59a P2: 'a severe reaction to one product counts for the others' beside
    IgA deficiency with anti-IgA antibodies - the IgA-depleted route is the answer."""
    reacted = {"therapy": "ivig", "start": "2026-10-20", "stop": "2026-10-20",
               "outcome": "not_tolerated", "reason_stopped": "adverse_event",
               "reaction_severity": "severe"}
    base = dict(organs={"dysphagia": "severe", "dysphagia_level": "oropharyngeal"},
                treatments=[reacted])
    plan = make_plan(**base, immunogenetics={"iga_deficiency": True, "anti_iga_antibodies": True})
    reason = withheld(plan)["ivig"]
    assert "IgA-depleted" in reason and "counts for the others" not in reason
    untested = make_plan(**base, immunogenetics={"iga_deficiency": True})
    assert "counts for the others" in withheld(untested)["ivig"]


def test_a_booked_per_kg_pulse_above_one_gram_is_flagged_before_the_first_dose() -> None:
    """Review Z59c P2 (dangerous): IV methylprednisolone 30 mg/kg booked for a 17-year-old of
    128 kg (3.84 g a pulse) passed the planned-course check with no ceiling."""
    teen = dict(date_of_birth="2009-05-01", weight_kg=128, height_cm=176,
                diagnosis={"subgroup": "jdm", "confirmed_on": "2025-01-10"},
                classification={"age_at_onset": 15},
                planned_treatments=[{"therapy": "methylprednisolone_iv_pulse",
                                     "start": "2026-12-03", "dose_value": 30,
                                     "dose_unit": "mg/kg", "route": "iv"}])
    line = next(a for a in make_plan(**teen).do_now
                if a.code == "planned_course_checks_methylprednisolone_iv_pulse")
    assert "30 mg/kg x 128 kg = 3840 mg/day is above its ceiling of 1000 mg/day" in line.text
    assert line.urgency == "urgent"
    light = next(a for a in make_plan(**{**teen, "weight_kg": 28, "height_cm": 132}).do_now
                 if a.code == "planned_course_checks_methylprednisolone_iv_pulse")
    assert "above its ceiling" not in light.text


def test_the_worked_daily_glucocorticoid_in_rp_ild_matches_the_regimen() -> None:
    """Review Z59b P5: '37-60 mg/day (0.5-1 mg/kg/day)' beside the lung regimen's 'about
    1 mg/kg/day' after pulses in anti-MDA5 rapidly progressive ILD."""
    rp = dict(weight_kg=74, antibodies={"mda5": {"status": "positive"},
                                        "mi2": {"status": "negative"}},
              systemic={"interstitial_lung_disease": True,
                        "rapidly_progressive_ild_suspected": True})
    line = next(d for d in make_plan(**rp).doses if d.therapy == "glucocorticoids_oral")
    assert line.text.startswith("60 mg/day (1 mg/kg/day x 74 kg")
    calm = next(d for d in make_plan(weight_kg=74).doses if d.therapy == "glucocorticoids_oral")
    assert calm.text.startswith("37-60 mg/day (0.5-1 mg/kg/day")
