//! Rebuilds the crate when a message catalogue in `locales/` or a file of the built-in theme in
//! `themes/default/` changes: rust-i18n reads the first and `include_dir!` the second while
//! compiling, and cargo would not know to look at them otherwise.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=themes/default");
}
