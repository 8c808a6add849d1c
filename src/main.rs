//! The `zhiku` command line: parses arguments and calls the library.

use anyhow::Context;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use rust_i18n::t;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use zhiku::content::PageType;
use zhiku::safety::terminal_safe;
use zhiku::site::{self, BuildOptions};

rust_i18n::i18n!("locales", fallback = "en");

#[derive(Parser)]
#[command(
    name = "zhiku",
    version,
    about = "知库 — builds a cross-linked, searchable Chinese knowledge base from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages: zh or en
    #[arg(long, global = true, value_parser = ["zh", "en"])]
    lang: Option<String>,
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
    Init {
        /// Folder for the new knowledge base (created if missing)
        dir: PathBuf,
    },
    /// Turn texts copied from the web, saved web pages, Word and PDF files into Markdown drafts
    Import {
        /// Files (text, saved web pages .html/.mhtml/.mht, Word .docx/.doc/.wps, PDF) or folders of them
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
        /// Print queries one character away that find pages, when this one finds none (with
        /// --json: [{text, count}])
        #[arg(long, conflicts_with = "by_year")]
        suggest: bool,
    },
}

fn parse_type(s: &str) -> Result<PageType, String> {
    PageType::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = PageType::ALL.iter().flat_map(|t| t.names()).copied().collect();
        let suggestion = zhiku::diagnostic::did_you_mean(s, names).map(|s| format!("; {s}")).unwrap_or_default();
        t!("cli.bad_type", value = s, suggestion = suggestion).into_owned()
    })
}

/// The value of `--name VALUE` or `--name=VALUE` among the raw arguments, read before clap
/// parses them: the language must be known to write `--help`.
fn raw_option(args: &[OsString], name: &str) -> Option<String> {
    let long = format!("--{name}");
    let prefix = format!("--{name}=");
    args.iter().enumerate().skip(1).find_map(|(i, a)| {
        let a = a.to_str()?;
        if a == long {
            args.get(i + 1)?.to_str().map(str::to_string)
        } else {
            a.strip_prefix(&prefix).map(str::to_string)
        }
    })
}

/// The site's `language` from its config.yaml (the one `--root` names, or the current
/// folder's), if it can be read; used only when no locale is set (see `zhiku::i18n`).
fn site_language(args: &[OsString]) -> Option<String> {
    let root = raw_option(args, "root").map_or_else(|| PathBuf::from("."), PathBuf::from);
    zhiku::config::Config::load(&root).ok().map(|c| c.language)
}

/// The command line with its help texts in the language of messages.
fn localized_command() -> clap::Command {
    let template = format!("{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}", t!("cli.usage"));
    let help_arg = || {
        clap::Arg::new("help").short('h').long("help").action(clap::ArgAction::Help).help(t!("cli.help").into_owned())
    };
    let localize = |c: clap::Command, about: String, args: &[(&str, String)]| {
        let mut c = c.about(about).help_template(&template).disable_help_flag(true).arg(help_arg());
        for (name, help) in args {
            c = c.mut_arg(*name, |a| a.help(help.clone()));
        }
        let (options, arguments) = (t!("cli.options").into_owned(), t!("cli.arguments").into_owned());
        c.mut_args(|a| {
            let heading = if a.is_positional() { arguments.clone() } else { options.clone() };
            a.help_heading(heading)
        })
    };
    let root = || ("root", t!("cli.root").into_owned());
    let drafts = || ("drafts", t!("cli.drafts").into_owned());
    /// A subcommand's name, its about line and its arguments' help.
    type Texts = (&'static str, String, Vec<(&'static str, String)>);
    let subcommands: Vec<Texts> = vec![
        (
            "build",
            t!("cli.build.about").into_owned(),
            vec![
                root(),
                ("output", t!("cli.build.output").into_owned()),
                ("base_url", t!("cli.build.base_url").into_owned()),
                drafts(),
            ],
        ),
        ("check", t!("cli.check.about").into_owned(), vec![root()]),
        (
            "new",
            t!("cli.new.about").into_owned(),
            vec![
                ("page_type", t!("cli.new.page_type").into_owned()),
                ("title", t!("cli.new.title").into_owned()),
                root(),
            ],
        ),
        ("init", t!("cli.init.about").into_owned(), vec![("dir", t!("cli.init.dir").into_owned())]),
        (
            "import",
            t!("import.cli.about").into_owned(),
            vec![
                ("inputs", t!("import.cli.inputs").into_owned()),
                root(),
                ("page_type", t!("import.cli.type").into_owned()),
                ("section", t!("import.cli.section").into_owned()),
                ("out", t!("import.cli.out").into_owned()),
                ("force", t!("import.cli.force").into_owned()),
                ("dry_run", t!("import.cli.dry_run").into_owned()),
            ],
        ),
        (
            "serve",
            t!("cli.serve.about").into_owned(),
            vec![
                root(),
                ("port", t!("cli.serve.port").into_owned()),
                ("bind", t!("cli.serve.bind").into_owned()),
                ("open", t!("cli.serve.open").into_owned()),
                drafts(),
            ],
        ),
        (
            "search",
            t!("cli.search.about").into_owned(),
            vec![
                ("query", t!("cli.search.query").into_owned()),
                root(),
                ("limit", t!("cli.search.limit").into_owned()),
                ("page_type", t!("cli.search.type").into_owned()),
                ("topic", t!("cli.search.topic").into_owned()),
                ("year", t!("cli.search.year").into_owned()),
                ("region", t!("cli.search.region").into_owned()),
                ("json", t!("cli.search.json").into_owned()),
                ("suggest", t!("search.cli.suggest").into_owned()),
            ],
        ),
    ];
    let mut cmd = localize(Cli::command(), t!("cli.about").into_owned(), &[("lang", t!("cli.lang").into_owned())])
        .subcommand_help_heading(t!("cli.commands").into_owned())
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(t!("cli.version").into_owned())
                .help_heading(t!("cli.options").into_owned()),
        )
        .disable_help_subcommand(true);
    for (name, about, args) in subcommands {
        cmd = cmd.mut_subcommand(name, |c| localize(c, about, &args));
    }
    let examples = t!("import.cli.examples").into_owned();
    cmd.mut_subcommand("import", |c| c.after_help(examples))
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
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = zhiku::i18n::detect(
        raw_option(&args, "lang").as_deref(),
        |k| std::env::var(k).ok(),
        site_language(&args).as_deref(),
    );
    zhiku::i18n::set(lang);
    let matches = match localized_command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => command_line_error(e, &args),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<zhiku::Error>() {
                Some(e) => eprintln!("{}", e.report()),
                None => eprintln!("{}: {}", t!("diag.error"), terminal_safe(&format!("{e:#}"))),
            }
            ExitCode::FAILURE
        }
    }
}

/// A slip on the command line (`zhiku biuld`, `--port abc`) said in the reader's language with
/// what would work; help and version are printed as clap prints them.
fn command_line_error(e: clap::Error, args: &[OsString]) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let text = |kind: ContextKind| -> Vec<String> {
        match e.get(kind) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
            Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    let first = |kind: ContextKind| text(kind).into_iter().next().unwrap_or_default();
    let quoted = |v: Vec<String>| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            e.exit()
        }
        ErrorKind::InvalidSubcommand => t!("cli.bad.subcommand", name = first(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => t!("cli.bad.argument", name = first(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            t!("cli.bad.value", value = first(ContextKind::InvalidValue), name = first(ContextKind::InvalidArg))
        }
        ErrorKind::MissingRequiredArgument => t!("cli.bad.missing", names = quoted(text(ContextKind::InvalidArg))),
        ErrorKind::ArgumentConflict => {
            t!("cli.bad.conflict", name = first(ContextKind::InvalidArg), other = first(ContextKind::PriorArg))
        }
        _ => {
            let detail = e.render().to_string();
            let detail = detail.lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
            t!("cli.bad.other", detail = detail)
        }
    };
    eprintln!("{}: {}", t!("diag.error"), terminal_safe(&message));
    // A value parser's own words (`zhiku new 讲画`: the page types, the nearest one).
    // A number's parse error is the standard library's English: say it plainly instead.
    if let Some(reason) = std::error::Error::source(&e) {
        let reason = if reason.is::<std::num::ParseIntError>() || reason.is::<std::num::ParseFloatError>() {
            t!("cli.bad.number").into_owned()
        } else {
            reason.to_string()
        };
        eprintln!("  {}: {}", t!("diag.hint"), terminal_safe(&reason));
    }
    let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
        .into_iter()
        .flat_map(&text)
        .next()
        .filter(|s| !s.is_empty());
    if let Some(s) = suggested {
        eprintln!("  {}: {}", t!("diag.hint"), t!("cli.bad.did_you_mean", name = terminal_safe(&s)));
    }
    let valid = text(ContextKind::ValidValue);
    if !valid.is_empty() {
        eprintln!("  {}: {}", t!("diag.hint"), t!("cli.bad.valid", values = quoted(valid)));
    }
    let sub = args
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|a| ["init", "new", "build", "check", "import", "serve", "search"].contains(a));
    let command = match sub {
        Some(sub) => format!("{} {sub}", own_command()),
        None => own_command(),
    };
    eprintln!("  {}: {}", t!("diag.hint"), t!("cli.bad.help", command = command));
    std::process::exit(2)
}

/// How to run this program again, as the user can type it: `zhiku` when that name on the
/// `PATH` is this program, else its full path (run through `cargo run`, or not installed).
fn own_command() -> String {
    let Ok(me) = std::env::current_exe().and_then(|p| p.canonicalize()) else { return "zhiku".into() };
    let on_path = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths).map(|d| d.join(me.file_name().unwrap_or_default())).collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .any(|candidate| candidate.canonicalize().is_ok_and(|c| c == me));
    let name = me.file_stem().and_then(|n| n.to_str()).unwrap_or("zhiku");
    if on_path { name.to_string() } else { shell_word(&me.display().to_string()) }
}

/// `word` quoted for a POSIX shell when it holds anything but plain characters.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Progress on a terminal for work that takes more than a second: a spinner naming the stage,
/// or a bar when the amount of work (`length`) is known. Nothing is drawn when stderr is not a
/// terminal (piped or redirected), nor for work done within the second.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn new(length: Option<u64>) -> Progress {
        use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
        use std::io::IsTerminal;
        let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::hidden());
        let template = if length.is_some() { "{bar:30} {pos}/{len} {msg}" } else { "{spinner} {msg} {elapsed}" };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        if std::io::stderr().is_terminal() {
            let shown = bar.clone();
            std::thread::spawn(move || {
                // `ZHIKU_PROGRESS_DELAY_MS` shortens the wait (tests).
                let delay = std::env::var("ZHIKU_PROGRESS_DELAY_MS").ok().and_then(|v| v.parse().ok());
                std::thread::sleep(std::time::Duration::from_millis(delay.unwrap_or(1000)));
                if !shown.is_finished() {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(std::time::Duration::from_millis(120));
                }
            });
        }
        Progress { bar }
    }

    /// Clears the line, so the messages that follow start on a clean one.
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A build stage's name in the reader's language.
fn stage_label(stage: site::Stage) -> String {
    match stage {
        site::Stage::Load => t!("progress.load"),
        site::Stage::Link => t!("progress.link"),
        site::Stage::Index => t!("progress.index"),
        site::Stage::Render => t!("progress.render"),
        site::Stage::Pictures => t!("progress.pictures"),
        site::Stage::Write => t!("progress.write"),
    }
    .into_owned()
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
            let progress = Progress::new(None);
            let bar = progress.bar.clone();
            options.progress = site::StageHook::new(move |stage| bar.set_message(stage_label(stage)));
            let report = site::build(&options);
            progress.finish();
            let report = report?;
            print_warnings(&report.warnings);
            eprintln!(
                "{}",
                t!(
                    "cli.built",
                    pages = report.pages,
                    dir = options.output_dir().display(),
                    files = report.files,
                    mb = format!("{:.1}", report.bytes as f64 / 1e6),
                    secs = format!("{:.2}", started.elapsed().as_secs_f64())
                )
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
            let progress = Progress::new(None);
            let bar = progress.bar.clone();
            let report =
                site::check_with(&root, &site::StageHook::new(move |stage| bar.set_message(stage_label(stage))));
            progress.finish();
            let report = report?;
            print_warnings(&report.warnings);
            eprintln!("{}", t!("cli.checked", pages = report.pages, warnings = report.warnings.len()));
        }
        Command::New { page_type, title, root } => {
            let path = zhiku::scaffold::new_page(&root, page_type, &title, &zhiku::scaffold::today())?;
            print_out(format_args!("{}\n", path.display()))?;
            eprintln!("{}", t!("cli.created_page", path = path.display()));
        }
        Command::Init { dir } => {
            let files = zhiku::scaffold::init(&dir, &zhiku::scaffold::today())
                .with_context(|| t!("cli.init_failed", dir = dir.display()))?;
            for f in &files {
                eprintln!("{}", t!("cli.created", path = f.display()));
            }
            let next = format!("cd {} && {} build", shell_word(&dir.display().to_string()), own_command());
            eprintln!("{}", t!("cli.init_done", command = next));
        }
        Command::Import { inputs, root, page_type, section, out, force, dry_run } => {
            // Without a file, say what to give in the reader's language (clap's own message is
            // English).
            if inputs.is_empty() {
                anyhow::bail!("{}\n\n{}", t!("import.error.no_inputs"), t!("import.cli.examples"));
            }
            // Drafts go into `<root>/content/`: run outside a site, say so before writing (a
            // curator in the wrong folder would otherwise look for them in vain).
            if out.is_none() && !dry_run && !root.join(zhiku::config::CONFIG_FILE).is_file() {
                let shown = root.canonicalize().unwrap_or_else(|_| root.clone());
                let folder = terminal_safe(&shown.display().to_string()).into_owned();
                eprintln!(
                    "{}",
                    zhiku::diagnostic::Diagnostic::warning(
                        root.join(zhiku::config::CONFIG_FILE),
                        0,
                        0,
                        t!("import.cli.not_a_site", folder = folder)
                    )
                    .with_hint(t!("import.cli.not_a_site_hint"))
                );
            }
            let mut options = zhiku::import::ImportOptions::new(root);
            options.page_type = page_type;
            options.section = section;
            options.out = out;
            options.force = force;
            options.dry_run = dry_run;
            let bar = Progress::new(Some(0));
            let mut progress = |done: usize, total: usize, file: &std::path::Path| {
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let name: String = terminal_safe(&name).chars().take(50).collect();
                bar.bar.set_length(total as u64);
                bar.bar.set_position(done as u64);
                bar.bar.set_message(t!("import.cli.progress", file = name).into_owned());
            };
            // One file that cannot be read does not stop the batch: the others are imported
            // and reported, the failures are listed at the end (and the exit status says so).
            let batch = zhiku::import::import_batch(&inputs, &options, &mut progress);
            bar.finish();
            let (imported, failed) = batch?;
            for item in &imported {
                let verb = if item.written { t!("import.cli.wrote") } else { t!("import.cli.would_write") };
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
                anyhow::bail!("{}", t!("import.cli.failed", failed = failed.len(), written = written));
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
            eprintln!("{}", t!("cli.serving", dir = server.dir.display(), url = server.url));
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
                eprintln!("{}", t!("cli.query_cut", max = max));
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
                eprintln!("{}", t!("cli.by_year", total = total, query = searched));
            }
        }
        Command::Search { query, root, json, suggest: true, .. } => {
            let suggestions = site::search_suggestions(&root, zhiku::search::query::cut(&query).0)?;
            if json {
                print_out(format_args!("{}\n", serde_json::to_string_pretty(&suggestions)?))?;
            } else {
                for s in &suggestions {
                    print_out(format_args!("{}  {}\n", terminal_safe(&s.text), s.count))?;
                }
            }
        }
        Command::Search { query, root, limit, page_type, topic, year, region, json, .. } => {
            let filters = [("type", page_type), ("topic", topic), ("year", year), ("region", region)]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
                .collect();
            let options = zhiku::search::query::SearchOptions { limit, filters };
            let (searched, was_cut) = zhiku::search::query::cut(&query);
            if was_cut {
                let max = zhiku::search::query::MAX_QUERY_CHARS;
                eprintln!("{}", t!("cli.query_cut", max = max));
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
                eprintln!("{}", t!("cli.results", shown = results.len(), total = total, query = searched));
                if total == 0 {
                    let suggestions = site::search_suggestions(&root, searched)?;
                    if !suggestions.is_empty() {
                        let list: Vec<String> = suggestions
                            .iter()
                            .map(|s| {
                                t!("search.suggestion", text = terminal_safe(&s.text), count = s.count).into_owned()
                            })
                            .collect();
                        eprintln!(
                            "{}",
                            t!("search.did_you_mean", list = list.join(t!("search.list_separator").as_ref()))
                        );
                    }
                }
            }
        }
    }
    Ok(())
}
