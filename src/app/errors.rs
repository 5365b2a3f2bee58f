//! Errors that end a command, each with the exit code it maps to (DESIGN contract 5):
//! 0 done; 1 a regression gate failed; 2 bad usage, configuration or input; 3 an internal or storage
//! failure; 130 interrupted (Ctrl-C), 143 stopped by SIGTERM or SIGHUP (both resumable).

use crate::families::SuiteError;
use crate::store::StoreError;

/// Exit code: done.
pub const EXIT_OK: u8 = 0;
/// Exit code: done, but a regression gate failed.
pub const EXIT_REGRESSION: u8 = 1;
/// Exit code: bad usage, configuration or input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: an internal or storage failure.
pub const EXIT_INTERNAL: u8 = 3;
/// Exit code: interrupted by Ctrl-C; `--resume` finishes the run.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Why a command could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags, configuration or input (a suite, a run id that does not exist...).
    #[error("{0}")]
    Usage(String),
    /// The store cannot be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something bench itself could not do (start a runtime, a thread).
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// A usage, configuration or input error.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }

    /// The exit code this error ends the process with.
    pub fn process_exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => EXIT_USAGE,
            Error::Store(_) | Error::Internal(_) => EXIT_INTERNAL,
        }
    }
}

impl From<SuiteError> for Error {
    fn from(e: SuiteError) -> Error {
        Error::Usage(e.to_string())
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Error {
        Error::Usage(e.to_string())
    }
}

/// What a command returns: its exit code when it did its work.
pub type Result<T = u8> = std::result::Result<T, Error>;
