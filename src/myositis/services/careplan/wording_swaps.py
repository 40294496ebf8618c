"""The wording a fact on the record changes in a rule's text: reviewable data.

Each entry of :data:`CONDITIONAL_SWAPS` is (fact, value, general wording, wording for this
patient); the rules engine replaces the general clause when the fact holds the value. Kept apart
from the engine so a clinician can read the table without the code that applies it; the order
matters where one swap's output is another's input.
"""

from __future__ import annotations

PREGNANCY_CLAUSES = ("in pregnancy", "in a girl who could be pregnant",
                     "in anyone who can become pregnant")
"""Clause openings (after '; ') dropped from a rule's text without childbearing potential."""


PREGNANCY_SWAPS = (
    ("entecavir or tenofovir", "tenofovir disoproxil (the HBV antiviral used in pregnancy and "
                               "before conception; not entecavir)"),
)
"""General wording replaced in a pregnancy, or when a woman who can become pregnant plans one."""
HIV_HBV_ANTIVIRAL = ("tenofovir within a fully suppressive HIV regimen, arranged with the HIV team "
                     "(never entecavir, lamivudine or tenofovir alone, which select HIV resistance)")
"""The HBV antiviral named when HIV is recorded (EASL 2017 HBV guideline: HIV-HBV co-infection
is treated with a tenofovir-based antiretroviral regimen)."""


BOSENTAN_CLAUSE = ("bosentan to prevent new ulcers, with a pregnancy test, highly effective "
                   "contraception that does not rely on hormones alone (it lowers their levels) "
                   "and monthly liver tests")
LARC_GENERAL = ("a long-acting reversible method (an intrauterine device or implant) is the most "
                "reliable")
LARC_WITH_INDUCER = ("an intrauterine device (copper or levonorgestrel) is the most reliable - not an "
                     "implant or a progestogen-only pill, which the enzyme inducer taken makes "
                     "unreliable during use and for 4 weeks after")
BREASTFEEDING_METHODS = ("offer a method that suits breastfeeding (an implant, an intrauterine device "
                         "or a progestogen-only pill;")
BREASTFEEDING_WITH_INDUCER = (
    "offer a method that suits breastfeeding and the enzyme inducer taken (an intrauterine device, "
    "or the progestogen injection - not an implant or a progestogen-only pill, which the inducer "
    "makes unreliable;")
EMERGENCY_CONTRACEPTION = ("emergency contraception if there was unprotected sex in the last 5 "
                           "days")
EMERGENCY_WITH_INDUCER = (
    "emergency contraception if there was unprotected sex in the last 5 days (a copper "
    "intrauterine device first; with the enzyme inducer taken, levonorgestrel only at a double "
    "3 mg dose, and not ulipristal)")
EARLY_IVIG_OR_RITUXIMAB = "IV glucocorticoids with early IVIG or rituximab"
EARLY_IVIG_IN_PREGNANCY = (
    "IV glucocorticoids with early IVIG (rituximab in pregnancy only for life-threatening "
    "disease after an obstetric and specialist meeting - it depletes the baby's B cells)")
EARLY_IVIG_IN_INFECTION = (
    "IV glucocorticoids with early IVIG (rituximab only once the infection is treated)")
NEXT_PREGNANCY = ("plan any next pregnancy after at least 6 months of quiet disease on "
                  "pregnancy-compatible treatment")
NEXT_PREGNANCY_WITH_PH = ("any next pregnancy is advised against while pulmonary hypertension "
                          "lasts (high maternal risk)")

BOOSTED_RIFAMYCIN = (
    " - and the boosted HIV regimen taken now: rifampicin and rifapentine are not given with "
    "boosted drugs (the HIV drugs fail), and no rifamycin at all with cobicistat or tenofovir "
    "alafenamide (rifabutin at an adjusted dose only with ritonavir boosting); isoniazid with "
    "pyridoxine, or a change of HIV regimen, chosen with the HIV team")
HEART_AT_RISK: tuple[tuple[str, object], ...] = (
    ("heart_failure", True), ("cardiac_involvement", "suspected"),
    ("cardiac_involvement", "confirmed"))
"""Facts under which fluids are what the heart allows, not 'keep well hydrated'."""


NIL_BY_MOUTH_MEDICINES = (
    "nothing by mouth, liquids included, while nil by mouth: the pharmacist names a route for "
    "each medicine (IV or subcutaneous, or by a tube if one is agreed) and what to do with one "
    "that exists only by mouth (an HBV antiviral), decided with its specialist - PJP "
    "prophylaxis has non-oral forms (IV co-trimoxazole, nebulised or IV pentamidine)")
"""The medicines clause for a patient recorded as nil by mouth."""

HIGH_CALCIUM_NONE = "no calcium or vitamin D while the calcium is high - see the calcium line"
"""What the bone lines say of supplements while the calcium is above its limit."""

CONDITIONAL_SWAPS: tuple[tuple[str, object, str, str], ...] = (
    # a TSH of 10 or more with no free T4: measure it, and repeat after an acute illness, before
    # treating (specialist review Z62d P8: 'hypothyroidism that needs treatment' on one TSH of
    # 11.8 taken during a chest infection, with no free T4)
    ("free_t4", None, "or a TSH of 10 or more: hypothyroidism that needs treatment",
     "or a TSH of 10 or more: hypothyroidism that needs treatment once confirmed - free T4 now "
     "(no free T4 is recorded), and the TSH repeated after any acute illness, which can raise "
     "it for a while"),
    # rifampicin lowers atovaquone (and dapsone): no line names atovaquone as the PJP agent
    # while it is taken (specialist review Z62c P3: three lines steered prophylaxis to
    # atovaquone beside rifampicin, one of them the potassium line); first, so that the
    # potassium, warfarin and count wordings below find nothing to change
    ("other_medicines", "rifampicin", "plan co-trimoxazole now unless the dose will fall below "
     "that first", "plan co-trimoxazole now (not atovaquone or dapsone, which rifampicin "
     "lowers; with potassium 5 mmol/L or more, potassium checked twice weekly or pentamidine, "
     "with the TB team) unless the dose will fall below that first"),
    ("other_medicines", "rifampicin", "or choose atovaquone for prophylaxis",
     "or pentamidine for prophylaxis (not atovaquone while rifampicin is taken)"),
    ("other_medicines", "rifampicin", "so prefer atovaquone while potassium is above 5.0 mmol/L, "
     "or recheck potassium within a week of starting",
     "so recheck potassium within a few days of starting and twice weekly, or use pentamidine "
     "(not atovaquone, which rifampicin lowers)"),
    ("other_medicines", "rifampicin", "(check eGFR, interactions and the blood count - "
     "atovaquone while neutrophils are below 1.5",
     "(check eGFR, interactions and the blood count - pentamidine, not atovaquone or dapsone "
     "while rifampicin is taken, if neutrophils are below 1.5"),
    # sepsis or a perforation: methotrexate is held, not 'continued' by the elective
    # arthroplasty guideline (specialist review Z61a P1: 'methotrexate and hydroxychloroquine
    # continue (ACR/AAHKS 2022)' for a septic emergency laparotomy)
    *((fact, True, "methotrexate and hydroxychloroquine continue (ACR/AAHKS 2022), "
       "methotrexate held until kidney function is stable after it when the eGFR is below 60 or "
       "the operation risks the kidneys", "hydroxychloroquine continues; methotrexate is held "
       "through the sepsis or perforation, restarted with the team once it is controlled and "
       "kidney function is stable")
      for fact in ("critical_illness", "gi_perforation_suspected")),
    # active TB on treatment: a steroid-sparing agent waits for the response, not the end of
    # six months (specialist review Z60d P4: mycophenolate 'reconsidered once the infection is
    # treated' beside the TB line's 'once the TB is responding')
    ("active_tb", "on_treatment", "reconsidered once the infection is treated",
     "reconsidered once the TB is responding (usually after the 2-month intensive phase, with "
     "the TB team) - not the end of its treatment"),
    # a neck node in a patient from a nasopharyngeal-carcinoma region: nasendoscopy and a core
    # biopsy before any excision (specialist review Z60b P2: excision offered as an equal first
    # choice for a level II node in a man from Guangdong)
    ("nasopharyngeal_carcinoma_region", True, "(an excision or core biopsy - a fine-needle "
     "aspirate often cannot type a lymphoma; in the neck, nasendoscopy too)", "(elsewhere an "
     "excision or core biopsy - a fine-needle aspirate often cannot type a lymphoma; in the neck, "
     "nasendoscopy with nasopharyngeal biopsy and an ultrasound-guided core biopsy of the node "
     "first, excision only if they are non-diagnostic - from a high-incidence region a "
     "nasopharyngeal carcinoma is likely, and excising a metastatic node compromises its "
     "treatment)"),
    # breastfeeding: tenofovir, not entecavir, whose label advises against it (specialist review
    # Z60a P7: 'entecavir or tenofovir' for a breastfeeding mother)
    ("breastfeeding", True, "entecavir or tenofovir", "tenofovir disoproxil (the HBV antiviral "
     "used while breastfeeding; not entecavir)"),
    # already anticoagulated: no heparin prophylaxis on top (specialist review Z60b P7:
    # 'thromboprophylaxis through the course' beside warfarin for a mechanical valve)
    *(("other_medicines", drug, "thromboprophylaxis through the course unless bleeding "
       "forbids it", "the anticoagulant already taken kept in range through the course, or "
       "bridged around a procedure as planned (no added heparin prophylaxis)")
      for drug in ("warfarin", "doac", "lmwh")),
    # ritonavir or cobicistat boost an HIV regimen: the statin is the drug to change (specialist
    # review Z60b P8: 'stop or replace the interacting drug' where that drug was ritonavir)
    ("other_medicines", "ritonavir_or_cobicistat", "stop or replace the interacting drug where "
     "possible", "stop or replace the interacting drug where possible (never ritonavir or "
     "cobicistat on its own initiative: the statin is changed, and the antiretroviral regimen "
     "only with the HIV team)"),
    # Raynaud: nifedipine treats both, and a beta-blocker can worsen it (specialist review
    # Z59b P7: 'labetalol or nifedipine' beside the plan's own no-beta-blocker advice)
    ("raynaud", True, "labetalol or nifedipine for blood pressure",
     "nifedipine for blood pressure - it helps the Raynaud too, where labetalol, a "
     "beta-blocker, can worsen it"),
    ("raynaud", True, "or labetalol or nifedipine in pregnancy or when planning one",
     "or nifedipine in pregnancy or when planning one - it helps the Raynaud too, where "
     "labetalol, a beta-blocker, can worsen it"),
    # clozapine: co-trimoxazole adds to its risk of agranulocytosis, so the PJP agent named is
    # atovaquone (specialist review Z59d P6: 'plan co-trimoxazole now' beside clozapine)
    ("other_medicines", "clozapine",
     "plan co-trimoxazole now unless the dose will fall below that first",
     "plan PJP prophylaxis now - atovaquone beside clozapine (co-trimoxazole adds to its risk "
     "of agranulocytosis: only if the psychiatrist and the clozapine monitoring service agree, "
     "with their blood counts) - unless the dose will fall below that first"),
    ("other_medicines", "clozapine", "co-trimoxazole unless contraindicated (check eGFR, "
     "interactions and the blood count - atovaquone while neutrophils are below 1.5",
     "atovaquone beside clozapine (co-trimoxazole adds to its risk of agranulocytosis: only "
     "if the psychiatrist and the clozapine monitoring service agree; check eGFR, interactions "
     "and the blood count - atovaquone also while neutrophils are below 1.5"),
    # methotrexate taken (or being withdrawn): atovaquone is named with it (specialist review
    # Z57c P7: co-trimoxazole advised beside methotrexate being stopped, at eGFR 48)
    ("current_therapies", "methotrexate",
     "(check eGFR, interactions and the blood count - atovaquone while neutrophils are below 1.5",
     "(check eGFR, interactions and the blood count - atovaquone with methotrexate taken or "
     "stopped in the last 2 weeks, or while neutrophils are below 1.5"),
    # severe frailty or a limited ceiling: the burden of each test and therapy is weighed
    # (specialist review Z57b P4: GI endoscopy and strength training for a bed-to-chair
    # nursing-home resident under comfort care)
    ("limited_goals", True, "if it is iron deficiency, upper and lower GI endoscopy (a cancer "
     "may be the trigger of the myositis).",
     "if it is iron deficiency, whether to look further (endoscopy) is weighed against the "
     "goals of care agreed, and iron given meanwhile."),
    ("limited_goals", True, "physiotherapy for strength and balance, walking aids or orthoses",
     "physiotherapy for safe transfers, positioning and the mobility that matters to the patient "
     "within the goals of care, walking aids or orthoses"),
    # a low kidney function: atovaquone beside methotrexate (specialist review Z57d P4: co-
    # trimoxazole with methotrexate 'with a blood count 2-4 weeks after starting it' at eGFR 33
    # on an ACE inhibitor)
    ("egfr_below_50", True,
     "(co-trimoxazole - with methotrexate a blood count 2-4 weeks after starting it - or "
     "atovaquone with a low count or warfarin)",
     "(co-trimoxazole at a dose reduced for the kidney function - or atovaquone with "
     "methotrexate, a low count or warfarin: at this kidney function co-trimoxazole and "
     "methotrexate together suppress the marrow)"),
    # nil by mouth: no liquids to swallow, and a route for each medicine (specialist review
    # Z57b P7: 'medicines in liquid or dispersible forms' with weak breathing muscles, nothing by
    # mouth and tube feeding declined)
    ("oral_intake", "nil_by_mouth", "liquid or dispersible forms of the other medicines where "
     "possible", NIL_BY_MOUTH_MEDICINES),
    # tube feeding declined: a non-oral route where one exists, by mouth only at accepted risk
    ("oral_intake", "nil_by_mouth", "medicines in liquid or dispersible forms",
     "while nil by mouth, medicines by a non-oral route (IV or subcutaneous) where one exists - "
     "the pharmacist names a route for each and what to do with one that exists only by mouth "
     "(an HBV antiviral), decided with its specialist - PJP prophylaxis has non-oral forms (IV "
     "co-trimoxazole, nebulised or IV pentamidine); by mouth only if the patient chooses to eat "
     "and drink with the risk accepted"),
    # a raised calcium: the bone lines advise no calcium or vitamin D (specialist review Z56d
    # P7: 'calcium and vitamin D' beside an adjusted calcium of 3.16 and a kidney injury)
    *(("calcium_raised", True, general, specific) for general, specific in (
        ("with calcium and vitamin D", HIGH_CALCIUM_NONE.join("()")),
        ("; calcium and vitamin D;", f"; {HIGH_CALCIUM_NONE};"),
        ("; calcium and vitamin D.", f"; {HIGH_CALCIUM_NONE}."),
        ("calcium and vitamin D now,", f"{HIGH_CALCIUM_NONE},"),
        ("calcium and vitamin D, fracture-risk", f"{HIGH_CALCIUM_NONE}; fracture-risk"),
        ("calcium and vitamin D only;", f"{HIGH_CALCIUM_NONE};"),
        ("calcium and vitamin D replete", "calcium and vitamin D replete once the calcium is "
                                          "normal again"))),
    # a neck lump: the neck is imaged too (specialist review Z56b P3: 'CT of the chest, abdomen
    # and pelvis' for a new neck node)
    ("lump_site", "neck", "CT of the chest, abdomen and pelvis",
     "ultrasound of the neck lump and CT of the neck, chest, abdomen and pelvis"),
    # a breast or skin lump is not a lymphoma that a glucocorticoid would hide: only rituximab
    # waits (re-score of specialist review Z56b P5: the steroid clause for a breast lump after
    # breast cancer in a patient admitted with a failing swallow)
    *(("lump_site", site, "before rituximab, and before a glucocorticoid start or rise where the "
       "myositis allows - both can shrink a lymphoma and leave the biopsy non-diagnostic; when "
       "the disease cannot wait, the biopsy is taken first, within days, agreed with the "
       "haematology or oncology team.",
       f"before rituximab ({where}; the myositis treatment otherwise does not wait for it).")
      for site, where in (("breast", "a breast lump goes to the breast clinic for triple "
                                     "assessment"),
                          ("skin", "a skin lump is biopsied by dermatology"))),
    # azithromycin prolongs the QT interval too: not the advice beside another QT drug
    # (specialist review Z55d P5: citalopram and fluconazole taken)
    ("other_medicines", "qt_prolonging", "prefer azithromycin or another antibiotic",
     "prefer another antibiotic class (not azithromycin, which adds to the QT-prolonging drug "
     "taken)"),
    ("other_medicines", "azole_antifungal", "prefer azithromycin or another antibiotic",
     "prefer another antibiotic class (not azithromycin, which adds to the azole's QT effect)"),
    # confirmed pulmonary hypertension is followed by its centre, not screened for (specialist
    # review Z55a P8: yearly PH echocardiography beside a catheter-confirmed PAH)
    ("pulmonary_hypertension", "confirmed",
     "echocardiography for pulmonary hypertension and lung function yearly",
     "lung function yearly (the confirmed pulmonary hypertension is followed by its centre)"),
    # a trough already above range is no question left open (specialist review Z54c)
    ("tacrolimus_trough_above_range", True, "check the trough (lower it if high)",
     "lower the tacrolimus dose (the trough is above the 5-10 ng/mL range) and recheck the "
     "trough in a week"),
    # a patient already anticoagulated gets no prophylactic heparin on top (specialist review
    # Z53d P8: 'prophylactic low-molecular-weight heparin' 9 days after a DVT on rivaroxaban)
    *(("other_medicines", drug, general, "treatment-dose anticoagulation kept up (no "
       "prophylactic heparin on top)") for drug in ("doac", "warfarin", "lmwh")
      for general in ("prophylactic low-molecular-weight heparin unless contraindicated (it can "
                      "be used while breastfeeding)", "prophylactic low-molecular-weight heparin "
                      "as the obstetric team advises, compatible with breastfeeding")),
    # no hepatitis B vaccine for a patient who has hepatitis B (re-score of specialist review
    # Z52a P2)
    ("hbsag", True, "hepatitis A and B vaccination unless immune",
     "hepatitis A vaccination unless immune (no hepatitis B vaccine: HBsAg is positive)"),
    # on dialysis a raised calcium is the kidney team's, not fluids (re-score of specialist
    # review Z53a P8)
    ("dialysis", True, "fluids and a recheck of calcium and creatinine",
     "with the renal team (no fluid loading on dialysis: calcium-based phosphate binders, active "
     "vitamin D and the dialysate calcium reviewed first, and tertiary hyperparathyroidism "
     "sought; a binder replaced, not just stopped)"),
    # a departure within 6 weeks: the appointment is now (specialist review Z52b)
    ("travel_within_6_weeks", True, "a travel-health appointment 6-8 weeks before it",
     "a travel-health appointment now (departure is under 6 weeks away: the vaccines that can "
     "still be given in time, and the rest planned)"),
    # early diffuse systemic sclerosis: the highest renal-crisis risk (specialist review Z52c P7:
    # 60 mg/day planned with a rising skin score, 'a higher dose only for myositis activity')
    # the subset not recorded: the reader is told to decide it (re-score of specialist review
    # Z52c P7: the old wording stood when the record did not say diffuse)
    ("early_diffuse_ssc", None, "a higher dose only for myositis activity (not for oesophageal "
     "dysphagia or skin thickening), and blood pressure and creatinine at each rise and weekly "
     "while the dose is high", "a higher dose only for myositis activity (not for oesophageal "
     "dysphagia or skin thickening) and never above 15 mg/day in early diffuse systemic "
     "sclerosis (record the subset: the highest renal-crisis risk), with blood pressure and "
     "creatinine at each rise and weekly while the dose is high"),
    ("early_diffuse_ssc", True, "a higher dose only for myositis activity (not for oesophageal "
     "dysphagia or skin thickening), and blood pressure and creatinine at each rise and weekly "
     "while the dose is high", "and in early diffuse systemic sclerosis, as here, no more than 15 "
     "mg/day - the myositis treated with the steroid-sparing agent or IVIG instead; if a higher "
     "dose cannot be avoided, blood pressure at home at least 3 times a week, creatinine and "
     "urine weekly, and a written renal-crisis plan (same-day assessment for a blood-pressure "
     "rise, headache or less urine; an ACE inhibitor, never a glucocorticoid rise, for it)"),
    # nil by mouth on a swallow assessment's advice (specialist review Z52c P8: 'not a stop of
    # all food, fluid and tablets' for an inpatient the speech and language therapist had made
    # nil by mouth)
    *(("oral_intake", intake, "and at home the textures and thickened fluids the speech and "
       "language therapist advises, essential medicines (the glucocorticoid, any anticoagulant) "
       "kept going in a form that can be swallowed, and an urgent swallow assessment - not a "
       "stop of all food, fluid and tablets.",
       "and, while nil by mouth as the speech and language therapist advises, essential "
       "medicines by tube or IV (the glucocorticoid; an anticoagulant as the INR and any "
       "bleeding allow), fluids IV, and a "
       "nasogastric tube for feeding within 1-2 days if the swallow does not recover (refeeding "
       "precautions with the dietitian); swallow reassessed as the pneumonia settles.")
      for intake in ("nil_by_mouth", "tube_fed")),
    # with pulmonary hypertension hypoxia is the danger (specialist review Z50b P8)
    ("pulmonary_hypertension", "confirmed", "lung-protective ventilation with the lowest oxygen "
     "that is enough", "lung-protective ventilation avoiding hypoxia and a high CO2 (pulmonary "
     "hypertension - see its operation line)"),
    # in sepsis the red-flag CT waits for it to be treated, unless a cancer may be its source
    # (specialist review Z51b P8: an urgent cancer CT in septic shock)
    ("critical_illness", True, "CT of the chest, abdomen and pelvis with the basic blood tests "
     "(blood count, liver tests, ESR/CRP, protein electrophoresis, urinalysis) now;",
     "once the sepsis is treated (sooner only if a cancer may be its source), CT of the chest, "
     "abdomen and pelvis with the basic blood tests (blood count, liver tests, ESR/CRP, protein "
     "electrophoresis, urinalysis);"),
    # underweight with a dysphagia: the dietitian now (specialist review Z50c P1)
    ("underweight", True, "nasogastric feeding and dietitian if intake is unsafe.",
     "a dietitian now (body-mass index below 18.5), and nasogastric feeding if intake is "
     "unsafe."),
    # no lipid-lowering drug while a pregnancy is planned or under way (specialist review Z51c
    # P7: 'ezetimibe or a PCSK9 inhibitor' in an urgent line for a woman starting IVF)
    *((fact, True, "manage lipids without statins (ezetimibe or a PCSK9 inhibitor, with the "
       "lipid team or cardiology when there is a cardiovascular indication).",
       "lipid-lowering drugs wait while a pregnancy is planned or under way and while "
       "breastfeeding (no statin, and no ezetimibe or PCSK9 inhibitor then); afterwards, "
       "without statins, with the lipid team or cardiology.")
      for fact in ("pregnant", "planning_conception")),
    # with HIV, co-trimoxazole is the HIV programme's prophylaxis and stays (specialist review
    # Z51b P6: 'the PJP prophylaxis changes to atovaquone first' on lopinavir/ritonavir, where
    # atovaquone is scarce and boosted antiretrovirals lower its level)
    ("hiv", True, "if methotrexate is the agent wanted, the PJP prophylaxis changes to atovaquone "
     "first; otherwise another agent.",
     "with HIV the co-trimoxazole is the HIV programme's prophylaxis (Pneumocystis, toxoplasma) "
     "and stays - another agent is chosen, with the HIV team (not a switch to atovaquone, whose "
     "level boosted antiretrovirals lower)."),
    ("hiv", True, "keep methotrexate and change the prophylaxis (atovaquone) or stop it once no "
     "longer indicated",
     "with HIV the co-trimoxazole is the HIV programme's prophylaxis and stays - methotrexate is "
     "reviewed with the HIV team (another agent, or weekly blood counts if it must continue)"),
    # not myositis, on treatment for it: stopped safely, not 'no glucocorticoids' read as a sudden
    # stop (specialist review Z51a P8: late-onset Pompe disease on prednisolone 20 mg for 7
    # months, with high CO2 on home NIV)
    *(("immunosuppression_current", True, "no glucocorticoids or immunosuppression" + end,
       "no glucocorticoids or immunosuppression" + end.removesuffix(";") + " - those taken now "
       "are stopped with the "
       "prescriber: a glucocorticoid taken for a month or more tapered, never stopped suddenly "
       "(adrenal crisis), the others stopped;") for end in (
        " (a weak antibody band does not change that);", ";")),
    # nintedanib taken already (specialist review Z50d P1: 'add nintedanib' after 11 months)
    ("current_therapies", "nintedanib", "for progressive fibrosis despite immunosuppression add "
     "nintedanib (liver tests monthly for 3 months, diarrhoea plan; not during active bleeding, "
     "and with an anticoagulant or antiplatelet, frailty or a low kidney clearance only after "
     "weighing the bleeding, diarrhoea and weight-loss risk; with liver disease only once "
     "hepatology gives the Child-Pugh class - not in B or C)",
     "nintedanib is taken already (fibrosis progressing on it: its dose, tolerance and liver "
     "tests checked, and transplant-centre referral weighed)"),
    # methotrexate is not 'continued' through a pregnancy's operation (specialist review Z50b P3);
    # first, so that the kidney swaps below find nothing to change
    ("pregnant", True, "methotrexate and hydroxychloroquine continue (methotrexate is held from a "
     "week before until kidney function is stable after it when the eGFR is below 60 or the "
     "operation risks the kidneys, such as cardiac bypass or major vascular surgery)",
     "hydroxychloroquine continues (methotrexate is not taken in pregnancy)"),
    ("pregnant", True, "methotrexate and hydroxychloroquine continue (ACR/AAHKS 2022), "
     "methotrexate held until kidney function is stable after it when the eGFR is below 60 or "
     "the operation risks the kidneys",
     "hydroxychloroquine continues (ACR/AAHKS 2022; methotrexate is not taken in pregnancy)"),
    # an urgent operation is not delayed for lung function (specialist review Z50b P7: 'lung
    # function before it' for a laparotomy in septic shock tonight)
    ("surgery_elective", False, "lung function and oxygen saturation before it, regional "
     "anaesthesia where it suits the operation",
     "oxygen saturation before it (lung function only if it does not delay an urgent "
     "operation), regional anaesthesia where it suits the operation and the clotting allows"),
    # the arthroplasty guideline's mild-disease hold is not for a pregnancy (specialist review
    # Z50b P3: 'held for 1 week before only in mild disease' 7 days before a caesarean)
    ("pregnant", True, "mycophenolate, azathioprine, ciclosporin and tacrolimus continue in "
     "severe disease (held for 1 week before only in mild disease)",
     "azathioprine, ciclosporin and tacrolimus continue through the pregnancy and the delivery "
     "(not held before a caesarean; mycophenolate is not taken in pregnancy)"),
    # the kidney condition of the methotrexate hold is met: said as a hold, not beside
    # 'continue' (specialist review Z50b P6: 'continue' and 'held' for bypass at an eGFR of 52)
    ("renal_impairment", True, "methotrexate and hydroxychloroquine continue (ACR/AAHKS 2022), "
     "methotrexate held until kidney function is stable after it when the eGFR is below 60 or "
     "the operation risks the kidneys",
     "hydroxychloroquine continues (ACR/AAHKS 2022); methotrexate is held (reduced kidney function) "
     "until kidney function is stable after it"),
    ("renal_impairment", True, "methotrexate and hydroxychloroquine continue (methotrexate is "
     "held from a week before until kidney function is stable after it when the eGFR is below "
     "60 or the operation risks the kidneys, such as cardiac bypass or major vascular surgery)",
     "hydroxychloroquine continues; methotrexate is held from a week before until kidney "
     "function is stable after it (reduced kidney function)"),
    # methotrexate without response after 12 weeks is switched (see the approach), not kept
    # beside the prophylaxis (specialist review Z50a P2)
    ("no_response_taken_now", "methotrexate", "change it to subcutaneous injection at the same "
     "weekly dose while swallowing is unsafe",
     "it has given no response, so it is stopped and switched (see the approach) rather than "
     "moved to injection"),
    ("no_response_taken_now", "methotrexate", "keep methotrexate and change the prophylaxis "
     "(atovaquone) or stop it once no longer indicated",
     "methotrexate has given no response and is switched (see the approach) - until it stops, "
     "change the prophylaxis (atovaquone) or stop it once no longer indicated"),
    # pulmonary hypertension confirmed: the ulcer vasodilators are the PH centre's choice, beside
    # the targeted drugs taken (specialist review Z47b P5: a calcium-channel blocker and bosentan
    # offered to a woman with PAH on macitentan and tadalafil, blood pressure 104/66); first, so
    # that the later bosentan swaps find nothing to change
    ("pulmonary_hypertension", "confirmed", "vasodilator treatment (a dihydropyridine "
     "calcium-channel blocker, then a PDE-5 inhibitor and/or IV iloprost; " + BOSENTAN_CLAUSE
     + ")",
     "vasodilator treatment chosen with the pulmonary hypertension centre, beside the targeted "
     "drugs for the pulmonary hypertension (no calcium-channel blocker unless that team advises "
     "it - it lowers the blood pressure; no second endothelin-receptor antagonist or PDE-5 "
     "inhibitor on top of one taken; IV iloprost decided with that team)"),
    # the osteoporosis line's 'if swallowing allows' is answered by the grade recorded
    # (specialist review Z48d P6: 'an oral bisphosphonate if swallowing allows' for a woman with
    # severe oropharyngeal dysphagia and an aspiration pneumonia)
    *(("dysphagia_severity", grade,
       "oral bisphosphonate if swallowing allows and eGFR is 40 or more, else denosumab)",
       "IV zoledronate if the creatinine clearance (Cockcroft-Gault) is 35 mL/min or more, else "
       "denosumab - no oral bisphosphonate with this dysphagia)") for grade in ("moderate", "severe")),
    # varices rule out an oral bisphosphonate (specialist review Z52a P3: banded varices in
    # Child-Pugh B cirrhosis); after the dysphagia swaps, which rule it out already
    ("oesophageal_varices", True, "an oral bisphosphonate if swallowing allows, otherwise IV "
     "zoledronate or denosumab", "IV zoledronate or denosumab (no oral bisphosphonate with "
     "oesophageal varices)"),
    ("oesophageal_varices", True, "oral bisphosphonate if swallowing allows and eGFR is 40 or "
     "more, else denosumab)", "IV zoledronate if the creatinine clearance (Cockcroft-Gault) is "
     "35 mL/min or more, else denosumab - no oral bisphosphonate with oesophageal varices)"),
    # a moderate or severe dysphagia, or a modified-texture diet, rules out an oral
    # bisphosphonate whatever the kidney says (specialist reviews Z44a P7: 'an oral
    # bisphosphonate only once the creatinine clearance is calculated' for a woman with severe
    # oropharyngeal dysphagia; Z59d P4: the same beside a modified-texture diet)
    ("oral_bisphosphonate_unsuitable", True,
     "an oral bisphosphonate only once the creatinine clearance is calculated (not advised "
     "below 30-35 mL/min) and not while kidney function is falling;",
     "no oral bisphosphonate either (the swallowing difficulty: it needs an upright, intact "
     "oesophagus);"),
    # the fracture risk is not lost when the kidney routes bone care to the renal team
    # (specialist review Z44d P1: a vertebral fracture and eGFR 28 - the 'very high risk'
    # message appeared only with normal kidneys)
    ("osteoporosis", True,
     "bone protection goes through the renal team (CKD mineral and bone disorder) -",
     "bone protection goes through the renal team (CKD mineral and bone disorder), and soon - "
     "osteoporosis or a fragility fracture on record makes the fracture risk very high, so the "
     "treatment is decided with them now, not deferred;"),
    # a ceiling that excludes intensive care: the senior ward review, not critical care
    # (specialist review Z45c P7: 'critical-care review' for a 90-year-old with a ward-based
    # ceiling and a DNACPR)
    *((("treatment_ceiling", ceiling, general, specific) for ceiling in ("ward_based", "no_icu")
       for general, specific in (
           ("and critical-care review)", "and a senior review on the ward - intensive care is "
            "outside the agreed ceiling)"),
           ("fluids and critical-care review;", "fluids and a senior review on the ward "
            "(intensive care is outside the agreed ceiling);"),
           ("given with the kidney and intensive-care teams", "given with the kidney team "
            "within the agreed ceiling (no intensive care)")))),
    # HBV antivirals are dosed by kidney function (specialist review Z45c P3: entecavir or
    # tenofovir advised at a clearance of 26 with no word of it)
    ("egfr_below_50", True, "entecavir or tenofovir",
     "entecavir or tenofovir (dosed by kidney function: entecavir at a longer interval, "
     "tenofovir alafenamide rather than disoproxil)"),
    # the recombinant zoster vaccine is deferred in pregnancy (specialist review Z45b P2: named
    # in the rituximab caution for a woman 9 weeks pregnant)
    ("pregnant", True, "(influenza, pneumococcal, COVID-19, recombinant zoster)",
     "(influenza, pneumococcal, COVID-19; recombinant zoster deferred until after the "
     "pregnancy)"),
    # a child's physiological dose is by body surface area, not the adult 5 mg (specialist
    # review Z45a P3: 'below about 5 mg/day' for a boy of 36 kg)
    ("child", True, "below about 5 mg/day taper slowly (physiological range;",
     # 'below the physiological dose' read as a statement about the dose taken (specialist
     # review Z51d P4: 5 mg/day called below it for a boy of about 1 m2, twice his dose)
     "as it nears the physiological dose - in a child about 2-2.5 mg/m2/day of prednisolone "
     "(hydrocortisone 8-10 mg/m2/day), less than an adult's 5 mg - taper slowly (with the "
     "paediatric team;"),
    # an anabolic bone agent after a cancer: bone metastases and skeletal radiotherapy first
    # (specialist review Z46a P6: 'consider anabolic treatment' after breast cancer with
    # radiotherapy, bone metastases not excluded)
    *((fact, True, "consider anabolic treatment at very high risk",
       "at very high risk consider an anabolic agent only once bone metastases and past "
       "skeletal radiotherapy are excluded (teriparatide and abaloparatide are not used after "
       "them - denosumab or zoledronate instead)") for fact in ("past_cancer", "active_cancer")),
    # an influenza vaccine already given this season (specialist review Z44c P3)
    ("influenza_vaccine_within_year", True, "give it (and seasonal influenza)",
     "give it (influenza already given in the last 12 months)"),
    # GGT and bilirubin already recorded and normal (specialist review Z44a P8: 'check GGT and
    # bilirubin' beside both on file)
    ("liver_markers_normal", True,
     "check GGT and bilirubin before calling it liver disease or letting it decide the choice of "
     "drug",
     "the GGT and bilirubin on record are both within their limits, which supports that - "
     "recheck them if the ALT rises while the CK falls"),
    # the GGT asked for is on record already (specialist review Z50a P5: 'check GGT' beside a
    # normal GGT of the same week); after the Z44a swap for both on record
    ("ggt_normal", True, "check GGT and bilirubin before calling it liver disease",
     "the GGT on record is within its limit (muscle is the likelier source); check the bilirubin "
     "before calling it liver disease"),
    # no fluid loading on dialysis: the drug is cleared by high-flux haemodialysis (specialist
    # review Z44b P8: 'IV fluids' for methotrexate toxicity on haemodialysis)
    ("dialysis", True, "a methotrexate level, IV fluids, daily blood count",
     "a methotrexate level, no fluid loading (on dialysis: high-flux haemodialysis and "
     "glucarpidase with nephrology and toxicology), daily blood count"),
    # an enzyme inducer makes the implant and progestogen-only pill unreliable (specialist
    # review Z36b P8: an implant advised beside rifampicin and cyclophosphamide)
    ("other_medicines", "rifampicin", LARC_GENERAL, LARC_WITH_INDUCER),
    ("other_medicines", "enzyme_inducer", LARC_GENERAL, LARC_WITH_INDUCER),
    ("other_medicines", "rifampicin", BREASTFEEDING_METHODS, BREASTFEEDING_WITH_INDUCER),
    # re-score of specialist review Z36b P8: emergency contraception beside rifampicin
    ("other_medicines", "rifampicin", EMERGENCY_CONTRACEPTION, EMERGENCY_WITH_INDUCER),
    ("other_medicines", "enzyme_inducer", EMERGENCY_CONTRACEPTION, EMERGENCY_WITH_INDUCER),
    ("other_medicines", "enzyme_inducer", BREASTFEEDING_METHODS, BREASTFEEDING_WITH_INDUCER),
    # co-trimoxazole already taken: the prophylaxis line asks what it is for rather than
    # starting it again (Z40 carried over: co-trimoxazole and methotrexate in one plan)
    ("other_medicines", "co_trimoxazole", "co-trimoxazole unless contraindicated (check eGFR, "
     "interactions", "co-trimoxazole (already recorded among the other medicines: if that is the "
     "prophylaxis, record it under prophylaxis and check its dose; a treatment course is followed "
     "by prophylaxis) unless contraindicated (eGFR, interactions"),
    # a penicillin allergy changes the empirical regimen (specialist review Z37a P2: neutropenic
    # sepsis with a recorded penicillin allergy, piperacillin-tazobactam the usual first line)
    ("allergies", "penicillin", "broad-spectrum IV antibiotics within an hour",
     "broad-spectrum IV antibiotics within an hour - penicillin allergy recorded: the local "
     "non-penicillin regimen, by the severity of the reaction"),
    ("allergies", "penicillin", "empirical broad-spectrum antibiotics within the hour",
     "empirical broad-spectrum antibiotics within the hour (penicillin allergy recorded: the "
     "local non-penicillin regimen, by the severity of the reaction)"),
    # a fall on warfarin with a high INR (re-score of specialist review Z37a P6: a long lie
    # with INR 5.8 and the head-injury check only 'soon')
    ("falls", True, "look for the cause (co-trimoxazole, an azole, a macrolide",
     "after a fall, a head injury is imaged (CT head) today; look for the cause "
     "(co-trimoxazole, an azole, a macrolide"),
    # a patient who lacks capacity: the decision is a best-interests one (re-score of
    # specialist review Z37a P6: 'a gastrostomy discussed ... as the patient wishes')
    ("lacks_capacity", True, "as the patient wishes",
     "in the patient's best interests, with the person who decides for them and any wishes "
     "expressed before"),
    # the slow taper waits while an inducer is taken (re-score of specialist review Z37d P7)
    ("other_medicines", "rifampicin", "below about 5 mg/day taper slowly",
     "no taper while rifampicin is taken and for 2 weeks after (it halves the exposure); then, "
     "below about 5 mg/day, taper slowly"),
    ("other_medicines", "enzyme_inducer", "below about 5 mg/day taper slowly",
     "no taper while the enzyme inducer is taken and for 2 weeks after (it lowers the "
     "exposure); then, below about 5 mg/day, taper slowly"),
    # specialist review Z37a P4: 'early IVIG or rituximab' at 28 weeks with an aspiration
    # pneumonia (the pregnancy wording first; the infection wording where not pregnant)
    ("pregnant", True, EARLY_IVIG_OR_RITUXIMAB, EARLY_IVIG_IN_PREGNANCY),
    ("active_infection", True, EARLY_IVIG_OR_RITUXIMAB, EARLY_IVIG_IN_INFECTION),
    # scleroderma itself: pulses risk a renal crisis (re-score of specialist review Z51a P5: the
    # urgent breathing line kept 'IV glucocorticoids' beside the approach's 'only if life is
    # threatened'); after the pregnancy and infection swaps, whose output it reads
    ("ssc_features", True, "IV glucocorticoids with early IVIG",
     "early IVIG (in a scleroderma overlap, IV glucocorticoid pulses only if life is threatened "
     "- a renal-crisis risk)"),
    # specialist review Z36c P8: 'plan any next pregnancy' with pulmonary hypertension
    ("pulmonary_hypertension", "confirmed", NEXT_PREGNANCY, NEXT_PREGNANCY_WITH_PH),
    ("pulmonary_hypertension", "suspected", NEXT_PREGNANCY, NEXT_PREGNANCY_WITH_PH),
    ("hepatic_impairment", True, BOSENTAN_CLAUSE,
     "not bosentan here (liver impairment: it is contraindicated in moderate or severe liver "
     "disease)"),
    ("other_medicines", "rifampicin", BOSENTAN_CLAUSE,
     "not bosentan while rifampicin is taken (each changes the other's levels)"),
    ("other_medicines", "doac",
     "rifampicin-based regimens lower tacrolimus, ciclosporin and prednisolone levels",
     "rifampicin-based regimens lower tacrolimus, ciclosporin and prednisolone levels - and the "
     "DOAC taken now, so the two are not given together (an isoniazid-only regimen, or another "
     "anticoagulant, with the TB team and the anticoagulation service)"),
    # specialist review Z39a P1: apixaban for AF left out of the
    # latent-TB line's rifamycin list
    ("other_medicines", "doac",
     "rifamycins lower tacrolimus, ciclosporin, JAK-inhibitor (tofacitinib) and prednisolone "
     "exposure",
     "rifamycins lower tacrolimus, ciclosporin, JAK-inhibitor (tofacitinib) and prednisolone "
     "exposure - and the DOAC taken now, so not with it (an isoniazid-only regimen, or another "
     "anticoagulant with the anticoagulation service)"),
    ("other_medicines", "doac",
     "rifampicin (or rifapentine) lowers prednisolone exposure",
     "rifampicin (or rifapentine) lowers prednisolone exposure and the DOAC taken now (not given "
     "together: another anticoagulant or an isoniazid-only regimen, with the anticoagulation "
     "service)"),
    # rifamycins and boosted antiretrovirals (specialist review Z44c P2: the latent-TB line named
    # tacrolimus and prednisolone but not darunavir/cobicistat, the interaction that loses
    # viral control)
    *(("other_medicines", "ritonavir_or_cobicistat", general, general + BOOSTED_RIFAMYCIN)
      for general in ("rifampicin-based regimens lower tacrolimus, ciclosporin and prednisolone "
                      "levels",
                      "rifamycins lower tacrolimus, ciclosporin, JAK-inhibitor (tofacitinib) and "
                      "prednisolone exposure",
                      "rifampicin (or rifapentine) lowers prednisolone exposure")),
    ("child", True,
     "hydrocortisone 100 mg IV at induction, then 200 mg a day by infusion (or 50 mg 6-hourly)",
     "hydrocortisone by weight at induction (about 2 mg/kg, at most 100 mg) and through the time "
     "nil by mouth, as the paediatric anaesthetist and endocrinologist set it"),
    # a treating dose above the stress dose is not lowered by it (specialist review Z50b P7:
    # hydrocortisone 200 mg/day in septic shock on prednisolone 60 mg/day for anti-MDA5 RP-ILD)
    ("gc_above_stress_dose", True,
     "hydrocortisone 100 mg IV at induction, then 200 mg a day by infusion (or 50 mg 6-hourly)",
     "the current glucocorticoid dose given IV at induction and through the time nil by mouth "
     "(above prednisolone 50 mg/day a hydrocortisone stress dose would lower it: "
     "methylprednisolone 4 mg for each 5 mg of prednisolone)"),
    ("gc_above_stress_dose", True,
     "stress-dose hydrocortisone now, whatever the usual dose - 100 mg IV at once when shocked or "
     "a possible adrenal crisis (hypotension, vomiting, a low sodium), then 50 mg IV every 6 "
     "hours or 200 mg a day by continuous infusion (ESE/ES 2024), in place of the oral dose until "
     "recovery",
     "the current glucocorticoid dose given IV now (above prednisolone 50 mg/day a "
     "hydrocortisone stress dose would lower it: methylprednisolone 4 mg for each 5 mg of "
     "prednisolone), with hydrocortisone 100 mg IV at once when shocked or a possible adrenal "
     "crisis (ESE/ES 2024), until recovery"),
    # an organ threatened (heart, breathing muscles, lung) is treated alongside the infection,
    # never after it (specialist review Z33a P8: checkpoint-inhibitor myocarditis with heart
    # block told 'no IV pulses until it has settled' by the focal-pneumonia line)
    # IVIG first, as it adds no immunosuppression; not with severe frailty or a limited ceiling
    # (re-score of review Z33c P8)
    ("organ_threat_full_treatment", True,
     "No rituximab, IV pulses or new immunosuppressant until it has settled.",
     "With an organ threatened, its urgent treatment goes on alongside the antibiotics, decided "
     "with the infection team - IVIG first (it adds no immunosuppression), IV glucocorticoid "
     "pulses when life or the organ cannot wait; no rituximab or new slow agent until the "
     "infection has settled."),
    # (after the organ-threat wording, which wins) troponin I raised: the heart line decides
    # the pulses, not the pneumonia line (specialist review Z61b P2: 'no IV pulses until it
    # has settled' beside suspected myocarditis with troponin I at 5 x ULN; the heart line
    # confirms first where that is safer, review Z31g P6)
    ("troponin_i_raised", True,
     "No rituximab, IV pulses or new immunosuppressant until it has settled.",
     "No rituximab or new slow agent until it has settled; IV glucocorticoid pulses for the "
     "heart (as the heart line says) or IVIG, which adds no immunosuppression, are decided "
     "alongside the antibiotics with cardiology and the infection team - not deferred for the "
     "pneumonia alone."),
    ("organ_threat_full_treatment", True,
     "Active infection; treat it before starting or intensifying immunosuppression unless the "
     "myositis is life-threatening.",
     "Active infection with an organ threatened: IVIG or the urgent glucocorticoid is not "
     "delayed for the infection (decide with infectious diseases); an antimetabolite, rituximab "
     "or another slow agent waits until it is treated."),
    # the lung threatened and the infection diffuse in the lung: the shadowing may be the
    # infection, so the lung is not pulsed until it is treated or excluded (specialist review
    # Z44c P7: 'IVIG or the urgent glucocorticoid is not delayed' with sepsis, ground glass and
    # CMV viraemia)
    ("lung_threat_may_be_infection", True,
     "IVIG or the urgent glucocorticoid is not delayed for the infection (decide with infectious "
     "diseases)",
     "the diffuse lung shadowing may be the infection itself (PJP, CMV, bacterial): no IV pulses "
     "or new immunosuppressant until infection is treated or excluded (bronchoscopy, PJP PCR), "
     "an adjunct glucocorticoid for hypoxaemic PJP as the infection team sets it, IVIG only if "
     "the muscle itself threatens life (decide with infectious diseases)"),
    ("lung_threat_may_be_infection", True,
     "IVIG first (it adds no immunosuppression), IV glucocorticoid pulses when life or the organ "
     "cannot wait;",
     "but the diffuse lung shadowing may be the infection itself (PJP, CMV): no IV pulses for the "
     "lung until infection is treated or excluded (an adjunct glucocorticoid for hypoxaemic PJP "
     "as the infection team sets it);"),
    # anti-MDA5 rapidly progressive ILD is escalated in parallel with the infection work-up, as
    # its lung regimen says (specialist review Z41c P4: 'rituximab waits until it is treated'
    # beside a lung regimen adding cyclophosphamide and rituximab)
    ("mda5_rp_ild", True,
     "an antimetabolite, rituximab or another slow agent waits until it is treated.",
     "an antimetabolite or another slow agent waits until it is treated - except the anti-MDA5 "
     "lung regimen, which goes on in parallel with the infection work-up (the disease kills "
     "within weeks)."),
    # an urgent operation (a hip fracture) is not delayed for the pre-assessment (specialist
    # review Z33b P7: 'well before it' for an operation tomorrow)
    ("surgery_elective", False,
     "anaesthetic pre-assessment well before it",
     "anaesthetic assessment before it without delaying an urgent operation (a hip fracture "
     "within 36 hours where possible)"),
    ("surgery_treats_disease", True,
     "rituximab and other biologics: operate at the end of the dosing cycle (about 6 months "
     "after the last rituximab) and restart once the wound has healed (about 14 days)",
     "rituximab and other biologics do not delay a procedure that treats the disease; the next "
     "dose after the wound has healed (about 14 days)"),
    ("pregnant", True, "a raised TSH with a normal free T4 is subclinical and delays nothing",
     "a raised TSH with a normal free T4 delays nothing for the myositis (in pregnancy it is "
     "treated - see the pregnancy thyroid line)"),
    # mycophenolate is no replacement in pregnancy, breastfeeding or while conception is planned
    # (specialist review Z35d P8: 'use mycophenolate' 6 weeks postpartum while breastfeeding)
    *((fact, True, general, specific) for fact in ("pregnant", "breastfeeding",
                                                    "planning_conception")
      for general, specific in (
          ("(mycophenolate; azathioprine can also injure the liver, so with liver tests after "
           "TPMT and NUDT15)",
           "(azathioprine, compatible with pregnancy and breastfeeding, with liver tests after "
           "TPMT and NUDT15 - not mycophenolate here)"),
          ("an agent with less liver toxicity (mycophenolate)",
           "an agent with less liver toxicity (azathioprine after TPMT and NUDT15, with liver "
           "tests - not mycophenolate here)"))),
    # a course that worked is not repeated, and a confirmed myocarditis is not 'possible'
    # (specialist review Z34d P8)
    ("pulses_responded", True, "IV methylprednisolone without delay;",
     "IV methylprednisolone was given with a response (see the record): the daily "
     "glucocorticoid continues, tapered by troponin and CK over weeks with cardio-oncology;"),
    ("cardiac_involvement", "confirmed", "Possible checkpoint-inhibitor myocarditis:",
     "Checkpoint-inhibitor myocarditis:"),
    # a severe dysphagia after an aspiration: nothing by mouth until the swallow is assessed
    # (specialist review Z47a P5: 'kept going in a form that can be swallowed ... not a stop of
    # all food, fluid and tablets' for a girl pooling saliva after an aspiration pneumonia)
    ("dysphagia_severity", "severe", "and at home the textures and thickened fluids the speech "
     "and language therapist advises, essential medicines (the glucocorticoid, any anticoagulant) kept "
     "going in a form that can be swallowed, and an urgent swallow assessment - not a stop of "
     "all food, fluid and tablets.",
     "and with this severe dysphagia nil by mouth until the speech and language therapist has "
     "assessed the swallow, with nasogastric feeding and the essential medicines "
     "(the glucocorticoid, any anticoagulant) given intravenously or by the tube meanwhile."),
    # tube feeding declined: not 'nasogastric feeding' (specialist review Z51b P8)
    ("declined", "tube_feeding", "with nasogastric feeding and the essential medicines "
     "(the glucocorticoid, any anticoagulant) given intravenously or by the tube meanwhile.",
     "with the essential medicines (the glucocorticoid, any anticoagulant) given intravenously "
     "meanwhile - tube feeding has been declined (see its line)."),
    # an intubated patient is nil by mouth (specialist reviews Z38d P2, Z39d P2: 'not a stop of
    # all food, fluid and tablets' for a ventilated patient fed by tube)
    ("ventilated", True, "and at home the textures and thickened fluids the speech and language "
     "therapist advises, essential medicines (the glucocorticoid, any anticoagulant) kept going "
     "in a form that can be swallowed, and an urgent swallow assessment - not a stop of all food, fluid "
     "and tablets.",
     "and, while intubated, nil by mouth with tube feeding and essential medicines "
     "(the glucocorticoid, any anticoagulant) by tube or IV; a swallow assessment once extubated."),
    # an INR above range: the anticoagulant is not simply 'kept going' (specialist review Z33c
    # P8: INR 4.6 at 81 with falls)
    ("warfarin_inr_high", True,
     "essential medicines (the glucocorticoid, any anticoagulant) kept going",
     "essential medicines kept going (the glucocorticoid; warfarin held or reduced while the "
     "INR is above range - see the INR line)"),
    # co-trimoxazole raises the INR further (specialist review Z52c P8: 'plan co-trimoxazole now'
    # at INR 4.6 on warfarin)
    ("warfarin_inr_high", True, "plan co-trimoxazole now",
     "plan atovaquone now (not co-trimoxazole, which raises the INR, while it is above range on "
     "warfarin)"),
    # and where the medicines go by tube or IV (specialist review Z52c P8: INR 4.6)
    ("warfarin_inr_high", True, "(the glucocorticoid, any anticoagulant)",
     "(the glucocorticoid; warfarin held or reduced while the INR is above range - see the INR "
     "line)"),
    # a raised GGT or bilirubin: the ALT is not read as muscle (specialist review Z38c P4)
    ("liver_markers_raised", True,
     "probably from muscle (ALT and AST are released by damaged muscle too); check GGT and "
     "bilirubin before calling it liver disease or letting it decide the choice of drug.",
     "not from muscle alone - the GGT or bilirubin is raised too: look for the liver cause "
     "(alcohol, drugs, viral hepatitis, a liver ultrasound) before it decides the choice of "
     "drug."),
    ("liver_markers_raised", True, "most likely from muscle, but with anti-HBc positive, HBV "
     "DNA (and GGT) now",
     "not from muscle alone (the GGT or bilirubin is raised too), and with anti-HBc positive, "
     "HBV DNA now"),
    # a liver injury: co-trimoxazole is among the suspects, so the PJP agent is atovaquone
    # until it settles (specialist review Z38d P8: co-trimoxazole advised beside the liver line
    # that stops it)
    ("liver_injury_now", True, "co-trimoxazole unless contraindicated",
     "atovaquone while the liver injury is worked up - not co-trimoxazole, which can itself "
     "injure the liver (see the liver line); co-trimoxazole once it has settled, unless "
     "contraindicated"),
    ("liver_injury_now", True, "plan co-trimoxazole now unless the dose will fall below that first",
     "plan atovaquone now while the liver injury is worked up (co-trimoxazole can itself injure "
     "the liver), unless the dose will fall below that first"),
    # heart involvement: the interacting antimicrobial goes today, whatever the QTc (specialist
    # review Z42b P6: clarithromycin with no infection recorded, kept unless the QTc passed 500 ms
    # in anti-SRP myocarditis with heart failure and a low potassium)
    *(("cardiac_involvement", level,
        "one drug changed (azithromycin is not free of it; another antibiotic class) when the "
        "QTc is above 500 ms or has risen by more than 60 ms",
        "with the heart involved, the macrolide or azole stopped or replaced today unless it "
        "treats an infection that needs it (then another class where one exists, and a daily "
        "ECG), whatever the QTc") for level in ("suspected", "confirmed")),
    # a beta-blocker in liver disease may be variceal-bleed prophylaxis (specialist review Z42c
    # P7: 'avoid non-selective beta-blockers' for a man on carvedilol after a variceal bleed)
    ("hepatic_impairment", True, "(decongestants, non-selective beta-blockers)",
     "(decongestants; a non-selective beta-blocker given to prevent variceal bleeding in liver "
     "disease is never stopped for Raynaud's)"),
    # heart failure: IVIG's hydration is what the heart allows (specialist review Z42d P4:
    # 'with hydration' twice for a woman with an ejection fraction of 35 % who was overloaded
    # after her last course)
    ("heart_failure", True, "at the slowest rate with hydration",
     "at the slowest rate, with fluids only as the heart failure allows (no pre-hydration; "
     "daily weights and a fluid balance)"),
    ("heart_failure", True, "hydration, the minimum practicable infusion rate",
     "fluids only as the heart failure allows (no pre-hydration), the minimum practicable "
     "infusion rate"),
    ("heart_failure", True, "hydration and the minimum practicable infusion rate",
     "fluids only as the heart failure allows (no pre-hydration) and the minimum practicable "
     "infusion rate"),
    # heart failure or heart involvement: a very high CK's fluids are what the heart allows
    # (specialist review Z46: 'keep well hydrated' for a man with myocarditis and heart failure)
    *((fact, value, "keep well hydrated (by mouth when swallowing is safe; with heart failure, "
       "myocarditis or kidney disease, a fluid balance and daily weights)",
       "fluids by mouth as the heart allows, with a fluid balance and daily weights (with the "
       "heart failing or inflamed, no fluid loading - intravenous fluids only by a plan of the "
       "medical or cardiology team)")
      for fact, value in HEART_AT_RISK),
    *((fact, value, "keep well hydrated (by mouth only when swallowing is safe, otherwise "
       "intravenously; with heart failure, myocarditis or advanced kidney disease, fluids with "
       "daily weights and a fluid balance)",
       "fluids as the heart allows (by mouth only when swallowing is safe; with the heart "
       "failing or inflamed, no fluid loading - intravenous fluids only by a plan of the "
       "medical or cardiology team, with daily weights and a fluid balance)")
      for fact, value in HEART_AT_RISK),
    # pregnancy: imaging without ionising radiation first (specialist review Z58d P3: 'FDG
    # PET-CT now' at 14 weeks, against the plan's own pregnancy line)
    ("pregnant", True, "and FDG PET-CT now rather than after another wait, even with a "
     "recent normal surveillance CT",
     "and imaging now rather than after another wait - in pregnancy without ionising radiation "
     "where it answers the question (MRI, ultrasound, a shielded chest radiograph), PET-CT or CT "
     "only if essential, decided with the oncology and obstetric teams"),
    # an informed refusal of PET-CT or endoscopy is not re-ordered by the recurrence line
    # (specialist review Z46: 'FDG PET-CT now' for a woman who had declined PET-CT)
    ("declined", "pet_ct", "and FDG PET-CT now rather than after another wait, even with a "
     "recent normal surveillance CT",
     "and imaging now rather than after another wait, even with a recent normal surveillance CT "
     "- PET-CT is declined on the record, so contrast CT of the chest, abdomen and pelvis, or "
     "what the oncology team advises and the patient accepts"),
    ("declined", "endoscopy", "upper and lower GI endoscopy for anaemia or weight loss as well",
     "endoscopy is declined on the record - for anaemia or weight loss, a faecal immunochemical "
     "test and CT colonography offered instead, with the decision revisited as the findings "
     "change"),
    # blood products declined: the decision stands (specialist review Z42d P8: 'haematology the
    # same day for transfusion' for a patient whose refusal of blood products was recorded)
    ("declined", "blood_products", "haematology the same day for transfusion (platelets, red "
     "cells) by their thresholds and G-CSF where they advise",
     "haematology the same day - blood products are declined on the record, so the alternatives "
     "they advise (G-CSF, tranexamic acid, iron or erythropoietin) and the patient's decision "
     "confirmed with them"),
    # HCV antivirals can reactivate hepatitis B; their levels move with calcineurin inhibitors
    # (specialist review Z42c P5: anti-MDA5 RP-ILD with HCV RNA and anti-HBc positive)
    ("anti_hbc", True, "and a liver fibrosis assessment unless cirrhosis is already known.",
     "and a liver fibrosis assessment unless cirrhosis is already known; with anti-HBc positive, "
     "HBV DNA before and during the course (HCV direct-acting antivirals can reactivate "
     "hepatitis B - a boxed warning), and tacrolimus or ciclosporin levels rechecked when the "
     "antiviral starts and stops."),
    # liver disease: alcohol is stopped, not cut down (re-score of specialist review Z42c P7)
    ("hepatic_impairment", True, "offer support to cut down (alcohol services)",
     "offer support to stop entirely, as the liver disease needs (alcohol services)"),
    # long-term anticoagulation in pregnancy is replaced at a treatment dose (specialist review
    # Z43d P5: 'thromboprophylaxis ... dosed by weight' for antiphospholipid syndrome on warfarin)
    *(("other_medicines", drug, "thromboprophylaxis with LMWH through the pregnancy and for 6 "
        "weeks after the birth, dosed by weight",
        "LMWH at the full treatment dose that replaces the long-term anticoagulant (not a "
        "prophylactic dose) through the pregnancy and for at least 6 weeks after the birth, "
        "dosed by weight") for drug in ("warfarin", "doac")),
    # a ceiling below intensive care: the breathing-muscle line stays within it (specialist review
    # Z43b P5: 'intensive care review now' with a no-ICU ceiling)
    *(("treatment_ceiling", ceiling, "high-dependency or intensive care review now when FVC is "
        "below 50 %", "review now within the agreed ceiling (no intensive care: ward-based "
        "non-invasive ventilation where the ceiling allows it, palliative care alongside) when "
        "FVC is below 50 %") for ceiling in ("no_icu", "ward_based")),
    # a graft failing fast is the transplant team's today (re-score of specialist review Z41d
    # P8: 'this week' beside the urgent line saying today)
    ("organ_threatening", True, "the lung transplant team this week",
     "the lung transplant team today (the lung is worsening fast)"),
    # dialysis or a high potassium: the PJP agent is not co-trimoxazole by default (specialist
    # review Z41a P8: 'plan co-trimoxazole now' for an anuric dialysis patient with K 5.7)
    ("dialysis", True, "plan co-trimoxazole now unless the dose will fall below that first",
     "plan PJP prophylaxis now - on dialysis atovaquone, or co-trimoxazole only at the renal "
     "dose given after dialysis with potassium watched - unless the dose will fall below that "
     "first"),
    ("dialysis", True, "co-trimoxazole unless contraindicated",
     "on dialysis atovaquone, or co-trimoxazole only at the renal dose given after dialysis with "
     "potassium watched"),
    ("potassium_5_or_more", True,
     "plan co-trimoxazole now unless the dose will fall below that first",
     "plan PJP prophylaxis now - atovaquone while potassium is 5 mmol/L or more (trimethoprim "
     "raises it) - unless the dose will fall below that first"),
    ("potassium_5_or_more", True, "co-trimoxazole unless contraindicated",
     "atovaquone while potassium is 5 mmol/L or more (trimethoprim raises it), otherwise "
     "co-trimoxazole if not contraindicated"),
    # an INR above range on warfarin: atovaquone, which does not raise it (re-score of
    # specialist review Z38c P2)
    ("warfarin_inr_high", True, "co-trimoxazole unless contraindicated",
     "atovaquone while the INR is above range on warfarin (co-trimoxazole raises it further); "
     "co-trimoxazole once the INR is stable, with an INR check in 3-5 days, unless "
     "contraindicated"),
    # a trough before steady state does not set the dose (specialist review Z38d P1)
    ("tacrolimus_trough_early", True,
     "dose by the trough - raise it to reach the range, not lower it for the interaction; the "
     "azole raises the level, so",
     "this trough was drawn within 5 days of starting tacrolimus, before steady state (longer "
     "while the azole's inhibition builds), so the dose is not raised on it;"),
    ("tacrolimus_trough_early", True,
     "adjust the dose and repeat the trough with creatinine within 1-2 weeks",
     "this trough was drawn within 5 days of starting, before steady state: repeat it at steady "
     "state before any change, then adjust the dose and repeat the trough with creatinine "
     "within 1-2 weeks"),
    ("ventilated", True, "first ask whether the azole is needed (a nail infection can often "
     "wait, or take terbinafine, which does not interact this way); ",
     "the azole is kept if it treats or prevents a serious fungal infection; "),
    ("ct_cap_within_30_days", True, "CT of the chest, abdomen and pelvis with the basic blood "
     "tests",
     "the CT of the chest, abdomen and pelvis done this month (not repeated - its images go to "
     "the cancer team), with the basic blood tests"),
    # no myositis treatment is started on an unclassified myopathy (specialist review Z38a P5:
    # 'start the myositis treatment meanwhile' for a probable statin-toxic myopathy with HIV)
    ("classified", False, "start the myositis treatment meanwhile",
     "the diagnostic work-up goes on meanwhile (myositis treatment once a diagnosis is made)"),
    # a kidney injury: the checks are daily (specialist review Z43d P6: 'within 2-3 days' beside
    # treatment-dose co-trimoxazole, a kidney injury, potassium 5.4 and a toxic tacrolimus level)
    # an ACE inhibitor or ARB taken beside a very high CK with a reduced kidney function is held
    # by name (specialist review Z47d P7: CK 31 x ULN, creatinine 128 to 158, potassium 5.4 on
    # ramipril, told only to 'avoid NSAIDs and other kidney-toxic drugs')
    ("other_medicines", "ace_inhibitor_or_arb", "stop statins and avoid NSAIDs and other "
     "kidney-toxic drugs while it",
     "stop statins, hold the ACE inhibitor or ARB (and any potassium-sparing diuretic) with its "
     "prescriber, with potassium and creatinine again within 24 hours, and avoid NSAIDs and "
     "other kidney-toxic drugs while it"),
    ("other_medicines", "ace_inhibitor_or_arb", "stop statins and avoid NSAIDs.'",
     "stop statins, hold the ACE inhibitor or ARB with its prescriber and avoid NSAIDs."),
    # an active infection: the azole may be treating it, so it stays and the calcineurin
    # inhibitor is cut (specialist review Z47d P2: 'a nail infection can often wait' for
    # posaconazole treating a probable invasive aspergillosis)
    ("active_infection", True, "first ask whether the azole is needed (a nail infection can "
     "often wait, or take terbinafine, which does not interact this way)",
     "an azole that treats the active infection is kept, and the calcineurin-inhibitor dose cut "
     "with the infection team (with posaconazole or voriconazole often to about a third, then "
     "by the trough); only an azole for a minor infection (nails) is questioned - it can often "
     "wait, or terbinafine replaces it"),
    # an active cancer: an oesophageal dysphagia may be the tumour, and a prokinetic harms an
    # obstruction (specialist review Z48c P1: manometry and a prokinetic for a malignant stricture)
    ("active_cancer", True, "gastroenterology - endoscopy, then a barium swallow or manometry; "
     "reflux measures and a proton-pump inhibitor, a prokinetic for symptomatic dysmotility;",
     "with the active cancer, a tumour or stricture first - endoscopy unless one has shown it, "
     "and if it has, a stent, dilatation or palliative radiotherapy with the oncology team as "
     "the patient wishes, and no prokinetic against an obstruction; otherwise a barium swallow "
     "or manometry, reflux measures and a proton-pump inhibitor;"),
    # a patient who lacks capacity (dementia): tube feeding is a best-interests decision, and
    # careful eating and drinking with the risks accepted is often it (specialist review Z48c P3:
    # 'nasogastric feeding if intake is unsafe' for a care-home resident with dementia)
    ("lacks_capacity", True, "nil by mouth or modified diet as advised, nasogastric feeding and "
     "dietitian if intake is unsafe.",
     "modified diet and positioning as advised; without capacity, tube feeding only by a "
     "best-interests decision with the attorney or family - in dementia, careful eating and "
     "drinking with the risks accepted is often the choice (tube feeding does not prevent "
     "aspiration there); a dietitian and mouth care."),
    # a ceiling short of intensive care: the heart is treated within the goals agreed (specialist
    # review Z48c P5: 'IV pulses' urgently for a frail man on NIV who wants to avoid prolonging)
    *(("treatment_ceiling", ceiling, "confirmed myocarditis, or a suspicion with troponin I "
       "raised, is severe disease - IV pulses with cardiology",
       "confirmed myocarditis, or a suspicion with troponin I raised, is severe disease - within "
       "the ceiling agreed, IV pulses with cardiology only after a goals discussion, with their "
       "fluid and glucose load weighed,") for ceiling in ("no_icu", "ward_based")),
    # known liver disease: the bilirubin and ALT are read against the patient's own baseline
    # (specialist review Z48d P7: 'until it has settled' for the baseline bilirubin of a Child-Pugh
    # B cirrhosis, with a CK of 20 x ULN)
    ("hepatic_impairment", True, "a liver-injury pattern that muscle does not explain (bilirubin "
     "does not come from muscle).",
     "with known liver disease, read against the patient's own baseline - a bilirubin above it "
     "is a liver injury that muscle does not explain (bilirubin does not come from muscle), "
     "while a stable raised bilirubin is the liver disease's and the ALT may be partly "
     "muscle's."),
    ("hepatic_impairment", True, "No hepatotoxic drug is started until it has settled.",
     "No hepatotoxic drug is started until the tests are back to the patient's baseline."),
    # a young person is asked with the family and the child and adolescent mental health team
    # (re-score of specialist review Z49a P8: that aside printed for a woman of 38)
    ("child", True, "ask about suicidal thoughts and self-harm at this visit;",
     "ask about suicidal thoughts and self-harm at this visit (with a parent and the child and "
     "adolescent mental health team, and seen alone for part of it);"),
    # lithium is the likeliest cause of a raised TSH in a patient taking it (specialist review
    # Z47d P8: the TSH line read only as a myositis mimic for a woman on lithium)
    ("other_medicines", "lithium", "above its upper limit, and no recent free T4: measure it now",
     "above its upper limit, on lithium (a common cause of hypothyroidism: tell the "
     "psychiatrist, and lithium is not stopped for it), and no recent free T4: measure it now"),
    # an ACE inhibitor or ARB taken through a kidney injury is held by name (specialist review
    # Z49c P4: eGFR 80 to 45 in sepsis with a blood pressure of 92/55, the ARB never named)
    ("other_medicines", "ace_inhibitor_or_arb", "hold methotrexate if taken, and review renally "
     "cleared or nephrotoxic drugs",
     "hold methotrexate if taken, hold the ACE inhibitor or ARB (and diuretics) until the kidney "
     "recovers, more so with a low blood pressure or sepsis, and review renally cleared or "
     "nephrotoxic drugs"),
    # a myositis shown by its antibody is not put on hold for a mildly low potassium (specialist
    # review Z49c P3: 'recheck CK and strength once it is normal, before reading them as
    # myositis' at 3.3 mmol/L in anti-TIF1-gamma DM with a heliotrope rash)
    ("immune_myopathy_shown", True, "and recheck CK and strength once it is normal, before "
     "reading them as myositis.",
     "- with a myositis shown by its antibody it adds to the weakness but does not explain the "
     "disease, so the myositis treatment is not delayed for it."),
    # the injury is named against the older baseline the record holds (specialist review Z46)
    ("kidney_fall_vs_older_baseline", True, "treat as rhabdomyolysis-associated acute kidney "
     "injury until a baseline shows otherwise",
     "treat as rhabdomyolysis-associated acute kidney injury - creatinine is 1.5 times or more "
     "the lowest value of the past year (none in the last 3 months), so the fall is new until "
     "a later baseline shows otherwise"),
    ("kidney_injury_now", True, "check them 1-2 weeks after starting",
     "check them daily while the kidney injury lasts"),
    ("kidney_injury_now", True, "or recheck potassium within a week of starting",
     "or recheck potassium daily while the kidney injury lasts"),
    ("kidney_injury_now", True, "repeat the trough with creatinine and potassium within a week "
     "of starting, stopping or changing the azole",
     "repeat the trough within a week of starting, stopping or changing the azole, with "
     "creatinine and potassium daily while the kidney injury lasts"),
    # a potassium already at the top of the range is rechecked in days (specialist review Z39a
    # P7: K 5.0 with a falling eGFR and a high tacrolimus trough, recheck '1-2 weeks')
    ("potassium_5_or_more", True, "check them 1-2 weeks after starting",
     "check them within 2-3 days of starting (potassium is already 5 or more)"),
    # near the end of life the admission is the patient's choice (specialist review Z39b P5: 'admit
    # today ... transfer' for a frail woman with weeks to months to live)
    ("end_of_life", True, "if not already in hospital, admit today (where this service has no "
     "myositis team, discuss today with the regional centre and transfer)",
     "if not already in hospital and in keeping with the patient's wishes and goals of care, "
     "admit today (or care at home or in the hospice with the palliative team)"),
    ("pregnant", True, "offer HPV vaccination as the schedule allows",
     "offer HPV vaccination after the pregnancy (it is not given during one)"),
    # a drug-toxic myopathy on the record: the glucocorticoid started before the biopsy is not
    # simply kept (specialist review Z39b P8: 30 mg kept 'steady' beside colchicine, a statin
    # and clarithromycin)
    *(("other_medicines", drug,
       "keep the dose steady meanwhile (no abrupt stop, no rise unless the weakness is severe "
       "or swallowing or breathing is affected)",
       "keep the dose steady meanwhile - unless the drug cause on the record (a statin, "
       "colchicine) explains it, when it is reduced and stopped with the team - with no abrupt "
       "stop and no rise unless the weakness is severe or swallowing or breathing is affected")
      for drug in ("colchicine", "statin")),
    ("limited_goals", True,
     "investigate them now, not on the routine screening schedule:",
     "investigate them now as far as the goals of care agreed with the patient (or their best "
     "interests) support - with frailty or a ceiling of treatment recorded, each test only if "
     "its result would change care, weighed for its burden (contrast and the kidney, sedation, "
     "anticoagulation):"),
    # an elective operation waits for an infection to be treated (specialist review Z40c P6: a
    # hip replacement booked during a pneumonia)
    ("active_infection", True, "Operation planned: agree each drug",
     "Operation planned (an elective one waits until the active infection is treated): agree "
     "each drug"),
    # frailty or a ward-based ceiling: the admission is weighed, not automatic (specialist review
    # Z40b P5: 'admit today ... transfer' for a care-home resident of 91 with months to live)
    ("limited_goals", True, "if not already in hospital, admit today (where this service has no "
     "myositis team, discuss today with the regional centre and transfer)",
     "if not already in hospital, and if admission serves the goals of care agreed with the "
     "patient (or their best interests), admit today - or treat where they live with the "
     "specialist team's advice"),
    # liver disease: isoniazid is no easy way round rifampicin (specialist review Z40a P6: a
    # patient with cirrhosis steered towards isoniazid)
    ("hepatic_impairment", True, "(isoniazid-based regimens avoid this;",
     "(isoniazid-based regimens avoid this, but with liver disease isoniazid's liver toxicity "
     "weighs as much, so the TB service chooses with hepatology;"),
    ("ssc_features", True,
     "the glucocorticoid dose is usually raised (about doubled) while it is taken",
     "the glucocorticoid dose is usually raised (about doubled) while it is taken, the effect "
     "staying that of the dose before rifampicin - in a scleroderma overlap no more than a 15 "
     "mg/day effect, agreed with the TB team"),
    # last, after every swap that rewrites the nil-by-mouth clauses: TB and HIV treatment are
    # essential medicines too (specialist review Z55c P6: 'the glucocorticoid, any anticoagulant'
    # for a man on rifampicin-based TB treatment and antiretrovirals with a failing swallow)
    ("tb_or_hiv_treatment", True, "(the glucocorticoid, any anticoagulant)",
     "(the glucocorticoid, any anticoagulant, and the TB or HIV treatment - never interrupted, "
     "routes agreed with the TB or HIV team)"),
)
"""(fact, value, general wording, wording for this patient): a clause of a rule's text that a
fact on the record changes (specialist review Z31f P8: bosentan with liver disease and rifampicin;
'about doubled' beside the scleroderma ceiling; review Z32m P8: rifampicin with a DOAC; review
Z32m P6: adult perioperative hydrocortisone for a child of 28 kg). A set-valued fact matches when
it holds the value."""


__all__ = ["BOOSTED_RIFAMYCIN", "BOSENTAN_CLAUSE", "BREASTFEEDING_METHODS", "BREASTFEEDING_WITH_INDUCER",
           "CONDITIONAL_SWAPS", "EARLY_IVIG_IN_INFECTION", "EARLY_IVIG_IN_PREGNANCY",
           "EARLY_IVIG_OR_RITUXIMAB", "EMERGENCY_CONTRACEPTION", "EMERGENCY_WITH_INDUCER",
           "HIV_HBV_ANTIVIRAL", "LARC_GENERAL", "LARC_WITH_INDUCER", "NEXT_PREGNANCY",
           "NEXT_PREGNANCY_WITH_PH", "PREGNANCY_CLAUSES", "PREGNANCY_SWAPS"]
