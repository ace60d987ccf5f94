//! Loggvakt: a rules engine for following up access to health records.

pub mod ast;
pub mod check;
pub mod codes;
pub mod diagnostic;
pub mod event;
pub mod parse;
pub mod read;
pub mod rule;
pub mod time;
