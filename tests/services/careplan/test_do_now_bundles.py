"""Do-now lines that say one thing between them are printed as one line (reviews Z27-Z32)."""

from __future__ import annotations

from myositis.knowledge import load
from myositis.services.careplan.do_now_bundles import bundle_do_now
from myositis.services.careplan.model import Action
from tests.services.careplan.conftest import ADULT_DM, make_plan

VACCINES = ("vaccination_review", "zoster_vaccination_review", "influenza_vaccine_due",
            "covid_vaccine_due")


def _stock(code: str, urgency: str = "routine") -> Action:
    rules = {r.id: r for r in load().rules.rules}
    unknown = code not in rules
    rule = rules[code.removesuffix("_not_recorded") if unknown else code]
    text = rule.if_unknown.text if unknown and rule.if_unknown else rule.text
    return Action(code=code, urgency=urgency, text=text, kb_entry=rule.id,  # type: ignore[arg-type]
                  citations=list(rule.sources))


def test_four_vaccine_lines_print_as_one_and_the_plan_keeps_each_code() -> None:
    plan = make_plan(infection_screening={"hbsag": None, "anti_hbc": None})
    assert set(VACCINES) <= {a.code for a in plan.do_now}
    printed = plan.printed_do_now()
    vaccines = [a for a in printed if a.code == "vaccines_due"]
    assert len(vaccines) == 1 and set(vaccines[0].covers) == set(VACCINES)
    assert not set(VACCINES) & {a.code for a in printed}
    text = vaccines[0].text
    for word in ("pneumococcal", "recombinant zoster", "influenza", "COVID-19",
                 "no live vaccines"):
        assert word in text
    assert {"bass2023_acr_vaccination", "curtis_acr_covid_vaccine_v4"} <= set(
        vaccines[0].citations)


def test_screening_lines_bundle_at_the_most_pressing_urgency() -> None:
    # TB and HBV are 'soon', HCV and HIV 'routine': the one line is 'soon'
    plan = make_plan({**ADULT_DM, "infection_screening": {}})
    printed = plan.printed_do_now()
    screening = next(a for a in printed if a.code == "infection_screening_due")
    assert screening.urgency == "soon"
    assert {"tb_status_not_recorded", "hbsag_positive_not_recorded",
            "hcv_status_before_immunosuppression",
            "hiv_status_before_immunosuppression"} == set(screening.covers)
    for word in ("HBsAg", "IGRA", "HCV antibody", "HIV"):
        assert word in screening.text


def test_a_single_member_is_printed_as_it_stands() -> None:
    plan = make_plan(vaccinations=[{"vaccine": "pneumococcal", "date": "2026-10-01"},
                                   {"vaccine": "zoster_recombinant", "date": "2026-10-01"},
                                   {"vaccine": "covid19", "date": "2026-10-01"}],
                     infection_screening={"hbsag": {"result": "negative"},
                                          "anti_hbc": {"result": "negative"},
                                          "tb_test": {"result": "negative"},
                                          "hcv": {"result": "negative"},
                                          "hiv": {"result": "negative"}})
    codes = {a.code for a in plan.printed_do_now()}
    assert "influenza_vaccine_due" in codes and "vaccines_due" not in codes


def test_a_line_reworded_for_the_patient_stays_whole() -> None:
    kb = load()
    reworded = _stock("influenza_vaccine_due").model_copy(
        update={"text": "No influenza vaccine recorded: a changed line for this patient."})
    actions = [_stock("vaccination_review"), reworded, _stock("covid_vaccine_due")]
    printed = bundle_do_now(actions, kb)
    assert [a.code for a in printed] == ["vaccines_due", "influenza_vaccine_due"]
    assert printed[1].text == reworded.text
    assert "influenza" not in printed[0].text


def test_the_bundle_takes_the_place_and_urgency_of_its_most_pressing_line() -> None:
    kb = load()
    actions = [_stock("pjp_prophylaxis_with_induction", "soon"),
               _stock("tb_status_not_recorded", "soon"),
               _stock("hcv_status_before_immunosuppression", "routine")]
    printed = bundle_do_now(actions, kb)
    assert [(a.code, a.urgency) for a in printed] == [
        ("pjp_prophylaxis_with_induction", "soon"), ("infection_screening_due", "soon")]


def test_nothing_to_bundle_leaves_the_list_unchanged() -> None:
    kb = load()
    actions = [_stock("tb_status_not_recorded", "soon")]
    assert bundle_do_now(actions, kb) == actions
    assert bundle_do_now([], kb) == []


def test_in_pregnancy_the_zoster_vaccine_is_not_in_the_bundle() -> None:
    plan = make_plan(ADULT_DM, reproduction={"pregnant": True, "gestation_weeks": 14})
    vaccines = [a for a in plan.printed_do_now() if a.code == "vaccines_due"]
    assert vaccines and "zoster_vaccination_review" not in vaccines[0].covers
    assert "recombinant zoster" not in vaccines[0].text
