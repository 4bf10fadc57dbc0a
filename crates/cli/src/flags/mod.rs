pub mod parse;
pub mod probe;
