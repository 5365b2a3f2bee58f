//! Where bench keeps files between runs outside the results folder: one lookup for every cache.

use std::path::PathBuf;

/// `${XDG_CACHE_HOME:-$HOME/.cache}/bench` (empty variables count as unset); `None` without either.
pub fn cache_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|home| home.join(".cache")))
        .map(|base| base.join("bench"))
}
