//! The wall clock, read only at the edges (the terminal loop and the commands); the core takes
//! the time of a change as an argument so tests can fix it.

use jiff::Timestamp;

/// Now, to the millisecond. Change times decide which copy of an item wins when two processes
/// save (see `Progress::merge_from`), so they must tell apart changes made in the same second;
/// nothing finer than a millisecond is worth keeping in the file.
pub fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now)
}
