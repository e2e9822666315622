//! How the core and the CLI write amounts of time in their sentences, as
//! the apps' headers do.

/// 5400 s → "1 h 30 min"; 1800 s → "30 min"; 7200 s → "2 h" (to the
/// nearest minute).
pub fn duration(seconds: u64) -> String {
    let minutes = seconds.saturating_add(30) / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_hours_and_minutes_as_the_headers_do() {
        assert_eq!(duration(1800), "30 min");
        assert_eq!(duration(5400), "1 h 30 min");
        assert_eq!(duration(7200), "2 h");
        assert_eq!(duration(7229), "2 h");
        assert_eq!(duration(7230), "2 h 1 min");
    }
}
