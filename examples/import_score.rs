//! Scores `zhiku import` on a folder of inputs with `<file>.expected.json` beside each:
//! `cargo run --release --example import_score -- DIR`. Prints passed checks per kind and per
//! kind of input, every failure, and the percentage. Given a file instead of a folder, prints
//! its draft and report (nothing is written).

fn main() -> std::process::ExitCode {
    let Some(arg) = std::env::args().nth(1).filter(|a| a != "--help" && a != "-h") else {
        eprintln!("usage: import_score DIR   (DIR holds inputs and <input>.expected.json files)");
        eprintln!("       import_score FILE  (prints the draft of one input)");
        return std::process::ExitCode::from(2);
    };
    let path = std::path::Path::new(&arg);
    if path.is_file() {
        // `IMPORT_DUMP=1`: the reader's document (blocks and hints) before the cleaner.
        if std::env::var_os("IMPORT_DUMP").is_some() {
            let bytes = std::fs::read(path).unwrap_or_default();
            let doc = match path.extension().and_then(|e| e.to_str()) {
                Some("docx") => zhiku::import::docx::read(&bytes),
                Some("pdf") => zhiku::import::pdf::read(&bytes),
                _ => Err("IMPORT_DUMP reads .docx and .pdf".to_string()),
            };
            match doc {
                Ok(doc) => {
                    doc.blocks.iter().for_each(|b| println!("{b:?}"));
                    doc.meta.iter().for_each(|m| println!("{m:?}"));
                }
                Err(e) => eprintln!("{e}"),
            }
        }
        let site = std::env::temp_dir().join(format!("zhiku-import-show-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&site);
        let mut options = zhiku::import::ImportOptions::new(&site);
        options.dry_run = true;
        let result = zhiku::import::import(&[path.to_path_buf()], &options);
        let _ = std::fs::remove_dir_all(&site);
        return match result {
            Ok(done) => {
                for item in done {
                    let page_type = item.draft.page_type.unwrap_or(zhiku::content::PageType::Page);
                    print!("{}\n{}", item.draft.to_markdown(page_type), item.report);
                }
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    match zhiku::import::score::score_dir(path) {
        Ok(checks) => {
            print!("{}", zhiku::import::score::summary(&checks));
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot read `{arg}`: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
