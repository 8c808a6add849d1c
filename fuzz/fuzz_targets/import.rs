//! The importer on any bytes, through every reader (text, saved HTML, Word, PDF) and the one
//! cleaner: decoding, chrome rules, metadata and outline detection never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhiku::import::{self, docx, html};

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = import::decode(data) {
        let _ = import::import_text(&text, &[]);
    }
    let _ = html::read(data, None);
    let _ = docx::read(data);
    // Not `pdf::read`: pdf-extract panics on malformed files (caught there by catch_unwind and
    // reported as "could not be read"), and libFuzzer aborts on every panic, caught or not.
});
