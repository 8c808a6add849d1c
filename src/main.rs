//! The `zhiku` command line: parses arguments and calls the library.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use zhiku::content::PageType;
use zhiku::safety::terminal_safe;
use zhiku::site::{self, BuildOptions};

#[derive(Parser)]
#[command(
    name = "zhiku",
    version,
    about = "知库 — builds a cross-linked, searchable Chinese knowledge base from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ into public/
    Build {
        /// Site folder (holding config.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override config.yaml's base_url (for sitemap and feeds)
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Validate content, links and templates without writing anything
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new page: content/<section>/<slug>.md with a front-matter template
    New {
        /// speech | commentary | reflection | case | policy | page
        #[arg(value_parser = parse_type)]
        page_type: PageType,
        /// The page title, e.g. "在全区社会工作会议上的讲话"
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new knowledge base in DIR
    Init { dir: PathBuf },
    /// Turn raw texts scraped from the web into Markdown drafts (with a report of what changed)
    Import {
        /// Files (text, saved web pages .html, Word .docx, PDF) or folders of them
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Page type for every draft (default: detected from the text)
        #[arg(long = "type", value_parser = parse_type)]
        page_type: Option<PageType>,
        /// Section folder under content/ (default: the type's section)
        #[arg(long)]
        section: Option<String>,
        /// Write drafts into this folder instead of content/<section>/
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace existing drafts
        #[arg(long)]
        force: bool,
        /// Print the report without writing anything
        #[arg(long)]
        dry_run: bool,
    },
    /// Preview the site with live reload (builds into .zhiku/preview, never over public/)
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// First port to try; the next free one is used if it is taken
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on (only this machine by default)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Search the last build's index (builds the site first if there is none)
    Search {
        /// Words or phrases; all parts must match, quotes force a phrase: 社会工作 "新就业 群体"
        query: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Number of results to print
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Only pages of this type (speech, commentary, reflection, case, policy, page, topic)
        #[arg(long = "type")]
        page_type: Option<String>,
        /// Only pages on this topic (its title)
        #[arg(long)]
        topic: Option<String>,
        /// Only pages of this year
        #[arg(long)]
        year: Option<String>,
        /// Only pages of this region
        #[arg(long)]
        region: Option<String>,
        /// Print a JSON array of {url, title, score, snippet, type, date}, best first
        #[arg(long)]
        json: bool,
        /// Print the number of matching pages per year instead (with --json: [{year, count}])
        #[arg(long)]
        by_year: bool,
    },
}

fn parse_type(s: &str) -> Result<PageType, String> {
    PageType::parse(s).ok_or_else(|| "expected one of: speech, commentary, reflection, case, policy, page".to_string())
}

/// Writes command output to stdout.
fn print_out(args: std::fmt::Arguments) -> std::io::Result<()> {
    use std::io::Write;
    std::io::stdout().lock().write_fmt(args)
}

/// A reader that closed the pipe early (`zhiku search 党 | head`) is not an error.
fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<zhiku::Error>() {
                Some(e) => eprintln!("{}", e.report()),
                None => eprintln!("error: {}", terminal_safe(&format!("{e:#}"))),
            }
            ExitCode::FAILURE
        }
    }
}

fn print_warnings(warnings: &[zhiku::Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build { root, output, base_url, drafts } => {
            let mut options = BuildOptions::new(root);
            options.output = output;
            options.base_url = base_url;
            options.drafts = drafts;
            let started = std::time::Instant::now();
            let report = site::build(&options)?;
            print_warnings(&report.warnings);
            eprintln!(
                "built {} pages into {} ({} files, {:.1} MB) in {:.2}s",
                report.pages,
                options.output_dir().display(),
                report.files,
                report.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            if std::env::var_os("ZHIKU_TIMINGS").is_some() {
                for lap in &report.timings {
                    eprintln!(
                        "  {:<12} {:.3}s (CPU {:.2}s) memory {} MiB, peak {} MiB",
                        lap.stage, lap.wall, lap.cpu, lap.rss_mib, lap.peak_mib
                    );
                }
            }
        }
        Command::Check { root } => {
            let report = site::check(&root)?;
            print_warnings(&report.warnings);
            eprintln!("checked {} pages: no errors, {} warning(s)", report.pages, report.warnings.len());
        }
        Command::New { page_type, title, root } => {
            let path = zhiku::scaffold::new_page(&root, page_type, &title, &zhiku::scaffold::today())?;
            print_out(format_args!("{}\n", path.display()))?;
            eprintln!("created {} (draft: true — remove it to publish)", path.display());
        }
        Command::Init { dir } => {
            let files = zhiku::scaffold::init(&dir, &zhiku::scaffold::today())
                .with_context(|| format!("cannot start a knowledge base in `{}`", dir.display()))?;
            for f in &files {
                eprintln!("  created {}", f.display());
            }
            eprintln!("done. next: cd {} && zhiku build", dir.display());
        }
        Command::Import { inputs, root, page_type, section, out, force, dry_run } => {
            let mut options = zhiku::import::ImportOptions::new(root);
            options.page_type = page_type;
            options.section = section;
            options.out = out;
            options.force = force;
            options.dry_run = dry_run;
            use std::io::IsTerminal;
            let tty = std::io::stderr().is_terminal();
            let mut progress = |done: usize, total: usize, file: &std::path::Path| {
                if tty && total > 1 {
                    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let name: String = terminal_safe(&name).chars().take(50).collect();
                    eprint!("\r\x1b[2K[{done}/{total}] {name}");
                    if done == total {
                        eprintln!();
                    }
                }
            };
            // One file that cannot be read does not stop the batch: the others are imported
            // and reported, the failures are listed at the end (and the exit status says so).
            let (imported, failed) = zhiku::import::import_batch(&inputs, &options, &mut progress)?;
            for item in &imported {
                let verb = if item.written { "wrote" } else { "would write" };
                print_out(format_args!(
                    "{} → {verb} {}\n{}\n",
                    terminal_safe(&item.input.display().to_string()),
                    terminal_safe(&item.output.display().to_string()),
                    terminal_safe(&item.report)
                ))?;
            }
            if imported.len() + failed.len() > 1 {
                print_out(format_args!("{}", terminal_safe(&zhiku::import::batch_table(&imported, &failed))))?;
            }
            if !failed.is_empty() {
                for d in &failed {
                    eprintln!("{d}");
                }
                let written = imported.iter().filter(|i| i.written).count();
                anyhow::bail!("{} file(s) not imported; {written} draft(s) written", failed.len());
            }
        }
        Command::Serve { root, port, bind, open, drafts } => {
            let mut options = zhiku::serve::ServeOptions::new(root);
            options.port = port;
            options.bind = bind;
            options.drafts = drafts;
            let server = zhiku::serve::Server::start(&options)?;
            if let Some(e) = server.error() {
                eprintln!("{e}");
            }
            eprintln!("serving {} at {} (Ctrl+C to stop)", server.dir.display(), server.url);
            if open {
                let _ = std::process::Command::new("xdg-open").arg(&server.url).spawn();
            }
            loop {
                std::thread::park();
            }
        }
        Command::Search { query, root, by_year: true, json, .. } => {
            let (searched, was_cut) = zhiku::search::query::cut(&query);
            if was_cut {
                let max = zhiku::search::query::MAX_QUERY_CHARS;
                eprintln!("note: the query is longer than {max} characters; only its first {max} are searched");
            }
            let years = site::search_by_year(&root, searched)?;
            if json {
                let list: Vec<serde_json::Value> =
                    years.iter().map(|(y, n)| serde_json::json!({ "year": y, "count": n })).collect();
                print_out(format_args!("{}\n", serde_json::to_string_pretty(&list)?))?;
            } else {
                let most = years.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
                for (y, n) in &years {
                    let bar = "█".repeat((n * 40).div_ceil(most));
                    print_out(format_args!("{y}  {n:>6}  {bar}\n"))?;
                }
                let total: usize = years.iter().map(|(_, n)| n).sum();
                eprintln!("{total} dated page(s) match `{searched}`, by year");
            }
        }
        Command::Search { query, root, limit, page_type, topic, year, region, json, by_year: false } => {
            let filters = [("type", page_type), ("topic", topic), ("year", year), ("region", region)]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
                .collect();
            let options = zhiku::search::query::SearchOptions { limit, filters };
            let (searched, was_cut) = zhiku::search::query::cut(&query);
            if was_cut {
                let max = zhiku::search::query::MAX_QUERY_CHARS;
                eprintln!("note: the query is longer than {max} characters; only its first {max} are searched");
            }
            let (results, total) = site::search(&root, searched, &options)?;
            if json {
                print_out(format_args!("{}\n", serde_json::to_string_pretty(&results)?))?;
            } else {
                for (i, r) in results.iter().enumerate() {
                    print_out(format_args!(
                        "{:>2}. {}  [{} {}]  {:.4}\n    {}\n    {}\n",
                        i + 1,
                        terminal_safe(&r.title),
                        r.kind,
                        r.date,
                        r.score,
                        terminal_safe(&r.url),
                        terminal_safe(&r.snippet)
                    ))?;
                }
                eprintln!("{} of {total} result(s) for `{searched}`", results.len());
            }
        }
    }
    Ok(())
}
