//! The font charts are measured and drawn with: Liberation Sans (SIL Open Font License 1.1, see
//! `assets/fonts/LICENSE-LiberationSans.txt`), embedded in the binary and registered with plotters
//! as `sans-serif`, so drawing needs no system font library. The HTML report names `sans-serif` in
//! its SVG text and lets the browser pick a local face with Arial's metrics, which this font shares.

use std::sync::OnceLock;

use plotters::style::FontStyle;

const LIBERATION_SANS: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");

/// Register the embedded font once per process.
pub fn register() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font("sans-serif", FontStyle::Normal, LIBERATION_SANS)
                .map_err(|_| "the embedded chart font cannot be read".to_string())
        })
        .clone()
}
