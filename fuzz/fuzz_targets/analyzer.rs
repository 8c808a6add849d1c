//! The search analyzer and query parser on any text: never a panic, positions in order.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let tokens = zhiku::search::analyzer::tokenize(text);
    assert!(tokens.windows(2).all(|w| w[0].position <= w[1].position));
    let _ = zhiku::search::analyzer::fold_text(text);
    let _ = zhiku::search::query::parse(text);
});
