"""Reproduction facts from the record: weeks since delivery, anaemia after it, and the
teratogens taken now or stopped too close to conception."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from myositis.domain.record import PatientRecord
from myositis.domain.record_sections import RELIABLE_CONTRACEPTION, Reproduction
from myositis.knowledge import KnowledgeBase

INDUCER_SENSITIVE = frozenset({"combined_hormonal", "progestogen_only_pill", "implant"})
"""Hormonal methods that a strong enzyme inducer (rifampicin, rifabutin) makes unreliable during
it and for 28 days after; the injection and the intrauterine methods are not affected (FSRH CEU
guidance on drug interactions with hormonal contraception, 2022)."""


def effective_contraception(reproduction: Reproduction,
                            enzyme_inducer: bool = False) -> bool | None:
    """The recorded answer; without one, read from the methods: any reliable method counts,
    condoms alone or 'none' do not, and no method recorded stays unknown (never 'no'). With an
    enzyme inducer taken, the methods it weakens do not count, whatever the recorded answer
    (specialist review Z30c P7: the combined pill on rifampicin read as effective beside
    mycophenolate)."""
    methods = set(reproduction.contraception)
    if enzyme_inducer and methods & INDUCER_SENSITIVE:
        return bool((methods - INDUCER_SENSITIVE) & RELIABLE_CONTRACEPTION)
    if reproduction.effective_contraception is not None:
        return reproduction.effective_contraception
    if not methods:
        return None
    return bool(methods & RELIABLE_CONTRACEPTION)


PREGNANCY_TEST_AFTER_DAYS = 21
"""A pregnancy test is reliable 3 weeks after the unprotected sex (FSRH 2017 emergency
contraception guideline)."""


def unprotected_sex_days(record: PatientRecord) -> int | None:
    """Days since the last unprotected sex or contraceptive failure recorded (None when none
    is recorded, or it is dated after the plan date)."""
    when = record.reproduction.unprotected_sex_on
    if when is None or when > record.on():
        return None
    return (record.on() - when).days


def anaemia_threshold(record: PatientRecord) -> float:
    """g/L, WHO anaemia thresholds: 5-11 years 115, 12-14 years 120, then 130 men, 120 women."""
    age = record.age_years()
    return 115 if age < 12 else 120 if age < 15 else (130 if record.sex == "male" else 120)


def postpartum_weeks(record: PatientRecord) -> float | None:
    """Weeks since the recorded delivery (None when no delivery is recorded)."""
    delivered = record.reproduction.delivered_on
    if delivered is None or delivered > record.on():
        return None
    return (record.on() - delivered).days / 7


BIOLOGICS_CROSSING_THE_PLACENTA = frozenset({"rituximab", "abatacept", "tocilizumab",
                                             "infliximab", "adalimumab", "etanercept"})
"""Monoclonal antibodies and fusion proteins given in pregnancy reach the baby (actively carried
across the placenta from the second trimester): live vaccines to the baby wait."""


def biologics_before_birth(record: PatientRecord) -> frozenset[str]:
    """Biologics given in the pregnancy that ended with the recorded delivery (a course started
    in the 40 weeks before it, or taken through it), while the baby is under a year old: the
    baby's live vaccines wait (specialist review Z69d P3: rituximab at 26 weeks, nothing said
    about the rotavirus vaccine due at 8 weeks)."""
    weeks = postpartum_weeks(record)
    delivered = record.reproduction.delivered_on
    if weeks is None or delivered is None or weeks >= 52:
        return frozenset()
    since = delivered - dt.timedelta(weeks=FULL_TERM_WEEKS)
    # rituximab is recorded by cycle, often with no stop date: only a cycle given in the
    # pregnancy counts (a course years before, with no stop recorded, did not reach the baby)
    return frozenset(t.therapy for t in record.treatments
                     if t.therapy in BIOLOGICS_CROSSING_THE_PLACENTA and t.start is not None
                     and t.start <= delivered
                     and (t.start >= since or (t.therapy != "rituximab" and (
                         t.stop is None or t.stop >= since))))


def puerperal(record: PatientRecord) -> bool:
    weeks = postpartum_weeks(record)
    return (weeks is not None and weeks <= 26) or record.reproduction.breastfeeding is True


def puerperal_anaemia(record: PatientRecord) -> bool | None:
    """Anaemia within 26 weeks of a delivery or while breastfeeding (None without a result)."""
    hb = record.latest_lab("haemoglobin")
    if hb is None:
        return None
    return puerperal(record) and hb.value < anaemia_threshold(record)


TERATOGENIC_OTHER_MEDICINES = {"warfarin": "Warfarin", "tamoxifen": "Tamoxifen"}
"""Other medicines on the record that are teratogens themselves (specialist review Z63b P5:
warfarin, the one teratogen a woman with antiphospholipid syndrome took, never named as one,
while the contraception line named drugs she did not take); tamoxifen must not be taken in
pregnancy (its label; specialist review Z69a P4). Valproate has its own pregnancy
prevention line."""


def teratogen_names(kb: KnowledgeBase, therapies: Iterable[str],
                    other_medicines: Iterable[str] = ()) -> list[str]:
    """Names of the drugs contraindicated in pregnancy among these therapy ids and other
    medicines."""
    return sorted([therapy.name for t in set(therapies)
                   if (therapy := kb.therapies.get(t)) is not None
                   and therapy.reproduction is not None
                   and therapy.reproduction.pregnancy == "contraindicated"]
                  + [TERATOGENIC_OTHER_MEDICINES[m] for m in set(other_medicines)
                     if m in TERATOGENIC_OTHER_MEDICINES])


# a teratogen stopped within this many days before conception may still act in the pregnancy
# (the longest usual washout: methotrexate and cyclophosphamide, 3 months; ACR 2020)
TERATOGEN_WASHOUT_DAYS = 90
WASHOUT_DAYS = {"mycophenolate": 42, "leflunomide": 730}
"""Washouts that differ from the default 90 days: mycophenolate 6 weeks (its label), leflunomide
up to 2 years without the cholestyramine procedure (its label) - specialist review Z72c P3:
mycophenolate stopped 10 weeks before conception read as an exposure."""


FULL_TERM_WEEKS = 40


def teratogens_stopped_in_pregnancy(record: PatientRecord, kb: KnowledgeBase,
                                    current: frozenset[str]) -> frozenset[str]:
    """Teratogens stopped (not taken now) after the estimated conception or within the washout
    before it: the fetus was exposed, and the stop alone does not close the matter
    (specialist review H: methotrexate stopped at 7 weeks with no counselling on the exposure).
    Conception is estimated from the gestation (2 weeks after the last period); without one,
    a full-term pregnancy is assumed, which errs towards asking."""
    weeks = record.reproduction.gestation_weeks
    conception = record.on() - dt.timedelta(
        weeks=(weeks if weeks is not None else FULL_TERM_WEEKS) - 2)
    return frozenset(
        t.therapy for t in record.treatments
        if t.therapy not in current and t.stop is not None
        and t.stop >= conception - dt.timedelta(
            days=WASHOUT_DAYS.get(t.therapy, TERATOGEN_WASHOUT_DAYS))
        and (therapy := kb.therapies.get(t.therapy)) is not None
        and therapy.reproduction is not None
        and therapy.reproduction.pregnancy == "contraindicated")


EXPOSURE_CLAUSES = {
    "methotrexate": "; after methotrexate, folic acid 5 mg daily",
    "leflunomide": "; leflunomide needs the cholestyramine washout",
    "mycophenolate": " (with fetal echocardiography after mycophenolate)",
}
"""Drug-specific clauses of the pregnancy-exposure lines, kept only for a drug this pregnancy
was exposed to (specialist reviews Z47a P3 and Z47c P2: 'after methotrexate, folic acid 5 mg
daily' for a woman exposed to mycophenolate only)."""


def exposure_clauses_for(text: str, exposed: Iterable[str]) -> str:
    """``text`` without the clauses of drugs outside ``exposed``."""
    kept = set(exposed)
    for drug, clause in EXPOSURE_CLAUSES.items():
        if drug not in kept:
            text = text.replace(clause, "")
    return text
