//! Loggvakt: a rules engine for following up access to health records.

pub mod codes;
pub mod diagnostic;
pub mod event;
pub mod read;
pub mod time;
