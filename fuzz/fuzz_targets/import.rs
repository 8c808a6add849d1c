//! The importer on any bytes, through every reader (text, saved HTML, Word, PDF) and the one
//! cleaner: decoding, chrome rules, metadata and outline detection never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhiku::import::{self, docx, html, pdf};

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = import::decode(data) {
        let _ = import::import_text(&text, &[]);
    }
    let _ = html::read(data, None);
    let _ = docx::read(data);
    let _ = pdf::read(data);
});
