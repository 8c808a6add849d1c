//! Times the preview: from saving one page's body to the reload event the browser receives.
//!
//!     cargo run --release --example reload -- SITE_DIR [ROUNDS]
//!
//! Starts `zhiku serve` in-process on a free port, listens on the event stream like a tab,
//! edits one page's body ROUNDS times (default 5), and prints median and max. The page is put
//! back as it was when the run ends, also when it fails.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: cargo run --release --example reload -- SITE_DIR [ROUNDS]\n\n\
Starts the preview of SITE_DIR, edits the body of its first page under content/speeches ROUNDS\n\
times (default 5) in a later and in the first paragraph, and prints the time from each save to\n\
the reload event. The page is restored afterwards.";

/// Puts the edited page back as it was, however the run ends (but a kill).
struct Restore {
    path: std::path::PathBuf,
    text: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        if let Err(e) = std::fs::write(&self.path, &self.text) {
            eprintln!("error: cannot restore {}: {e}", self.path.display());
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds = match args.get(1).map(|r| r.parse::<usize>()) {
        None => Ok(5),
        Some(r) => r.ok().filter(|&r| r > 0).ok_or(()),
    };
    let (Some(root), Ok(rounds)) = (args.first().filter(|a| !a.starts_with('-')), rounds) else {
        let help = args.iter().any(|a| a == "-h" || a == "--help");
        eprintln!("{USAGE}");
        std::process::exit(if help { 0 } else { 2 });
    };
    let root = std::path::PathBuf::from(root);
    let mut options = zhiku::serve::ServeOptions::new(&root);
    options.port = 0;
    let started = Instant::now();
    let server = zhiku::serve::Server::start(&options).unwrap_or_else(|e| {
        eprintln!("error: the preview of {} does not start: {e}", root.display());
        std::process::exit(1);
    });
    println!("preview start (first build): {:.1} s", started.elapsed().as_secs_f64());

    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(stream, "GET /__zhiku/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(600))).unwrap();
    let mut events = BufReader::new(stream);
    let mut line = String::new();
    while events.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
        line.clear();
    }

    let page = walkdir::WalkDir::new(root.join("content/speeches"))
        .into_iter()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
        .expect("a page under content/speeches")
        .into_path();
    let original = std::fs::read_to_string(&page).unwrap();
    let restore = Restore { path: page.clone(), text: original.clone() };
    let body = original.match_indices("---").nth(1).map_or(0, |(i, _)| i + 3);
    let body = body + (original[body..].len() - original[body..].trim_start().len());
    // Two kinds of edit: a sentence in a later paragraph (only the page and its search entry
    // change), and one in the first paragraph (its summary changes, so every list showing the
    // page is rendered again: section, topics, region, home).
    let mut two_thirds = body + (original.len() - body) * 2 / 3;
    while !original.is_char_boundary(two_thirds) {
        two_thirds += 1;
    }
    let later = original[two_thirds..].find('。').map(|q| two_thirds + q);
    let first = original[body..].find('。').map(|i| body + i);
    for (kind, at) in [("later paragraph", later), ("first paragraph", first)] {
        let at = at.map_or(original.len(), |i| i + '。'.len_utf8());
        let mut times = Vec::new();
        for round in 0..rounds {
            let edited = format!("{}预览计时第{round}次。{}", &original[..at], &original[at..]);
            std::fs::write(&page, edited).unwrap();
            let saved = Instant::now();
            // The reload every tab gets (data `1`); a later one listing pages comes from
            // related pages settling and is not counted.
            let mut event = String::new();
            loop {
                let mut l = String::new();
                events.read_line(&mut l).unwrap();
                if let Some(e) = l.strip_prefix("event: ") {
                    event = e.trim().to_string();
                }
                assert!(event != "error", "build error during timing");
                if event == "reload" && l.trim() == "data: 1" {
                    break;
                }
            }
            times.push(saved.elapsed().as_secs_f64() * 1000.0);
            // Let related pages settle (their reload is drained) before the next save.
            events.get_ref().set_read_timeout(Some(Duration::from_millis(1500))).unwrap();
            let mut l = String::new();
            while events.read_line(&mut l).is_ok_and(|n| n > 0) {
                l.clear();
            }
            events.get_ref().set_read_timeout(Some(Duration::from_secs(600))).unwrap();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "preview save-to-reload, edit in the {kind}: median {:.0} ms, max {:.0} ms over {rounds} saves",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    // The server's threads do not end by themselves: restore the page, then exit.
    drop(restore);
    std::process::exit(0);
}
