//! Drinks the user logs.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Error, Result};

/// The largest single drink logged, mL.
pub const MAX_DRINK_ML: u32 = 2_000;

/// A drink that has been checked and can be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Drink {
    ml: u32,
    at: DateTime<Utc>,
}

impl Drink {
    /// Checks a drink of `ml` millilitres taken at `at`: 1 to
    /// [`MAX_DRINK_ML`] mL (a larger number is a typing error).
    pub fn new(ml: u32, at: DateTime<Utc>) -> Result<Self> {
        if !(1..=MAX_DRINK_ML).contains(&ml) {
            return Err(Error::invalid(
                "drink",
                format!("1–{MAX_DRINK_ML} mL (got {ml})"),
            ));
        }
        Ok(Self { ml, at })
    }

    /// How much, mL.
    pub fn ml(&self) -> u32 {
        self.ml
    }

    /// When.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    #[test]
    fn a_drink_is_one_to_two_thousand_millilitres() {
        let at = utc("2026-11-21T08:00:00Z");
        assert_eq!(Drink::new(250, at).expect("drink").ml(), 250);
        assert!(Drink::new(MAX_DRINK_ML, at).is_ok());
        for ml in [0, MAX_DRINK_ML + 1] {
            let err = Drink::new(ml, at).expect_err("out of range");
            assert_eq!(
                err.to_string(),
                format!("invalid drink: 1–2000 mL (got {ml})")
            );
        }
    }
}
