

def test_schwartz_bedside_matches_the_published_constant() -> None:
    from myositis.domain.labs import schwartz_bedside
    # 0.413 x 140 cm / 0.5 mg/dL = 115.64
    assert round(schwartz_bedside(0.5 * 88.4, 140, 10), 2) == 115.64
    import pytest
    for creatinine, height, age in ((0, 140, 10), (44, 0, 10), (44, 140, 18), (44, 80, 0.5)):
        with pytest.raises(ValueError):
            schwartz_bedside(creatinine, height, age)
