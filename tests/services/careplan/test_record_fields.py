"""Record fields added in December 2026 (SYNTHETIC scenarios): checkpoint-inhibitor myositis,
troponins, tacrolimus trough, potassium, HbA1c, alcohol and ritonavir-boosted regimens; dated
enzyme results count as enzymes for the work-up."""

from __future__ import annotations

from myositis.services.careplan import CarePlan
from myositis.services.careplan.lab_trends import hba1c_mmol_mol
from tests.services.careplan.conftest import ADULT_DM, do_now, make_plan, make_record

TACROLIMUS = [{"therapy": "tacrolimus", "start": "2026-06-01", "dose_value": 4,
               "dose_unit": "mg/day"}]


def caution_texts(plan: CarePlan, therapy: str) -> list[str]:
    option = next(o for o in plan.options if o.therapy == therapy)
    return [c.text for c in option.cautions]


def lab(analyte: str, value: float, unit: str, uln: float | None = None,
        date: str = "2026-11-28") -> dict[str, object]:
    return {"analyte": analyte, "value": value, "unit": unit, "uln": uln, "date": date}


def test_checkpoint_inhibitor_myositis_is_urgent_and_asks_for_troponin() -> None:
    plan = make_plan(other_medicines=["immune_checkpoint_inhibitor"])
    assert do_now(plan)["checkpoint_inhibitor_myositis"] == "urgent"
    text = next(a.text for a in plan.do_now if a.code == "checkpoint_inhibitor_myositis")
    assert "troponin" in text and "myasthenia" in text
    assert "checkpoint_inhibitor_myositis" not in do_now(make_plan())


def test_raised_troponin_i_is_urgent_cardiac_work_up() -> None:
    plan = make_plan(lab_results=[lab("troponin_i", 60, "ng/L", 16)])
    assert do_now(plan)["troponin_i_raised"] == "urgent"
    normal = make_plan(lab_results=[lab("troponin_i", 10, "ng/L", 16)])
    assert "troponin_i_raised" not in do_now(normal)


def test_troponin_t_alone_asks_for_troponin_i_not_cardiology() -> None:
    plan = make_plan(lab_results=[lab("troponin_t", 60, "ng/L", 14)])
    assert "troponin_t_raised_without_troponin_i" in do_now(plan)
    assert "troponin_i_raised" not in do_now(plan)
    both = make_plan(lab_results=[lab("troponin_t", 60, "ng/L", 14),
                                  lab("troponin_i", 5, "ng/L", 16)])
    assert "troponin_t_raised_without_troponin_i" not in do_now(both)


def test_tacrolimus_trough_high_and_missing() -> None:
    high = make_plan(treatments=TACROLIMUS,
                     lab_results=[lab("tacrolimus_trough", 13, "ng/mL")])
    assert "tacrolimus_trough_high" in do_now(high)
    # above 15, or high with kidney injury or potassium: withheld today (review B)
    toxic = make_plan(treatments=TACROLIMUS,
                      lab_results=[lab("tacrolimus_trough", 19, "ng/mL")])
    assert do_now(toxic).get("tacrolimus_toxicity") == "urgent"
    assert "tacrolimus_trough_high" not in do_now(toxic)
    in_range = make_plan(treatments=TACROLIMUS,
                         lab_results=[lab("tacrolimus_trough", 7, "ug/L")])
    assert "tacrolimus_trough_high" not in do_now(in_range)
    assert "tacrolimus_trough_not_recent" not in do_now(in_range)
    old = make_plan(treatments=TACROLIMUS,
                    lab_results=[lab("tacrolimus_trough", 7, "ng/mL", date="2026-03-01")])
    assert "tacrolimus_trough_not_recent" in do_now(old)
    assert "tacrolimus_trough_not_recent" not in do_now(make_plan())


def test_hyperkalaemia_on_calcineurin_inhibitor() -> None:
    plan = make_plan(treatments=TACROLIMUS, lab_results=[lab("potassium", 5.8, "mmol/L")])
    assert "calcineurin_hyperkalaemia" in do_now(plan)
    assert "calcineurin_hyperkalaemia" not in do_now(
        make_plan(treatments=TACROLIMUS, lab_results=[lab("potassium", 4.6, "mmol/L")]))
    assert "calcineurin_hyperkalaemia" not in do_now(
        make_plan(lab_results=[lab("potassium", 5.8, "mmol/L")]))


def test_hba1c_in_percent_is_converted_and_counts_as_diabetes() -> None:
    record = make_record(lab_results=[lab("hba1c", 6.5, "%")])
    assert hba1c_mmol_mol(record) == 47.5
    record = make_record(lab_results=[lab("hba1c", 7.0, "%")])
    assert hba1c_mmol_mol(record) == 53.0
    # with diabetes not recorded, an HbA1c in range counts; against a recorded 'no diabetes'
    # it asks for confirmation instead (specialist reviews Z41a, Z41c, Z41d)
    at_threshold = make_plan(lab_results=[lab("hba1c", 6.5, "%")])
    assert any("Diabetes" in t for t in caution_texts(at_threshold, "glucocorticoids_oral"))
    below = make_plan(lab_results=[lab("hba1c", 6.4, "%")], comorbidities={"diabetes": False})
    assert not any("Diabetes" in t for t in caution_texts(below, "glucocorticoids_oral"))
    plan = make_plan(lab_results=[lab("hba1c", 53, "mmol/mol")])
    assert any("Diabetes" in t for t in caution_texts(plan, "glucocorticoids_oral"))
    said_no = make_plan(lab_results=[lab("hba1c", 53, "mmol/mol")],
                        comorbidities={"diabetes": False})
    assert not any("Diabetes" in t for t in caution_texts(said_no, "glucocorticoids_oral"))
    assert "hba1c_diabetic_range_against_record" in {a.code for a in said_no.do_now}
    normal = make_plan(lab_results=[lab("hba1c", 38, "mmol/mol")],
                       comorbidities={"diabetes": False})
    assert not any("Diabetes" in t for t in caution_texts(normal, "glucocorticoids_oral"))


def test_alcohol_excess_cautions_methotrexate_and_unknown_asks() -> None:
    heavy = make_plan(comorbidities={"alcohol_excess": True})
    assert any("Alcohol above" in c for c in caution_texts(heavy, "methotrexate"))
    unknown = make_plan()
    assert any("Alcohol intake not recorded" in c for c in caution_texts(unknown, "methotrexate"))
    light = make_plan(comorbidities={"alcohol_excess": False})
    assert not any("lcohol" in c for c in caution_texts(light, "methotrexate"))


def test_ritonavir_boosted_regimen_cautions_tacrolimus_taken() -> None:
    plan = make_plan(treatments=TACROLIMUS, other_medicines=["ritonavir_or_cobicistat"])
    assert "calcineurin_ritonavir" in do_now(plan)
    assert "calcineurin_ritonavir" not in do_now(make_plan(treatments=TACROLIMUS))


def test_dated_ck_counts_as_a_muscle_enzyme_result() -> None:
    base = {k: v for k, v in ADULT_DM.items() if k != "labs"}
    plan = make_plan(base, workup_done=["antibody_panel"],
                     lab_results=[lab("ck", 4200, "U/L", 200)])
    assert "muscle_enzymes" not in {w.code for w in plan.workup}
    none = make_plan(base, workup_done=["antibody_panel"], lab_results=[])
    assert "muscle_enzymes" in {w.code for w in none.workup}


def test_established_diagnosis_is_not_sent_back_for_diagnostic_tests() -> None:
    established = make_plan(diagnosis={"subgroup": "dm"}, months_since_onset=30, workup_done=[])
    assert not {"mri_emg", "capillaroscopy"} & {w.code for w in established.workup}
    new = make_plan(diagnosis={"subgroup": "dm"}, months_since_onset=2, workup_done=[],
                    classification={"skin": {"heliotrope_rash": False, "gottron_papules": False}},
                    skin={"heliotrope_rash": False, "gottron_papules": False})
    assert "capillaroscopy" in {w.code for w in new.workup}


NO_SIGNS = {"heliotrope_rash": False, "gottron_papules": False}


def test_unscored_skin_is_active_and_asks_for_a_cdasi() -> None:
    visits = [{"date": "2026-11-20", "core_set": {"physician_global": 0.5, "mmt8": 80,
                                                  "mmt_max": 80}}]
    mtx = [{"therapy": "methotrexate", "start": "2024-08-01", "dose_value": 20,
            "dose_unit": "mg/week"}]
    plan = make_plan(diagnosis={"subgroup": "dm"}, months_since_onset=30, visits=visits,
                     skin=NO_SIGNS, classification={"skin": NO_SIGNS}, treatments=mtx)
    assert plan.state is not None and plan.state.of("skin") == "active"
    assert any("CDASI" in u for u in plan.unknowns)
    scored = make_plan(diagnosis={"subgroup": "dm"}, months_since_onset=30, skin=NO_SIGNS,
                       classification={"skin": NO_SIGNS}, treatments=mtx,
                       visits=[{**visits[0], "cdasi_activity": 0}])
    assert not any("CDASI" in u for u in scored.unknowns)
