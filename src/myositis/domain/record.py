"""PatientRecord: the one patient model that the CLI, the clinic database and imports map to.

It is a superset of the care-plan profile of earlier releases, so every profile file valid then
is a valid record now: the legacy yes/no fields (``comorbidities``, ``skin``, ``systemic``) keep
their names, and the new sections (dated labs, visits, treatments with doses, infection
screening, pharmacogenetics, reproduction, cancer screening done) are optional. Absent means
unknown; the care plan says what is unknown when it matters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.antibodies import AntibodyProfile, AntibodyResult
from myositis.domain.findings import SkinFindings, SystemicFindings
from myositis.domain.instruments.eular_acr_2017 import EularAcrInput
from myositis.domain.labs import Enzyme, EnzymeResult, Labs
from myositis.domain.patient import Sex, Visit
from myositis.domain.record_sections import (
    AntibodyTest,
    CancerHistory,
    CareGoals,
    Diagnosis,
    IbmPattern,
    Immunogenetics,
    InfectionScreening,
    InteractingMedicine,
    LabResult,
    Lung,
    MentalHealth,
    MuscleBiopsy,
    Organs,
    PlannedSurgery,
    PlannedTreatment,
    Preferences,
    Prophylaxis,
    Reproduction,
    Travel,
    Treatment,
    Vaccination,
)
from myositis.domain.types import Bool, Num

InfectionFocus = Literal["lung_focal", "lung_diffuse", "urinary", "skin_soft_tissue",
                         "abdominal", "line", "not_found"]
WorkupCode = Literal[
    "antibody_panel", "muscle_enzymes", "mri_emg", "muscle_biopsy", "hrct_pft", "swallowing",
    "cardiac", "capillaroscopy",
]


class Comorbidities(BaseModel):
    """Legacy yes/no conditions (and the date of the last thrombosis). ``None`` (the default)
    is unknown, never "no"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pregnancy: Bool | None = None
    planning_pregnancy: Bool | None = None
    breastfeeding: Bool | None = None
    active_infection: Bool | None = None
    infection_focus: InfectionFocus | None = Field(
        default=None, description="where the current infection is: a focal consolidation or an "
                                  "aspiration (lung_focal) makes Pneumocystis unlikely; diffuse "
                                  "ground glass (lung_diffuse) keeps it on the list")
    sepsis: Bool | None = Field(
        default=None, description="sepsis or septic shock now (organ dysfunction from an "
                                  "infection): critical illness on glucocorticoids needs "
                                  "stress-dose hydrocortisone")
    hbv_surface_antigen: Bool | None = None
    hbv_core_antibody: Bool | None = None
    latent_tb: Bool | None = None
    active_malignancy: Bool | None = None
    thrombosis_history: Bool | None = None
    last_thrombosis: dt.date | None = Field(
        default=None, description="date of the last venous or arterial thrombosis (a recent clot "
                                  "holds IVIG and JAK inhibitors)")
    tpmt_deficiency: Bool | None = None
    iga_deficiency: Bool | None = None
    renal_impairment: Bool | None = None
    dialysis: Bool | None = Field(default=None, description="on haemodialysis or peritoneal dialysis")
    hepatic_impairment: Bool | None = None
    liver_disease: Literal["masld", "alcohol_related", "viral_hepatitis", "primary_biliary_cholangitis",
                           "primary_sclerosing_cholangitis", "autoimmune_hepatitis",
                           "other"] | None = Field(
        default=None, description="a chronic liver disease by its cause: masld (fatty liver "
        "from obesity or diabetes) makes methotrexate a caution; any other counts as liver "
        "disease (hepatic_impairment), where methotrexate and leflunomide are not used")
    oesophageal_varices: Bool | None = Field(
        default=None, description="oesophageal varices, banded or not (no oral bisphosphonate; "
        "bleeding risk with anticoagulants and nintedanib)")
    solid_organ_transplant: Bool | None = Field(
        default=None, description="a kidney, liver, heart or lung transplant recipient: the "
                                  "anti-rejection drugs are the transplant team's to change")
    transplanted_organs: list[Literal["kidney", "liver", "heart", "lung", "pancreas",
                                      "intestine", "other"]] = Field(
        default_factory=list, description="which organs were transplanted (a lung graft's "
        "falling function is rejection or infection until the transplant team says otherwise); "
        "any entry makes solid_organ_transplant true")
    heart_failure: Bool | None = None
    pres: Bool | None = Field(
        default=None, description="posterior reversible encephalopathy syndrome, now or before "
        "(seizures, headache, visual loss with typical MRI changes): no calcineurin inhibitor is "
        "started or restarted")
    mechanical_heart_valve: Bool | None = Field(
        default=None, description="a mechanical heart valve: anticoagulated with warfarin for "
        "life; a direct oral anticoagulant is contraindicated (RE-ALIGN)")
    antiphospholipid_syndrome: Bool | None = Field(
        default=None, description="antiphospholipid syndrome, thrombotic or obstetric: warfarin "
        "rather than a DOAC after a clot, no oestrogen, heparin and aspirin in pregnancy, and a "
        "clot risk for IVIG and JAK inhibitors")
    cardiovascular_risk: Bool | None = None
    diabetes: Bool | None = None
    hypertension: Bool | None = Field(
        default=None, description="established hypertension, treated or not (ciclosporin and "
                                  "tacrolimus raise blood pressure)")
    recurrent_infections: Bool | None = None
    previous_pjp: Bool | None = Field(
        default=None, description="a Pneumocystis pneumonia in the past (secondary prophylaxis "
                                  "while immunosuppressed)")
    herpes_zoster_active: Bool | None = Field(default=None, description="shingles now")
    falls: Bool | None = Field(default=None, description="falls in the last year")
    osteoporosis: Bool | None = Field(default=None,
                                      description="osteoporosis or a fragility fracture")
    smoking: Bool | None = Field(default=None, description="current or long-time smoker")
    smoking_status: Literal["current", "former", "never"] | None = Field(
        default=None, description="current, former (stopped) or never; a former smoker gets no "
        "stop-smoking advice but keeps the risk that smoking adds")
    alcohol_excess: Bool | None = Field(default=None,
                                        description="alcohol above national recommended limits")

    @model_validator(mode="after")
    def _transplant_from_organs(self) -> Self:
        """A transplanted organ recorded makes the patient a transplant recipient, so every
        reader of ``solid_organ_transplant`` sees it."""
        if self.transplanted_organs:
            if self.solid_organ_transplant is False:
                raise ValueError("comorbidities.solid_organ_transplant: false, but "
                                 "transplanted_organs lists an organ")
            object.__setattr__(self, "solid_organ_transplant", True)
        return self

    def active(self) -> set[str]:
        return {name for name, value in self.model_dump().items()
                if value is True and name != "transplanted_organs"}


# a dated enzyme result counts for a visit measured within 30 days of it (a project choice:
# the core set is measured at the visit; specialist reviews X and Y asked for 14-45 days, and a
# pre-treatment CK drawn 15 days before the baseline visit was lost at 14)
VISIT_LAB_WINDOW_DAYS = 30


UNDATED_CREATININE_GRACE_DAYS = 30
"""A dated creatinine within 30 days of the plan date outranks an undated one in ``labs``."""


class PatientRecord(BaseModel):
    """Everything the care plan reads about one patient (all synthetic in this repository)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    label: str = ""
    today: dt.date | None = Field(default=None, description="date the plan is made for")
    # demographics
    sex: Sex = "unknown"
    date_of_birth: dt.date | None = None
    weight_kg: Num | None = Field(default=None, ge=0.5, le=350, description="0.5-350 kg")
    height_cm: Num | None = Field(default=None, ge=30, le=250, description="30-250 cm")
    months_since_onset: Num = Field(default=0, ge=0, le=1200, description="0-1200")
    # diagnosis and the findings the criteria read
    diagnosis: Diagnosis = Field(default_factory=Diagnosis)
    classification: EularAcrInput
    skin: SkinFindings = Field(default_factory=SkinFindings)
    systemic: SystemicFindings = Field(default_factory=SystemicFindings)
    antibodies: AntibodyProfile = Field(default_factory=AntibodyProfile)
    antibody_tests: list[AntibodyTest] = Field(default_factory=list)
    biopsy: MuscleBiopsy | None = None
    ibm_pattern: IbmPattern = Field(default_factory=IbmPattern)
    necrotising_biopsy: Bool = False
    statin_exposure: Bool | None = None
    skin_refractory: Bool = Field(
        default=False, description="active skin disease despite adequate treatment"
    )
    persistent_high_activity: Bool = False
    # course
    labs: Labs = Field(default_factory=Labs)
    lab_results: list[LabResult] = Field(default_factory=list)
    visits: list[Visit] = Field(default_factory=list)
    treatments: list[Treatment] = Field(default_factory=list)
    planned_treatments: list[PlannedTreatment] = Field(
        default_factory=list, description="courses decided on but not started yet (the start "
        "may be after today): checked against this patient, never counted as taken")
    lung: Lung | None = None
    lung_measures: list[Lung] = Field(
        default_factory=list, description="dated lung assessments over time (the series the "
        "decline in FVC or DLCO is read from); `lung` is the latest summary")
    organs: Organs = Field(default_factory=Organs)
    # safety
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    infection_screening: InfectionScreening = Field(default_factory=InfectionScreening)
    immunogenetics: Immunogenetics = Field(default_factory=Immunogenetics)
    vaccinations: list[Vaccination] = Field(default_factory=list)
    prophylaxis: Prophylaxis = Field(default_factory=Prophylaxis)
    care_goals: CareGoals = Field(default_factory=CareGoals)
    mental_health: MentalHealth = Field(default_factory=MentalHealth)
    surgery: PlannedSurgery | None = Field(
        default=None, description="an operation planned (or done in the last 2 weeks)")
    preferences: Preferences = Field(default_factory=Preferences)
    travel: Travel | None = Field(default=None, description="a trip abroad planned")
    other_medicines: list[InteractingMedicine] = Field(default_factory=list)
    allergies: list[Literal["sulfonamide", "penicillin", "iodinated_contrast", "latex",
                            "other"]] = Field(
        default_factory=list, description="drug or product allergies and serious "
        "intolerances: sulfonamide (co-trimoxazole, sulfasalazine), penicillin, iodinated "
        "contrast, latex, other (name it in the notes); an empty list is 'none recorded', "
        "not 'no allergies'")
    reproduction: Reproduction = Field(default_factory=Reproduction)
    cancer: CancerHistory = Field(default_factory=CancerHistory)
    workup_done: list[WorkupCode] = Field(default_factory=list)
    nasopharyngeal_carcinoma_region: Bool = False

    @model_validator(mode="before")
    @classmethod
    def _classification_from_demographics(cls, data: Any) -> Any:
        """A record with a clinician-confirmed diagnosis may leave out the classification
        variables; the age at onset is then derived from the date of birth (all items absent,
        so EULAR/ACR can only say what is missing)."""
        if not isinstance(data, dict) or "classification" in data:
            return data
        born, today = data.get("date_of_birth"), data.get("today") or dt.date.today()
        try:
            born_date = dt.date.fromisoformat(born) if isinstance(born, str) else born
            now = dt.date.fromisoformat(today) if isinstance(today, str) else today
        except ValueError:
            return data
        months = data.get("months_since_onset", 0)
        if isinstance(born_date, dt.date) and isinstance(now, dt.date) \
                and isinstance(months, int | float) and not isinstance(months, bool):
            age = (now - born_date).days / 365.25 - months / 12
            if 0 <= age <= 120:
                return {**data, "classification": {"age_at_onset": round(age, 1)}}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems: list[str] = []
        today = self.today
        # a trans man can be pregnant: recorded by can_become_pregnant, the guard stays for
        # the typing slip it catches
        can = self.reproduction.can_become_pregnant is True
        if self.sex == "male" and not can and (self.reproduction.pregnant
                                              or self.comorbidities.pregnancy):
            problems.append("reproduction.pregnant: a male patient cannot be pregnant (record "
                            "reproduction.can_become_pregnant if this patient can)")
        if self.sex == "male" and not can and self.reproduction.breastfeeding:
            problems.append("reproduction.breastfeeding: not applicable to a male patient")
        dates = [v.date for v in self.visits]
        if dates != sorted(dates):
            problems.append("visits: must be in date order")
        if len(set(dates)) != len(dates):
            problems.append("visits: two visits on the same date")
        if today is not None:
            dated: list[tuple[str, dt.date | None]] = [
                *((f"visits[{i}].date", v.date) for i, v in enumerate(self.visits)),
                *((f"lab_results[{i}].date", r.date) for i, r in enumerate(self.lab_results)),
                *((f"treatments[{i}].start", t.start) for i, t in enumerate(self.treatments)),
                ("diagnosis.confirmed_on", self.diagnosis.confirmed_on),
            ]
            problems += [f"{name}: {when} is after today ({today})"
                         for name, when in dated if when is not None and when > today]
        if self.date_of_birth and today and self.date_of_birth > today:
            problems.append("date_of_birth: after today")
        if problems:
            raise ValueError("; ".join(problems))
        if self.lung is None and self.lung_measures:
            # a record that gives only the series is read from its latest entry, as the clinic
            # app does: otherwise a lung assessed last month read as never assessed (H839)
            series = [m for m in self.lung_measures if m.date is not None]
            latest = max(series, key=lambda m: m.date or dt.date.min) if series \
                else self.lung_measures[-1]
            object.__setattr__(self, "lung", latest)
        return self

    # -- derived views (pure; no clinical judgement) -------------------------------------

    def on(self) -> dt.date:
        """The date the record is read for."""
        return self.today or dt.date.today()

    def lung_series(self) -> list[Lung]:
        """Every dated lung assessment, oldest first: the series plus the latest summary (a
        summary repeating a series entry is counted once)."""
        dated = [m for m in [*self.lung_measures, *([self.lung] if self.lung else [])]
                 if m.date is not None]
        unique = list(dict.fromkeys(dated))  # Lung is frozen, so hashable
        return sorted(unique, key=lambda m: m.date or dt.date.min)

    def age_years(self) -> float:
        """Age now: from date of birth, else onset age plus time since onset."""
        if self.date_of_birth is not None:
            return (self.on() - self.date_of_birth).days / 365.25
        return self.classification.age_at_onset + self.months_since_onset / 12

    def all_antibodies(self) -> AntibodyProfile:
        """The antibody profile with dated tests merged in. A positive test wins, except that a
        weak line-blot or ELISA positive gives way to a later negative immunoprecipitation, the
        more specific method (specialist review T: a weak anti-Mi-2 blot outranked a later
        negative immunoprecipitation and raised the cancer-risk count), and weak line-blot bands
        alone give way to a negative ELISA or immunoprecipitation done on or after the first band
        (its confirmation)."""
        if not self.antibody_tests:
            return self.antibodies
        merged = self.antibodies.model_dump()
        methods: dict[str, str | None] = {}
        for test in sorted(self.antibody_tests, key=lambda t: t.date or dt.date.min):
            if test.result == "indeterminate":
                continue
            key = test.antibody.value
            current = merged[key]
            overruled = (current["status"] == "positive" and test.result == "negative"
                         and test.method == "immunoprecipitation"
                         and current.get("level") == "weak"
                         and methods.get(key) != "immunoprecipitation")
            if current["status"] != "positive" or test.result == "positive" or overruled:
                merged[key] = AntibodyResult(status=test.result, level=test.level).model_dump()
                methods[key] = test.method
        for key, result in merged.items():
            # a positive that rests on weak line-blot bands only, with a negative by ELISA or
            # immunoprecipitation on or after the first band, is not confirmed: read as
            # negative (specialist review O: a weak anti-Jo-1 band with a negative ELISA met
            # the antisynthetase criteria and set 3-monthly lung tests)
            tests = [t for t in self.antibody_tests if t.antibody.value == key]
            positives = [t for t in tests if t.result == "positive"]
            first = min((t.date for t in positives if t.date is not None), default=None)
            if result["status"] == "positive" and positives and all(
                    t.method == "line_blot" and t.level == "weak" for t in positives) and any(
                    t.result == "negative" and t.method in ("elisa", "immunoprecipitation")
                    # the confirmation of the band, not an older test it may have superseded
                    and (t.date is None or first is None or t.date >= first)
                    for t in tests):
                merged[key] = AntibodyResult(status="negative").model_dump()
        return AntibodyProfile.model_validate(merged)

    def is_pregnant(self) -> bool:
        """Pregnant by the reproduction section when it says, else by the older comorbidity
        field: a stale 'pregnancy: true' there does not outrank 'pregnant: false' (specialist
        review R: a pregnancy dose cap applied months after the delivery)."""
        if self.reproduction.pregnant is not None:
            return self.reproduction.pregnant is True
        return self.comorbidities.pregnancy is True

    def settled_rp_ild_episode(self) -> str | None:
        """When the undated 'RP-ILD suspected' tick is an episode the dated lung record shows
        has settled - an earlier dated entry rapidly progressive, the latest stable, and FVC and
        DLCO not lower than at the episode - a description of that; else None. The tick has no
        date, so it cannot outrank a dated recovery (specialist review N: ICU and ECMO advised
        for an improving outpatient, FVC 52 to 64 %)."""
        if not self.systemic.rapidly_progressive_ild_suspected:
            return None
        series = self.lung_series()
        if len(series) < 2 or series[-1].course != "stable":
            return None
        episodes = [m for m in series[:-1] if m.course == "rapidly_progressive"]
        if not episodes:
            return None
        episode, latest = episodes[-1], series[-1]
        for attr in ("fvc_percent_predicted", "dlco_percent_predicted"):
            before, now = getattr(episode, attr), getattr(latest, attr)
            if before is not None and now is not None and now < before:
                return None
        return (f"rapidly progressive on {episode.date}, stable on {latest.date}"
                + (f" (FVC {episode.fvc_percent_predicted:g} to "
                   f"{latest.fvc_percent_predicted:g} % predicted)"
                   if episode.fvc_percent_predicted is not None
                   and latest.fvc_percent_predicted is not None else ""))

    def with_settled_rp_ild(self) -> PatientRecord:
        """A copy without the undated RP-ILD tick when :meth:`settled_rp_ild_episode` finds the
        dated record has moved past it; the plan says so and asks for the tick to be cleared."""
        if self.settled_rp_ild_episode() is None:
            return self
        systemic = self.systemic.model_copy(update={"rapidly_progressive_ild_suspected": False})
        return self.model_copy(update={"systemic": systemic})

    def with_myositic_swallow(self) -> PatientRecord:
        """A copy in which a dysphagia recorded as oesophageal only (smooth-muscle dysmotility,
        as in scleroderma) is not read as the myositis's swallowing weakness: it is not disease
        activity and is not treated with IVIG or pulses (specialist review Z33c P6). The grade
        and level stay on the record's own copy for the plan's oesophageal line."""
        if self.organs.dysphagia_level != "oesophageal" or self.organs.dysphagia in (None, "none"):
            return self
        return self.model_copy(update={
            "organs": self.organs.model_copy(update={"dysphagia": "none"}),
            "systemic": self.systemic.model_copy(update={"dysphagia": False})})

    def with_visit_enzymes(self) -> PatientRecord:
        """A copy in which each visit recorded without muscle enzymes takes the dated enzyme
        results (with a ULN) measured nearest to it within VISIT_LAB_WINDOW_DAYS (30).

        Clinics keep CK in the laboratory series rather than on the visit form; the flare,
        remission and response criteria read the visit, so without this a visit without its
        own CK looked enzyme-free and a flare or a response was missed (specialist review X).
        A visit's own enzyme results are never replaced, but an enzyme the visit form lacks is
        still taken from the series: a form carrying only the ALT hid the normal CK of the same
        day, and a methotrexate liver rise read as a muscle flare (specialist review Z21a P7)."""
        if not self.lab_results or all(Enzyme.CK in v.labs.enzymes for v in self.visits):
            return self
        visits = []
        for visit in self.visits:
            found: dict[Enzyme, EnzymeResult] = dict(visit.labs.enzymes)
            # a form with its own enzymes is completed with the muscle-specific ones only
            wanted = (Enzyme.CK, Enzyme.ALDOLASE) if found else tuple(Enzyme)
            for enzyme in wanted:
                if enzyme in found:
                    continue
                near = [r for r in self.lab_results if r.analyte == enzyme.value
                        and r.uln is not None and r.unit == "U/L"
                        and abs((r.date - visit.date).days) <= VISIT_LAB_WINDOW_DAYS]
                if near:
                    best = min(near, key=lambda r: (abs((r.date - visit.date).days),
                                                    r.date > visit.date))
                    assert best.uln is not None
                    found[enzyme] = EnzymeResult(value=best.value, uln=best.uln, unit="U/L",
                                                 date=best.date)
            visits.append(visit.model_copy(update={
                "labs": visit.labs.model_copy(update={"enzymes": found})})
                if found != visit.labs.enzymes else visit)
        return self.model_copy(update={"visits": visits})

    def latest_lab(self, analyte: str) -> LabResult | None:
        """The latest dated result. Creatinine also reads the visit forms (dated by the visit)
        and the undated labs section (as of the plan date, and only when it is higher than a
        dated value more than 30 days old): a creatinine of 420 in ``labs`` was ignored and
        methotrexate offered (specialist review P)."""
        results = [r for r in self.lab_results if r.analyte == analyte]
        if analyte != "creatinine":
            return max(results, key=lambda r: r.date) if results else None
        results += [LabResult(analyte="creatinine", value=v.labs.creatinine_umol_l,
                              unit="umol/L", date=v.date)
                    for v in self.visits if v.labs.creatinine_umol_l is not None]
        dated = max(results, key=lambda r: r.date) if results else None
        section = self.labs.creatinine_umol_l
        if section is None:
            return dated
        undated = LabResult(analyte="creatinine", value=section, unit="umol/L", date=self.on())
        if dated is None:
            return undated
        # an undated value beside an older dated one: the higher (the kidneys at their worse)
        # until the record is dated (re-score of specialist review P: 420 undated beside a
        # year-old 45 read as eGFR 133)
        if (self.on() - dated.date).days > UNDATED_CREATININE_GRACE_DAYS \
                and section > dated.value:
            return undated
        return dated
