//! STUB
pub struct ReplayProvider;
