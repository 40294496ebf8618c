"""The sections of a patient record beyond the classification variables.

Every field is optional and ``None`` means *unknown*: a test not done, an answer not recorded. A
negative result is recorded as ``"negative"`` or ``false``. The care plan treats the two
differently (clinical-safety principle 1), so no section here defaults a clinical fact to "no".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.domain.antibodies import Antibody, SemiQuantitativeLevel
from myositis.domain.patient import Medication
from myositis.domain.types import Bool, Int, Num

Subgroup = Literal["dm", "adm", "pm", "imnm", "asys", "ibm", "jdm", "overlap", "unclassified"]
TestResult = Literal["positive", "negative", "indeterminate"]
Pharmacogenotype = Literal["normal", "intermediate", "deficient"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Diagnosis(_Section):
    """The clinician-confirmed diagnosis, which the plan follows over any criteria set."""

    subgroup: Subgroup | None = Field(default=None, description="clinician-confirmed subgroup")
    confirmed_on: dt.date | None = None
    criteria: str | None = Field(default=None, max_length=120,
                                 description="criteria set supporting it, e.g. ENMC 2011")
    treatment_cannot_wait: Bool = Field(
        default=False, description="clinician marks that treatment must start before the "
        "diagnosis is complete; options are then labelled provisional")
    not_myositis: str | None = Field(
        default=None, min_length=3, max_length=200,
        description="the clinician's working diagnosis when it is not myositis, in words (for "
        "example 'polymyalgia rheumatica', 'drug eruption from hydroxyurea', 'statin myopathy "
        "resolving off the statin'): the plan then proposes no myositis treatment or work-up "
        "and keeps the safety checks of the medicines taken")
    alternative: Literal["polymyalgia_rheumatica", "fibromyalgia", "hypothyroid_myopathy",
                         "statin_myopathy", "muscular_dystrophy", "metabolic_myopathy",
                         "neuropathy_or_motor_neurone_disease", "other"] | None = Field(
        default=None, description="the working diagnosis that is not myositis, coded (read from "
        "the not_myositis words when not given): it brings that condition's own care lines")
    overlap_with: list[Literal["systemic_sclerosis", "sle", "sjogren", "mctd",
                               "rheumatoid_arthritis"]] = Field(
        default_factory=list, description="connective tissue disease(s) the myositis overlaps "
        "with, as the clinician judges it; when given, it outranks what the antibodies suggest "
        "(anti-Ku or anti-U1RNP occur in lupus and MCTD as well as in scleroderma overlap)")
    ssc_subset: Literal["diffuse", "limited", "sine_scleroderma"] | None = Field(
        default=None, description="systemic sclerosis subset, when it is part of the overlap: "
        "early diffuse disease carries the highest risk of a scleroderma renal crisis on "
        "glucocorticoids")
    ssc_onset: dt.date | None = Field(
        default=None, description="first non-Raynaud feature of the systemic sclerosis (diffuse "
        "disease is 'early' for its first 5 years); unknown is read as early")


class AntibodyTest(_Section):
    """One MSA/MAA result with how and when it was measured."""

    antibody: Antibody
    result: TestResult
    method: Literal["line_blot", "elisa", "immunoprecipitation", "other"] | None = None
    level: SemiQuantitativeLevel | None = None
    date: dt.date | None = None


class AntibodyPanel(_Section):
    """A whole myositis antibody panel as the laboratory reports it: one date and one method,
    a result for each antibody tested. Antibodies left out were not tested, so a panel never
    turns an untested antibody into a negative one (clinical-safety principle 1)."""

    date: dt.date
    method: Literal["line_blot", "elisa", "immunoprecipitation", "other"] | None = None
    results: dict[Antibody, TestResult] = Field(
        min_length=1, description="antibody -> positive, negative or indeterminate; at least one")
    levels: dict[Antibody, SemiQuantitativeLevel] = Field(
        default_factory=dict, description="semi-quantitative level of a positive result")

    @model_validator(mode="after")
    def _levels_only_for_positives(self) -> Self:
        stray = sorted(a.value for a in self.levels if self.results.get(a) != "positive")
        if stray:
            raise ValueError("a level is given only for a positive result, not for "
                             + ", ".join(f"anti-{a.upper()}" for a in stray))
        return self

    def entries(self) -> list[AntibodyTest]:
        """One dated result per antibody tested, in the domain's order of antibodies."""
        return [AntibodyTest(antibody=a, result=self.results[a], method=self.method,
                             level=self.levels.get(a), date=self.date)
                for a in Antibody if a in self.results]


class MuscleBiopsy(_Section):
    """Features that separate DM, IMNM, IBM and PM; ``None`` = not reported."""

    date: dt.date | None = None
    perifascicular_atrophy: Bool | None = None
    mxa_expression: Bool | None = None
    necrosis_with_little_inflammation: Bool | None = None
    mhc1_upregulation: Bool | None = None
    endomysial_infiltrate: Bool | None = None
    invasion_of_non_necrotic_fibres: Bool | None = None
    rimmed_vacuoles: Bool | None = None
    protein_aggregates: Bool | None = Field(
        default=None, description="p62, TDP-43, SMI-31 or amyloid, or 15-18 nm filaments")
    cox_negative_fibres: Bool | None = None


class IbmPattern(_Section):
    """The clinical items of the ENMC 2011 IBM criteria (Rose 2013)."""

    knee_extension_weaker_or_equal_hip_flexion: Bool | None = None
    finger_flexion_weaker_than_shoulder_abduction: Bool | None = None
    weakness_duration_months: Num | None = Field(default=None, ge=0, le=1200,
                                                 description="months, 0-1200")


Analyte = Literal[
    "ck", "aldolase", "ldh", "ast", "alt", "ferritin", "kl6", "crp", "creatinine", "egfr",
    "bilirubin", "igg", "iga", "haemoglobin", "wbc", "neutrophils", "lymphocytes", "platelets",
    "troponin_i", "troponin_t", "tacrolimus_trough", "hba1c", "potassium", "tsh", "free_t4",
    "calcium", "fibrinogen", "triglycerides", "ldl_cholesterol", "ggt", "albumin", "inr",
    "cd4", "hiv_viral_load",
]
# Allowed units per analyte: values in different units are never compared (principle 2).
ANALYTE_UNITS: dict[str, tuple[str, ...]] = {
    "ck": ("U/L",), "aldolase": ("U/L",), "ldh": ("U/L",), "ast": ("U/L",), "alt": ("U/L",),
    "ferritin": ("ng/mL", "ug/L", "µg/L"), "kl6": ("U/mL",), "crp": ("mg/L",), "creatinine": ("umol/L",),
    "egfr": ("mL/min/1.73m2",), "bilirubin": ("umol/L",), "igg": ("g/L",), "iga": ("g/L",),
    "haemoglobin": ("g/L",), "wbc": ("10^9/L",), "neutrophils": ("10^9/L",),
    "lymphocytes": ("10^9/L",), "platelets": ("10^9/L",),
    "troponin_i": ("ng/L",), "troponin_t": ("ng/L",), "tacrolimus_trough": ("ng/mL", "ug/L", "µg/L"),
    "hba1c": ("mmol/mol", "%"), "potassium": ("mmol/L",), "tsh": ("mU/L",),
    "free_t4": ("pmol/L",), "calcium": ("mmol/L",), "fibrinogen": ("g/L",),
    "triglycerides": ("mmol/L",), "ldl_cholesterol": ("mmol/L",),
    # asked for by reviewers of liver disease and HIV (specialist review Z27: the record could
    # not hold GGT, albumin, INR, the CD4 count or the HIV viral load)
    "ggt": ("U/L",), "albumin": ("g/L",), "inr": ("ratio",), "cd4": ("cells/uL",),
    "hiv_viral_load": ("copies/mL",),
}


UNIT_SYNONYMS: dict[str, str] = {"mIU/L": "mU/L", "uIU/mL": "mU/L", "µIU/mL": "mU/L"}
"""Spellings of the same unit (1 mIU/L = 1 uIU/mL = 1 mU/L, specialist review Z62a: a TSH in
mIU/L refused), stored as the canonical one so that results stay comparable."""


class LabResult(_Section):
    """One dated laboratory value with its unit (and ULN where one applies)."""

    analyte: Analyte
    value: Num = Field(ge=0, le=1_000_000, description=">= 0")
    unit: str
    uln: Num | None = Field(default=None, gt=0, le=1_000_000, description="> 0, same unit")
    date: dt.date

    @model_validator(mode="before")
    @classmethod
    def _canonical_unit(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("unit"), str) \
                and data["unit"] in UNIT_SYNONYMS:
            return {**data, "unit": UNIT_SYNONYMS[data["unit"]]}
        return data

    @model_validator(mode="after")
    def _unit_allowed(self) -> Self:
        allowed = ANALYTE_UNITS[self.analyte]
        if self.unit not in allowed:
            raise ValueError(f"unit of {self.analyte} must be one of {', '.join(allowed)} "
                             f"(got {self.unit!r})")
        return self


class Lung(_Section):
    """Lung involvement: function, imaging pattern, oxygen and course."""

    date: dt.date | None = None
    fvc_percent_predicted: Num | None = Field(default=None, ge=5, le=200, description="5-200")
    dlco_percent_predicted: Num | None = Field(default=None, ge=5, le=200, description="5-200")
    hrct_pattern: Literal["normal", "nsip", "op", "nsip_op", "uip", "dad", "other",
                          "not_ild"] | None = Field(
        default=None, description="'other': an interstitial pattern not listed; 'not_ild': "
        "abnormal without interstitial lung disease (emphysema, a tumour, infection)")

    def shows_ild(self) -> bool:
        """An interstitial pattern on HRCT ('normal' and 'not_ild' are not; specialist review
        T: emphysema and a lung cancer recorded as 'other' were read as ILD)."""
        return self.hrct_pattern not in (None, "normal", "not_ild")
    oxygen: Literal["none", "exertional", "at_rest", "ventilated"] | None = None
    course: Literal["stable", "progressive", "rapidly_progressive"] | None = None


class CalcinosisLesion(_Section):
    site: str = Field(min_length=1, max_length=60)
    size_mm: Num | None = Field(default=None, ge=0, le=500, description="0-500 mm")
    ulcerated: Bool | None = None


HOME_VENTILATION = frozenset({"nocturnal_niv", "daytime_niv", "tracheostomy"})
"""Established home ventilatory support for breathing-muscle weakness (CPAP alone is not)."""


class Organs(_Section):
    """Extramuscular organ involvement beyond the legacy yes/no findings."""

    dysphagia: Literal["none", "mild", "moderate", "severe"] | None = None
    dysphagia_level: Literal["oropharyngeal", "oesophageal", "both"] | None = Field(
        default=None, description="where the swallow fails: oropharyngeal (striated muscle - the "
        "myositis) or oesophageal (smooth-muscle dysmotility, as in scleroderma), which is not "
        "myositis activity and is not treated with its drugs")
    respiratory_muscle_weakness: Bool | None = None
    oral_intake: Literal["normal", "modified_texture", "reduced", "nil_by_mouth",
                         "tube_fed"] | None = Field(
        default=None, description="how the patient eats and drinks now: modified_texture "
        "(textures or thickened fluids advised), reduced (eating much less than usual), "
        "nil_by_mouth (nothing by mouth on a swallow assessment's advice) or tube_fed (fed by a "
        "nasogastric or gastrostomy tube)")
    weight_loss_percent: float | None = Field(
        default=None, ge=0, le=60, allow_inf_nan=False,
        description="unintentional weight loss over the last 3-6 months, % of body weight "
        "(NICE counts above 10 % with a low BMI, or above 15 %, as a refeeding risk)")
    home_ventilation: Literal["none", "cpap", "nocturnal_niv", "daytime_niv",
                              "tracheostomy"] | None = Field(
        default=None, description="long-term ventilatory support at home, established (not an "
        "acute admission): cpap (sleep apnoea only), nocturnal_niv, daytime_niv (NIV by night and "
        "part of the day) or tracheostomy (ventilation by tracheostomy)")
    cardiac: Literal["none", "suspected", "confirmed"] | None = Field(
        default=None, description="heart involvement by the myositis (myocarditis, conduction "
        "disease from it); ischaemic or other heart disease is recorded under comorbidities "
        "(heart_failure, cardiovascular_risk), not here")
    calcinosis_lesions: list[CalcinosisLesion] = Field(default_factory=list)
    sclerodactyly: Bool | None = Field(default=None, description="scleroderma-overlap skin sign")
    new_hypertension: Bool | None = Field(
        default=None, description="new or accelerated hypertension (a scleroderma renal crisis "
                                  "sign in overlap disease)")
    gut_symptoms: Bool | None = Field(
        default=None, description="abdominal pain, vomiting, melaena or gastrointestinal "
                                  "bleeding (gut vasculopathy in juvenile DM)")
    gi_bleeding: Bool | None = Field(
        default=None, description="suspected or confirmed gastrointestinal bleeding now "
                                  "(melaena, haematemesis, fresh blood per rectum)")
    gi_perforation_suspected: Bool | None = Field(
        default=None, description="free gas, peritonitis or pneumatosis now (a gut "
                                  "perforation suspected)")
    pulmonary_hypertension: Literal["none", "suspected", "confirmed"] | None = Field(
        default=None, description="suspected on echocardiography or symptoms; confirmed by right "
                                  "heart catheterisation")


DoseUnit = Literal["mg/day", "g/day", "mg/week", "mg", "g", "mg/kg", "g/kg", "mg/m2",
                   "mg/m2/week", "mg/kg/day"]
ReasonStopped = Literal["inefficacy", "adverse_event", "remission", "pregnancy",
                        "patient_stopped", "other"]
"""Why a course stopped; ``patient_stopped`` is the patient's own decision without medical
advice (neither a failure nor an intolerance: the drug may be offered again)."""


class Treatment(Medication):
    """A course of a knowledge-base therapy with its dose, route, dates and result.

    ``therapy`` must be a knowledge-base id (checked where the knowledge base is loaded).
    ``outcome`` is the legacy one-word result; ``response`` and ``reason_stopped`` refine it.
    """

    dose_value: Num | None = Field(default=None, ge=0, le=100_000, description=">= 0")
    dose_unit: DoseUnit | None = None
    route: Literal["oral", "iv", "sc", "im", "topical", "other"] | None = None
    reason_stopped: ReasonStopped | None = None
    reaction_severity: Literal["mild", "moderate", "severe"] | None = Field(
        default=None, description="for a course stopped for an adverse event: mild (nausea, "
        "say) allows a re-challenge with mitigation; severe (pneumonitis, hepatitis, marrow "
        "failure, anaphylaxis, a serious drug eruption) rules it out")
    response: Literal["complete", "partial", "none", "unknown"] | None = None
    adherence: Literal["good", "partial", "poor"] | None = Field(
        default=None, description="how regularly it is taken: partial or poor means a flare or a "
        "poor response is not yet a failure of the drug")
    cumulative_dose_g: Num | None = Field(default=None, ge=0, le=1000,
                                          description="cumulative dose so far, g (0-1000)")

    @model_validator(mode="after")
    def _dose_has_unit(self) -> Self:
        if (self.dose_value is None) != (self.dose_unit is None):
            raise ValueError("dose_value and dose_unit go together")
        return self


class PlannedTreatment(_Section):
    """A course decided on but not started (rituximab booked for next week, say): the plan
    checks it against this patient before the first dose - withholding rules, cautions and the
    pre-start tests - without counting it as taken. ``therapy`` is a knowledge-base id."""

    therapy: str = Field(min_length=1, max_length=64)
    start: dt.date | None = Field(default=None, description="planned first day (may be after "
                                                             "today)")
    dose_value: Num | None = Field(default=None, ge=0, le=100_000, description=">= 0")
    dose_unit: DoseUnit | None = None
    route: Literal["oral", "iv", "sc", "im", "topical", "other"] | None = None

    @model_validator(mode="after")
    def _dose_has_unit(self) -> Self:
        if (self.dose_value is None) != (self.dose_unit is None):
            raise ValueError("dose_value and dose_unit go together")
        return self


class Screen(_Section):
    result: TestResult
    date: dt.date | None = None


class InfectionScreening(_Section):
    """Pre-immunosuppression screening. A missing test is unknown and the plan asks for it."""

    hbsag: Screen | None = None
    anti_hbc: Screen | None = None
    anti_hbs: Screen | None = None
    hbv_dna: Screen | None = None
    hcv: Screen | None = Field(default=None, description="HCV antibody")
    hcv_rna: Screen | None = Field(
        default=None, description="HCV RNA (negative after a positive antibody: a cleared or "
        "cured infection)")
    hiv: Screen | None = None
    tb_test: Screen | None = Field(default=None, description="IGRA or TST")
    tb_test_method: Literal["igra", "tst"] | None = None
    chest_imaging: Literal["normal", "abnormal_tb_compatible", "abnormal_other"] | None = None
    latent_tb_treatment: Literal["not_needed", "planned", "ongoing", "completed"] | None = None
    active_tb: Literal["suspected", "on_treatment", "treated"] | None = Field(
        default=None, description="active tuberculosis: suspected (being investigated), "
        "on_treatment (a full TB regimen under way) or treated (a full course completed)")
    active_tb_treatment_start: dt.date | None = Field(
        default=None, description="the date the active-TB regimen started (for the TB team's "
        "timing of new immunosuppression; the plan names the intensive phase but does not yet "
        "date it)")
    vzv_igg: Screen | None = None
    cmv_pcr: Screen | None = Field(default=None, description="CMV DNA in blood (PCR); positive "
                                                            "means viraemia")
    strongyloides_serology: Screen | None = None
    strongyloides_endemic: Bool | None = Field(
        default=None, description="born in or lived in a region where strongyloides is "
        "endemic (tropics and subtropics): screened before high-dose glucocorticoids")
    varicella_exposure: dt.date | None = Field(
        default=None, description="date of the last significant contact with chickenpox or "
                                  "shingles (post-exposure prophylaxis and the incubation period)")
    tb_contact: dt.date | None = Field(
        default=None, description="date of the last close contact with infectious (pulmonary or "
        "laryngeal) tuberculosis: a test before it no longer counts, and a negative one soon "
        "after it is repeated")
    measles_exposure: dt.date | None = Field(
        default=None, description="date of the last contact with measles (immunity check and "
                                  "post-exposure immunoglobulin within 6 days)")


class Immunogenetics(_Section):
    """Pharmacogenetics and immunoglobulin status that change drug choice."""

    tpmt: Pharmacogenotype | None = None
    nudt15: Pharmacogenotype | None = None
    g6pd: Literal["normal", "deficient"] | None = None
    iga_deficiency: Bool | None = None
    anti_iga_antibodies: Bool | None = None


Vaccine = Literal["influenza", "pneumococcal", "covid19", "zoster_recombinant", "hepatitis_b",
                  "live_attenuated", "yellow_fever"]
"""``live_attenuated``: any live vaccine not named; ``yellow_fever``: live, and one dose is valid
for life for entry certificates (WHO, since 2016)."""
LIVE_VACCINES = frozenset({"live_attenuated", "yellow_fever"})


class Vaccination(_Section):
    vaccine: Vaccine
    date: dt.date


class Preferences(_Section):
    """Treatments and investigations the patient has declined after discussion (an informed
    choice the plan respects, never overrides): blood products (IVIG and other plasma fractions,
    which some Jehovah's Witnesses accept and others decline), glucocorticoids, and tests such as
    a CT scan or blood tests (the plan then offers alternatives instead of ordering them)."""

    declines: list[Literal["blood_products", "glucocorticoids", "ct_scan", "pet_ct",
                           "endoscopy", "blood_tests", "muscle_biopsy", "tube_feeding"]] = Field(
        default_factory=list, description="treatments or investigations declined after "
        "discussion: blood_products, glucocorticoids, ct_scan, pet_ct, endoscopy, blood_tests, "
        "muscle_biopsy, tube_feeding")


class Travel(_Section):
    """A trip abroad planned: live vaccines are contraindicated on immunosuppression, and the
    travel clinic needs the drug list (yellow fever, malaria tablets, infection advice)."""

    depart: dt.date | None = Field(default=None, description="date of departure")
    destinations: str = Field(default="", max_length=200, description="where, in words")
    yellow_fever_area: Bool | None = Field(
        default=None, description="an area where the yellow fever vaccine is recommended or "
                                  "required for entry")
    malaria_area: Bool | None = Field(default=None,
                                      description="an area where malaria prevention is advised")


class PlannedSurgery(_Section):
    """An operation planned or just done: the perioperative handling of each drug, anaesthesia
    with weak breathing or swallowing muscles, and wound healing depend on it."""

    date: dt.date = Field(description="date of the operation (planned, or done in the last weeks)")
    procedure: str = Field(default="", max_length=200, description="what operation, in words")
    elective: Bool | None = Field(default=None, description="elective (True) or urgent (False)")


class CareGoals(_Section):
    """What the patient wants from treatment and how much of it: frailty, the ceiling of
    treatment agreed, prognosis from other illness, and who decides when the patient cannot."""

    frailty_scale: Int | None = Field(default=None, ge=1, le=9,
                                      description="Clinical Frailty Scale (Rockwood), 1-9")
    treatment_ceiling: Literal["full", "no_icu", "ward_based", "comfort"] | None = Field(
        default=None, description="the ceiling of treatment agreed: full, no_icu (no intensive "
        "care or ventilation), ward_based, comfort (symptom control only)")
    prognosis: Literal["years", "months", "weeks_to_months", "days_to_weeks"] | None = Field(
        default=None, description="expected survival, from the myositis or another illness "
        "(advanced cancer, say)")
    lacks_capacity: Bool | None = Field(default=None, description="lacks capacity for the "
                                        "treatment decisions at hand")
    decision_maker: str = Field(default="", max_length=120, description="who decides or is "
                                "consulted when the patient cannot (attorney, next of kin)")

    def severely_frail(self) -> bool:
        """Clinical Frailty Scale 7 or more, unless full treatment is recorded as agreed: a
        frailty score is often taken during the acute illness, not before it, and the agreed
        ceiling outranks it (specialist review Z46c P2: a woman of 47 at CFS 7 with a failing
        swallow lost her urgent treatment and cancer screen)."""
        return (self.frailty_scale or 0) >= 7 and self.treatment_ceiling != "full"


class MentalHealth(_Section):
    """Mental health history that changes the plan: glucocorticoids can set off mania, psychosis
    or depression (more often at high doses and in people who have had them before), and
    methotrexate, hydroxychloroquine and colchicine are dangerous in overdose. ``None`` is not
    recorded, never "no"."""

    bipolar_disorder: Bool | None = Field(default=None,
                                          description="bipolar affective disorder, any type")
    psychosis_on_glucocorticoids: Bool | None = Field(
        default=None, description="a psychosis, mania or severe depression on glucocorticoids "
                                  "in the past")
    depression: Bool | None = Field(default=None, description="depression now (treated or not)")
    suicide_risk: Bool | None = Field(
        default=None, description="suicidal thoughts with a plan or intent now, or self-harm by "
                                  "overdose in the last year")


class Prophylaxis(_Section):
    """Prophylaxis already in place (None = not recorded)."""

    pjp: Bool | None = None
    bone_protection: Bool | None = None


InteractingMedicine = Literal[
    "statin", "allopurinol", "febuxostat", "co_trimoxazole", "azole_antifungal", "rifampicin",
    "warfarin", "proton_pump_inhibitor", "nsaid", "immune_checkpoint_inhibitor",
    "ritonavir_or_cobicistat", "trimethoprim", "doac", "antiplatelet", "insulin",
    "ace_inhibitor_or_arb", "hbv_active_antiviral", "macrolide_antibiotic", "lmwh",
    "potassium_sparing_diuretic", "colchicine", "enzyme_inducer", "lithium", "qt_prolonging",
    "sulfonylurea", "clozapine", "denosumab", "bisphosphonate", "bone_anabolic",
    "oestrogen_or_serm", "valproate", "sglt2_inhibitor", "tamoxifen",
]
"""``immune_checkpoint_inhibitor``: a PD-1, PD-L1 or CTLA-4 antibody taken now or in the last
months (myositis may be its adverse event). ``ritonavir_or_cobicistat``: a boosted HIV or hepatitis
C regimen, or nirmatrelvir-ritonavir for COVID-19 (strong CYP3A4 inhibition). ``trimethoprim``:
trimethoprim alone (a urinary infection course); co-trimoxazole has its own entry. ``doac``: a
direct oral anticoagulant (apixaban, rivaroxaban, edoxaban, dabigatran). ``antiplatelet``:
aspirin, clopidogrel, prasugrel or ticagrelor. ``ace_inhibitor_or_arb``: an ACE inhibitor or an
angiotensin-receptor blocker (potassium). ``hbv_active_antiviral``: tenofovir (TDF or TAF) or
entecavir taken now, for hepatitis B or within an HIV regimen. ``macrolide_antibiotic``:
clarithromycin or erythromycin taken now or in the last two weeks (strong CYP3A4 and
P-glycoprotein inhibition: colchicine, statins, calcineurin inhibitors).
``potassium_sparing_diuretic``: spironolactone, eplerenone, amiloride or triamterene (potassium).
``colchicine``: taken now (a toxic myopathy of its own, worse with kidney impairment and with
macrolides, azoles or ciclosporin). ``enzyme_inducer``: another strong enzyme inducer taken now or
in the last 4 weeks - rifabutin, carbamazepine, oxcarbazepine, phenytoin, phenobarbital,
primidone or St John's wort (hormonal contraception unreliable). ``lithium``: taken now (NSAIDs,
ACE inhibitors and a falling kidney function raise its level; it has a narrow margin).
``qt_prolonging``: another drug that prolongs the QT interval taken now - an antipsychotic
(haloperidol, quetiapine, olanzapine), citalopram or escitalopram, methadone, ondansetron,
domperidone or amiodarone (macrolides and azoles have their own entries). ``denosumab``: given
for osteoporosis in the last year (never stopped or delayed without a plan: rebound fractures).
``bisphosphonate``: alendronate, risedronate, ibandronate or zoledronate for bone protection.
``bone_anabolic``: teriparatide, abaloparatide or romosozumab. ``oestrogen_or_serm``: oral or
transdermal oestrogen (HRT; a combined contraceptive is recorded under contraception), tamoxifen or
raloxifene (a clot risk beside IVIG and JAK inhibitors). ``valproate``: sodium valproate or
valproic acid for epilepsy or bipolar disorder (a major teratogen: the Pregnancy Prevention
Programme). ``sglt2_inhibitor``: dapagliflozin, empagliflozin, canagliflozin or ertugliflozin
(euglycaemic ketoacidosis when acutely ill, fasting or around an operation). ``tamoxifen``:
taken now, for breast cancer or its prevention (must not be taken in pregnancy: a conception is
planned with oncology; a major risk factor for hydroxychloroquine retinopathy; a clot risk, read
as ``oestrogen_or_serm`` too)."""


ContraceptionMethod = Literal[
    "none", "condom_or_barrier", "combined_hormonal", "progestogen_only_pill", "injectable",
    "implant", "copper_iud", "hormonal_iud", "sterilisation", "partner_vasectomy"]
"""How a patient avoids pregnancy. ``combined_hormonal``: an oestrogen-containing pill, patch or
ring. ``hormonal_iud``: a levonorgestrel intrauterine system."""

RELIABLE_CONTRACEPTION = frozenset({
    "combined_hormonal", "progestogen_only_pill", "injectable", "implant", "copper_iud",
    "hormonal_iud", "sterilisation", "partner_vasectomy"})
"""Methods that count as effective contraception with a teratogen; condoms alone do not
(typical-use failure about 13 a year in 100; UK mycophenolate advice calls them unreliable)."""


class Reproduction(_Section):
    """Sex-aware reproductive status; planning conception applies to men too."""

    pregnant: Bool | None = None
    gestation_weeks: Int | None = Field(default=None, ge=0, le=44, description="0-44")
    planning_conception: Bool | None = None
    breastfeeding: Bool | None = None
    effective_contraception: Bool | None = Field(
        default=None, description="left empty, it is read from the methods recorded in "
                                  "contraception (an implant, coil, sterilisation or hormonal "
                                  "method counts; condoms alone or none do not)")
    contraception: list[ContraceptionMethod] = Field(
        default_factory=list, description="the methods used now (record 'none' when none is "
                                          "used; an empty list means not asked)")
    unprotected_sex_on: dt.date | None = Field(
        default=None, description="the last unprotected sex or contraceptive failure (missed "
                                  "pills, a split condom): emergency contraception within 5 "
                                  "days, and a pregnancy test 3 weeks after it; a method that "
                                  "failed in the last 3 weeks is not counted as effective")
    postmenopausal: Bool | None = Field(
        default=None, description="12 months without periods after 50 (or surgical menopause): "
                                  "no childbearing potential")
    can_become_pregnant: Bool | None = Field(
        default=None, description="whether this patient can become pregnant, whatever the sex "
                                  "recorded (a trans man, say): overrides the estimate from sex "
                                  "and age")
    delivered_on: dt.date | None = Field(
        default=None, description="date of the most recent delivery (the postpartum weeks carry "
                                  "a raised clot risk and change what anaemia means)")
    previous_neonatal_lupus: Bool | None = Field(
        default=None, description="a previous child with congenital heart block or neonatal "
                                  "lupus (anti-Ro recurrence risk)")


class ScreeningTest(_Section):
    test: str = Field(min_length=2, max_length=80)
    date: dt.date
    result: Literal["normal", "abnormal", "pending"] = Field(
        default="normal", description="abnormal or pending: not counted as a completed screen; "
                                      "an abnormal result asks for the suspected-cancer pathway")


class CancerTreatment(_Section):
    """A cancer treatment planned, under way or completed: surgery and myelosuppressive
    chemotherapy change how the myositis drugs are handled around them (specialist review Z30b
    P2: a debulking operation then carboplatin-paclitaxel, not recordable)."""

    kind: Literal["surgery", "chemotherapy", "radiotherapy", "immune_checkpoint_inhibitor",
                  "hormonal", "targeted", "other"]
    status: Literal["planned", "ongoing", "completed"]
    start: dt.date | None = Field(default=None, description="first day (planned or actual)")


LOCAL_SKIN_CANCER = re.compile(
    r"basal cell|\bbcc\b|bowen|in situ|keratinocyte|cutaneous squamous|"
    r"squamous cell carcinoma of the skin|\bcscc\b|non-melanoma skin", re.IGNORECASE)
"""Words of a past-cancer entry that name a local non-melanoma skin cancer."""


OrganRemoved = Literal["breasts", "uterus", "cervix", "ovaries", "prostate"]


class CancerHistory(_Section):
    active_cancer: Bool | None = None
    organs_removed: list[OrganRemoved] = Field(
        default_factory=list, description="organs removed by surgery (both breasts, the uterus, "
        "the cervix - recorded too after a total hysterectomy - both ovaries, the prostate): the "
        "cancer screen leaves out the tests of organs that are gone, and without a uterus or "
        "ovaries no pregnancy is assumed possible (specialist review Z65d P3 and P7)")
    active_cancer_kind: Literal["skin_non_melanoma", "other"] | None = Field(
        default=None, description="skin_non_melanoma: the active cancer is a basal or squamous "
        "cell skin cancer (or Bowen's disease) treated locally - it is not the internal cancer "
        "a myositis screen looks for, so the screen still runs (specialist review Z61d P1)")

    def internal_past_cancers(self) -> list[str]:
        """Past cancers other than local basal or squamous cell skin cancers (and Bowen's
        disease): those are not the cancers a myositis screen or a recurrence work-up is about
        (specialist review Z61d P4: 'a recurrence first' for past basal cell carcinomas and
        Bowen's disease beside a new breast lump)."""
        return [c for c in self.past_cancer if not LOCAL_SKIN_CANCER.search(c)]

    def internal_active_cancer(self) -> bool | None:
        """The active cancer as the myositis sees it: a local non-melanoma skin cancer does not
        count (it neither drives the myositis nor replaces its cancer screen)."""
        if self.active_cancer is True and self.active_cancer_kind == "skin_non_melanoma":
            return False
        return self.active_cancer
    treatment: list[CancerTreatment] = Field(
        default_factory=list, description="cancer treatments planned, under way or completed "
                                          "(an empty list means none recorded)")
    red_flags: list[Literal["weight_loss", "night_sweats", "new_lump", "rectal_bleeding",
                            "postmenopausal_bleeding", "haemoptysis"]] = Field(
        default_factory=list, description="symptoms that make occult cancer more likely")
    lump_site: Literal["neck", "breast", "axilla", "groin", "abdomen", "skin", "bone",
                       "other"] | None = Field(
        default=None, description="where a new lump (red flag new_lump) is: it sends the work-up "
        "to the right pathway (a neck lump: neck imaging, and nasendoscopy where nasopharyngeal "
        "carcinoma is common)")
    past_cancer: list[str] = Field(default_factory=list)
    screening_done: list[ScreeningTest] = Field(default_factory=list)

    def cardiotoxic_therapy(self) -> bool:
        """Chemotherapy or a targeted cancer therapy under way or given (anthracyclines and
        anti-HER2 agents among them): a new heart finding may be the cancer therapy's, not the
        myositis's (specialist review Z47b P3: pulses for a falling ejection fraction after
        doxorubicin, on trastuzumab)."""
        return any(t.kind in ("chemotherapy", "targeted") and t.status in ("ongoing", "completed")
                   for t in self.treatment)
