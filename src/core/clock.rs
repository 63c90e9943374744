//! The wall clock, read only at the edges (the terminal loop and the commands); the core takes
//! the time of a change as an argument so tests can fix it.

use jiff::Timestamp;

/// The latest clock pathway works with: dates computed from now (a review a century out, a
/// week's bounds in any time zone) must stay inside the range dates can have.
const LATEST: Timestamp = Timestamp::constant(253_370_764_800, 0);

/// Now, to the millisecond. Change times decide which copy of an item wins when two processes
/// save (see `Progress::merge_from`), so they must tell apart changes made in the same second;
/// nothing finer than a millisecond is worth keeping in the file.
pub fn now() -> Timestamp {
    let now = Timestamp::try_from(std::time::SystemTime::now())
        .unwrap_or(LATEST)
        .min(LATEST);
    Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now)
}

/// Whether the system clock reads a time pathway can work with; checked once at start-up, so a
/// clock set centuries ahead is a message, never a panic deep in date arithmetic.
pub fn check() -> Result<(), String> {
    match Timestamp::try_from(std::time::SystemTime::now()) {
        Ok(now) if now < LATEST => Ok(()),
        Ok(now) => Err(format!(
            "the system clock reads {now}, past the dates pathway can work with (before the year \
             9999); set the clock right and try again"
        )),
        Err(e) => Err(format!(
            "the system clock reads a time outside the dates pathway can work with ({e}); set \
             the clock right and try again"
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_latest_time_is_the_first_day_of_9999() {
        assert_eq!(super::LATEST.to_string(), "9999-01-01T00:00:00Z");
    }
}
