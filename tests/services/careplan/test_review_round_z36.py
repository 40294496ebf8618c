"""Findings of blind specialist review Z36 (SYNTHETIC patients): liaison psychiatry, clinical
pharmacy, the ILD meeting and lung transplant clinic, and adolescent transition."""

from __future__ import annotations

from typing import Any

from myositis.services.careplan.regimen_holds import GRAFT_LUNG
from tests.services.careplan.conftest import (
    FALLING_LUNG,
    PRED_LOW,
    TACROLIMUS,
    cautions,
    do_now,
    make_plan,
    withheld,
)


def _line(plan: Any, code: str) -> str:
    return next(a.text for a in plan.do_now if a.code == code)


def _regimen(plan: Any, domain: str) -> Any:
    return next(r for r in plan.regimens if r.domain == domain)


_IMNM: dict[str, Any] = {
    "sex": "male", "weight_kg": 80,
    "classification": {"age_at_onset": 54, "elevated_muscle_enzymes": True,
                       "weakness": {"proximal_upper": True, "proximal_lower": True}},
    "skin": {"heliotrope_rash": False, "gottron_papules": False},
    "antibodies": {"hmgcr": {"status": "positive"}, "srp": {"status": "negative"},
                   "mi2": {"status": "negative"}},
    "diagnosis": {"subgroup": "imnm", "confirmed_on": "2026-10-15"}, "statin_exposure": True,
    "labs": {"enzymes": {"ck": {"value": 9400, "uln": 200}}}}


def test_missed_glucocorticoid_doses_never_hold_back_ivig() -> None:
    # Z36a P5 (dangerous): anti-HMGCR myopathy, IVIG moved behind '8-12 weeks of full doses'
    # of prednisolone because prednisolone doses were missed
    missed = {"therapy": "glucocorticoids_oral", "start": "2026-10-20", "dose_value": 60,
              "dose_unit": "mg/day", "adherence": "poor"}
    plan = make_plan(**_IMNM, treatments=[missed])
    assert "Intravenous immunoglobulin" in _regimen(plan, "muscle").first_choice
    text = _line(plan, "doses_missed_before_escalation")
    assert "no 8-12-week trial" in text and "does not wait for it" in text
    assert "at full dose" not in text


def test_missed_azathioprine_is_not_restored_to_full_dose_beside_allopurinol() -> None:
    # Z36b P1 (dangerous): 'restore Azathioprine at full dose' with allopurinol still taken
    aza = {"therapy": "azathioprine", "start": "2026-06-01", "dose_value": 100,
           "dose_unit": "mg/day", "adherence": "partial"}
    plan = make_plan(treatments=[aza], other_medicines=["allopurinol"])
    assert "not the full dose while allopurinol is taken" in _line(
        plan, "doses_missed_before_escalation")
    plain = make_plan(treatments=[aza])
    assert "allopurinol" not in _line(plain, "doses_missed_before_escalation")


def test_a_suicide_risk_cautions_hydroxychloroquine_and_withholds_colchicine() -> None:
    # Z36d P4 (dangerous): hydroxychloroquine first choice and colchicine offered, unwarned,
    # a year after an overdose
    risk = make_plan(mental_health={"suicide_risk": True}, skin={"calcinosis": True})
    assert "suicide_risk_option_dangerous_in_overdose" in cautions(risk, "hydroxychloroquine")
    assert "colchicine" in withheld(risk)
    no_risk = make_plan(skin={"calcinosis": True})
    assert "colchicine" not in withheld(no_risk)
    assert "suicide_risk_option_dangerous_in_overdose" not in cautions(
        no_risk, "hydroxychloroquine")


_MMF = {"therapy": "mycophenolate", "start": "2026-09-01", "dose_value": 2000,
        "dose_unit": "mg/day", "outcome": "ongoing"}


def test_contraception_advice_leaves_out_the_implant_beside_an_enzyme_inducer() -> None:
    # Z36b P8 (dangerous): an implant or progestogen-only pill advised beside rifampicin
    for inducer in ("rifampicin", "enzyme_inducer"):
        plan = make_plan(treatments=[_MMF], other_medicines=[inducer],
                         reproduction={"pregnant": False, "breastfeeding": True,
                                       "contraception": ["none"], "delivered_on": "2026-09-01"})
        assert "not an implant or a progestogen-only pill" in _line(
            plan, "teratogen_taken_without_contraception")
        assert "not an implant or a progestogen-only pill" in _line(
            plan, "postpartum_contraception")
        assert "not ulipristal" in _line(plan, "teratogen_taken_without_contraception")
    plain = make_plan(treatments=[_MMF], reproduction={
        "pregnant": False, "breastfeeding": True, "contraception": ["none"],
        "delivered_on": "2026-09-01"})
    assert "(an intrauterine device or implant)" in _line(
        plain, "teratogen_taken_without_contraception")


def test_pulmonary_hypertension_advises_against_a_next_pregnancy() -> None:
    # Z36c P8 (dangerous): 'plan any next pregnancy after 6 months of quiet disease' with PAH
    postpartum = {"pregnant": False, "breastfeeding": True, "contraception": ["none"],
                  "delivered_on": "2026-09-01"}
    plan = make_plan(reproduction=postpartum, organs={"pulmonary_hypertension": "confirmed"})
    text = _line(plan, "postpartum_contraception")
    assert "advised against while pulmonary hypertension lasts" in text
    assert "group 1" in _line(plan, "pulmonary_hypertension_confirmed")


_PRED = PRED_LOW
_TAC = TACROLIMUS
_FALLING = FALLING_LUNG


def test_a_lung_graft_gets_no_myositis_lung_regimen() -> None:
    # Z36c P3 (dangerous): rituximab, nintedanib and cyclophosphamide for a lung graft
    plan = make_plan(comorbidities={"transplanted_organs": ["lung"]},
                     systemic={"interstitial_lung_disease": True},
                     treatments=[_PRED, _TAC, {**_MMF, "start": "2020-01-01"}],
                     lung_measures=_FALLING)
    lung = _regimen(plan, "lung")
    assert lung.first_choice[0] == GRAFT_LUNG and lung.alternatives == []
    assert not {"rituximab", "cyclophosphamide", "nintedanib"} & {d.therapy for d in plan.doses}
    assert "progressive_pulmonary_fibrosis" not in do_now(plan)
    native = make_plan(systemic={"interstitial_lung_disease": True},
                       treatments=[_PRED, _TAC, {**_MMF, "start": "2020-01-01"}],
                       lung_measures=_FALLING)
    assert _regimen(native, "lung").first_choice[0] != GRAFT_LUNG


_MDA5_CHILD: dict[str, Any] = {
    "sex": "female", "weight_kg": 50, "height_cm": 160, "date_of_birth": "2011-04-01",
    "months_since_onset": 2, "diagnosis": {"subgroup": "jdm", "confirmed_on": "2026-10-20"},
    "classification": {"age_at_onset": 15, "weakness": {"proximal_upper": True},
                       "skin": {"heliotrope_rash": True, "gottron_papules": True},
                       "elevated_muscle_enzymes": True},
    "antibodies": {"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
    "systemic": {"interstitial_lung_disease": True},
    "treatments": [{"therapy": "glucocorticoids_oral", "start": "2026-10-22", "dose_value": 40,
                    "dose_unit": "mg/day", "outcome": "ongoing"}],
    "infection_screening": {"varicella_exposure": "2026-11-26", "vzv_igg": {"result": "negative"},
                            "hbsag": {"result": "negative"}, "anti_hbc": {"result": "negative"},
                            "tb_test": {"result": "negative"}, "hcv": {"result": "negative"}},
    "reproduction": {"pregnant": None, "planning_conception": None, "breastfeeding": None}}


def _lungs(oxygen: str) -> list[dict[str, Any]]:
    return [{"date": "2026-10-20", "fvc_percent_predicted": 80, "hrct_pattern": "nsip"},
            {"date": "2026-11-25", "fvc_percent_predicted": 71, "hrct_pattern": "nsip",
             "course": "progressive", "oxygen": oxygen}]


def test_cyclophosphamide_waits_for_a_chickenpox_incubation_unless_breathing_fails() -> None:
    # Z36c P5 (dangerous): cyclophosphamide 5 days after a chickenpox contact, no oxygen need
    plan = make_plan(**_MDA5_CHILD, lung_measures=_lungs("none"))
    lung = _regimen(plan, "lung")
    assert not any("Cyclophosphamide" in e for e in lung.first_choice)
    assert any(a.startswith("after the chickenpox incubation") and "Cyclophosphamide" in a
               for a in lung.alternatives)
    failing = make_plan(**_MDA5_CHILD, lung_measures=_lungs("at_rest"))
    assert any("Cyclophosphamide" in e for e in _regimen(failing, "lung").first_choice)


def test_a_low_glucocorticoid_dose_in_pregnancy_is_not_pushed_to_induction() -> None:
    # Z36c P4 (dangerous): 'raise to 0.5-1 mg/kg/day' at 9 weeks on a CK rise alone
    low = [{"therapy": "glucocorticoids_oral", "dose_value": 10, "dose_unit": "mg/day",
            "start": "2026-11-15", "outcome": "ongoing"}]
    pregnant = make_plan(treatments=low, weight_kg=64,
                         reproduction={"pregnant": True, "gestation_weeks": 9})
    muscle = " ".join(_regimen(pregnant, "muscle").first_choice)
    assert "raise to 0.5-1" not in muscle and "not a raised CK alone" in muscle
    assert "gc_below_induction_adult" not in do_now(pregnant)
    assert "raise to 0.5-1" in " ".join(_regimen(make_plan(treatments=low, weight_kg=64),
                                                 "muscle").first_choice)


def test_lithium_with_an_ace_inhibitor_or_low_kidney_function_asks_for_a_level() -> None:
    # Z36a P1: lithium with an ACE inhibitor and an eGFR of 48, no warning without an NSAID
    assert "lithium_with_ace_inhibitor_or_reduced_kidney_function" in do_now(make_plan(
        other_medicines=["lithium", "ace_inhibitor_or_arb"]))
    low = make_plan(other_medicines=["lithium"], lab_results=[
        {"analyte": "egfr", "value": 48, "unit": "mL/min/1.73m2", "date": "2026-11-20"}])
    assert "lithium_with_ace_inhibitor_or_reduced_kidney_function" in do_now(low)
    assert "lithium_with_ace_inhibitor_or_reduced_kidney_function" not in do_now(
        make_plan(other_medicines=["lithium"]))


def test_the_mood_stabiliser_wording_fits_a_patient_without_one() -> None:
    # Z36a P2: 'the mood stabiliser kept' for a past steroid psychosis without bipolar disorder
    plan = make_plan(mental_health={"psychosis_on_glucocorticoids": True})
    option = next(o for o in plan.options if o.therapy == "glucocorticoids_oral")
    text = next(c.text for c in option.cautions
                if c.condition == "glucocorticoids_bipolar_or_past_steroid_psychosis")
    assert "any mood stabiliser kept" in text


def test_an_adolescent_on_the_60_mg_cap_is_not_below_the_induction_range() -> None:
    # Z36d P3: 'below the usual induction range' for a 70 kg 15-year-old on 60 mg/day
    def on(mg: int) -> Any:
        return make_plan(**{**_MDA5_CHILD, "weight_kg": 70, "infection_screening": {},
                            "systemic": {}, "treatments": [{
                                "therapy": "glucocorticoids_oral", "start": "2026-11-20",
                                "dose_value": mg, "dose_unit": "mg/day", "outcome": "ongoing"}]})
    assert "gc_below_induction_child" not in do_now(on(60))
    assert "gc_below_induction_child" in do_now(on(40))


def test_a_potassium_below_3_is_urgent() -> None:
    # Z36a P4: potassium 2.9 with purging triaged 'soon'
    plan = make_plan(lab_results=[{"analyte": "potassium", "value": 2.9, "unit": "mmol/L",
                                   "date": "2026-11-29"}])
    assert do_now(plan).get("potassium_severely_low") == "urgent"
    mild = make_plan(lab_results=[{"analyte": "potassium", "value": 3.3, "unit": "mmol/L",
                                   "date": "2026-11-29"}])
    assert "potassium_severely_low" not in do_now(mild)


def test_tacrolimus_is_not_withheld_for_a_creatinine_rise_on_dialysis() -> None:
    # Z36a P8: 'kidney function falling' on maintenance haemodialysis
    rise = [{"analyte": "creatinine", "value": 400, "unit": "umol/L", "date": "2026-06-01"},
            {"analyte": "creatinine", "value": 700, "unit": "umol/L", "date": "2026-11-25"}]
    dialysis = make_plan(comorbidities={"dialysis": True}, lab_results=rise,
                         systemic={"interstitial_lung_disease": True}, lung_measures=_FALLING)
    assert "calcineurin_start_in_acute_kidney_injury" not in {
        r for w in dialysis.withheld for r in w.rule_ids}
    kidney = make_plan(lab_results=rise, systemic={"interstitial_lung_disease": True},
                       lung_measures=_FALLING)
    assert "calcineurin_start_in_acute_kidney_injury" in {
        r for w in kidney.withheld for r in w.rule_ids}


def test_long_standing_jdm_is_not_given_the_new_onset_targets() -> None:
    # Z36d P1, P4: 'inactive disease within 12 months; intensify within 12 weeks' at 16 years
    base = {**_MDA5_CHILD, "infection_screening": {}, "systemic": {},
            "antibodies": {"mi2": {"status": "negative"}, "nxp2": {"status": "positive"}}}
    late = make_plan(**{**base, "months_since_onset": 60})
    early = make_plan(**base)
    assert _regimen(late, "muscle").decision_point.startswith("Long-standing JDM")
    assert "within 12 months" in _regimen(early, "muscle").decision_point


def test_an_hrct_and_lung_function_in_the_lung_series_count_as_work_up_done() -> None:
    # Z36d P3: a repeat HRCT asked for two days after one recorded in lung_measures
    plan = make_plan(systemic={"interstitial_lung_disease": True}, lung_measures=_FALLING)
    assert "hrct_pft" not in {w.code for w in plan.workup}
    bare = make_plan(systemic={"interstitial_lung_disease": True})
    assert "hrct_pft" in {w.code for w in bare.workup}


def test_with_a_suicide_risk_hydroxychloroquine_leaves_the_skin_first_choice() -> None:
    # re-score of Z36d P4: hydroxychloroquine still first choice for mild skin disease
    plan = make_plan(mental_health={"suicide_risk": True})
    skin = _regimen(plan, "skin")
    assert not any(e.startswith("Hydroxychloroquine") for e in skin.first_choice)
    assert skin.alternatives[0].startswith("Hydroxychloroquine only once the crisis assessment")
    assert any(e.startswith("Hydroxychloroquine") for e in _regimen(make_plan(), "skin")
               .first_choice)


def test_a_drug_taken_now_gets_supply_advice_not_start_advice_with_a_suicide_risk() -> None:
    # re-score of Z36d P4: 'started only after the crisis assessment' for methotrexate taken
    # since 2021
    mtx = {"therapy": "methotrexate", "start": "2021-01-01", "dose_value": 20,
           "dose_unit": "mg/week", "outcome": "ongoing"}
    plan = make_plan(mental_health={"suicide_risk": True}, treatments=[mtx])
    texts = " ".join(a.text for a in plan.do_now)
    assert "supplies of 1-2 weeks at a time" in texts
    assert "Taken now (Methotrexate): Suicide risk recorded: this drug is dangerous in " \
           "overdose (hydroxychloroquine: heart rhythm, often fatal; methotrexate: marrow and " \
           "gut) - started only" not in texts


def test_lithium_with_an_nsaid_an_ace_inhibitor_and_low_egfr_names_every_cause() -> None:
    # re-score of Z36a P1: only the NSAID line printed for three risks together
    plan = make_plan(other_medicines=["lithium", "nsaid", "ace_inhibitor_or_arb"])
    codes = do_now(plan)
    assert "lithium_with_nsaid" in codes
    assert "lithium_with_ace_inhibitor_or_reduced_kidney_function" in codes


def test_a_held_drugs_restart_clause_is_not_added_to_a_glucocorticoid_line() -> None:
    # re-score of Z36c P7: 'Taken now (prednisolone) ... it is held during the pneumonia'
    pred = {"therapy": "glucocorticoids_oral", "start": "2026-01-01", "dose_value": 10,
            "dose_unit": "mg/day", "outcome": "ongoing"}
    plan = make_plan(treatments=[pred, {**_MMF, "start": "2026-01-01"}],
                     comorbidities={"active_infection": True, "infection_focus": "lung_diffuse"})
    assert not any(a.text.startswith("Taken now (Oral glucocorticoids")
                   and "held during the pneumonia" in a.text for a in plan.do_now)


def test_a_transplant_recipients_tacrolimus_is_reduced_not_withheld_in_the_monitoring() -> None:
    # re-score of Z36c P3: the monitoring label 'withheld for toxicity' beside 'reduce, never
    # stop' for a lung graft
    labs = [{"analyte": "tacrolimus_trough", "value": 16.8, "unit": "ng/mL",
             "date": "2026-11-29"}]
    graft = make_plan(comorbidities={"transplanted_organs": ["lung"]}, treatments=[_PRED, _TAC],
                      lab_results=labs)
    assert "tacrolimus_toxicity" in do_now(graft)
    due = next(m.next_due for m in graft.monitoring if m.therapy == "Tacrolimus")
    assert "reduced with the transplant team" in due
    plain = make_plan(treatments=[_PRED, _TAC], lab_results=labs)
    assert "withheld for toxicity" in next(m.next_due for m in plain.monitoring
                                           if m.therapy == "Tacrolimus")


def test_a_low_tacrolimus_trough_in_rp_ild_is_rechecked_within_days() -> None:
    # Z36b P8: 'Tacrolimus: by 2026-12-15' beside 'every 2-3 days in rapidly progressive ILD'
    labs = [{"analyte": "tacrolimus_trough", "value": 2.1, "unit": "ng/mL",
             "date": "2026-11-30"}]
    rp = make_plan(treatments=[_PRED, _TAC], lab_results=labs,
                   antibodies={"mi2": {"status": "negative"}, "mda5": {"status": "positive"}},
                   systemic={"interstitial_lung_disease": True,
                             "rapidly_progressive_ild_suspected": True})
    due = next(m.next_due for m in rp.monitoring if m.therapy == "Tacrolimus")
    assert due.startswith("by 2026-12-04") and "every 2-3 days" in due
    calm = make_plan(treatments=[_PRED, _TAC], lab_results=labs)
    assert next(m.next_due for m in calm.monitoring
                if m.therapy == "Tacrolimus").startswith("by 2026-12-15")


def test_hydroxychloroquine_beside_a_qt_prolonging_drug_asks_for_an_ecg() -> None:
    # Z36a P3: hydroxychloroquine beside psychotropics with no word of the QT interval
    plan = make_plan(other_medicines=["qt_prolonging"])
    assert "hydroxychloroquine_with_qt_prolonging_drug" in cautions(plan, "hydroxychloroquine")
    assert "hydroxychloroquine_with_qt_prolonging_drug" not in cautions(
        make_plan(), "hydroxychloroquine")
