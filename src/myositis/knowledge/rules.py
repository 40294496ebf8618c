"""Schema of the patient-level safety rules (``rules.yaml``) and their closed vocabularies.

A rule is data a clinician can review without reading Python: *when* (a predicate over facts
about the patient and, for therapy-scoped rules, attributes of the therapy), *which* therapies
or groups it affects, *then* (the action), how severe, what it says and its sources. The engine
(`myositis.services.careplan.rules`) is a small interpreter over these. Facts and therapy
attributes are closed vocabularies, so a misspelt fact fails `myositis kb check` instead of
silently never firing.

Predicates use three-valued logic: a fact that is not recorded is *unknown*, and a comparison
with an unknown fact is unknown, never false. A rule whose condition is unknown applies its
``if_unknown`` branch (typically "test before starting"), so missing data is never read as "no".
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from myositis.knowledge.schema import EvidenceLevel, SourceKeys

# fact -> (kind, description). Kinds: bool, number, enum, set, text (printed in a rule's text
# only, never tested by a condition). The services layer computes
# exactly these from a PatientRecord (a test checks both lists match).
FACTS: dict[str, tuple[str, str]] = {
    "sex": ("enum", "female | male | other (unknown when not recorded)"),
    "age_years": ("number", "age on the plan date"),
    "child": ("bool", "younger than 18 years"),
    "dm_skin_signs": ("bool", "a DM skin hallmark (heliotrope rash, Gottron papules or sign) "
                              "recorded; false when recorded absent"),
    "childbearing_potential": ("bool", "female aged 12-55 and not recorded as postmenopausal "
                                       "(unknown when sex unknown)"),
    "pregnant": ("bool", "currently pregnant"),
    "unprotected_sex_days": ("number", "days since the last unprotected sex or contraceptive "
                                       "failure recorded"),
    "methotrexate_within_14_days": ("bool", "methotrexate taken now or stopped within 14 days "
                                            "(unknown otherwise)"),
    "non_melanoma_skin_cancer": ("bool", "the active cancer recorded is a local basal or "
                                 "squamous cell skin cancer (true or unknown)"),
    "infusion_reaction_therapies": ("set", "therapies given IV (or by an unrecorded route) and "
                                    "stopped for a mild or moderate adverse reaction"),
    "severe_reaction_therapies": ("set", "therapies stopped for a severe adverse reaction "
                                         "(reaction_severity severe)"),
    "no_response_taken_now": ("set", "therapies taken now for 12 weeks or more with response "
                                      "'none' recorded"),
    "ivig_not_tolerated": ("bool", "immunoglobulin stopped before for an adverse reaction "
                                   "(unknown otherwise)"),
    "gestation_weeks": ("number", "completed weeks of the current pregnancy (unknown when not "
                                  "pregnant or not recorded)"),
    "planning_conception": ("bool", "patient (either sex) plans a conception"),
    "planning_own_pregnancy": ("bool", "patient plans a pregnancy they would carry (false for a "
                               "man fathering a child)"),
    "effective_contraception": ("bool", "effective contraception recorded, or a reliable method "
                                        "in the methods recorded (condoms alone are not)"),
    "contraception_user_dependent_only": ("bool", "the only contraception recorded is a pill or "
                                                  "an injection (unknown when none is recorded)"),
    "contraception_methods": ("set", "contraception methods recorded (unknown when none is "
                                     "recorded; 'none' when the patient uses none)"),
    "teratogen_current_or_planned": ("bool", "a drug contraindicated in pregnancy is taken now or "
                                             "offered by this plan"),
    "teratogens": ("set", "names of the drugs contraindicated in pregnancy taken now or offered"),
    "breastfeeding": ("bool", "currently breastfeeding"),
    "haemoptysis": ("bool", "haemoptysis recorded (among the cancer red flags) - unknown when not"),
    "liver_disease": ("enum", "masld | alcohol_related | viral_hepatitis | "
                              "primary_biliary_cholangitis | primary_sclerosing_cholangitis | "
                              "autoimmune_hepatitis | other"),
    "oesophageal_varices": ("bool", "oesophageal varices, banded or not"),
    "immunosuppression_start_days": ("number", "days until the first planned immunosuppressant "
                                     "(not an antimalarial or topical) starts; unknown when none "
                                     "is booked with a date"),
    "travel_within_6_weeks": ("bool", "departure recorded within the next 6 weeks"),
    "yellow_fever_vaccinated": ("bool", "a yellow fever vaccine recorded (unknown when none is)"),
    "oral_intake": ("enum", "normal | modified_texture | reduced | nil_by_mouth | tube_fed"),
    "weight_loss_percent": ("number", "unintentional weight loss over the last 3-6 months, %"),
    "home_ventilated": ("bool", "established home ventilation (nocturnal or daytime NIV, or by "
                                "tracheostomy) - unknown when not recorded"),
    "active_tb": ("enum", "active tuberculosis: suspected | on_treatment | treated (unknown when "
                          "not recorded)"),
    "latent_tb": ("bool", "latent TB not yet fully treated (IGRA/TST positive or stated)"),
    "chest_imaging_tb_compatible": ("bool", "chest imaging recorded abnormal and compatible with "
                                            "tuberculosis"),
    "gc_days_5mg_total": ("number", "days in all at 5 mg/day of prednisolone or more, up to the "
                                    "plan date"),
    "tb_treated": ("bool", "TB infection treated to completion (latent TB treatment recorded "
                           "completed)"),
    "hbsag": ("bool", "HBsAg positive"),
    "anti_hbc": ("bool", "anti-HBc positive"),
    "hcv": ("bool", "HCV antibody/RNA positive"),
    "hcv_rna": ("bool", "HCV RNA detectable (false: cleared or cured)"),
    "hiv": ("bool", "HIV positive"),
    "oral_therapies_current": ("set", "therapies taken now with their route recorded as oral"),
    "infection_tests_missing": ("set", "pre-immunosuppression infection tests not recorded "
                                "(HBsAg, anti-HBc, anti-HBs, HCV, HIV, IGRA or TST, chest "
                                "radiograph, VZV IgG)"),
    "active_infection": ("bool", "active serious infection"),
    "infection_focus": ("enum", "source of the current infection: lung_focal | lung_diffuse | "
                                "urinary | skin_soft_tissue | abdominal | line | not_found"),
    "active_cancer": ("bool", "known active cancer"),
    "cancer_screen_abnormal": ("set", "cancer-screening tests of the last 12 months recorded "
                               "with an abnormal result"),
    "cancer_screen_pending": ("set", "cancer-screening tests of the last 12 months whose result "
                              "is pending"),
    "postpartum_weeks": ("number", "weeks since the most recent delivery"),
    "biologics_before_birth": ("set", "biologics given in the pregnancy that ended with the "
                                      "recorded delivery, while the baby is under a year old"),
    "previous_neonatal_lupus": ("bool", "a previous child with congenital heart block or "
                                        "neonatal lupus"),
    "anaemia_puerperal": ("bool", "haemoglobin below the WHO threshold within 26 weeks of a "
                          "delivery or while breastfeeding"),
    "critical_illness": ("bool", "sepsis or septic shock now, or an infection needing "
                                 "mechanical ventilation"),
    "steroid_sparing_failed_count": ("number", "steroid-sparing agents recorded as failed "
                                     "(inefficacy, or 12 weeks without adequate response)"),
    "jak_risk_count": ("number", "EMA 2022 JAK-inhibitor risk groups present: age 65 or more, "
                       "cardiovascular risk, past thrombosis, cancer (active, past or high risk), "
                       "smoking (current or former)"),
    "egfr": ("number", "latest eGFR, mL/min/1.73m2"),
    "methotrexate_mg_m2_week": ("number", "current methotrexate, mg/m2 a week (a mg/week dose, "
                                          "weight and height on record)"),
    "creatinine_rise": ("number", "latest creatinine over the lowest of the previous 3 months "
                                  "(or the inverse for eGFR): 1.5 = a 50 % rise"),
    "ild": ("bool", "interstitial lung disease recorded (systemic finding, HRCT pattern or RP-ILD)"),
    "treatment_ceiling": ("enum", "ceiling of treatment agreed: full | no_icu | ward_based | "
                          "comfort"),
    "frailty_scale": ("number", "Clinical Frailty Scale, 1-9"),
    "end_of_life": ("bool", "a prognosis of weeks from any illness, or comfort care agreed"),
    "cd4": ("number", "CD4 count, cells/uL, within 6 months"),
    "prognosis": ("enum", "expected survival recorded: years | months | weeks_to_months | "
                  "days_to_weeks"),
    "lacks_capacity": ("bool", "lacks capacity for the treatment decisions at hand"),
    "latent_tb_treatment": ("enum", "latent-TB treatment: not_needed | planned | ongoing | "
                            "completed"),
    "strongyloides_endemic": ("bool", "born in or lived in a strongyloides-endemic region"),
    "strongyloides": ("bool", "strongyloides serology positive"),
    "decision_maker": ("text", "who decides or is consulted when the patient cannot"),
    "muscle_improving": ("bool", "the muscle is still improving on the current treatment"),
    "troponin_i_settling": ("bool", "troponin I down by 30 % or more between its last two "
                            "results within 6 months"),
    "muscle_relapse_suspected": ("bool", "the last CK results rose by half or more, not yet "
                                 "re-measured: a relapse until shown otherwise"),
    "lung_assessed_days": ("number", "days since the dated lung assessment (HRCT or lung "
                           "function)"),
    "lung_change_on_methotrexate": ("bool", "methotrexate taken now and the lung worse on it "
                                            "(progressive course, or cough or breathlessness "
                                            "with abnormal imaging dated after it started)"),
    "ct_cap_within_6_months": ("bool", "a CT of chest, abdomen and pelvis recorded as done in "
                                       "the last 6 months"),
    "creatinine_rise_12m": ("number", "latest creatinine over the lowest of the previous 12 "
                                      "months (or the inverse for eGFR): 1.3 = a 30 % rise"),
    "creatinine_rise_3y": ("number", "latest creatinine over the lowest of the previous 3 years "
                                     "(or the inverse for eGFR)"),
    "haemolysis_signs": ("set", "falling haemoglobin (15 g/L or more) or platelets (a quarter or "
                                "more, or below 150) within 3 months, bilirubin above its ULN, or "
                                "LDH above its ULN with a CK not raised; each named with its "
                                "values"),
    "hcq_toxic_myopathy_possible": ("bool", "hydroxychloroquine for 5 years or more, above 5 "
                                    "mg/kg/day or with eGFR below 30, beside a vacuolar biopsy "
                                    "without inflammation or heart involvement"),
    "jdm_minimal_activity": ("bool", "every measured PRINTO muscle criterion met with a "
                                     "physician global of 2 cm or less"),
    "steroid_unresponsive_seronegative": ("bool", "myositis-specific antibodies negative and a "
                                                  "glucocorticoid course without response"),
    "ibm_likely_clinically": ("bool", "the ENMC 2011 clinical items of IBM met (both weakness "
                                      "patterns) with anti-cN1A positive"),
    "printo_inactive": ("bool", "the PRINTO criteria for clinically inactive JDM met at the "
                                "latest visit (3 of: CK <= 150 U/L, CMAS >= 48, MMT-8 >= 78/80, "
                                "physician global <= 0.2 cm; Lazarevic 2013)"),
    "immune_myopathy_shown": ("bool", "a myositis-specific antibody positive beyond a lone "
                              "weak line-blot band, or treatment marked as unable to wait"),
    "msa_weak_blot_only": ("bool", "every positive myositis-specific antibody rests only on weak "
                                   "line-blot bands (unknown without dated tests)"),
    "haemoglobin_fall_g_l": ("number", "haemoglobin fall from the highest of the previous 3 months "
                                       "to the latest (g/L; 0 when not falling)"),
    "bilirubin_above_uln": ("bool", "latest bilirubin above its ULN"),
    "red_cell_haemolysis_signs": ("set", "the haemolysis signs without the platelet count "
                                          "(haemoglobin fall, bilirubin, LDH)"),
    "red_cell_haemolysis_suspected": ("bool", "a red-cell haemolysis sign (haemoglobin down 15 "
                                              "g/L, a raised bilirubin or LDH without a raised "
                                              "CK), as immunoglobulin causes"),
    "haemolysis_suspected": ("bool", "any of haemolysis_signs (unknown when no haemoglobin, "
                                     "platelet or LDH result is recorded)"),
    "early_diffuse_ssc": ("bool", "diffuse systemic sclerosis in its first 5 years (onset "
                          "unknown read as early): the highest renal-crisis risk"),
    "ssc_features": ("bool", "scleroderma itself: sclerodactyly, a systemic sclerosis overlap, or "
                     "anti-PM/Scl with no other overlap named (not anti-U1RNP or anti-Ku alone)"),
    "ssc_overlap": ("bool", "scleroderma overlap: anti-PM/Scl, anti-Ku or anti-U1RNP positive, "
                            "or sclerodactyly"),
    "new_hypertension": ("bool", "new or accelerated hypertension recorded"),
    "hypertension": ("bool", "established hypertension, treated or not"),
    "igg": ("number", "latest serum IgG, g/L"),
    "neutrophils": ("number", "latest neutrophil count, 10^9/L"),
    "wbc": ("number", "latest white cell count, 10^9/L"),
    "platelets": ("number", "latest platelet count, 10^9/L"),
    "platelet_fall_percent": ("number", "per cent fall of the platelet count from the highest "
                              "of the previous 3 months to the latest"),
    "lymphocytes": ("number", "latest lymphocyte count, 10^9/L"),
    "cardiac_involvement": ("enum", "recorded heart involvement: none | suspected | confirmed"),
    "ck_falling": ("bool", "the latest CK a fifth or more below the one before it (within a "
                           "year); unknown with one value"),
    "ck_x_uln": ("number", "latest CK as a multiple of its upper limit of normal"),
    "dysphagia": ("bool", "dysphagia recorded (any severity)"),
    "influenza_vaccine_within_year": ("bool", "an influenza vaccine dated within 12 months"),
    "alt_x_uln": ("number", "latest ALT as a multiple of its upper limit of normal"),
    "ast_x_uln": ("number", "latest AST as a multiple of its upper limit of normal"),
    "ldh_x_uln": ("number", "latest LDH as a multiple of its upper limit of normal"),
    "mild_hyperckemia_normal_strength": ("bool", "CK below 3 x ULN with normal strength in an "
                                                 "adult of 25 or more"),
    "ckd_known": ("bool", "chronic kidney disease stated by the clinician (renal impairment "
                          "recorded as a comorbidity)"),
    "renal_impairment": ("bool", "eGFR < 60, stated renal impairment, or dialysis"),
    "dialysis": ("bool", "on haemodialysis or peritoneal dialysis"),
    "hepatic_impairment": ("bool", "stated hepatic impairment"),
    "solid_organ_transplant": ("bool", "a solid-organ transplant recipient"),
    "kidney_transplant": ("bool", "a kidney transplant recipient (false when the organs recorded "
                                  "leave the kidney out)"),
    "lung_transplant": ("bool", "a lung transplant recipient (false when the organs recorded "
                                "leave the lung out)"),
    "hrct_recorded": ("bool", "an HRCT is recorded (lung series, latest lung summary or work-up "
                              "done); false when none is"),
    "bipolar_disorder": ("bool", "bipolar affective disorder recorded"),
    "psychosis_on_glucocorticoids": ("bool", "a psychosis, mania or severe depression on "
                                             "glucocorticoids in the past"),
    "depression": ("bool", "depression now"),
    "suicide_risk": ("bool", "suicidal thoughts with a plan or intent now, or self-harm by "
                             "overdose in the last year"),
    "falls": ("bool", "falls in the last year"),
    "osteoporosis": ("bool", "osteoporosis or a fragility fracture"),
    "smoking": ("bool", "current or long-time smoker (a former smoker counts: the risk stays)"),
    "smoking_current": ("bool", "smokes now (the plain smoking field counts when no status "
                        "is recorded)"),
    "fever": ("bool", "fever recorded"),
    "oxygen_at_rest": ("bool", "the lung record says oxygen is needed at rest (or ventilation)"),
    "cmv_viraemia": ("bool", "CMV DNA detected in blood"),
    "herpes_zoster_active": ("bool", "shingles now"),
    "thrombosis_days": ("number", "days since the last recorded thrombosis"),
    "lung_course": ("enum", "recorded ILD course: stable | progressive | rapidly_progressive"),
    "immunosuppression_ever": ("bool", "an immunosuppressive course is recorded, past or present"),
    "immunosuppression_current": ("bool", "an immunosuppressive drug is taken now (not "
                                          "counting a glucocorticoid being tapered off in IBM)"),
    "ivig_g_per_kg": ("number", "IVIG dose per course (g/kg) of the course taken now, when "
                                "recorded in g/kg"),
    "dyspnoea_or_cough": ("bool", "breathlessness or cough recorded now (unknown when not "
                                  "recorded)"),
    "ild_agent_weeks": ("number", "weeks since the earliest start of an ILD-treating "
                        "immunosuppressant taken now (not methotrexate, hydroxychloroquine or "
                        "leflunomide)"),
    "steroid_sparing_stopped_only": ("bool", "a non-glucocorticoid immunosuppressant was taken "
                                     "before and stopped, and none is taken now"),
    "steroid_sparing_weeks": ("number", "weeks since the earliest start of a non-glucocorticoid "
                              "immunosuppressant taken now"),
    "hcq_week_plan": ("text", "a week of 200 mg hydroxychloroquine tablets within the 5 mg/kg/day "
                      "ceiling, in words"),
    "hcq_max_mg_day": ("number", "5 mg/kg/day of real body weight in mg/day, when "
                                 "hydroxychloroquine is taken and the weight is recorded"),
    "lung_function_decline": ("bool", "FVC fell by 5 % predicted or more, or DLCO by 10 % "
                                      "predicted or more, within a year of dated lung "
                                      "assessments (unknown with fewer than two)"),
    "cancer_surgery_planned": ("bool", "the operation recorded is on a cancer (named so, or a "
                                       "planned cancer operation with an active cancer)"),
    "hba1c_against_record": ("bool", "the latest HbA1c is in the diabetic range while the "
                                     "record says no diabetes"),
    "mda5_rp_ild": ("bool", "anti-MDA5 positive with rapidly progressive ILD suspected or "
                            "recorded (unknown otherwise)"),
    "swallow_assessed": ("bool", "a swallow assessment is recorded among the work-up done "
                                 "(unknown otherwise)"),
    "child_pugh_lab_min": ("number", "the least Child-Pugh score that bilirubin, albumin and "
                                     "INR of the last 30 days allow (ascites and "
                                     "encephalopathy scored 1)"),
    "kidney_fall_vs_older_baseline": ("bool", "no creatinine in the 3 months before the latest, "
                                      "and the latest is 1.5 times or more the lowest of the "
                                      "year before"),
    "kidney_injury_now": ("bool", "creatinine up by half or more (eGFR down by a third) within "
                                  "3 months (unknown otherwise)"),
    "ldl_mmol_l": ("number", "LDL cholesterol (mmol/L) measured in the last year"),
    "hrct_pattern": ("enum", "the latest HRCT pattern: normal | nsip | op | nsip_op | uip | dad | "
                             "other | not_ild"),
    "pulmonary_hypertension": ("enum", "pulmonary hypertension: none | suspected | confirmed"),
    "gc_free_months": ("number", "months since the last glucocorticoid dose, none taken now"),
    "steroid_sparing_current_count": ("number", "conventional, biologic and targeted "
                                                "immunosuppressants taken now"),
    "hbv_dna_undetectable_recent": ("bool", "HBV DNA undetectable within the last 4 weeks "
                                            "(false when detectable)"),
    "varicella_exposure_days": ("number", "days since the last significant contact with "
                                          "chickenpox or shingles"),
    "measles_exposure_days": ("number", "days since the last contact with measles"),
    "tb_contact_days": ("number", "days since the last close contact with infectious TB"),
    "lump_site": ("enum", "site of a new lump: neck | breast | axilla | groin | abdomen | skin | "
                  "bone | other"),
    "nasopharyngeal_carcinoma_region": ("bool", "from a region where nasopharyngeal carcinoma "
                                        "is common (legacy yes/no: False is not recorded)"),
    "tb_or_hiv_treatment": ("bool", "TB treatment under way (active or latent) or HIV positive: "
                            "medicines that must not be interrupted"),
    "blood_monitoring_days": ("number", "days since the latest blood count or liver test "
                                        "(unknown when none is recorded)"),
    "gut_symptoms": ("bool", "abdominal pain, vomiting, melaena or GI bleeding recorded"),
    "gi_perforation_suspected": ("bool", "free gas, peritonitis or pneumatosis now"),
    "gi_bleed_suspected": ("bool", "GI bleeding recorded now, or gut symptoms with haemoglobin down "
                                   "20 g/L or more within 3 months"),
    "statin_taken_now": ("bool", "a statin among the other medicines recorded now (unknown when "
                                 "no other medicine is recorded)"),
    "covid_vaccine_within_year": ("bool", "a COVID-19 vaccine dated within 12 months"),
    "heart_failure": ("bool", "stated heart failure"),
    "mechanical_heart_valve": ("bool", "a mechanical heart valve"),
    "antiphospholipid_syndrome": ("bool", "antiphospholipid syndrome, thrombotic or obstetric"),
    "thrombosis_history": ("bool", "previous venous or arterial thrombosis"),
    "cardiovascular_risk": ("bool", "stated high cardiovascular risk"),
    "diabetes": ("bool", "diabetes mellitus (stated, or an HbA1c of 48 mmol/mol or more)"),
    "hba1c_mmol_mol": ("number", "latest HbA1c, IFCC mmol/mol (a % value converted)"),
    "alcohol_excess": ("bool", "alcohol above national recommended limits"),
    "troponin_i_raised": ("bool", "latest cardiac troponin I above its upper limit"),
    "haemoglobin": ("number", "haemoglobin in the last 3 months, g/L"),
    "egfr_fall_3m_pct": ("number", "fall of the latest eGFR from the highest of the 3 months "
                                 "before it, per cent"),
    "calcium_raised": ("bool", "calcium (albumin-adjusted) 2.65 mmol/L or more, or above its "
                               "laboratory limit"),
    "troponin_t_raised": ("bool", "latest cardiac troponin T above its upper limit"),
    "free_t4": ("number", "latest free T4 (pmol/L) in the TSH window"),
    "hypothyroidism_overt": ("bool", "with a recent raised TSH: overt (TSH 10 or more, or a low "
                                     "free T4) true, subclinical false; unknown without a free T4"),
    "tsh_raised": ("bool", "TSH of the last 6 months above its upper limit"),
    "tsh": ("number", "TSH of the last 6 months, mU/L"),
    "tacrolimus_trough": ("number", "whole-blood tacrolimus trough in the last 3 months, ng/mL"),
    "tacrolimus_trough_above_range": ("bool", "tacrolimus trough in the last 3 months above "
                                      "10 ng/mL"),
    "bmi": ("number", "body-mass index from the recorded weight and height"),
    "underweight": ("bool", "an adult with a body-mass index below 18.5 (unknown without weight "
                            "and height, or under 18)"),
    "potassium": ("number", "serum potassium in the last 3 months, mmol/L"),
    "inr": ("number", "INR in the last 14 days"),
    "oesophageal_dysphagia": ("bool", "a dysphagia recorded as oesophageal (smooth-muscle "
                              "dysmotility) or both levels; false when oropharyngeal only"),
    "liver_markers_raised": ("bool", "GGT 3 x ULN or more, or bilirubin above its ULN, on the latest "
                             "results (a raised ALT not from muscle alone)"),
    "liver_injury_now": ("bool", "ALT 3 x ULN or more with a bilirubin above its ULN (the liver-injury "
                         "pattern)"),
    "tacrolimus_trough_early": ("bool", "the latest tacrolimus trough was drawn within 5 days of the "
                                "course's start (not at steady state)"),
    "mas_ferritin": ("number", "the latest ferritin (ng/mL), as the macrophage-activation criteria "
                     "read it"),
    "ct_cap_within_30_days": ("bool", "a CT of chest, abdomen and pelvis recorded in the last 30 days, "
                              "whatever its result"),
    "egfr_stage": ("number", "the reported (or CKD-EPI) eGFR that stages chronic kidney disease, "
                   "without the Cockcroft-Gault clearance used for drug doses from 75"),
    "triglycerides": ("number", "the latest triglycerides (mmol/L) of the last 6 months"),
    "msa_negative": ("bool", "the myositis-specific panel negative (false with a confirmed positive)"),
    "potassium_5_or_more": ("bool", "a recent potassium of 5.0 mmol/L or more"),
    "limited_goals": ("bool", "clinical frailty 7 or more, or a ward-based or comfort ceiling of "
                      "treatment (false when recorded without either; unknown otherwise)"),
    "thyrotoxicosis": ("bool", "TSH below 0.1 mU/L with free T4 above 22 pmol/L (recent)"),
    "warfarin_inr_high": ("bool", "warfarin taken with an INR above 3 in the last 14 days"),
    "calcium_above_uln": ("bool", "the (albumin-adjusted) calcium is above the laboratory's "
                                  "upper limit recorded with it"),
    "calcium": ("number", "serum calcium (albumin-adjusted) in the last 3 months, mmol/L"),
    "recurrent_infections": ("bool", "recurrent or serious infections recorded"),
    "thiopurine_metabolism": ("enum", "worse of TPMT and NUDT15: normal | intermediate | "
                                      "deficient"),
    "g6pd": ("enum", "normal | deficient"),
    "iga_deficiency": ("bool", "selective IgA deficiency"),
    "anti_iga_antibodies": ("bool", "anti-IgA antibodies present"),
    "other_medicines": ("set", "interacting medicines taken now"),
    "declined": ("set", "treatments the patient has declined: blood_products, glucocorticoids"),
    "started_by_plan": ("set", "medicines started by an action of this plan (a rule's `starts`)"),
    "pres": ("bool", "posterior reversible encephalopathy syndrome recorded, now or before"),
    "pet_ct_within_6_months": ("bool", "a normal whole-body FDG PET-CT recorded in the last 6 "
                                       "months"),
    "booked_therapies": ("set", "therapy ids of the courses booked (planned_treatments)"),
    "flare_to_confirm": ("bool", "a mild flare at full strength with a physician global of 2 cm or "
                                 "less: confirmed by repeat measures before any glucocorticoid "
                                 "change"),
    "induction_glucocorticoids_planned": ("bool", "the approach proposes induction glucocorticoids "
                                                  "(a new onset or a flare) not yet taken at 15 mg/day "
                                                  "or more"),
    "teratogens_stopped_in_pregnancy": ("set", "ids of teratogens stopped after the estimated "
                                                "conception or within 3 months before it (pregnant "
                                                "patients only)"),
    "ventilated": ("bool", "mechanically ventilated (lung assessment oxygen 'ventilated')"),
    "neutrophil_fall_percent": ("number", "per cent fall of the neutrophil count from the highest "
                                          "of the previous 3 months to the latest"),
    "current_therapies": ("set", "knowledge-base therapies taken now"),
    "gc_mg_day": ("number", "current glucocorticoid dose, prednisone-equivalent mg/day"),
    "gc_above_stress_dose": ("bool", "current glucocorticoid above 50 mg/day of prednisolone, "
                                     "more than a hydrocortisone stress dose (unknown without "
                                     "a dose)"),
    "hcq_mg_kg_day": ("number", "current hydroxychloroquine dose per kg of real body weight"),
    "hcq_years": ("number", "years on the current hydroxychloroquine course"),
    "retinal_exam_within_year": ("bool", "a retinal examination (OCT, fundus autofluorescence) "
                                         "recorded among tests done in the last 12 months"),
    "gc_mg_kg_day": ("number", "current glucocorticoid dose per kg body weight (unknown without "
                                "a weight)"),
    "skin_state": ("enum", "disease state of the skin: new_onset | active | stable | remission | "
                   "flare | inadequate_response | not_involved | unknown"),
    "rp_ild_tick_settled": ("text", "the undated 'RP-ILD suspected' tick is an episode the dated "
                            "lung record shows has settled: its description"),
    "lung_state": ("enum", "disease state of the lung: new_onset | active | stable | remission | "
                   "flare | inadequate_response | unknown | not_involved"),
    "disease_quiet": ("bool", "every graded domain (muscle, skin, lung and the others) in "
                      "remission or stable"),
    "muscle_state": ("enum", "disease state of muscle: new_onset | active | stable | "
                             "inadequate_response | remission | flare | not_involved"),
    "gc_days_at_30mg_or_more": ("number", "days up to now continuously at >= 30 mg/day"),
    "gc_weeks_at_15mg_or_more": ("number", "weeks up to now continuously at >= 15 mg/day"),
    "gc_months_at_2_5mg_or_more": ("number", "months up to now continuously at >= 2.5 mg/day"),
    "pjp_prophylaxis": ("bool", "PJP prophylaxis in place"),
    "previous_pjp": ("bool", "a Pneumocystis pneumonia in the past"),
    "allergies": ("set", "recorded drug allergies (unknown when none is recorded)"),
    "vzv_seronegative": ("bool", "varicella-zoster IgG negative"),
    "vaccinations": ("set", "vaccines recorded as given (vaccine names)"),
    "live_vaccine_days": ("number", "days since the latest live attenuated vaccine recorded"),
    "travel_planned": ("bool", "a trip abroad is recorded (unknown otherwise)"),
    "travel_days": ("number", "days until the recorded departure"),
    "yellow_fever_area": ("bool", "the trip goes where yellow fever vaccine is advised or required"),
    "malaria_area": ("bool", "the trip goes where malaria prevention is advised"),
    "conception_advised_against": ("bool", "a pregnancy is planned with confirmed pulmonary "
                                           "hypertension: advised against, so the plan does not "
                                           "prepare a conception (unknown otherwise)"),
    "cardiotoxic_cancer_therapy": ("bool", "chemotherapy or a targeted cancer therapy under way "
                                           "or given (unknown otherwise)"),
    "cancer_chemotherapy": ("bool", "cancer chemotherapy planned or under way"),
    "checkpoint_inhibitor_planned": ("bool", "an immune checkpoint inhibitor planned and not yet "
                                     "taken"),
    "surgery_elective": ("bool", "the planned operation is elective (false: urgent)"),
    "surgery_treats_disease": ("bool", "the recorded procedure treats the disease or its "
                               "consequence (a gastrostomy, a tracheostomy, a line, a biopsy)"),
    "lung_threat_may_be_infection": ("bool", "the lung is the organ threatened and the infection "
                                     "is diffuse in the lung (it may be the cause), outside "
                                     "anti-MDA5 rapidly progressive ILD"),
    "unclassified_myositis_established": ("bool", "a myositis the clinician confirmed without a "
                                          "subgroup, with immunosuppression on record"),
    "ggt_normal": ("bool", "the latest GGT recorded with its ULN and within it (unknown "
                           "otherwise)"),
    "liver_markers_normal": ("bool", "GGT and bilirubin both recorded and within their ULN "
                             "(true), else unknown"),
    "egfr_below_50": ("bool", "eGFR (or the Cockcroft-Gault clearance from 75) below 50, or "
                      "dialysis"),
    "organ_threat_full_treatment": ("bool", "an organ threatened, with frailty below 7 and no "
                                    "ward-based or comfort ceiling"),
    "pulses_responded": ("bool", "an IV methylprednisolone course in the last 3 months recorded "
                         "as effective or with a response (true), else unknown"),
    "surgery_days": ("number", "days until the recorded operation (negative once it is done)"),
    "patient_stopped_recent": ("bool", "a treatment stopped by the patient's own decision in "
                               "the last year and not restarted"),
    "respiratory_muscle_weakness": ("bool", "respiratory-muscle weakness"),
    "rituximab_within_2_years": ("bool", "rituximab taken now or within the last 2 years"),
    "rituximab_within_12_months": ("bool", "rituximab taken now or within the last 12 months "
                                   "(the usual span of B-cell depletion)"),
    "age_at_onset": ("number", "age at symptom onset, years"),
    "months_since_onset": ("number", "months from symptom onset to the plan date"),
    "mas_suspected": ("bool", "2016 EULAR/ACR/PRINTO macrophage activation syndrome criteria met: "
                      "fever, ferritin above 684 ng/mL and two of platelets <= 181, AST > 48, "
                      "triglycerides > 1.76 mmol/L, fibrinogen <= 3.6 g/L"),
    "mas_criteria": ("text", "the macrophage activation laboratory criteria met, in words"),
    "mda5_untested_established_quiet": ("bool", "two years or more from onset, no ILD, no cough or "
                                        "breathlessness, muscle quiet (remission, stable or "
                                        "not involved)"),
    "past_cancer": ("bool", "a past cancer is recorded"),
    "diagnosis_under_review": ("bool", "the followed label is re-examined before any new agent "
                               "(criteria not met, or seronegative IMNM, failing treatment)"),
    "egfr_fall_5y_pct": ("number", "per cent fall of the latest eGFR from the highest dated "
                         "eGFR of the previous 5 years"),
    "overlap_with": ("set", "the connective tissue diseases the clinician records in overlap "
                     "(systemic_sclerosis, sle, sjogren, mctd, rheumatoid_arthritis)"),
    "mda5_seroconverted": ("bool", "the latest dated anti-MDA5 test is negative after an "
                           "earlier positive"),
    "skin_cancer_history": ("bool", "a past skin cancer (basal or squamous cell carcinoma, "
                            "melanoma) is named in the cancer history"),
    "dlco_percent": ("number", "latest DLCO, % predicted"),
    "fvc_dlco_ratio": ("number", "latest FVC % predicted over DLCO % predicted"),
    "organ_threats": ("set", "what makes the disease organ-threatening now, in words (unknown "
                             "when nothing does)"),
    "ace_inhibitor_hold_now": ("bool", "an ACE inhibitor or ARB is taken while creatinine has risen "
                                       "by a fifth or more within a year or potassium is 5.5 or "
                                       "more (unknown otherwise)"),
    "potassium_high_on_raas_blocker": ("bool", "potassium 5 mmol/L or more while an ACE inhibitor, "
                                               "ARB or potassium-sparing diuretic is taken "
                                               "(unknown otherwise)"),
    "kidney_crisis_now": ("bool", "a kidney injury now (creatinine 1.5 times its baseline), or with "
                                  "a scleroderma overlap a rise of 1.3 times or new hypertension "
                                  "(a suspected renal crisis); false when neither is "
                                  "shown"),
    "organ_threatening": ("bool", "rapidly progressive ILD (or anti-MDA5 ILD not stable), "
                                  "respiratory-muscle weakness or severe dysphagia"),
    "ibm_against_diagnosis": ("enum", "IBM against a recorded non-IBM diagnosis: met (ENMC 2011 "
                                      "criteria met) | pattern (clinical pattern only) | none"),
    "cancer_risk_high_in_window": ("bool", "IMACS 2023 high cancer risk within 3 years of onset"),
    "classified": ("bool", "the plan follows at least one myositis subgroup"),
    "inflammatory_biopsy": ("bool", "the muscle biopsy shows an inflammatory myopathy (endomysial "
                            "infiltrate, invasion of non-necrotic fibres, perifascicular atrophy "
                            "or MxA; true or unknown)"),
    "biopsy_done": ("bool", "a muscle biopsy is on the record"),
    "mda5_discordant": ("bool", "a weak line-blot anti-MDA5 band with a negative result by "
                        "another test"),
    "gc_started_days": ("number", "days since the glucocorticoid taken now was started"),
    "not_myositis": ("bool", "the clinician records a working diagnosis other than myositis"),
    "doses_missed": ("set", "drugs taken now with partial or poor adherence recorded"),
    "myositis_unlikely": ("bool", "normal CK, no weakness, no ILD and no DM skin sign (unknown "
                          "without a CK)"),
    "working_diagnosis": ("enum", "the non-myositis working diagnosis, coded or read from the "
                            "clinician's words: polymyalgia_rheumatica | fibromyalgia | "
                            "hypothyroid_myopathy | statin_myopathy | muscular_dystrophy | "
                            "metabolic_myopathy | neuropathy_or_motor_neurone_disease | other"),
    "subgroups": ("set", "the phenotypes the plan follows (dm, adm, pm, imnm, asys, ibm, jdm, "
                         "overlap)"),
    "cancer_red_flags": ("set", "recorded cancer red flags, anaemia included when haemoglobin "
                                "is low"),
    "arthritis": ("bool", "inflammatory arthritis recorded (unknown when not recorded)"),
    "raynaud": ("bool", "Raynaud phenomenon recorded (unknown when not recorded)"),
    "skin_ulceration": ("bool", "skin or digital ulceration recorded (unknown when not recorded)"),
    "dysphagia_severity": ("enum", "none | mild | moderate | severe"),
    "oral_bisphosphonate_unsuitable": ("bool", "dysphagia moderate or severe, or a "
                                       "modified-texture diet, nil by mouth or tube feeding "
                                       "(true or unknown)"),
    "bone_protection": ("bool", "bone protection in place"),
    "anti_mda5": ("bool", "anti-MDA5 positive"),
    "other_msa_positive": ("bool", "a myositis-specific antibody other than anti-HMGCR positive"),
    "anti_hmgcr": ("bool", "anti-HMGCR positive"),
    "anti_srp": ("bool", "anti-SRP positive"),
    "anti_ro52": ("bool", "anti-Ro52 (anti-Ro/SSA) positive"),
    "anti_u1rnp": ("bool", "anti-U1RNP positive"),
    "statin_exposure": ("bool", "statin taken now or before onset"),
    "cyclophosphamide_ever": ("bool", "a cyclophosphamide course is recorded (past or now)"),
    "cyclophosphamide_cumulative_g": ("number", "cumulative cyclophosphamide dose, g"),
    "immunosuppression_new": ("bool", "an immunosuppressant offered and not taken now, or one "
                                      "started in the last 90 days"),
    "immunosuppression_planned_or_current": (
        "bool", "an immunosuppressive therapy is taken now or offered in this plan"),
}

# Attributes of a therapy that a therapy-scoped rule may test.
THERAPY_ATTRIBUTES: dict[str, str] = {
    "pregnancy": "compatible | limited_data | contraindicated | no_data | not_applicable",
    "paternal": "compatible | stop_before_conception | no_data | not_applicable",
    "breastfeeding": "compatible | avoid | no_data | not_applicable",
    "category": "the therapy's category in therapies.yaml",
    "current": "true when the patient takes this therapy now",
    "severe_reaction": "true when the record stops this therapy for a severe adverse reaction",
}

Action = Literal["withhold", "caution", "do_now", "monitor", "label"]
Severity = Literal["urgent", "high", "moderate", "low"]
Scalar = bool | int | float | str


class Predicate(BaseModel):
    """One test, or a combination. Exactly one of the forms is used per predicate."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    fact: str | None = None
    therapy: str | None = Field(default=None, description="a THERAPY_ATTRIBUTES name")
    is_: Scalar | None = Field(default=None, alias="is")
    in_: list[Scalar] | None = Field(default=None, alias="in")
    lt: float | None = None
    ge: float | None = None
    contains: str | None = None
    contains_any: list[str] | None = None
    unknown: bool | None = Field(default=None, description="true: the fact is not recorded")
    all: list[Predicate] | None = None
    any: list[Predicate] | None = None
    not_: Predicate | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _well_formed(self) -> Self:
        combinators = [x for x in (self.all, self.any, self.not_) if x is not None]
        tests = [x for x in (self.is_, self.in_, self.lt, self.ge, self.contains,
                             self.contains_any, self.unknown) if x is not None]
        subject = [x for x in (self.fact, self.therapy) if x is not None]
        if combinators:
            if len(combinators) != 1 or tests or subject:
                raise ValueError("use exactly one of all/any/not, without a fact or test")
            return self
        if len(subject) != 1 or len(tests) < 1:
            raise ValueError("name one fact (or therapy attribute) and at least one test")
        if self.fact is not None and self.fact not in FACTS:
            raise ValueError(f"unknown fact {self.fact!r}; known: {', '.join(sorted(FACTS))}")
        if self.therapy is not None and self.therapy not in THERAPY_ATTRIBUTES:
            raise ValueError(f"unknown therapy attribute {self.therapy!r}; known: "
                             f"{', '.join(sorted(THERAPY_ATTRIBUTES))}")
        if self.fact is not None:
            self._typed(FACTS[self.fact][0])
        return self

    def _typed(self, kind: str) -> None:
        """A test that cannot match its fact's type never fires, silently: refused here (an
        'is: true' on the enum cardiac_involvement was found in review U)."""
        problems = []
        if self.is_ is not None and (kind == "bool") != isinstance(self.is_, bool):
            problems.append(f"'is: {self.is_!r}' on a {kind} fact")
        if (self.lt is not None or self.ge is not None) and kind != "number":
            problems.append(f"lt/ge on a {kind} fact")
        if (self.contains is not None or self.contains_any is not None) and kind != "set":
            problems.append(f"contains on a {kind} fact")
        if problems:
            raise ValueError(f"fact {self.fact!r}: " + "; ".join(problems))

    def facts(self) -> set[str]:
        """Every fact this predicate reads."""
        found = {self.fact} if self.fact else set()
        for sub in (*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])):
            found |= sub.facts()
        return found


class UnknownBranch(BaseModel):
    """What to do when the rule's condition cannot be decided because a fact is missing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    text: str = Field(min_length=3)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=3)
    when: Predicate
    applies_to: list[str] = Field(default_factory=list,
                                  description="therapy ids or groups; empty = the patient")
    action: Action
    severity: Severity
    text: str = Field(min_length=3)
    if_unknown: UnknownBranch | None = None
    starts: list[str] = Field(default_factory=list, description=(
        "other medicines this action starts (co_trimoxazole for PJP prophylaxis): interaction "
        "rules then treat them as taken, so the plan checks what it recommends"))
    covered_by: list[str] = Field(default_factory=list, description=(
        "do-now rules that already say this for a drug taken now: when one of them fires, this "
        "rule still holds the drug but is not repeated as a do-now line"))
    when_taken: Literal["review", "continue"] = Field(default="review", description=(
        "for a drug taken now: 'review' asks to reconsider the drug itself (a dose above its "
        "limit, an interaction); 'continue' keeps it and adds the action (treat latent TB "
        "alongside glucocorticoids), so the regimen never reads 'review' for a drug to keep"))
    dose_adjustment: bool = Field(default=False, description=(
        "the action adjusts or re-checks the dose of the drug it names (applies_to): when the "
        "plan stops that drug, the line is moot and is left out, so a stop is never read beside "
        "'lower the dose' (specialist review O)"))
    evidence_level: EvidenceLevel
    sources: SourceKeys = Field(min_length=1)
    notes: str = ""
    last_reviewed: dt.date

    @model_validator(mode="after")
    def _scope(self) -> Self:
        if self.dose_adjustment and not self.applies_to:
            raise ValueError("a dose_adjustment rule must name the drug it adjusts")
        if self.action in ("withhold", "caution", "label") and not self.applies_to:
            raise ValueError(f"a {self.action} rule must name the therapies it affects")
        return self


class BundleItem(BaseModel):
    """One do-now line inside a bundle, shortened to the words that differ from its siblings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z0-9_]+$", description=(
        "the do-now code: a rule id, or a rule id + '_not_recorded' for its if_unknown branch"))
    text: str = Field(min_length=3)


class DoNowBundle(BaseModel):
    """Do-now lines that say one thing between them (four vaccines, four screening tests), printed
    as one line when two or more fire with their stock wording. Reviewers read the separate lines
    as a long, repetitive list in which the urgent ones were lost (specialist reviews Z27-Z32).
    A line whose wording the plan changed for this patient is never bundled: it stays whole."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = Field(min_length=3, description="the bundled line; {items} is replaced by the "
                      "items that fired, joined by '; '")
    items: list[BundleItem] = Field(min_length=2)
    notes: str = ""

    @model_validator(mode="after")
    def _placeholder(self) -> Self:
        if self.text.count("{items}") != 1:
            raise ValueError("a bundle's text must contain {items} exactly once")
        return self


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[Rule]
    bundles: list[DoNowBundle] = Field(default_factory=list)
