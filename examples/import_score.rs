//! Scores `zhiku import` on a folder of inputs with `<file>.expected.json` beside each:
//! `cargo run --release --example import_score -- DIR`. Prints passed checks per kind, every
//! failure, and the percentage.

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args().nth(1).filter(|a| a != "--help" && a != "-h") else {
        eprintln!("usage: import_score DIR   (DIR holds inputs and <input>.expected.json files)");
        return std::process::ExitCode::from(2);
    };
    match zhiku::import::score::score_dir(std::path::Path::new(&dir)) {
        Ok(checks) => {
            print!("{}", zhiku::import::score::summary(&checks));
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot read `{dir}`: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
