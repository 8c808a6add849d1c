//! Rebuilds the crate when a message catalogue in `locales/` changes: rust-i18n reads them
//! while compiling, and cargo would not know to look at them otherwise.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
