//! Rebuilds when a bundled suite changes: `include_dir!` embeds `suites/repair`, and stable Rust
//! cannot tell cargo which files a macro read.

fn main() {
    println!("cargo::rerun-if-changed=suites");
}
