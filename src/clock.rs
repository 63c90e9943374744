//! The wall clock, read only at the edges (the terminal loop and the commands); the core takes
//! the time of a change as an argument so tests can fix it.

use jiff::Timestamp;

/// Now, to the second: progress files stay readable and nothing finer is ever shown.
pub fn now() -> Timestamp {
    Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_else(|_| Timestamp::now())
}
