"""2016 EULAR/ACR/PRINTO macrophage activation syndrome criteria (Ravelli 2016,
doi:10.1002/art.39332): the published cut-offs and their boundaries."""

from __future__ import annotations

from myositis.domain.criteria.mas_2016 import MasMeasures, classified, criteria_met


def test_fever_ferritin_and_two_criteria_classify() -> None:
    m = MasMeasures(fever=True, ferritin_ng_ml=685, platelets_10e9_l=181, ast_u_l=49)
    assert criteria_met(m) == ["platelets_10e9_l", "ast_u_l"]
    assert classified(m) is True


def test_the_boundaries_are_as_published() -> None:
    # ferritin must be above 684; platelets at most 181; AST above 48; triglycerides above
    # 1.76 mmol/L (156 mg/dL); fibrinogen at most 3.6 g/L (360 mg/dL)
    assert classified(MasMeasures(fever=True, ferritin_ng_ml=684, platelets_10e9_l=100,
                                  ast_u_l=100)) is False
    edge = MasMeasures(fever=True, ferritin_ng_ml=700, platelets_10e9_l=182, ast_u_l=48,
                       triglycerides_mmol_l=1.76, fibrinogen_g_l=3.61)
    assert criteria_met(edge) == []
    assert classified(edge) is False
    inside = MasMeasures(fever=True, ferritin_ng_ml=700, triglycerides_mmol_l=1.77,
                         fibrinogen_g_l=3.6)
    assert criteria_met(inside) == ["triglycerides_mmol_l", "fibrinogen_g_l"]
    assert classified(inside) is True


def test_one_criterion_with_the_rest_unmeasured_is_undecided() -> None:
    assert classified(MasMeasures(fever=True, ferritin_ng_ml=5000, ast_u_l=200)) is None


def test_without_recorded_fever_it_is_undecided_not_met() -> None:
    m = MasMeasures(ferritin_ng_ml=9800, platelets_10e9_l=95, ast_u_l=420)
    assert classified(m) is None


def test_recorded_absence_of_fever_rules_it_out() -> None:
    m = MasMeasures(fever=False, ferritin_ng_ml=9800, platelets_10e9_l=95, ast_u_l=420)
    assert classified(m) is False
