//! The travel-thrombosis risk check (ASH 2018, ACCP 2012; figures from
//! WRIGHT and a meta-analysis; sources in docs/companion.md). Information,
//! not a diagnosis.

use serde::{Deserialize, Serialize};

/// Trips at least this long are "long-distance" in both guidelines, h.
pub const LONG_TRIP_HOURS: f64 = 4.0;
/// About one symptomatic clot per this many flights over 4 h (Kuipers et
/// al., PLoS Med 2007;4:e290: 1 in 4,656).
pub const FLIGHTS_PER_CLOT: u32 = 4_656;
/// Relative risk per extra 2 h of travel (Chandra et al., Ann Intern Med
/// 2009;151:180: +18 % per 2 h).
pub const RISK_PER_TWO_HOURS: f64 = 1.18;
/// Age from which we count "advanced age" (ACCP names no threshold).
pub const ADVANCED_AGE_YEARS: i32 = 60;
/// BMI from which obesity counts.
pub const OBESITY_BMI: f64 = 30.0;

/// What the traveller tells us. Age and BMI come from the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskFactors {
    /// A clot (DVT or pulmonary embolism) before.
    pub previous_clot: bool,
    /// Surgery or a serious injury in the last 3 months.
    pub recent_surgery_or_trauma: bool,
    /// Cancer under treatment or active.
    pub active_cancer: bool,
    /// Pregnant now.
    pub pregnant: bool,
    /// Gave birth in the last 6 weeks.
    pub postpartum: bool,
    /// Taking oestrogen (the pill, hormone replacement).
    pub oestrogen: bool,
    /// Limited mobility (a cast, a wheelchair, bed-bound lately).
    pub limited_mobility: bool,
    /// A known clotting disorder (thrombophilia).
    pub thrombophilia: bool,
    /// Several long trips in a short time.
    pub several_recent_flights: bool,
    /// Obesity, when the profile has no weight.
    pub obesity: bool,
}

/// A question of the flight form's risk check: the key a front end ticks
/// and the words it asks with (age comes from the profile, and so does the
/// BMI when the profile has a weight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RiskQuestion {
    /// The key, as [`RiskFactors::from_keys`] takes it.
    pub key: &'static str,
    /// The question.
    pub question: &'static str,
}

/// Every question of the risk check, in the order to ask them: each of
/// [`RiskFactors`], the major factors first.
pub const RISK_QUESTIONS: [RiskQuestion; 10] = [
    RiskQuestion {
        key: "previous_clot",
        question: "Have you had a blood clot (DVT or pulmonary embolism)?",
    },
    RiskQuestion {
        key: "recent_surgery_or_trauma",
        question: "Surgery or a serious injury in the last 3 months?",
    },
    RiskQuestion {
        key: "active_cancer",
        question: "Are you being treated for cancer?",
    },
    RiskQuestion {
        key: "postpartum",
        question: "Did you give birth in the last 6 weeks?",
    },
    RiskQuestion {
        key: "pregnant",
        question: "Are you pregnant?",
    },
    RiskQuestion {
        key: "oestrogen",
        question: "Do you take the pill or hormone therapy?",
    },
    RiskQuestion {
        key: "thrombophilia",
        question: "Do you have a known clotting disorder?",
    },
    RiskQuestion {
        key: "limited_mobility",
        question: "Is your mobility limited (a cast, a wheelchair, in bed lately)?",
    },
    RiskQuestion {
        key: "several_recent_flights",
        question: "Several long trips in the last few weeks?",
    },
    RiskQuestion {
        key: "obesity",
        question: "Is your BMI 30 or more? (Your profile's height and weight count too.)",
    },
];

impl RiskFactors {
    /// The factors whose [`RISK_QUESTIONS`] keys were ticked; an unknown
    /// key is refused, naming it.
    pub fn from_keys<S: AsRef<str>>(keys: &[S]) -> crate::Result<Self> {
        let mut factors = Self::default();
        for key in keys {
            let answer = match key.as_ref() {
                "previous_clot" => &mut factors.previous_clot,
                "recent_surgery_or_trauma" => &mut factors.recent_surgery_or_trauma,
                "active_cancer" => &mut factors.active_cancer,
                "postpartum" => &mut factors.postpartum,
                "pregnant" => &mut factors.pregnant,
                "oestrogen" => &mut factors.oestrogen,
                "thrombophilia" => &mut factors.thrombophilia,
                "limited_mobility" => &mut factors.limited_mobility,
                "several_recent_flights" => &mut factors.several_recent_flights,
                "obesity" => &mut factors.obesity,
                other => {
                    return Err(crate::Error::invalid(
                        "risk factor",
                        format!("no question has the key \"{other}\""),
                    ));
                }
            };
            *answer = true;
        }
        Ok(factors)
    }
}

/// The category, as the guidelines draw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    /// Under 4 h: the guidelines' travel advice does not apply.
    ShortTrip,
    /// Over 4 h, no risk factor: no extra measures (ASH 2018).
    NoRiskFactors,
    /// One risk factor: walks, calf exercise, an aisle seat, 15–30 mmHg
    /// below-knee stockings (ACCP 2012, grade 2C).
    Increased,
    /// A major factor or two or more: stockings or a blood thinner, decided
    /// with a doctor (ASH 2018).
    SubstantiallyIncreased,
}

impl RiskCategory {
    /// The category as the user reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::ShortTrip => "short trip: no extra measures needed",
            Self::NoRiskFactors => "no risk factors: move and drink as planned",
            Self::Increased => "increased risk",
            Self::SubstantiallyIncreased => "substantially increased risk: talk to a doctor",
        }
    }
}

/// The check's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskAssessment {
    /// Trip length, h.
    pub hours: f64,
    /// The category.
    pub category: RiskCategory,
    /// The factors that counted, as the user reads them.
    pub factors: Vec<String>,
    /// The population figures, worded as information.
    pub population_note: String,
    /// Relative risk of this trip's length against a 4-hour one.
    pub length_factor: f64,
    /// Whether to see a doctor before travelling.
    pub talk_to_doctor: bool,
    /// Whether the guidelines suggest stockings (before the contraindication gate).
    pub stockings_suggested: bool,
}

impl RiskAssessment {
    /// The check's verdict as the user reads it: the category's, except a
    /// short trip with a factor that calls for a doctor, which needs no
    /// measures for the flight's sake but is no "nothing needed" either.
    pub fn label(&self) -> &'static str {
        if self.category == RiskCategory::ShortTrip && self.talk_to_doctor {
            "short trip, with a risk factor to ask a doctor about"
        } else {
            self.category.label()
        }
    }
}

/// Assesses a trip of `hours` for a traveller with `factors`, `age` and `bmi`.
pub fn assess(
    hours: f64,
    factors: &RiskFactors,
    age: Option<i32>,
    bmi: Option<f64>,
) -> RiskAssessment {
    let mut major = Vec::new();
    let mut minor = Vec::new();
    let add = |on: bool, list: &mut Vec<String>, text: &str| {
        if on {
            list.push(text.to_owned());
        }
    };
    add(factors.previous_clot, &mut major, "a previous clot");
    add(
        factors.recent_surgery_or_trauma,
        &mut major,
        "recent surgery or injury",
    );
    add(factors.active_cancer, &mut major, "active cancer");
    add(
        factors.postpartum,
        &mut major,
        "having given birth in the last 6 weeks",
    );
    add(factors.pregnant, &mut minor, "pregnancy");
    add(
        factors.oestrogen,
        &mut minor,
        "oestrogen (the pill or hormone replacement)",
    );
    add(factors.limited_mobility, &mut minor, "limited mobility");
    add(
        factors.thrombophilia,
        &mut minor,
        "a known clotting disorder",
    );
    add(
        factors.several_recent_flights,
        &mut minor,
        "several long trips in a short time",
    );
    let obese = factors.obesity || bmi.is_some_and(|b| b >= OBESITY_BMI);
    add(obese, &mut minor, "obesity (BMI 30 or more)");
    let old = age.is_some_and(|a| a >= ADVANCED_AGE_YEARS);
    add(old, &mut minor, "age 60 or over");

    let total = major.len() + minor.len();
    let substantial = !major.is_empty() || total >= 2;
    let category = if hours < LONG_TRIP_HOURS {
        RiskCategory::ShortTrip
    } else if substantial {
        RiskCategory::SubstantiallyIncreased
    } else if total == 1 {
        RiskCategory::Increased
    } else {
        RiskCategory::NoRiskFactors
    };
    let length_factor = RISK_PER_TWO_HOURS.powf(((hours - LONG_TRIP_HOURS) / 2.0).max(0.0));
    // "About" a round figure: the study's 1 in 4,656 is no more exact than
    // that for anyone else's flight.
    let flights = (FLIGHTS_PER_CLOT + 50) / 100 * 100;
    let trip = hours_and_minutes(hours);
    // The figures are of flights over 4 hours: a shorter trip is not "1.0×".
    let this_trip = if hours < LONG_TRIP_HOURS {
        format!("a trip of {trip} is shorter than the flights these figures cover")
    } else {
        format!(
            "each further 2 hours adds about 18 %, so a trip of {trip} carries about \
             {length_factor:.1}× the risk of a 4-hour one"
        )
    };
    let population_note = format!(
        "On average about 1 in {},{:03} flights over 4 hours is followed by a clot in the weeks after; \
         {this_trip}. These are population figures, not your personal risk.",
        flights / 1000,
        flights % 1000,
    );
    let mut all = major;
    all.extend(minor);
    RiskAssessment {
        hours,
        category,
        factors: all,
        population_note,
        length_factor,
        // A short trip falls outside the guidelines; it never asks for more
        // than the same factors would on a long one: a doctor only where a
        // long trip's risk would be substantially increased.
        talk_to_doctor: category == RiskCategory::SubstantiallyIncreased
            || (category == RiskCategory::ShortTrip && substantial),
        stockings_suggested: matches!(
            category,
            RiskCategory::Increased | RiskCategory::SubstantiallyIncreased
        ),
    }
}

/// A trip's length as the plan's header says it: "11 h 20 min", "12 h",
/// "45 min".
fn hours_and_minutes(hours: f64) -> String {
    // A cast saturates: no length can panic here.
    crate::words::duration((hours * 3600.0).round().max(0.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(
        hours: f64,
        factors: RiskFactors,
        age: Option<i32>,
        bmi: Option<f64>,
    ) -> RiskCategory {
        assess(hours, &factors, age, bmi).category
    }

    #[test]
    fn the_population_note_gives_round_figures_and_the_trip_as_the_plan_says_it() {
        let a = assess(
            11.0 + 1.0 / 3.0,
            &RiskFactors::default(),
            Some(35),
            Some(23.0),
        );
        assert!(
            a.population_note.contains("about 1 in 4,700 flights"),
            "{}",
            a.population_note
        );
        assert!(
            a.population_note.contains("a trip of 11 h 20 min carries"),
            "{}",
            a.population_note
        );
        assert_eq!(hours_and_minutes(12.0), "12 h");
        assert_eq!(hours_and_minutes(0.75), "45 min");
    }

    #[test]
    fn a_healthy_traveller_on_a_long_flight_needs_no_extra_measures() {
        // ASH 2018, recommendation 2: no stockings, LMWH or aspirin.
        let a = assess(11.0, &RiskFactors::default(), Some(35), Some(23.0));
        assert_eq!(a.category, RiskCategory::NoRiskFactors);
        assert!(!a.stockings_suggested && !a.talk_to_doctor);
        assert!(
            a.population_note.contains("1 in 4,700"),
            "{}",
            a.population_note
        );
    }

    #[test]
    fn one_risk_factor_gets_the_accp_measures() {
        // ACCP 2012: oestrogen, pregnancy, advanced age, obesity… → walks,
        // calf exercise, aisle seat, 15–30 mmHg below-knee stockings.
        for factors in [
            RiskFactors {
                oestrogen: true,
                ..Default::default()
            },
            RiskFactors {
                pregnant: true,
                ..Default::default()
            },
            RiskFactors {
                thrombophilia: true,
                ..Default::default()
            },
        ] {
            assert_eq!(
                category(8.0, factors, Some(30), None),
                RiskCategory::Increased,
                "{factors:?}"
            );
        }
        assert_eq!(
            category(8.0, RiskFactors::default(), Some(72), None),
            RiskCategory::Increased
        );
        assert_eq!(
            category(8.0, RiskFactors::default(), Some(40), Some(34.0)),
            RiskCategory::Increased
        );
        assert!(
            assess(
                8.0,
                &RiskFactors {
                    oestrogen: true,
                    ..Default::default()
                },
                None,
                None
            )
            .stockings_suggested
        );
    }

    #[test]
    fn ash_examples_of_substantially_increased_risk() {
        // ASH 2018: recent surgery, prior VTE, postpartum, active cancer,
        // or two or more factors (e.g. oestrogen with obesity).
        for factors in [
            RiskFactors {
                previous_clot: true,
                ..Default::default()
            },
            RiskFactors {
                recent_surgery_or_trauma: true,
                ..Default::default()
            },
            RiskFactors {
                postpartum: true,
                ..Default::default()
            },
            RiskFactors {
                active_cancer: true,
                ..Default::default()
            },
            RiskFactors {
                oestrogen: true,
                obesity: true,
                ..Default::default()
            },
        ] {
            let a = assess(9.0, &factors, Some(30), None);
            assert_eq!(
                a.category,
                RiskCategory::SubstantiallyIncreased,
                "{factors:?}"
            );
            assert!(a.talk_to_doctor);
        }
    }

    #[test]
    fn short_trips_fall_outside_the_guidelines_but_a_previous_clot_still_means_a_doctor() {
        // One minor factor (age 60, say) on a short hop asks for no more
        // than on a long flight, where it is "increased": no doctor.
        let sixty = assess(1.5, &RiskFactors::default(), Some(66), None);
        assert_eq!(sixty.category, RiskCategory::ShortTrip);
        assert!(!sixty.talk_to_doctor);
        assert!(!assess(10.0, &RiskFactors::default(), Some(66), None).talk_to_doctor);
        // Two of them would be substantially increased on a long one.
        assert!(assess(1.5, &RiskFactors::default(), Some(66), Some(32.0)).talk_to_doctor);
        let a = assess(
            2.5,
            &RiskFactors {
                previous_clot: true,
                ..Default::default()
            },
            None,
            None,
        );
        assert_eq!(a.category, RiskCategory::ShortTrip);
        assert!(a.talk_to_doctor);
        assert!(!assess(2.5, &RiskFactors::default(), None, None).talk_to_doctor);
        // Read as such: not "no extra measures needed" beside "talk to your
        // doctor", and not "1.0× the risk of a 4-hour one".
        assert_eq!(
            a.label(),
            "short trip, with a risk factor to ask a doctor about"
        );
        assert_eq!(sixty.label(), "short trip: no extra measures needed");
        assert!(
            a.population_note
                .contains("a trip of 2 h 30 min is shorter than the flights these figures cover"),
            "{}",
            a.population_note
        );
        assert!(!a.population_note.contains('×'), "{}", a.population_note);
    }

    #[test]
    fn each_two_hours_adds_eighteen_percent() {
        let a = assess(8.0, &RiskFactors::default(), None, None);
        assert!((a.length_factor - 1.18 * 1.18).abs() < 1e-9);
        assert_eq!(
            assess(4.0, &RiskFactors::default(), None, None).length_factor,
            1.0
        );
    }

    #[test]
    fn every_question_ticks_its_own_factor() {
        let none = RiskFactors::default();
        let mut seen = Vec::new();
        for q in RISK_QUESTIONS {
            let one = RiskFactors::from_keys(&[q.key]).expect(q.key);
            assert_ne!(one, none, "{} ticks something", q.key);
            assert!(!seen.contains(&one), "{} ticks a factor of its own", q.key);
            seen.push(one);
        }
        let all: Vec<_> = RISK_QUESTIONS.iter().map(|q| q.key).collect();
        let every = RiskFactors::from_keys(&all).expect("all");
        // Every field ticked: the list asks all of them.
        let json = serde_json::to_value(every).expect("json");
        let fields = json.as_object().expect("object");
        assert_eq!(fields.len(), RISK_QUESTIONS.len());
        assert!(fields.values().all(|v| v == true), "{json}");
        let error = RiskFactors::from_keys(&["smoking"]).expect_err("unknown");
        assert!(error.to_string().contains("\"smoking\""), "{error}");
    }
}
