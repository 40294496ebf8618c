"""Findings of specialist review round Z44 (myositis specialist clinic, neuromuscular neurology,
infectious diseases, endocrinology and bone) and of open findings carried over from earlier
rounds, fixed in December 2026. SYNTHETIC patients only."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan import CarePlan
from tests.services.careplan.conftest import do_now, lab, make_plan


def _first_choices(plan: CarePlan, domain: str) -> list[str]:
    return next(r for r in plan.regimens if r.domain == domain).first_choice


def _mtx_course(response: str | None, start: str = "2026-05-15",
                adherence: str | None = None) -> dict[str, Any]:
    course: dict[str, Any] = {"therapy": "methotrexate", "dose_value": 20,
                              "dose_unit": "mg/week", "route": "sc", "start": start,
                              "outcome": "ongoing", "response": response}
    if adherence:
        course["adherence"] = adherence
    return {
        "months_since_onset": 7,
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 15,
                        "dose_unit": "mg/day", "start": "2026-05-01", "outcome": "ongoing"},
                       course],
        "lab_results": [lab("ck", 2400, "U/L", 200, "2026-05-01"),
                        lab("ck", 2100, "U/L", 200, "2026-11-20"),
                        lab("egfr", 90, "mL/min/1.73m2", date="2026-11-20")],
    }


def test_no_response_after_adequate_time_switches_instead_of_continuing() -> None:
    """Z42d P2 carried over: methotrexate at 20 mg/week for 28 weeks with no response was kept
    as 'continue and optimise' because one failed agent leaves the state 'active'."""
    failed = _first_choices(make_plan(**_mtx_course("none")), "muscle")
    assert any(e.startswith("Methotrexate: no response recorded after 28 weeks") and "switch"
               in e for e in failed), failed
    assert not any(e.startswith("Continue and optimise Methotrexate") for e in failed)
    # too early to call, unknown response, or doses missed: continued as before
    for course in (_mtx_course("none", start="2026-10-01"), _mtx_course(None),
                   _mtx_course("none", adherence="poor")):
        kept = _first_choices(make_plan(**course), "muscle")
        assert not any("no response recorded" in e for e in kept), kept


SERONEGATIVE = {m: {"status": "negative"} for m in (
    "jo1", "pl7", "pl12", "ej", "oj", "mi2", "mda5", "tif1g", "nxp2", "sae", "srp", "hmgcr")}
NOTHING_HELPED: dict[str, Any] = {
    "diagnosis": {"subgroup": "pm"}, "months_since_onset": 60,
    "antibodies": SERONEGATIVE, "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "classification": {"skin": {"heliotrope_rash": False, "gottron_papules": False}},
    "lab_results": [lab("ck", 6300, "U/L", 190, "2026-11-20")],
    "persistent_high_activity": True,
    "treatments": [
        {"therapy": "glucocorticoids_oral", "dose_value": 12.5, "dose_unit": "mg/day",
         "start": "2022-03-25", "outcome": "ongoing", "response": "none"},
        {"therapy": "azathioprine", "dose_value": 150, "dose_unit": "mg/day",
         "start": "2022-06-01", "outcome": "ongoing", "response": "none"},
        {"therapy": "methotrexate", "dose_value": 20, "dose_unit": "mg/week",
         "start": "2023-02-01", "stop": "2024-01-15", "outcome": "ineffective",
         "reason_stopped": "inefficacy"},
        {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg", "start": "2024-10-01",
         "stop": "2025-03-01", "outcome": "ineffective", "reason_stopped": "inefficacy"}],
    "weight_kg": 98,
}


def test_a_seronegative_myositis_nothing_helped_is_questioned_not_escalated() -> None:
    """Z44b P6 (dangerous): four years without any response, 'raise azathioprine' first and
    rituximab, tacrolimus, cyclophosphamide and CAR-T lined up beside the plan's own 're-examine
    the diagnosis before escalating'."""
    from myositis.knowledge import load
    from myositis.services.careplan.regimen_diagnosis_doubt import (
        hold_for_diagnosis,
        nothing_ever_helped,
    )
    from tests.services.careplan.conftest import make_record
    plan = make_plan(**NOTHING_HELPED)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    # the criteria-rejected PM review or the nothing-helped hold: either way no escalation
    assert muscle.first_choice[0].startswith(("Diagnosis in doubt", "Re-examine the diagnosis"))
    assert not any(e.startswith(("Raise", "add ")) for e in muscle.first_choice)
    doubt = nothing_ever_helped(make_record(**NOTHING_HELPED), load(), ["pm"])
    assert doubt is not None and doubt[1] == ["Azathioprine", "Intravenous immunoglobulin",
                                              "Methotrexate"]
    held = hold_for_diagnosis([muscle.model_copy(update={
        "first_choice": ["Raise Azathioprine to its usual dose first"],
        "alternatives": ["Rituximab", "Tacrolimus"]})], doubt, ["Azathioprine"])[0]
    assert held.first_choice[0].startswith("Diagnosis in doubt")
    assert held.alternatives == ["only if the review confirms an inflammatory myopathy: "
                                 "Rituximab, Tacrolimus"]
    # one agent that helped, or a myositis-specific antibody, and the escalation stands
    helped = {**NOTHING_HELPED, "treatments": [
        {**NOTHING_HELPED["treatments"][0], "response": "partial"},
        *NOTHING_HELPED["treatments"][1:]]}
    jo1 = {**NOTHING_HELPED, "antibodies": {**SERONEGATIVE, "jo1": {"status": "positive"}}}
    for other in (helped, jo1):
        first = next(r for r in make_plan(**other).regimens if r.domain == "muscle").first_choice
        assert not first[0].startswith("Diagnosis in doubt"), first


def _texts(plan: CarePlan) -> str:
    return " ".join(a.text for a in [*plan.do_now, *plan.do_now_bundled])


GC_30 = {"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
         "start": "2026-11-10", "outcome": "ongoing"}
AZA_NOW = {"therapy": "azathioprine", "dose_value": 150, "dose_unit": "mg/day",
           "start": "2025-10-01", "outcome": "ongoing"}


def test_a_booked_rituximab_line_names_atovaquone_with_a_sulfonamide_allergy() -> None:
    """Z44a P6 (dangerous): the URGENT pre-rituximab line advised co-trimoxazole for PJP
    prophylaxis beside a recorded sulfonamide allergy (a blistering reaction)."""
    base: dict[str, Any] = {"treatments": [GC_30, AZA_NOW], "weight_kg": 60,
                            "planned_treatments": [{"therapy": "rituximab",
                                                    "start": "2026-12-10"}]}
    allergic = _texts(make_plan(**base, allergies=["sulfonamide"]))
    assert "(co-trimoxazole - with methotrexate" not in allergic
    assert "atovaquone - sulfonamide allergy recorded: no co-trimoxazole" in allergic
    assert "(co-trimoxazole - with methotrexate" in _texts(make_plan(**base))


def test_an_improving_severe_dysphagia_is_not_pulsed() -> None:
    """Z44a P7 (dangerous): IV pulses added for severe dysphagia in a frail woman improving on
    prednisolone and IVIG (TIS 65), a week before chemotherapy."""
    base: dict[str, Any] = {
        "months_since_onset": 3, "organs": {"dysphagia": "severe"},
        "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 40,
                        "dose_unit": "mg/day", "start": "2026-09-20", "outcome": "ongoing"},
                       {"therapy": "ivig", "dose_value": 2, "dose_unit": "g/kg",
                        "start": "2026-10-15", "outcome": "ongoing"}]}
    improving = {**base, "visits": [
        {"date": "2026-09-20", "core_set": {"mmt8": 52, "physician_global": 8}},
        {"date": "2026-11-24", "core_set": {"mmt8": 62, "physician_global": 6}}],
        "lab_results": [lab("ck", 3000, "U/L", 200, "2026-09-20"),
                        lab("ck", 900, "U/L", 200, "2026-11-24")]}
    worse = {**base, "visits": [
        {"date": "2026-09-20", "core_set": {"mmt8": 60, "physician_global": 6}},
        {"date": "2026-11-24", "core_set": {"mmt8": 50, "physician_global": 8}}],
        "lab_results": [lab("ck", 900, "U/L", 200, "2026-09-20"),
                        lab("ck", 3000, "U/L", 200, "2026-11-24")]}
    assert not any("pulses" in e for e in _first_choices(make_plan(**improving), "muscle"))
    assert any("pulses" in e for e in _first_choices(make_plan(**worse), "muscle"))


def test_methotrexate_toxicity_on_dialysis_brings_no_fluid_loading() -> None:
    """Z44b P8 (dangerous): 'IV fluids' for methotrexate toxicity on haemodialysis."""
    base: dict[str, Any] = {
        "treatments": [{"therapy": "methotrexate", "dose_value": 15, "dose_unit": "mg/week",
                        "start": "2026-01-01", "outcome": "ongoing"}],
        "lab_results": [lab("neutrophils", 0.9, "10^9/L"), lab("platelets", 82, "10^9/L"),
                        lab("egfr", 7, "mL/min/1.73m2")]}
    on_dialysis = _texts(make_plan(**base, comorbidities={"dialysis": True}))
    assert "no fluid loading (on dialysis: high-flux haemodialysis" in on_dialysis
    assert "IV fluids, daily blood count" not in on_dialysis
    off = base | {"lab_results": [lab("neutrophils", 0.9, "10^9/L"),
                                  lab("platelets", 82, "10^9/L")]}
    assert "IV fluids, daily blood count" in _texts(make_plan(**off))


LUNG_SEPSIS: dict[str, Any] = {
    "systemic": {"interstitial_lung_disease": True, "dyspnoea_or_cough": True, "fever": True},
    "lung_measures": [{"date": "2026-10-05", "fvc_percent_predicted": 78, "hrct_pattern": "nsip",
                       "course": "stable"},
                      {"date": "2026-11-30", "hrct_pattern": "nsip", "oxygen": "at_rest",
                       "course": "rapidly_progressive"}],
    "comorbidities": {"active_infection": True, "sepsis": True},
    "treatments": [{"therapy": "glucocorticoids_oral", "dose_value": 20, "dose_unit": "mg/day",
                    "start": "2026-06-01", "outcome": "ongoing"}],
}


def test_diffuse_lung_shadowing_in_sepsis_is_not_pulsed_before_infection_is_excluded() -> None:
    """Z44c P7 (near-dangerous): 'IVIG or the urgent glucocorticoid is not delayed for the
    infection' with sepsis, diffuse ground glass and CMV viraemia."""
    diffuse = _texts(make_plan(**{**LUNG_SEPSIS, "comorbidities": {
        **LUNG_SEPSIS["comorbidities"], "infection_focus": "lung_diffuse"}}))
    assert "may be the infection itself" in diffuse
    assert "IVIG or the urgent glucocorticoid is not delayed" not in diffuse
    urinary = _texts(make_plan(**{**LUNG_SEPSIS, "comorbidities": {
        **LUNG_SEPSIS["comorbidities"], "infection_focus": "urinary"}}))
    assert "may be the infection itself" not in urinary


def test_hbv_antiviral_does_not_postpone_rituximab_in_organ_threatening_disease() -> None:
    """Z44c P1 (near-dangerous): 'the date moves if they are not in place' for rituximab in
    rapidly progressive ILD with anti-HBc."""
    hbc = {"hbsag": {"result": "negative"}, "anti_hbc": {"result": "positive"},
           "tb_test": {"result": "negative"}, "hcv": {"result": "negative"}}
    booked = [{"therapy": "rituximab", "start": "2026-12-04"}]
    threatened = _texts(make_plan(**LUNG_SEPSIS | {"comorbidities": {}},
                                  infection_screening=hbc, planned_treatments=booked))
    assert "the dose is not postponed for it" in threatened
    calm = _texts(make_plan(infection_screening=hbc, planned_treatments=booked))
    assert "the date moves if they are not in place" in calm


def test_latent_tb_line_names_the_boosted_hiv_regimen() -> None:
    """Z44c P2: the rifamycin interactions named tacrolimus and prednisolone but not the
    cobicistat-boosted HIV regimen taken."""
    tb = {"tb_test": {"result": "positive"}, "hbsag": {"result": "negative"},
          "anti_hbc": {"result": "negative"}, "hcv": {"result": "negative"}}
    boosted = _texts(make_plan(infection_screening=tb, treatments=[GC_30],
                               other_medicines=["ritonavir_or_cobicistat"]))
    # no rifamycin at all with cobicistat or TAF (re-score of Z44c P2: 'rifabutin at an
    # adjusted dose' offered beside cobicistat)
    assert "no rifamycin at all with cobicistat or tenofovir alafenamide" in boosted
    assert "boosted HIV regimen" not in _texts(make_plan(infection_screening=tb,
                                                         treatments=[GC_30]))


def test_alt_with_suppressed_hbv_and_a_high_ck_is_not_an_urgent_reactivation() -> None:
    """Z44c P2: URGENT 'treat as possible viral reactivation' with HBV DNA undetectable the same
    day on tenofovir and CK 31 x ULN."""
    screening = {"hbsag": {"result": "positive"}, "anti_hbc": {"result": "positive"},
                 "hbv_dna": {"result": "negative", "date": "2026-11-25"},
                 "hcv": {"result": "negative"}, "tb_test": {"result": "negative"}}
    labs = [lab("alt", 160, "U/L", 45), lab("ck", 6200, "U/L", 200)]
    suppressed = do_now(make_plan(infection_screening=screening, lab_results=labs,
                                  other_medicines=["hbv_active_antiviral"]))
    assert "transaminases_raised_hbv_suppressed_high_ck" in suppressed
    assert "transaminases_raised_with_viral_hepatitis" not in suppressed
    untreated = do_now(make_plan(infection_screening=screening, lab_results=labs))
    assert untreated.get("transaminases_raised_with_viral_hepatitis") == "urgent"


def test_alt_with_known_chronic_hepatitis_c_is_not_called_a_reactivation() -> None:
    """Z44c P8: URGENT 'possible viral reactivation' and an HCV RNA asked for beside a positive
    RNA and known cirrhosis."""
    screening = {"hbsag": {"result": "negative"}, "anti_hbc": {"result": "positive"},
                 "hcv": {"result": "positive"}, "hcv_rna": {"result": "positive"},
                 "tb_test": {"result": "negative"}}
    plan = make_plan(infection_screening=screening, lab_results=[lab("alt", 78, "U/L", 45)])
    actions = do_now(plan)
    assert "transaminases_raised_known_chronic_hcv" in actions
    assert "transaminases_raised_with_viral_hepatitis" not in actions


def test_high_dose_glucocorticoids_bring_a_glucose_watch_without_known_diabetes() -> None:
    """Z44d P8 (harmful omission): 1 g/day IV methylprednisolone after a checkpoint inhibitor
    with no glucose monitoring, because diabetes was not recorded."""
    pulses = [{"therapy": "methylprednisolone_iv_pulse", "dose_value": 1000, "dose_unit": "mg",
               "start": "2026-11-29", "outcome": "ongoing"}]
    plain = do_now(make_plan(treatments=pulses))
    # the start-of-course line (review Z63d P3) says the glucose watch when oral induction is
    # still to follow the pulses
    assert {"glucose_watch_high_dose_glucocorticoids", "glucocorticoid_start_safety"} & set(plain)
    ici = do_now(make_plan(treatments=pulses, other_medicines=["immune_checkpoint_inhibitor"]))
    assert ici.get("glucose_watch_checkpoint_inhibitor_high_dose_glucocorticoids") == "soon"
    assert "glucose_watch_high_dose_glucocorticoids" not in ici
    low = do_now(make_plan(treatments=[{**GC_30, "dose_value": 10}]))
    assert "glucose_watch_high_dose_glucocorticoids" not in low
    # in pregnancy the gestational-diabetes thresholds apply (re-score of Z44c P3)
    pregnant = do_now(make_plan(treatments=pulses, reproduction={
        "pregnant": True, "gestation_weeks": 24, "planning_conception": False,
        "breastfeeding": False}))
    assert "glucose_watch_high_dose_glucocorticoids" not in pregnant


THYROID_LOW = [lab("tsh", 42, "mU/L", 4.2), lab("free_t4", 6, "pmol/L", 22)]


def test_a_raised_tsh_before_a_planned_pregnancy_sets_the_preconception_target() -> None:
    """Z44d P6 (harmful omission): TSH 42 with a pregnancy planned and no contraception, and
    only the generic preconception line."""
    planning = make_plan(lab_results=THYROID_LOW, reproduction={
        "pregnant": False, "planning_conception": True, "breastfeeding": False})
    text = {a.code: a.text for a in planning.do_now}["raised_tsh_planning_conception"]
    assert "below 2.5 mU/L before conception" in text and "a quarter to a third" in text
    assert "raised_tsh_planning_conception" not in do_now(make_plan(lab_results=THYROID_LOW))


def test_in_pregnancy_the_raised_tsh_is_the_pregnancy_line_not_the_mimic_line() -> None:
    """Z44d P2: the mimic line ('levothyroxine started low') for a woman 14 weeks pregnant
    with 22 months of antibody-confirmed DM."""
    pregnant = do_now(make_plan(lab_results=THYROID_LOW, reproduction={
        "pregnant": True, "gestation_weeks": 14, "planning_conception": False,
        "breastfeeding": False}))
    assert "raised_tsh_in_pregnancy" in pregnant
    assert "raised_tsh_myositis_mimic" not in pregnant
    assert "raised_tsh_myositis_mimic" in do_now(make_plan(lab_results=THYROID_LOW))


def test_subclinical_hypothyroidism_in_treated_myositis_does_not_send_for_a_biopsy() -> None:
    """Z44d P4: 'the myositis work-up (biopsy included) goes ahead' 2.5 years into JDM."""
    subclinical = [lab("tsh", 6.8, "mU/L", 4.5), lab("free_t4", 14, "pmol/L", 22)]
    treated = do_now(make_plan(lab_results=subclinical, treatments=[AZA_NOW]))
    assert "subclinical_hypothyroidism_established_myositis" in treated
    assert "subclinical_hypothyroidism_not_a_mimic" not in treated
    new = do_now(make_plan(lab_results=subclinical))
    assert "subclinical_hypothyroidism_not_a_mimic" in new


def test_a_visit_that_measured_nothing_does_not_make_a_remission_active() -> None:
    """Z44d P5: the last visit only recorded prednisolone stopping, and a myositis in remission
    (MMT-8 79/80, CK normal) was called active during a sepsis."""
    record: dict[str, Any] = {
        "diagnosis": {"subgroup": "dm"}, "months_since_onset": 40,
        "lab_results": [lab("ck", 160, "U/L", 200, "2026-09-01")],
        "treatments": [{"therapy": "mycophenolate", "dose_value": 2, "dose_unit": "g/day",
                        "start": "2023-06-01", "outcome": "ongoing", "response": "complete"}],
        "visits": [{"date": "2026-04-10", "core_set": {"mmt8": 78, "physician_global": 1}},
                   {"date": "2026-09-01", "core_set": {"mmt8": 79, "physician_global": 1}},
                   {"date": "2026-10-20", "glucocorticoid_mg_per_day": 0}]}
    plan = make_plan(**record)
    assert plan.state.of("muscle") == "stable", plan.state.domains


def test_a_confirmed_unclassified_myositis_on_treatment_is_a_diagnosis() -> None:
    """Z44c P6: 'no myositis diagnosis ... investigate the raised CK' and 'biopsy before
    glucocorticoids' three years into treatment of a confirmed myositis without a subgroup."""
    base: dict[str, Any] = {
        "diagnosis": {"subgroup": "unclassified", "confirmed_on": "2024-01-20"},
        "antibodies": SERONEGATIVE, "skin": {"heliotrope_rash": False, "gottron_papules": False},
        "classification": {"skin": {"heliotrope_rash": False, "gottron_papules": False}},
        "lab_results": [lab("ck", 150, "U/L", 200, "2026-11-20")],
        "visits": [{"date": "2026-11-20", "core_set": {"mmt8": 80, "physician_global": 0.5}}]}
    treated = do_now(make_plan(**base, treatments=[
        {"therapy": "glucocorticoids_oral", "dose_value": 5, "dose_unit": "mg/day",
         "start": "2024-02-01", "outcome": "ongoing"},
        {"therapy": "rituximab", "start": "2024-03-01", "outcome": "effective"}]))
    assert "glucocorticoid_without_diagnosis" not in treated
    assert "undiagnosed_myopathy_safety" not in treated
    untreated = do_now(make_plan(**{**base, "diagnosis": {"subgroup": "unclassified"},
                                    "lab_results": [lab("ck", 1500, "U/L", 200)]}))
    assert "undiagnosed_myopathy_safety" in untreated


def test_lines_do_not_ask_again_for_what_the_record_holds() -> None:
    """Z44a P8: 'check GGT and bilirubin' with both on file and normal; Z44c P3: '(and seasonal
    influenza)' six weeks after the influenza vaccine."""
    labs = [lab("alt", 110, "U/L", 45), lab("ck", 1900, "U/L", 200)]
    with_liver = {a.code: a.text for a in make_plan(lab_results=[
        *labs, lab("ggt", 30, "U/L", 50), lab("bilirubin", 10, "umol/L", 21)]).do_now}
    assert "both within their limits" in with_liver["alt_raised_with_high_ck"]
    # a missing bilirubin, or a GGT above its limit, is no reassurance (re-score of Z44d P3)
    for partial in ([*labs, lab("ggt", 30, "U/L", 50)],
                    [*labs, lab("ggt", 125, "U/L", 50), lab("bilirubin", 10, "umol/L", 21)],
                    labs):
        text = {a.code: a.text for a in make_plan(lab_results=partial).do_now}
        # a normal GGT alone: the bilirubin is still asked for (review Z50a P5)
        assert "check GGT and bilirubin" in text["alt_raised_with_high_ck"] or (
            "check the bilirubin" in text["alt_raised_with_high_ck"]
            and "within their limits" not in text["alt_raised_with_high_ck"]), partial
    old = {"months_since_onset": 3, "classification": {"age_at_onset": 70}}
    flu = {a.code: a.text for a in make_plan(**old, vaccinations=[
        {"vaccine": "influenza", "date": "2026-10-05"}]).do_now}
    assert "influenza already given" in flu["vaccination_review"]
    assert "(and seasonal influenza)" in {a.code: a.text for a in make_plan(
        **old).do_now}["vaccination_review"]


KIDNEY_BONE: dict[str, Any] = {
    "treatments": [GC_30], "lab_results": [lab("egfr", 35, "mL/min/1.73m2")]}


def test_bone_lines_keep_the_dysphagia_and_the_fracture_through_the_kidney_rules() -> None:
    """Z44a P7: 'an oral bisphosphonate only once the creatinine clearance is calculated' with
    severe dysphagia; Z44d P1: the vertebral fracture's 'very high risk' lost at eGFR 28."""
    swallow = {a.code: a.text for a in make_plan(**KIDNEY_BONE, organs={
        "dysphagia": "severe"}).do_now}["bone_medication_kidney"]
    assert "no oral bisphosphonate either" in swallow
    assert "an oral bisphosphonate only once" in {a.code: a.text for a in make_plan(
        **KIDNEY_BONE).do_now}["bone_medication_kidney"]
    failing = {**KIDNEY_BONE, "lab_results": [lab("egfr", 28, "mL/min/1.73m2")]}
    fracture = {a.code: a.text for a in make_plan(**failing, comorbidities={
        "osteoporosis": True}).do_now}["bone_protection_kidney_failure"]
    assert "makes the fracture risk very high" in fracture


def test_a_withheld_drug_names_the_kidney_limit_too() -> None:
    """Z44b P2: methotrexate withheld for co-trimoxazole alone, the eGFR of 38 unsaid."""
    plan = make_plan(other_medicines=["co_trimoxazole"],
                     lab_results=[lab("egfr", 38, "mL/min/1.73m2")])
    reason = next(w.reason for w in plan.withheld if w.therapy == "methotrexate")
    assert "Also: eGFR 30-59" in reason
    normal = make_plan(other_medicines=["co_trimoxazole"])
    assert "Also:" not in next(w.reason for w in normal.withheld if w.therapy == "methotrexate")


def test_a_smoker_booked_for_ivig_gets_the_boxed_thrombosis_caution() -> None:
    """Z44b P4: 'Planned IVIG: no caution for this patient in the record' for a smoker with a
    suspected cancer."""
    booked = [{"therapy": "ivig", "start": "2026-12-10"}]
    smoker = _texts(make_plan(planned_treatments=booked,
                              comorbidities={"smoking_status": "current"}))
    # said of a smoker only (review Z63c P3 and P8)
    assert "Smoking now (an arterial risk factor)" in smoker
    assert "Smoking now" not in _texts(make_plan(
        planned_treatments=booked, comorbidities={"smoking_status": "never"}))


def test_the_cancer_screen_says_what_follows_the_tests_due_now() -> None:
    """Z44b: yearly re-screening for 3 years in high-risk DM never printed."""
    high = make_plan(antibodies={"tif1g": {"status": "positive"}, "mi2": {"status": "negative"}},
                     classification={"age_at_onset": 58})
    assert "Then yearly: the enhanced panel until 3 years after onset." in \
        high.cancer_screening.notes
    ibm = make_plan(diagnosis={"subgroup": "ibm"})
    assert not any(n.startswith("Then yearly") for n in ibm.cancer_screening.notes)


def test_a_result_on_record_is_shown_with_the_ones_before_it() -> None:
    """Z44c P6: IgG 9.8, 6.1 and 3.9 g/L after rituximab shown only as 'IgG 3.9 g/L'."""
    falling = [lab("igg", 9.8, "g/L", date="2025-06-01"), lab("igg", 6.1, "g/L", date="2026-03-01"),
               lab("igg", 3.9, "g/L", date="2026-11-20")]
    plan = make_plan(lab_results=falling, comorbidities={"recurrent_infections": True},
                     treatments=[{"therapy": "rituximab", "start": "2025-01-01",
                                  "outcome": "effective"}])
    texts = _texts(plan)
    assert "IgG 3.9 g/L on 2026-11-20 (before: 6.1 on 2026-03-01, 9.8 on 2025-06-01)" in texts


def test_a_biopsy_proven_pm_that_nothing_helped_gets_the_hold_and_no_trial_referral() -> None:
    """Re-score of Z44b P6: the hold must govern the plan when no other diagnostic review
    fires (an inflammatory biopsy), and the Do-now 'refer for a clinical trial' goes too."""
    inflamed = {**NOTHING_HELPED,
                "classification": {"age_at_onset": 22, "elevated_muscle_enzymes": True,
                                   "weakness": {"proximal_lower": True},
                                   "skin": {"heliotrope_rash": False, "gottron_papules": False},
                                   "biopsy": {"endomysial_infiltrate": True,
                                              "perimysial_or_perivascular_infiltrate": True}},
                "biopsy": {"date": "2022-03-01", "endomysial_infiltrate": True,
                           "mhc1_upregulation": True, "rimmed_vacuoles": False,
                           "perifascicular_atrophy": False}}
    plan = make_plan(**inflamed)
    muscle = next(r for r in plan.regimens if r.domain == "muscle")
    assert muscle.first_choice[0].startswith("Diagnosis in doubt"), muscle.first_choice
    assert "refractory_to_three_agents" not in do_now(plan)
    assert "ECG, echocardiogram, FVC sitting and lying" in muscle.first_choice[0]


def test_glucocorticoid_duration_is_read_from_the_visit_doses_too() -> None:
    """Z44a P3: one 30 mg course entered from 2025, the visits showing 5 mg until a rise to 30 mg
    five days ago - 'PJP prophylaxis due: above 15 mg/day for 2 weeks or more'."""
    from myositis.services.careplan.exposure import gc_days_at_or_over
    from tests.services.careplan.conftest import make_record
    stepped = make_record(
        treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30, "dose_unit": "mg/day",
                     "start": "2025-06-12", "outcome": "ongoing"}],
        visits=[{"date": "2026-06-01", "glucocorticoid_mg_per_day": 5},
                {"date": "2026-09-01", "glucocorticoid_mg_per_day": 5},
                {"date": "2026-11-26", "glucocorticoid_mg_per_day": 30}])
    assert gc_days_at_or_over(stepped, 15) == 5
    steady = make_record(treatments=[{"therapy": "glucocorticoids_oral", "dose_value": 30,
                                      "dose_unit": "mg/day", "start": "2026-10-01",
                                      "outcome": "ongoing"}])
    assert gc_days_at_or_over(steady, 15) == 61


def test_minimal_skin_on_dialysis_starts_with_topical_care() -> None:
    """Z44b P8: hydroxychloroquine first choice for a CDASI of 5 on haemodialysis."""
    base: dict[str, Any] = {"visits": [{"date": "2026-11-20", "cdasi_activity": 5}]}
    dialysis = make_plan(**base, comorbidities={"dialysis": True},
                         lab_results=[lab("egfr", 7, "mL/min/1.73m2")])
    skin = next(r for r in dialysis.regimens if r.domain == "skin")
    assert not any(e.startswith("Hydroxychloroquine") for e in skin.first_choice)
    assert skin.alternatives[0].startswith("if topical care and sun protection do not settle")
    kidneys_fine = next(r for r in make_plan(**base).regimens if r.domain == "skin")
    assert any(e.startswith("Hydroxychloroquine") for e in kidneys_fine.first_choice)
