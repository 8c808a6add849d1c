//! Input shapes that once took quadratic time or unbounded memory, each generated at N, 2N and
//! 4N and run through the `zhiku` binary, printing wall time, CPU time, peak memory and the
//! ratios to the previous size. Linear work gives ratios near 2; a shape that zhiku refuses (a limit with a
//! clear error) shows `refused` and should stay fast too.
//!
//!     cargo build --release --bin zhiku --example shapes
//!     target/release/examples/shapes [--only NAME,…] [--scale F] [--timeout S] [--keep]
//!
//! (`scripts/bench shapes` does both.) Sites go to a temporary folder under /tmp, removed at the
//! end unless `--keep`. A run is stopped after `--timeout` seconds (default 60) or above 4 GiB of
//! memory; larger sizes of that shape are then skipped.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: target/release/examples/shapes [--only NAME,…] [--scale F] [--timeout S] [--keep] [--list]

Generates each shape at N, 2N and 4N, runs `zhiku check`, `build` or `search` on it with the
zhiku binary beside this example (build it first: cargo build --release --bin zhiku --example
shapes) and prints wall time, CPU time, peak memory (max RSS) and the ratios to the previous size.
  --only NAME,…  only these shapes (see --list)
  --scale F      multiply every shape's N by F (default 1)
  --timeout S    stop a run after S seconds (default 60)
  --keep         keep the generated sites (their folder is printed)";

/// Memory above which a run is stopped, so a blow-up cannot take the machine down.
const MEMORY_CAP_KIB: u64 = 4 << 20;

/// One shape: its name, what N counts, the N it starts at, and the site it makes.
struct Shape {
    name: &'static str,
    unit: &'static str,
    n: usize,
    make: fn(usize) -> Site,
}

/// A generated site: its `content/` files and the command to time.
struct Site {
    config: String,
    files: Vec<(String, String)>,
    /// `zhiku build` (search index and files written) instead of `zhiku check` (everything
    /// else, in memory: file creation times vary too much on a busy disk to compare).
    build: bool,
    /// `zhiku search` with this query (after a build) instead of `zhiku build`.
    query: Option<String>,
}

impl Site {
    fn page(body: String) -> Site {
        Site::with_front("", body)
    }

    /// One page with extra front-matter lines.
    fn with_front(front: &str, body: String) -> Site {
        Site {
            config: "title: 形状测试\n".into(),
            files: vec![("pages/p.md".into(), format!("---\ntitle: 测试页\n{front}---\n\n{body}"))],
            build: false,
            query: None,
        }
    }
}

/// `n` characters of the first 20,000 of CJK Unified Ideographs, in no order.
fn varied_han(n: usize) -> String {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_u32(0x4e00 + (x % 20_000) as u32).unwrap_or('中')
        })
        .collect()
}

/// `n` Han characters without punctuation, varied so no two long stretches repeat.
fn han_text(n: usize) -> String {
    const CHARS: &str = "社会工作基层治理志愿服务新兴领域党建枫桥经验乡村振兴民生保障";
    let chars: Vec<char> = CHARS.chars().collect();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chars[(x % chars.len() as u64) as usize]
        })
        .collect()
}

fn repeat_lines(n: usize, line: impl Fn(usize) -> String) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = writeln!(s, "{}", line(i));
    }
    s
}

fn shapes() -> Vec<Shape> {
    vec![
        Shape {
            name: "topic-name",
            unit: "characters in one topic name",
            n: 5_000,
            make: |n| {
                let name = varied_han(n);
                let mut site = Site::with_front(&format!("topics: [{name}]\n"), format!("{name}\n"));
                site.files.push(("topics/t.md".into(), format!("---\ntitle: {name}\n---\n\n专题。\n")));
                site
            },
        },
        Shape {
            name: "many-topics",
            unit: "topics, 50 on each page",
            n: 5_000,
            make: |n| {
                let mut site = Site::page(String::new());
                site.files = (0..n / 50)
                    .map(|p| {
                        let names: Vec<String> = (p * 50..(p + 1) * 50).map(|i| format!("专题{i}")).collect();
                        let front = format!("---\ntitle: 页{p}\ntopics: [{}]\n---\n\n", names.join(", "));
                        (format!("pages/p{p}.md"), front + &names.join("，"))
                    })
                    .collect();
                site
            },
        },
        Shape {
            name: "headings-distinct",
            unit: "`## 标题i` headings",
            n: 25_000,
            make: |n| Site::page(repeat_lines(n, |i| format!("## 标题{i}\n"))),
        },
        Shape {
            name: "headings-same",
            unit: "`## 同名` headings",
            n: 10_000,
            make: |n| Site::page(repeat_lines(n, |_| "## 同名\n".into())),
        },
        Shape {
            name: "outline-lines",
            unit: "`一、` outline paragraphs",
            n: 25_000,
            make: |n| Site { build: true, ..Site::page(repeat_lines(n, |i| format!("一、第{i}部分\n"))) },
        },
        Shape {
            name: "unclosed-div",
            unit: "unclosed `<div>` lines",
            n: 25_000,
            make: |n| Site::page(repeat_lines(n, |_| "<div>".into())),
        },
        Shape {
            name: "blockquotes",
            unit: "nested `>`",
            n: 10_000,
            make: |n| Site::page(format!("{} 引文\n\n<b>原文</b>\n", ">".repeat(n))),
        },
        Shape {
            name: "nested-lists",
            unit: "nested `- ` on one line",
            n: 10_000,
            make: |n| Site::page(format!("{}条目\n\n<b>原文</b>\n", "- ".repeat(n))),
        },
        Shape {
            name: "footnotes",
            unit: "footnotes",
            n: 25_000,
            make: |n| {
                let refs = repeat_lines(n, |i| format!("正文[^{i}]"));
                let defs = repeat_lines(n, |i| format!("[^{i}]: 注释{i}\n"));
                Site::page(format!("{refs}\n{defs}"))
            },
        },
        Shape {
            name: "links-one-anchor",
            unit: "links to one heading",
            n: 50_000,
            make: |n| Site::page(format!("## 目标\n\n{}", repeat_lines(n, |_| "见[上文](#目标)。".into()))),
        },
        Shape {
            name: "open-emphasis",
            unit: "`*a` runs",
            n: 50_000,
            make: |n| Site::page(format!("{}\n", "*a ".repeat(n))),
        },
        Shape {
            name: "open-brackets",
            unit: "`[a` runs",
            n: 50_000,
            make: |n| Site::page(format!("{}\n", "[a".repeat(n))),
        },
        Shape {
            name: "long-line",
            unit: "characters on one line without punctuation",
            n: 250_000,
            make: |n| Site { build: true, ..Site::page(format!("{}\n", han_text(n))) },
        },
        Shape {
            name: "yaml-nesting",
            unit: "nested `[` in front matter",
            n: 25_000,
            make: |n| Site::with_front(&format!("summary: {}\n", "[".repeat(n)), String::new()),
        },
        Shape {
            name: "yaml-aliases",
            unit: "aliases of a 1,000-character anchor",
            n: 10_000,
            make: |n| {
                let refs = vec!["*a"; n].join(", ");
                Site::with_front(&format!("summary: &a {}\ntopics: [{refs}]\n", han_text(1000)), String::new())
            },
        },
        Shape {
            name: "search-query",
            unit: "characters in a `zhiku search` query",
            n: 2_500,
            make: |n| {
                // Four characters only: each bigram of the query has long position lists.
                let four = |len: usize, seed: u64| -> String {
                    let chars = ['社', '会', '工', '作'];
                    let mut x = seed;
                    (0..len)
                        .map(|_| {
                            x ^= x << 13;
                            x ^= x >> 7;
                            x ^= x << 17;
                            chars[(x % 4) as usize]
                        })
                        .collect()
                };
                let mut site = Site::page(String::new());
                site.files = (0..100)
                    .map(|p| (format!("pages/p{p}.md"), format!("---\ntitle: 页{p}\n---\n\n{}\n", four(5_000, p + 1))))
                    .collect();
                site.query = Some(four(n, 12345));
                site
            },
        },
    ]
}

/// Figures of one run.
struct Run {
    seconds: f64,
    /// User and system CPU time: on a busy machine it varies less than the wall time.
    cpu: f64,
    peak_kib: u64,
    outcome: String,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut only: Option<Vec<String>> = None;
    let mut scale = 1.0f64;
    let mut timeout = 60.0f64;
    let mut keep = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value\n\n{USAGE}"));
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--list" => {
                for s in shapes() {
                    println!("{:<18} N = {} {}", s.name, s.n, s.unit);
                }
                return Ok(());
            }
            "--only" => only = Some(value("--only")?.split(',').map(str::to_string).collect()),
            "--scale" => {
                scale = value("--scale")?.parse().map_err(|_| "--scale takes a number such as 0.5".to_string())?
            }
            "--timeout" => timeout = value("--timeout")?.parse().map_err(|_| "--timeout takes seconds".to_string())?,
            "--keep" => keep = true,
            _ => return Err(format!("unknown argument `{a}`\n\n{USAGE}")),
        }
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this example's path: {e}"))?;
    let bin =
        exe.parent().and_then(Path::parent).map(|d| d.join("zhiku")).filter(|b| b.is_file()).ok_or(
            "no zhiku binary beside this example; run `cargo build --release --bin zhiku --example shapes` first",
        )?;
    let shapes: Vec<Shape> =
        shapes().into_iter().filter(|s| only.as_ref().is_none_or(|o| o.iter().any(|n| n == s.name))).collect();
    if shapes.is_empty() {
        return Err("no shape of that name; `--list` shows them".into());
    }
    let dir = std::env::temp_dir().join(format!("zhiku-shapes-{}", std::process::id()));
    println!(
        "{:<18} {:>8} {:>8} {:>6} {:>8} {:>6} {:>8}  outcome",
        "shape", "N", "wall s", "ratio", "CPU s", "ratio", "peak MiB"
    );
    for shape in &shapes {
        let n0 = ((shape.n as f64 * scale) as usize).max(1);
        let mut previous: Option<(f64, f64)> = None;
        for n in [n0, 2 * n0, 4 * n0] {
            let site_dir = dir.join(format!("{}-{n}", shape.name));
            let site = (shape.make)(n);
            write_site(&site_dir, &site)?;
            let r = time_run(&bin, &site_dir, &site, timeout)?;
            let ratio =
                |now: f64, before: Option<f64>| before.map_or(String::new(), |b| format!("{:.2}", now / b.max(0.01)));
            println!(
                "{:<18} {:>8} {:>8.2} {:>6} {:>8.2} {:>6} {:>8}  {}",
                shape.name,
                n,
                r.seconds,
                ratio(r.seconds, previous.map(|p| p.0)),
                r.cpu,
                ratio(r.cpu, previous.map(|p| p.1)),
                r.peak_kib / 1024,
                r.outcome
            );
            if !keep {
                let _ = std::fs::remove_dir_all(&site_dir);
            }
            if r.outcome.starts_with("stopped") {
                break;
            }
            previous = Some((r.seconds, r.cpu));
        }
    }
    if keep {
        println!("sites kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

fn write_site(dir: &Path, site: &Site) -> Result<(), String> {
    let io = |r: std::io::Result<()>, p: &Path| r.map_err(|e| format!("cannot write {}: {e}", p.display()));
    if dir.exists() {
        io(std::fs::remove_dir_all(dir), dir)?;
    }
    for (rel, text) in &site.files {
        let path = dir.join("content").join(rel);
        if let Some(parent) = path.parent() {
            io(std::fs::create_dir_all(parent), parent)?;
        }
        io(std::fs::write(&path, text), &path)?;
    }
    io(std::fs::write(dir.join("config.yaml"), &site.config), dir)
}

/// Runs `zhiku check` or `zhiku build` in `dir` (or a build, then `zhiku search QUERY` if the
/// site has a query, timing only the search).
fn time_run(bin: &Path, dir: &Path, site: &Site, timeout: f64) -> Result<Run, String> {
    let mut build = Command::new(bin);
    let command = if site.build || site.query.is_some() { "build" } else { "check" };
    build.arg(command).arg("--root").arg(dir);
    let Some(query) = &site.query else { return measure(build, timeout) };
    let built = measure(build, timeout)?;
    if built.outcome != "ok" {
        return Ok(Run { outcome: format!("build before the search: {}", built.outcome), ..built });
    }
    let mut search = Command::new(bin);
    search.arg("search").arg("--root").arg(dir).arg("--limit").arg("10").arg(query);
    measure(search, timeout)
}

/// Runs `cmd` and returns its wall time, peak memory and how it ended.
fn measure(mut cmd: Command, timeout: f64) -> Result<Run, String> {
    let start = Instant::now();
    let mut child =
        cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    // Read stderr on a thread, so a long report cannot fill the pipe and stall the child.
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
        }
        text
    });
    let mut stopped = None;
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: rusage is plain data that wait4 fills in; the pid is our own child's.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let got = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if got == pid {
            break (status, usage);
        }
        if got < 0 {
            return Err(format!("waiting for {cmd:?} failed: {}", std::io::Error::last_os_error()));
        }
        if stopped.is_none() {
            if start.elapsed().as_secs_f64() > timeout {
                stopped = Some(format!("stopped after {timeout} s"));
            } else if rss_kib(pid) > MEMORY_CAP_KIB {
                stopped = Some(format!("stopped above {} GiB", MEMORY_CAP_KIB >> 20));
            }
            if stopped.is_some() {
                // SAFETY: a plain signal to our own child, which has not been reaped yet.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let seconds = start.elapsed().as_secs_f64();
    let stderr = reader.join().unwrap_or_default();
    let peak_kib = usage.ru_maxrss as u64;
    let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    let outcome = match stopped {
        Some(s) => s,
        None if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 => {
            match stderr.lines().find(|l| l.contains("warning:")) {
                Some(w) => format!("ok, {}", short(w)),
                None => "ok".into(),
            }
        }
        None if libc::WIFEXITED(status) => match stderr.lines().find(|l| l.contains("error:")) {
            Some(e) => format!("refused: {}", short(e)),
            None => format!("exit {}", libc::WEXITSTATUS(status)),
        },
        None => format!("killed by signal {}", libc::WTERMSIG(status)),
    };
    Ok(Run { seconds, cpu, peak_kib, outcome })
}

/// The first 110 characters of a message line.
fn short(line: &str) -> String {
    let mut s: String = line.chars().take(110).collect();
    if s.len() < line.len() {
        s.push('…');
    }
    s
}

/// Resident memory of a process, from `/proc/PID/status` (0 where unknown).
fn rss_kib(pid: libc::pid_t) -> u64 {
    let status = std::fs::read_to_string(PathBuf::from(format!("/proc/{pid}/status"))).unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmRSS:"));
    line.and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0)
}
