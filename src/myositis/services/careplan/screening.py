"""IMACS 2023 cancer-screening risk level and the tests due, from the knowledge-base data.

Each factor's level and the counting thresholds live in guidance.yaml, so a corrected factor list
or rule (the guideline figure was read only through secondary sources) is a data change.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from myositis.domain.antibodies import ANTISYNTHETASE, MYOSITIS_ASSOCIATED, Antibody
from myositis.domain.labs import Enzyme
from myositis.domain.record import PatientRecord
from myositis.knowledge import KnowledgeBase
from myositis.services.careplan.kidney_function import read_egfr
from myositis.services.careplan.model import CancerScreening, ScreeningFactor
from myositis.services.careplan.phenotype import ssc_overlap
from myositis.services.careplan.record_readers import confirmed_positive

CANCER_ANTIBODIES = frozenset({Antibody.TIF1G, Antibody.NXP2})

SCOPE_MONTHS = 36
ANTIBODY_FACTORS = {
    Antibody.TIF1G: "anti_tif1g", Antibody.NXP2: "anti_nxp2", Antibody.SAE: "anti_sae1",
    Antibody.HMGCR: "anti_hmgcr", Antibody.MI2: "anti_mi2", Antibody.MDA5: "anti_mda5",
    Antibody.SRP: "anti_srp", Antibody.JO1: "anti_jo1",
}


def vasculopathic_ulcer(profile: PatientRecord) -> bool:
    """Ulcers of anti-MDA5 vasculopathy or of a scleroderma overlap (digital ulcers) are not
    the DM cutaneous necrosis that IMACS counts as a cancer factor (specialist reviews M and
    N): not counted unless a clinician marks the disease cancer-associated."""
    positive = profile.all_antibodies().positive()
    return Antibody.MDA5 in positive or bool(ssc_overlap(profile))


def present_factors(profile: PatientRecord, phenotype_list: list[str]) -> set[str]:
    """IMACS factor ids present in this patient (ids as in guidance.yaml)."""
    found: set[str] = set()
    positive = profile.all_antibodies().positive()
    if "adm" in phenotype_list:
        found.add("cadm")
    elif "dm" in phenotype_list:
        found.add("dermatomyositis")
    if "imnm" in phenotype_list:
        found.add("imnm")
    elif "pm" in phenotype_list:
        found.add("polymyositis")
    if "asys" in phenotype_list:
        found.add("antisynthetase_syndrome")
    if "overlap" in phenotype_list:
        found.add("overlap_myositis")
    found.update(ANTIBODY_FACTORS[a] for a in positive if a in ANTIBODY_FACTORS)
    if positive & (ANTISYNTHETASE - {Antibody.JO1}):
        found.add("non_jo1_antisynthetase")
    if positive & MYOSITIS_ASSOCIATED:
        found.add("maa")
    if profile.classification.age_at_onset > 40:
        found.add("age_over_40_at_onset")
    if profile.persistent_high_activity:
        found.add("persistent_high_disease_activity")
    severity = profile.organs.dysphagia
    if severity in ("moderate", "severe") or (severity is None and (
            profile.systemic.dysphagia or profile.classification.dysphagia_or_esophageal_dysmotility)):
        found.add("dysphagia_moderate_severe")
    # cutaneous necrosis is a DM sign: not a Raynaud digital ulcer in antisynthetase syndrome,
    # nor an ulcer over a calcinosis lesion (review B: both counted as a cancer factor)
    calcinosis_ulcer = any(lesion.ulcerated for lesion in profile.organs.calcinosis_lesions)
    if profile.skin.cutaneous_ulceration and not vasculopathic_ulcer(profile) \
            and {"dm", "adm"} & set(phenotype_list) and "asys" not in phenotype_list \
            and not calcinosis_ulcer:
        found.add("cutaneous_necrosis")
    # a patient recorded as male who can become pregnant (a trans man) is not given the
    # male-sex factor of cohorts that recorded sex at birth (specialist review Z27d P2)
    if profile.sex == "male" and profile.reproduction.can_become_pregnant is not True:
        found.add("male_sex")
    if profile.systemic.raynaud:
        found.add("raynaud")
    if profile.systemic.arthritis:
        found.add("inflammatory_arthropathy")
    if profile.systemic.interstitial_lung_disease:
        found.add("ild")
    return found


SEX_MARKERS = {"(women)": "female", "women;": "female", "(men)": "male"}


CERVICAL_SCREENING_UPPER_AGE = 65
"""National cervical screening programmes stop around 65 for women adequately screened before
(US and UK); IMACS lists a smear as per national programme. Project reading: no smear is
ordered from 65 on (specialist review N: a Pap test for an 84-year-old)."""


CERVICAL_SCREENING_LOWER_AGE = 21
"""National cervical screening starts at 21 (US) or 25 (UK): no smear is ordered below 21, the
earlier of the two (specialist review Z68b P3: a Pap test for a woman of 19)."""


def for_age(item: str, age: float) -> bool:
    lowered = item.lower()
    if "cervical" in lowered or "papanicolaou" in lowered:
        return CERVICAL_SCREENING_LOWER_AGE <= age < CERVICAL_SCREENING_UPPER_AGE
    if "psa" in lowered:
        return age >= PSA_FROM_AGE
    return True


ORGAN_TESTS = (("cervix", ("papanicolaou", "cervical")),
               ("ovaries", ("ca-125", "ovarian", "transvaginal")),
               ("breasts", ("mammograph",)),
               ("prostate", ("psa",)))
"""Words of a screening item that test one organ: left out when that organ was removed."""


def for_organs(item: str, removed: Collection[str]) -> bool:
    """A test of an organ removed by surgery is not ordered (specialist review Z65d P3: CA-125
    and a transvaginal ultrasound for ovarian masses after both ovaries were removed)."""
    lowered = item.lower()
    return not any(organ in removed and any(word in lowered for word in words)
                   for organ, words in ORGAN_TESTS)


def screening_sex(profile: PatientRecord) -> str:
    """The sex the sex-specific tests follow: a patient recorded as male who can become
    pregnant may have a cervix, ovaries and breasts, so both sexes' tests are listed (labelled)
    as for an unrecorded sex (specialist review Z23d P8: a trans man's panel without cervical
    screening or pelvic ultrasound)."""
    if profile.sex == "male" and profile.reproduction.can_become_pregnant is True:
        return "other"
    return profile.sex or "unknown"


def for_sex(item: str, sex: str) -> bool:
    """A sex-specific test only for that sex; both kept (labelled) when sex is not recorded."""
    lowered = item.lower()
    for marker, applies in SEX_MARKERS.items():
        if marker in lowered:
            return sex not in ("female", "male") or sex == applies
    return True


# Keywords that identify a screening test whatever the wording ("CT chest/abdomen/pelvis" is
# the panel's "CT neck, thorax, abdomen and pelvis").
TEST_KEYWORDS = {
    "ct ": "CT ", "computed tomography": "CT ", "mammogra": "Mammography", "psa": "PSA",
    "pap": "Pap", "cervical": "Pap", "ca-125": "CA-125", "ca125": "CA-125",
    "faecal": "Faecal", "fecal": "Faecal", "fit": "Faecal", "colonoscopy": "Faecal",
    "ultrasound": "ultrasound", "chest x": "Chest radiograph", "chest radiograph":
    "Chest radiograph", "blood count": "Complete blood count", "fbc": "Complete blood count",
    "protein electrophoresis": "electrophoresis", "urinalysis": "Urinalysis",
}


CERVICAL_INTERVAL_DAYS = 3 * 365
COLORECTAL = re.compile(r"\b(colo|rect|bowel|sigmoid|caec|cec)", re.IGNORECASE)
PSA_FROM_AGE = 40
"""PSA in a man under 40 is rarely informative (a project choice from specialist review Z; IMACS
2023 lists serum PSA for men without an age)."""


def recently_done(profile: PatientRecord, days: int = 365,
                  results: tuple[str, ...] = ("normal", "abnormal", "pending")) -> set[str]:
    """Lower-case markers of screening tests recorded as done within ``days`` (12 months by
    default) of the plan. A test with an abnormal or pending result was done (it is not
    ordered again), but it is no reassurance: the rules that read a test as a completed,
    normal screen ask for ``results=("normal",)`` (specialist review E: a lung mass on the
    screening CT read as 'CT done, do not repeat')."""
    today = profile.on()
    done: set[str] = set()
    for test in profile.cancer.screening_done:
        if test.result not in results:
            continue
        lowered = test.test.lower()
        # a cervical smear is repeated on the national programme's interval (3 years or more),
        # not yearly (specialist review Z: a smear 21 months after a normal one listed as due)
        window = CERVICAL_INTERVAL_DAYS if ("pap" in lowered or "cervical" in lowered
                                            or "smear" in lowered) else days
        if not 0 <= (today - test.date).days <= window:
            continue
        # "ct_chest_abdomen_pelvis" and "CT chest, abdomen" name the same test
        name = " " + re.sub(r"[_\-,/()]+", " ", test.test.lower()) + " "
        done.add(test.test.lower().strip())  # the name exactly as a due item prints it
        done.add(name.strip())
        markers = {marker.lower() for key, marker in TEST_KEYWORDS.items()
                   if key in name or f" {key.strip()} " in name}
        # the screening CT covers neck to pelvis: a lung HRCT, or a CT missing the abdomen
        # or pelvis, does not tick it off (H101)
        if "ct " in markers and (any(w in name for w in (" hrct ", " high resolution ",
                                                          " high-resolution "))
                                 or not (" abdomen " in name or " abdominal " in name
                                         or " abdo " in name)
                                 or not (" pelvis " in name or " pelvic " in name)):
            markers.discard("ct ")
            if any(w in name for w in (" chest ", " thorax ", " thoracic ", " hrct ")):
                done.add("chest radiograph")  # a chest CT supersedes the radiograph
        if " pet " in name or " fdg " in name or "pet ct" in name:
            # a whole-body FDG PET-CT covers the screening CT and the chest radiograph
            # (specialist review Z65b P1: a normal PET-CT recorded, CT and a radiograph asked)
            markers |= {"ct ", "chest radiograph", "pet"}
        done.update(markers)
        if "ct " in done and any(w in name for w in (" chest ", " thorax ", " thoracic ")):
            done.add("chest radiograph")  # a chest CT supersedes the radiograph
    # an HRCT in the lung series is a chest CT too (specialist review Z41d: a chest radiograph
    # listed as due days after an HRCT)
    if any(m.hrct_pattern is not None and m.date is not None
           and 0 <= (today - m.date).days <= days for m in profile.lung_series()):
        done.add("chest radiograph")
    done.update(labs_done(profile, days))
    return done


# basic-panel blood tests that the dated laboratory series already holds (specialist review
# X: a blood count, liver tests and CRP measured every month were still listed as 'due')
PANEL_LABS = {"complete blood count": ("haemoglobin", "wbc", "platelets"),
              "serum liver function tests": ("alt", "ast", "bilirubin"),
              "serum c-reactive protein": ("crp",)}


def labs_done(profile: PatientRecord, days: int = 365) -> set[str]:
    """Basic-panel tests found in the dated lab results of the last ``days``."""
    today = profile.on()
    recent = {r.analyte for r in profile.lab_results if 0 <= (today - r.date).days <= days}
    return {test for test, analytes in PANEL_LABS.items() if recent & set(analytes)}


RADIATION = ("CT ", "Mammography", "radiograph", "CA-125")
ADULT_ANTIBODY_AGE = 40
"""From this age a strongly cancer-associated antibody is screened whatever the onset recorded
(IMACS 2023 counts age over 40 among its risk factors; the override is this project's)."""
OLDER_AGE = 75
YOUNG_BREAST_AGE = 40


CT_TEST = re.compile(r"\bCT\b")
"""A CT among the panel's tests (not PET-CT, which the additional modalities carry)."""


def cancer_screening(
    profile: PatientRecord, kb: KnowledgeBase, phenotype_list: list[str],
    classified: bool = True, pregnant: bool = False, relapse: bool = False,
) -> CancerScreening:
    """``relapse``: the muscle or skin flares now; after the guideline's 3-year window a relapse
    is investigated promptly (IMACS 2023), so the basic panel is listed, not only mentioned."""
    guideline = kb.guidance.cancer_screening
    rule = guideline.risk_assignment
    present = present_factors(profile, phenotype_list)
    factors = [f for f in guideline.risk_factors if f.factor in present]
    highs = sum(f.level == "high" for f in factors)
    intermediates = sum(f.level == "intermediate" for f in factors)
    if highs >= rule.high_min_high_factors:
        risk = "high"
    elif highs >= rule.moderate_min_high_factors or (
        intermediates >= rule.moderate_min_intermediate_factors
    ):
        risk = "moderate"
    else:
        risk = "standard"
    citations = sorted({guideline.source, *rule.sources,
                        *(k for f in factors for k in f.sources)})
    notes = []
    juvenile = profile.classification.age_at_onset < 18
    within_scope = profile.months_since_onset <= SCOPE_MONTHS
    # a local non-melanoma skin cancer does not replace the screen (specialist review Z61d P1)
    active_cancer = bool(profile.cancer.internal_active_cancer()
                         or profile.comorbidities.active_malignancy)
    # a checkpoint inhibitor given for a cancer (adjuvant after resection, say): the oncology
    # surveillance replaces screening orders too (specialist review Z67c P8: 'the basic cancer
    # screen now' beside 'replaced by oncology follow-up' on adjuvant pembrolizumab)
    on_checkpoint_inhibitor = "immune_checkpoint_inhibitor" in profile.other_medicines or any(
        tr.kind == "immune_checkpoint_inhibitor" and tr.status == "ongoing"
        for tr in profile.cancer.treatment)
    # an adult of 40 or more with a strongly cancer-associated antibody is screened whatever the
    # onset recorded: the date may be a juvenile first episode's, and the record cannot mark a
    # new adult episode (specialist review Z43c P6: 'not applicable - juvenile-onset disease'
    # for a man of 66 with new anti-TIF1-gamma DM and weight loss, JDM at 9)
    adult_cancer_antibody = profile.age_years() >= ADULT_ANTIBODY_AGE and bool(
        {Antibody.TIF1G, Antibody.NXP2} & set(profile.all_antibodies().positive()))
    override = adult_cancer_antibody and juvenile
    applicable = (override or (not juvenile and within_scope)) \
        and "ibm" not in phenotype_list and not active_cancer and classified \
        and not on_checkpoint_inhibitor
    schedule = next(s for s in guideline.schedule if s.risk == risk)
    tests: list[str] = []
    additional: list[str] = []
    if active_cancer:
        # before 'not classified': national screening for a patient with a known cancer on
        # a checkpoint inhibitor contradicts the oncology follow-up (specialist review X)
        # no label: a cancer found years into IBM, or treated with a checkpoint inhibitor that
        # caused the myositis, is not 'cancer-associated myositis' (specialist review V)
        notes.append("Known active cancer: oncology follow-up replaces screening orders (a "
                     "local basal or squamous cell skin cancer alone does not replace the "
                     "myositis screen - with one, the record should say so).")
    elif on_checkpoint_inhibitor:
        notes.append("A checkpoint inhibitor is given for a cancer: its oncology surveillance "
                     "replaces screening orders; new symptoms go to the oncology team.")
    elif not classified and profile.age_years() >= 40 and not profile.diagnosis.not_myositis \
            and (
            profile.diagnosis.treatment_cannot_wait
            or (any(t.therapy in ("glucocorticoids_oral", "methylprednisolone_iv_pulse")
                    and t.stop is None for t in profile.treatments)
                and any(r.elevated for e, r in profile.labs.enzymes.items()
                        if e in (Enzyme.CK, Enzyme.ALDOLASE)))):
        # a glucocorticoid with a normal CK (polymyalgia from the family doctor, say) is not
        # treatment of myositis (re-score of specialist review Y); nor is a patient the clinician
        # records as not having myositis (specialist review Z25b P7: a CT for suspected Pompe
        # disease while trying to conceive)
        # treated as myositis before it is classified: the basic cancer screen does not wait
        # for the label (specialist review X: a man of 56 on pulses, tube-fed, with a recent PE)
        tests.append("basic (treated before classification): CT of the chest, abdomen and pelvis "
                     "with the basic blood tests (blood count, liver tests, ESR/CRP, protein "
                     "electrophoresis, urinalysis)")
        notes.append("Not classified as myositis yet, but treated as myositis at 40 or over: the "
                     "basic cancer screen now, alongside the diagnostic work-up; the full "
                     "screen follows the diagnosis.")
    elif not classified and not juvenile and within_scope \
            and confirmed_positive(profile) & CANCER_ANTIBODIES:
        # a cancer-associated antibody raises the cancer risk whatever the classification
        # (specialist review Z10c: strong anti-TIF1-gamma, subtle skin, dysphagia, no heliotrope
        # or Gottron - 'cancer screening follows the diagnosis')
        antibody_names = ", ".join(f"anti-{a.value.upper()}" for a in sorted(
            confirmed_positive(profile) & CANCER_ANTIBODIES, key=lambda a: a.value))
        by_sex = {"female": " (women: mammography, cervical screening, CA-125 and pelvic "
                            "ultrasound)",
                  "male": " (men: PSA by local practice)"}.get(profile.sex or "", "")
        tests.append("enhanced (cancer-associated antibody, before classification): CT of the "
                     "neck, chest, abdomen and pelvis with the basic blood tests and the "
                     f"age- and sex-appropriate tests{by_sex}; PET-CT if the CT is negative and "
                     "suspicion stays high")
        notes.append(f"Not classified as myositis yet, but {antibody_names} is on record: a strongly "
                     "cancer-associated antibody - screened as high risk now, repeated yearly "
                     "for 3 years while the diagnosis is settled.")
    elif not classified:
        # a child has no adult screening to follow (re-score of specialist review Z39c P8)
        notes.append("Not classified as myositis yet: cancer screening follows the diagnosis; "
                     + ("in a child, no adult cancer screening - the paediatric team looks for "
                        "a malignancy only where the picture suggests one."
                        if profile.age_years() < 18 else
                        "age- and sex-appropriate national screening meanwhile."))
    elif "ibm" in phenotype_list:
        notes.append("IBM is outside the IMACS 2023 guideline (not among its subtypes); "
                     "follow age- and sex-appropriate national screening.")
    elif juvenile and not override:
        notes.append("Juvenile-onset disease is outside the IMACS 2023 guideline: "
                     + guideline.juvenile.text)
        citations.extend(k for k in guideline.juvenile.sources if k not in citations)
    elif not within_scope and not override:
        notes.append("The guideline covers the first 3 years after symptom onset: from then "
                     "on, age- and sex-appropriate national screening, and prompt "
                     "investigation of new symptoms or a relapse.")
        if relapse and not active_cancer and "ibm" not in phenotype_list:
            # a relapse is investigated, not only mentioned (specialist review Z67b P7: 'prompt
            # investigation of a relapse' beside an urgent flare at 52 in a smoker, nothing
            # ordered); said in the first note, which the terminal plan prints
            notes[-1] += (" This relapse is such a trigger: history and examination for new "
                          "symptoms, the basic panel (blood count, liver tests, ESR or CRP, "
                          "protein electrophoresis, urinalysis, chest radiograph) and the age- "
                          "and sex-appropriate tests now; CT where anything points to a cancer.")
        if not profile.cancer.screening_done:
            notes.append(
                "No cancer screening recorded at all: age- and sex-appropriate national "
                "screening is due now" + (
                    f"; with {risk}-risk features a one-off basic panel is reasonable "
                    "(outside the guideline's window)" if risk in ("high", "moderate")
                    else "") + ".")
    else:
        # the diagnosis panels until some screening is recorded: the annual panels assume the
        # baseline screen was done (specialist review, December 2026)
        if override:
            notes.append("An adult of 40 or more with a strongly cancer-associated antibody "
                         "whose recorded onset is a juvenile first episode: screened as for a "
                         "new adult onset, and yearly for 3 years.")
        first_year = profile.months_since_onset < 12 or not profile.cancer.screening_done \
            or override
        panels = schedule.panels_at_diagnosis if first_year else schedule.annual_panels
        goals = profile.care_goals
        if schedule.annual_panels and schedule.annual_years and not goals.severely_frail() \
                and goals.treatment_ceiling != "comfort" and goals.prognosis not in (
                    "months", "weeks_to_months", "days_to_weeks"):
            # the follow-through, not only the tests due now (specialist review Z44b: 'yearly
            # re-screening for 3 years in high-risk DM is never printed'); not with a short
            # prognosis or limited goals (re-score of Z45c P4 and P7)
            notes.append(f"Then yearly: the {' and '.join(schedule.annual_panels)} panel"
                         f"{'s' if len(schedule.annual_panels) > 1 else ''} until "
                         f"{schedule.annual_years} years after onset.")
        for panel in panels:
            tests.extend(f"{panel}: {item}" for item in guideline.panels[panel].items
                         if for_sex(item, screening_sex(profile))
                         and for_age(item, profile.age_years())
                         and for_organs(item, profile.cancer.organs_removed))
            citations.extend(k for k in guideline.panels[panel].sources if k not in citations)
        modalities = {m.id: m for m in guideline.additional_modalities}
        # The PET-CT rule's second limb (anti-TIF1g DM, onset > 40, >= 1 more high-risk
        # feature) always implies >= 2 high-risk factors, so it falls inside the high branch.
        if risk == "high" and (profile.cancer.internal_active_cancer() is True
                               or _past_cancer_near_onset(profile) is True):
            # a cancer already found (cancer-associated myositis): the PET-CT statement for
            # patients 'in whom cancer was not detected' does not apply (specialist review F)
            additional.append("A cancer is already recorded: further imaging (PET-CT, GI "
                              "endoscopy) is decided with oncology - for a recurrence, or a "
                              "second cancer when the myositis does not settle as the cancer "
                              "is treated.")
        elif risk == "high" and profile.cancer.internal_past_cancers():
            # a past cancer long before the onset, or of unknown year: the PET-CT and endoscopy
            # statements stay, with the oncology question (specialist review I: a breast
            # cancer cured in 2015 dropped the PET-CT for new anti-TIF1-gamma DM in 2026)
            additional.append(modalities["pet_ct"].statement)
            additional.append(modalities["gi_endoscopy"].statement)
            additional.append("A past cancer is recorded (" + "; ".join(
                profile.cancer.internal_past_cancers()) + "): if it was found within 3 years of the "
                "myositis onset, agree further imaging with oncology; otherwise the screen "
                "looks for a new cancer and a recurrence.")
        elif risk == "high":
            additional.append(modalities["pet_ct"].statement)
            additional.append(modalities["gi_endoscopy"].statement)
        if profile.nasopharyngeal_carcinoma_region:
            additional.append(modalities["nasoendoscopy"].statement)
        if not schedule.confirmed:
            notes.append("Schedule as reported for the guideline; check it against the guideline "
                         "figure: " + schedule.plan)
    goals = profile.care_goals
    limited = goals.treatment_ceiling == "comfort" or goals.prognosis in (
        "weeks_to_months", "days_to_weeks") or (
        goals.severely_frail())
    if (tests or additional) and limited:
        # screening serves a patient who would be treated for what it finds (specialist
        # review V: 13 screening tests for an 84-year-old with dementia in a care home)
        tests, additional = [], []
        notes.append("Goals of care (frailty, prognosis or a ceiling of treatment): no routine "
                     "screening panel; only tests whose result would change care and that the "
                     "patient (or, without capacity, the best-interests decision) wants - a CT "
                     "rather than endoscopy - and symptoms looked into as they arise.")
    declined = set(profile.preferences.declines)
    if "ct_scan" in declined and any(CT_TEST.search(t) for t in tests):
        # an informed refusal is respected, not re-ordered (specialist review U)
        tests = [t for t in tests if not CT_TEST.search(t)]
        notes.append("CT declined after discussion: offered instead - chest X-ray with "
                     "abdominal and pelvic ultrasound, with the rest of the panel; revisit the "
                     "decision if symptoms or the risk change.")
    if "pet_ct" in declined or "ct_scan" in declined:
        kept = [a for a in additional if "PET" not in a]
        if len(kept) != len(additional):
            notes.append("PET-CT declined after discussion: the other tests of the panel, and "
                         "a low threshold for imaging of new symptoms.")
        additional = kept
    if "endoscopy" in declined:
        kept = [a for a in additional if "ndoscopy" not in a or "nasoendoscopy" in a]
        if len(kept) != len(additional):
            notes.append("GI endoscopy declined after discussion: a faecal immunochemical test "
                         "(or CT colonography) as a lesser alternative, revisited if symptoms "
                         "appear.")
        additional = kept
    if "rectal_bleeding" in profile.cancer.red_flags and any("aecal" in t for t in tests):
        # overt bleeding is investigated directly, not screened for (specialist review Z68a P3:
        # a faecal occult blood test due beside rectal bleeding)
        tests = [t for t in tests if "aecal" not in t]
        notes.append("Rectal bleeding recorded: investigated directly (colonoscopy with the "
                     "gastroenterology team), not by a faecal occult blood test.")
    colorectal = [c for c in profile.cancer.past_cancer if COLORECTAL.search(c)]
    if colorectal and any("Faecal" in t or "faecal" in t for t in tests):
        # after a colorectal cancer the bowel is followed by colonoscopy surveillance, not a
        # faecal occult blood test (specialist review N: FOBT due after a rectal resection)
        tests = [t for t in tests if "aecal" not in t]
        notes.append("Colorectal cancer recorded (" + "; ".join(colorectal) + "): no faecal "
                     "occult blood test - the bowel is followed by the colonoscopy and CEA "
                     "surveillance the colorectal team schedules.")
    if any("Mammography" in t for t in tests) and profile.age_years() < YOUNG_BREAST_AGE:
        # the guideline gives no age for it (specialist review W: mammography for a woman of 24)
        notes.append(f"Mammography under {YOUNG_BREAST_AGE}: the guideline gives no age, but "
                     "dense breast tissue lowers its yield at this age; agree with the breast "
                     "service whether breast ultrasound is the better test.")
    if screening_sex(profile) != profile.sex and tests:
        notes.append("Recorded as male and able to become pregnant: the tests for each organ "
                     "(cervix, ovaries, breasts, prostate) are listed; keep those for the organs "
                     "present.")
    elif profile.sex in ("unknown", "other") and tests:
        notes.append("Sex not recorded as female or male: sex-specific tests are listed with "
                     "the sex they apply to.")
    if profile.cancer.organs_removed and applicable:
        notes.append("Organs removed recorded (" + ", ".join(profile.cancer.organs_removed)
                     + "): their screening tests are left out.")
    if applicable and not rule.confirmed:
        notes.insert(0, "Risk level by factor counting as reported for the guideline; check it "
                        "against the guideline figure (Oldroyd 2023): " + rule.text)
    if pregnant and tests:
        deferred = [t for t in tests if any(r in t for r in RADIATION)]
        tests = [t for t in tests if t not in deferred]
        additional = [a for a in additional if "PET" not in a]
        if deferred:
            notes.append("Pregnant: radiation-based tests deferred until after pregnancy or "
                         "replaced by ultrasound or MRI, and CA-125 (raised by pregnancy) "
                         "deferred (" + "; ".join(deferred) + ").")
        smear = [t for t in tests if "papanicolaou" in t.lower() or "cervical" in t.lower()]
        if smear:
            # a routine smear waits until after the birth (specialist review Z63b P6: a Pap
            # test listed as due at 7 weeks; the NHS programme defers it to about 12 weeks
            # after delivery); symptoms or an overdue abnormal result go to colposcopy instead
            tests = [t for t in tests if t not in smear]
            notes.append("Pregnant: the routine cervical smear waits until about 12 weeks after "
                         "the birth (abnormal bleeding, or an abnormal result still to follow "
                         "up, goes to colposcopy now).")
    done = recently_done(profile)
    if applicable and profile.age_years() >= OLDER_AGE:
        # no guideline sets an upper age: the burden of each test is weighed by the clinician
        # with the patient (H104)
        # the smear is named only where a cervix may be (re-score of specialist review Z39a P3:
        # the note printed for a man)
        notes.append(f"Aged {int(profile.age_years())}: weigh each test against life "
                     "expectancy, frailty and the patient's wishes (best interests if they lack "
                     "capacity)" + ("; population tests such as the cervical smear usually end "
                                    "by 65." if profile.sex != "male" else "."))
    if done:
        tests = [t for t in tests if not any(d in t.lower() for d in done)]
        if "pet" in done:
            additional = [a for a in additional if "PET" not in a]
        names = sorted(t.test + ("" if t.result == "normal" else f" ({t.result} result)")
                       for t in profile.cancer.screening_done
                       if 0 <= (profile.on() - t.date).days <= 365)
        from_labs = sorted(labs_done(profile))
        notes.append("Recorded as done in the last 12 months: "
                     + ", ".join(names + [f"{n} (dated laboratory results)" for n in from_labs])
                     + ".")
    # the context the tests still due are ordered in (re-scores of specialist reviews Z38c P6
    # and Z38d:
    # mammography listed for a breastfeeding woman, contrast CT in a kidney injury)
    breastfeeding = profile.sex != "male" and (profile.reproduction.breastfeeding is True
                                               or profile.comorbidities.breastfeeding is True)
    if breastfeeding and any("Mammography" in t for t in tests):
        notes.append("Breastfeeding: the lactating breast is harder to image - agree the breast "
                     "test (ultrasound first) with the breast service.")
    egfr = read_egfr(profile)
    if any(t.startswith("enhanced: CT") for t in tests) and profile.comorbidities.dialysis is True:
        # on dialysis there is little kidney left to protect: the contrast CT goes ahead, timed
        # with the dialysis team (specialist review Z48b P2: 'a non-contrast CT' for an anuric
        # haemodialysis patient, which weakens the cancer search)
        notes.append("On dialysis: the contrast CT goes ahead, timed with the dialysis team (no "
                     "saline load; residual urine output protected where there is one).")
    elif any(t.startswith("enhanced: CT") for t in tests) and (egfr is not None and egfr < 30):
        notes.append("Kidney function low: the contrast CT is planned around it with the kidney "
                     "team (see the kidney lines); a non-contrast CT or other imaging where it "
                     "cannot wait.")
    return CancerScreening(
        risk=risk,
        applicable=applicable,
        factors=[ScreeningFactor(factor=f.factor, level=f.level, text=(
            f.text + " - severity not recorded: counted as moderate to severe until it is"
            if f.factor == "dysphagia_moderate_severe" and profile.organs.dysphagia is None
            else f.text)) for f in factors],
        tests_due=tests,
        schedule=schedule.plan,
        additional=additional,
        notes=notes,
        citations=citations,
    )


def _past_cancer_near_onset(profile: PatientRecord) -> bool | None:
    """Whether a recorded past cancer was diagnosed within 3 years of the myositis onset (the
    window of cancer-associated myositis), read from the year written in its entry; None when
    no entry names a year."""
    years = [int(m) for entry in profile.cancer.internal_past_cancers()
             for m in re.findall(r"\b(?:19|20)\d{2}\b", entry)]
    if not years:
        return None
    onset = profile.on().year - profile.months_since_onset // 12
    return any(year >= onset - 3 for year in years)

