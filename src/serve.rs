//! `zhiku serve`: a live-reload preview. Builds into a scratch folder (never over `public/`),
//! serves it on 127.0.0.1, watches `content/`, `themes/`, `static/` and `config.yaml`, rebuilds after a
//! short debounce and tells open tabs over server-sent events: reload (keeping the scroll
//! position), swap stylesheets, or show a build error as an overlay while the last good build
//! stays online. Only files inside the output folder are ever served.
//!
//! This is the one stage with mutable state: the current error and the connected tabs.

use crate::preview::{Session, SharedExport};
use crate::{Error, Result};
use rust_i18n::t;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Options of `zhiku serve`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    /// First port tried; the next free ones follow. 0 lets the system choose.
    pub port: u16,
    pub drafts: bool,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions { root: root.into(), bind: "127.0.0.1".into(), port: 1111, drafts: false }
    }
}

/// Changes arriving this soon after the first are handled together: editors save in several
/// steps (temporary file, rename) within a few milliseconds.
const DEBOUNCE_MS: u64 = 25;

/// What changed on disk decides what the browser is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A stylesheet: swapped in place, no reload.
    Style,
    /// Content, templates, scripts or config: the page reloads.
    Page,
}

/// What kind of change a watcher event on `p` is for a site at `root`; `None` for paths the
/// preview does not depend on (its own output, `public/`, other files beside `config.yaml`).
fn relevant_change(root: &Path, p: &Path) -> Option<ChangeKind> {
    if [".zhiku", "public"].iter().any(|d| p.starts_with(root.join(d))) {
        return None;
    }
    let top = p.parent() == Some(root);
    if top && !p.file_name().is_some_and(|n| n == "config.yaml" || n == "themes" || n == "content" || n == "static") {
        return None;
    }
    classify(p)
}

/// Classifies a changed path.
pub fn classify(path: &Path) -> Option<ChangeKind> {
    let name = path.file_name()?.to_string_lossy();
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") {
        return None;
    }
    if path.extension().is_some_and(|e| e == "css") { Some(ChangeKind::Style) } else { Some(ChangeKind::Page) }
}

/// Open event streams beyond this close the oldest (its tab reconnects by itself a few seconds
/// later): each page view opens one, and a browser may leave many behind.
const MAX_STREAMS: usize = 64;
/// Connections handled at once, each by a thread (event streams included); more are answered
/// `503` at once.
const MAX_CONNECTIONS: usize = 128;
/// Events waiting to be written to one stream; a tab that falls this far behind is dropped.
const STREAM_QUEUE: usize = 16;
/// How often an idle stream looks whether its tab has gone, and how often it writes a comment
/// to find out about a peer that vanished without closing.
const STREAM_POLL: Duration = Duration::from_millis(250);
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Time a client has to send its request head, its size at most, and the time one write may
/// wait for a client that does not read.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_REQUEST_HEAD: usize = 16 * 1024;
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

struct State {
    /// The last build error, shown as an overlay until a build succeeds.
    error: Option<String>,
    /// Open event streams, oldest first.
    streams: Vec<Stream>,
    next_stream: u64,
}

/// An open event stream: its own thread writes what arrives in its queue to the tab, so that
/// nobody holding the lock ever writes to a socket.
struct Stream {
    id: u64,
    queue: mpsc::SyncSender<Arc<str>>,
}

/// Which `Host` headers the preview answers: a web page that points its own name at this
/// machine (DNS rebinding) sends its name, and gets a 403.
#[derive(Debug, Clone)]
struct HostPolicy {
    /// Names and addresses besides the loopback ones (lowercase, IPv6 in brackets).
    allowed: Vec<String>,
    /// Bound to every interface (0.0.0.0, ::): any IP address is accepted, but no other name.
    any_address: bool,
    /// The port, for the message of a refusal.
    port: u16,
}

/// A running preview server.
pub struct Server {
    pub port: u16,
    pub url: String,
    /// The scratch folder being served.
    pub dir: PathBuf,
    state: Arc<Mutex<State>>,
}

const LIVE_JS: &str = r#"(function () {
  "use strict";
  var key = "zhiku-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.addEventListener("load", function () { window.scrollTo(0, +saved); }); }
  function overlay(text) {
    var el = document.getElementById("zhiku-error");
    if (!text) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement("div");
      el.id = "zhiku-error";
      el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:50vh;overflow:auto;z-index:99999;background:#2b0b0b;color:#ffdede;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.2rem;border-radius:8px;box-shadow:0 4px 24px rgba(0,0,0,.4);white-space:pre-wrap";
      document.body.appendChild(el);
    }
    el.textContent = "构建失败（页面仍显示上次成功的版本）：\n\n" + text;
  }
  var events = new EventSource("/__zhiku/events");
  events.addEventListener("reload", function (e) {
    // Data is "1" (every tab) or the list of pages that changed.
    if (e.data && e.data.charAt(0) === "[" && JSON.parse(e.data).indexOf(decodeURI(location.pathname)) < 0) return;
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  events.addEventListener("css", function () {
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (l) {
      var url = new URL(l.href); url.searchParams.set("v", Date.now()); l.href = url.toString();
    });
    overlay(null);
  });
  events.addEventListener("error", function (e) { if (e.data) overlay(JSON.parse(e.data)); });
  events.addEventListener("ok", function () { overlay(null); });
})();
"#;

impl Server {
    /// Builds the site into a scratch folder and starts serving it (in background threads).
    pub fn start(options: &ServeOptions) -> Result<Server> {
        // Absolute, as the watcher reports paths.
        let root = options.root.canonicalize().map_err(|e| Error::Io {
            action: "open",
            path: options.root.clone(),
            source: e,
        })?;
        let (listener, port) = bind(&options.bind, options.port)?;
        // One folder per port, so two previews of one site do not write over each other.
        let previews = root.join(".zhiku/preview");
        remove_stale_previews(&previews, &options.bind);
        let dir = previews.join(port.to_string());
        let mut session = Session::new(&root, &dir, options.drafts)?;
        let first = session.rebuild(&[]);
        if let Ok(report) = &first {
            for w in &report.warnings {
                eprintln!("{w}");
            }
        }
        let state =
            Arc::new(Mutex::new(State { error: first.err().map(|e| e.report()), streams: Vec::new(), next_stream: 0 }));
        let local = listener.local_addr().map_err(|e| Error::Usage(t!("serve.no_address", error = e).into_owned()))?;
        let host = if local.ip().is_ipv6() && options.bind.contains(':') {
            format!("[{}]", options.bind.trim_matches(['[', ']']))
        } else {
            options.bind.clone()
        };
        let url = format!("http://{host}:{port}/");
        if !local.ip().is_loopback() {
            let message = if options.drafts {
                t!("serve.shared_drafts", host = host, url = url)
            } else {
                t!("serve.shared", host = host, url = url)
            };
            eprintln!("{}: {message}\n  {}: {}", t!("diag.warning"), t!("diag.hint"), t!("serve.shared_hint"));
        }
        let policy = Arc::new(HostPolicy::new(&options.bind, local.ip(), port));
        let serve_dir = dir.clone();
        let serve_state = state.clone();
        let export = session.export();
        std::thread::spawn(move || {
            let active = Arc::new(AtomicUsize::new(0));
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else {
                    // Out of file descriptors, most likely: let connections end first.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                };
                let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
                if active.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                    refuse(&mut stream, "503 Service Unavailable", &t!("serve.busy"), false);
                    continue;
                }
                let connection = Connection::open(&active);
                let (dir, state, export, policy) =
                    (serve_dir.clone(), serve_state.clone(), export.clone(), policy.clone());
                // A thread that cannot be made drops the connection (and its count) with the closure.
                let _ = std::thread::Builder::new().spawn(move || {
                    let _connection = connection;
                    handle(stream, &dir, &state, &export, &policy);
                });
            }
        });
        let server = Server { port, url, dir, state };
        server.watch(root, session)?;
        Ok(server)
    }

    /// The build error currently shown, if any.
    pub fn error(&self) -> Option<String> {
        self.state.lock().ok()?.error.clone()
    }

    fn watch(&self, root: PathBuf, mut session: Session) -> Result<()> {
        use notify::{RecursiveMode, Watcher};
        let (tx, rx) = mpsc::channel::<PathBuf>();
        // Set by the watcher on every relevant change: tells related pages settling that a
        // newer save is waiting, so they give up for it.
        let newer = Arc::new(AtomicBool::new(false));
        let (newer_seen, watched_root) = (newer.clone(), root.clone());
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            use notify::EventKind;
            use notify::event::{AccessKind, AccessMode};
            // Reads (including the build's own) are not changes; a closed write is.
            let Ok(event) = event else { return };
            let relevant = match event.kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
                EventKind::Access(_) | EventKind::Other => false,
                _ => true,
            };
            if relevant {
                for p in event.paths {
                    if relevant_change(&watched_root, &p).is_some() {
                        newer_seen.store(true, Ordering::Relaxed);
                    }
                    let _ = tx.send(p);
                }
            }
        })
        .map_err(|e| Error::Usage(t!("serve.cannot_watch", error = e).into_owned()))?;
        for (path, mode) in [
            (root.join("content"), RecursiveMode::Recursive),
            (root.join("themes"), RecursiveMode::Recursive),
            (root.join("static"), RecursiveMode::Recursive),
            (root.clone(), RecursiveMode::NonRecursive),
        ] {
            if path.exists() {
                watcher.watch(&path, mode).map_err(|e| {
                    Error::Usage(t!("serve.cannot_watch_path", path = path.display(), error = e).into_owned())
                })?;
            }
        }
        let state = self.state.clone();
        std::thread::spawn(move || {
            let mut watcher = watcher;
            let relevant = |p: &Path| relevant_change(&root, p);
            // A change that arrived while the last one was handled, and starts the next round.
            let mut pending: Option<PathBuf> = None;
            while let Some(first) = pending.take().or_else(|| rx.recv().ok()) {
                // Debounce: editors write a file in several steps (temp file, rename).
                let mut changed = vec![first];
                let until = Instant::now() + Duration::from_millis(DEBOUNCE_MS);
                while let Ok(p) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
                    changed.push(p);
                }
                // A `content/`, `themes/` or `static/` folder created after start is watched from now on.
                for dir in ["content", "themes", "static"].map(|d| root.join(d)) {
                    if changed.contains(&dir) && dir.is_dir() {
                        let _ = watcher.watch(&dir, RecursiveMode::Recursive);
                    }
                }
                let kinds: Vec<ChangeKind> = changed.iter().filter_map(|p| relevant(p)).collect();
                if kinds.is_empty() {
                    continue;
                }
                let event = if kinds.iter().all(|k| *k == ChangeKind::Style) { "css" } else { "reload" };
                let started = Instant::now();
                newer.store(false, Ordering::Relaxed);
                match session.update(&changed) {
                    Ok(report) => {
                        eprintln!(
                            "{}",
                            t!(
                                "serve.rebuilt",
                                ms = format!("{:.0}", started.elapsed().as_secs_f64() * 1000.0),
                                read = report.reloaded,
                                written = report.written,
                                removed = report.removed
                            )
                        );
                        for w in &report.warnings {
                            eprintln!("{w}");
                        }
                        broadcast(&state, event, "1", None);
                        // A newer save goes first; lists and related pages settle after it.
                        let newer_save = || {
                            while let Ok(p) = rx.try_recv() {
                                if relevant(&p).is_some() {
                                    return Some(p);
                                }
                            }
                            None
                        };
                        pending = newer_save();
                        if pending.is_some() {
                            continue;
                        }
                        // Large sites, after a body edit: the pages listing the edited one.
                        settled(&state, &t!("serve.lists"), started, session.settle_lists());
                        pending = newer_save();
                        if pending.is_some() {
                            continue;
                        }
                        // Large sites: related pages follow; only tabs showing a page whose
                        // list changed reload again.
                        settled(&state, &t!("serve.related"), started, session.settle_unless(&newer));
                    }
                    Err(e) => {
                        let text = e.report();
                        eprintln!("{text}");
                        broadcast(&state, "error", &json_string(&text), Some(text.clone()));
                    }
                }
            }
        });
        Ok(())
    }
}

/// Reports what a settle step (`what`: lists, related pages) wrote, and reloads the tabs showing
/// those pages.
fn settled(state: &Mutex<State>, what: &str, started: Instant, result: Result<Option<crate::preview::Rebuilt>>) {
    match result {
        Ok(Some(more)) if !more.changed_pages.is_empty() => {
            let ms = format!("{:.0}", started.elapsed().as_secs_f64() * 1000.0);
            eprintln!("{}", t!("serve.settled", what = what, ms = ms, pages = more.changed_pages.len()));
            let pages = serde_json::to_string(&more.changed_pages).unwrap_or_default();
            broadcast(state, "reload", &pages, None);
        }
        Ok(_) => {}
        Err(e) => eprintln!("{}", e.report()),
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Queues an event for every open tab and records the error state. Never waits for a tab: a
/// stream whose queue is full (its tab does not read) or whose thread has ended is dropped.
fn broadcast(state: &Mutex<State>, event: &str, data: &str, error: Option<String>) {
    let message: Arc<str> = format!("event: {event}\ndata: {data}\n\n").into();
    let Ok(mut s) = state.lock() else { return };
    s.error = error;
    s.streams.retain(|c| c.queue.try_send(message.clone()).is_ok());
}

/// One of the connections being handled; counted while it lives.
struct Connection(Arc<AtomicUsize>);

impl Connection {
    fn open(active: &Arc<AtomicUsize>) -> Connection {
        active.fetch_add(1, Ordering::AcqRel);
        Connection(active.clone())
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HostPolicy {
    /// What a preview bound to `bind` (resolved to `ip`) answers: the loopback names always;
    /// the address it is bound to, if that is another one; the name given to `--bind`; and,
    /// bound to every interface, any IP address (a rebinding page can only send a name).
    fn new(bind: &str, ip: std::net::IpAddr, port: u16) -> HostPolicy {
        let mut allowed = Vec::new();
        if !ip.is_loopback() && !ip.is_unspecified() {
            allowed.push(if ip.is_ipv6() { format!("[{ip}]") } else { ip.to_string() });
        }
        let bind = bind.trim().to_ascii_lowercase();
        if !bind.is_empty() && bind.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_err() {
            allowed.push(bind);
        }
        HostPolicy { allowed, any_address: ip.is_unspecified(), port }
    }

    /// Whether a `Host` header value (`name[:port]`) names this preview.
    fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((inner, port)) => (format!("[{inner}]"), port),
                None => return false,
            },
            None => match host.split_once(':') {
                Some((name, _)) => (name.to_string(), &host[name.len()..]),
                None => (host.clone(), ""),
            },
        };
        let port_ok = port.is_empty()
            || port
                .strip_prefix(':')
                .is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        let is_address = name.parse::<std::net::Ipv4Addr>().is_ok()
            || name
                .strip_prefix('[')
                .and_then(|n| n.strip_suffix(']'))
                .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok());
        port_ok
            && (matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]")
                || self.allowed.contains(&name)
                || (self.any_address && is_address))
    }
}

/// Removes preview folders of earlier runs: those named by a port nobody listens on any more.
fn remove_stale_previews(previews: &Path, host: &str) {
    let Ok(entries) = std::fs::read_dir(previews) else { return };
    for entry in entries.flatten() {
        let stale = match entry.file_name().to_string_lossy().parse::<u16>() {
            Ok(port) => TcpListener::bind((host, port)).is_ok(),
            Err(_) => true,
        };
        if stale {
            let path = entry.path();
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
}

fn bind(host: &str, port: u16) -> Result<(TcpListener, u16)> {
    let tries: Vec<u16> = if port == 0 { vec![0] } else { (port..port.saturating_add(20)).collect() };
    for p in tries {
        if let Ok(listener) = TcpListener::bind((host, p)) {
            let actual = listener.local_addr().map(|a| a.port()).unwrap_or(p);
            if port != 0 && actual != port {
                eprintln!("{}", t!("serve.port_taken", port = port, actual = actual));
            }
            return Ok((listener, actual));
        }
    }
    Err(Error::Usage(t!("serve.no_port", from = port, to = port.saturating_add(19), host = host).into_owned()))
}

/// Maps a request path to a file inside `dir`, refusing anything that would leave it.
pub fn resolve(dir: &Path, raw_path: &str) -> Option<PathBuf> {
    let path = raw_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut out = dir.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    let canonical = out.canonicalize().ok()?;
    canonical.starts_with(dir.canonicalize().ok()?).then_some(canonical)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

const TEXT: &str = "text/plain; charset=utf-8";

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body));
}

/// The request line and headers, read within [`REQUEST_TIMEOUT`] and [`MAX_REQUEST_HEAD`]
/// bytes; `Err` holds the status to answer (nothing when the client went away).
fn read_head(stream: &mut TcpStream) -> std::result::Result<String, Option<&'static str>> {
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let from = head.len().saturating_sub(chunk.len() + 3);
        if let Some(end) = head[from..].windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(from + end);
            return String::from_utf8(head).map_err(|_| Some("400 Bad Request"));
        }
        if head.len() > MAX_REQUEST_HEAD {
            return Err(Some("431 Request Header Fields Too Large"));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Some("408 Request Timeout"));
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(None),
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(Some("408 Request Timeout"));
            }
            Err(_) => return Err(None),
        }
    }
}

fn handle(mut stream: TcpStream, dir: &Path, state: &Mutex<State>, export: &SharedExport, policy: &HostPolicy) {
    let head = match read_head(&mut stream) {
        Ok(head) => head,
        Err(Some(status)) => return refuse(&mut stream, status, &head_refusal(status), false),
        Err(None) => return,
    };
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let hosts: Vec<&str> = lines
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim())
        .collect();
    // A browser asks for HTML and reads a page; curl and scripts get a line of text.
    let browser = head.split("\r\n").skip(1).any(|l| {
        l.split_once(':')
            .is_some_and(|(name, value)| name.trim().eq_ignore_ascii_case("accept") && value.contains("text/html"))
    });
    let [host] = hosts[..] else {
        return refuse(&mut stream, "400 Bad Request", &t!("serve.one_host"), browser);
    };
    if !policy.allows(host) {
        let shown: String = host.chars().filter(|c| c.is_ascii_graphic()).take(100).collect();
        let also = policy.allowed.iter().map(|a| format!("、{a}")).collect::<String>();
        let also = if crate::i18n::current() == crate::i18n::Lang::Zh { also } else { also.replace('、', ", ") };
        let message = t!("serve.wrong_host", also = also, host = shown, port = policy.port);
        return refuse(&mut stream, "403 Forbidden", &message, browser);
    }
    if method != "GET" && method != "HEAD" {
        let shown: String = method.chars().filter(|c| c.is_ascii_graphic()).take(20).collect();
        return refuse(&mut stream, "405 Method Not Allowed", &t!("serve.method", method = shown), browser);
    }
    if let Some((kind, body)) = search_file(target, export) {
        respond(&mut stream, "200 OK", kind, &body);
        return;
    }
    match target {
        "/__zhiku/live.js" => respond(&mut stream, "200 OK", "text/javascript; charset=utf-8", LIVE_JS.as_bytes()),
        "/__zhiku/events" => stream_events(stream, state),
        _ => match resolve(dir, target) {
            Some(file) => match std::fs::read(&file) {
                Ok(mut body) => {
                    let kind = content_type(&file);
                    if kind.starts_with("text/html") {
                        body = inject_live_script(body);
                    }
                    respond(&mut stream, "200 OK", kind, &body);
                }
                Err(_) => not_found(&mut stream, dir),
            },
            None => not_found(&mut stream, dir),
        },
    }
}

/// Serves one event stream until its tab goes, it falls behind, or a newer stream pushes it
/// out: writes what its queue receives, looks every [`STREAM_POLL`] whether the tab closed the
/// connection, and writes a comment every [`HEARTBEAT`] to notice a peer that vanished.
fn stream_events(mut stream: TcpStream, state: &Mutex<State>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let (queue, events) = mpsc::sync_channel::<Arc<str>>(STREAM_QUEUE);
    let id = {
        let Ok(mut s) = state.lock() else { return };
        if let Some(e) = &s.error {
            let _ = queue.try_send(format!("event: error\ndata: {}\n\n", json_string(e)).into());
        }
        let id = s.next_stream;
        s.next_stream += 1;
        s.streams.push(Stream { id, queue });
        if s.streams.len() > MAX_STREAMS {
            // Its thread sees the queue disconnected and ends.
            s.streams.remove(0);
        }
        id
    };
    let mut last_write = Instant::now();
    loop {
        let written = match events.recv_timeout(STREAM_POLL) {
            Ok(message) => stream.write_all(message.as_bytes()),
            Err(mpsc::RecvTimeoutError::Timeout) if peer_closed(&stream) => break,
            Err(mpsc::RecvTimeoutError::Timeout) if last_write.elapsed() >= HEARTBEAT => stream.write_all(b": \n\n"),
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        if written.is_err() {
            break;
        }
        last_write = Instant::now();
    }
    if let Ok(mut s) = state.lock() {
        s.streams.retain(|c| c.id != id);
    }
}

/// Whether the peer closed the connection (a tab sends nothing after its request).
fn peer_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let closed = match stream.peek(&mut [0u8; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).is_err() || closed
}

/// A file of the search export, encoded from the preview's in-memory index.
fn search_file(target: &str, export: &SharedExport) -> Option<(&'static str, Vec<u8>)> {
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or(""))?;
    let path = path.strip_prefix('/')?;
    if !path.starts_with("search/") || path.ends_with('/') || path.ends_with(".html") {
        return None;
    }
    let body = export.read().ok()?.as_ref()?.file(path)?;
    Some((content_type(Path::new(path)), body))
}

/// What a status from reading the request's head means, in the reader's language.
fn head_refusal(status: &str) -> String {
    match status.split(' ').next().unwrap_or("") {
        "408" => t!("serve.timeout"),
        "431" => t!("serve.head_too_large"),
        _ => t!("serve.bad_request"),
    }
    .into_owned()
}

/// A refusal in the reader's language: a small page in the site's type for a browser, a line
/// of text otherwise. Nothing of the site is in it (the 403 goes to pages that are not ours).
fn refuse(stream: &mut TcpStream, status: &str, message: &str, browser: bool) {
    let code = status.split(' ').next().unwrap_or(status);
    if !browser {
        return respond(stream, status, TEXT, format!("{code} {message}\n").as_bytes());
    }
    let lang = if crate::i18n::current() == crate::i18n::Lang::Zh { "zh-CN" } else { "en" };
    let title = crate::markdown::escape_html(&t!("serve.refused_title", code = code));
    let body = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><style>{REFUSAL_STYLE}</style></head><body><main><h1>{title}</h1><p>{}</p></main></body></html>",
        crate::markdown::escape_html(message)
    );
    respond(stream, status, "text/html; charset=utf-8", body.as_bytes());
}

/// The default theme's paper, ink, accent and font stacks, light and dark.
const REFUSAL_STYLE: &str = ":root{color-scheme:light dark;--paper:#fbfaf7;--ink:#1f2328;--accent:#9e1b1b}@media (prefers-color-scheme:dark){:root{--paper:#16181c;--ink:#e4e2dc;--accent:#ef8f86}}body{margin:0;background:var(--paper);color:var(--ink);font-family:-apple-system,BlinkMacSystemFont,\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",sans-serif;font-size:17px;line-height:1.8}main{max-width:40rem;margin:12vh auto;padding:0 1.25rem}h1{font-family:\"Songti SC\",\"Noto Serif CJK SC\",\"Source Han Serif SC\",SimSun,serif;font-size:1.5rem;color:var(--accent);border-bottom:2px solid var(--accent);padding-bottom:.4rem}p{overflow-wrap:anywhere}";

fn not_found(stream: &mut TcpStream, dir: &Path) {
    // Before the first good build there is no 404 page: a bare page that still takes the
    // reload script, so the build's errors show over it and it reloads once they are fixed.
    let body = std::fs::read(dir.join("404.html")).unwrap_or_else(|_| {
        let lang = crate::i18n::current().code();
        format!("<!doctype html><html lang=\"{lang}\"><meta charset=\"utf-8\"><title>zhiku</title><body><p>{}</p></body></html>", t!("serve.no_site"))
            .into_bytes()
    });
    let body = inject_live_script(body);
    respond(stream, "404 Not Found", "text/html; charset=utf-8", &body);
}

/// Adds the reload script to a preview page (never to `build` output).
fn inject_live_script(mut html: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__zhiku/live.js\"></script>";
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(i) => {
            html.splice(i..i, tag.iter().copied());
        }
        None => html.extend_from_slice(tag),
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("a/b.css"), "x").unwrap();
        assert!(resolve(dir.path(), "/a/").is_some());
        assert!(resolve(dir.path(), "/a/b.css?v=1").is_some());
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "//etc/passwd",
            "/a\\..\\..\\x",
            "/%00",
            "/nope",
        ] {
            assert_eq!(resolve(dir.path(), bad), None, "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_folder_are_not_followed_out_of_it() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.html"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("secret.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("page.html"), dir.path().join("same.html")).unwrap();
        assert_eq!(resolve(dir.path(), "/out/secret.txt"), None);
        assert_eq!(resolve(dir.path(), "/secret.txt"), None);
        assert_eq!(resolve(dir.path(), "/%5csecret.txt"), None);
        assert!(resolve(dir.path(), "/same.html").is_some(), "a link to a file inside is served");
    }

    #[test]
    fn only_this_computers_names_are_answered() {
        use std::net::IpAddr;
        let loopback = HostPolicy::new("127.0.0.1", IpAddr::from([127, 0, 0, 1]), 1111);
        for good in ["127.0.0.1", "127.0.0.1:1111", "localhost:1111", "LOCALHOST", "[::1]:1111", "[::1]"] {
            assert!(loopback.allows(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.5:1111",
            "",
            "localhost:",
            "localhost:x",
            "[::1",
            "127.0.0.1:1111:1",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let lan = HostPolicy::new("192.168.1.5", IpAddr::from([192, 168, 1, 5]), 1111);
        assert!(
            lan.allows("192.168.1.5:1111")
                && lan.allows("localhost")
                && !lan.allows("10.0.0.1")
                && !lan.allows("evil.example")
        );
        let all = HostPolicy::new("0.0.0.0", IpAddr::from([0, 0, 0, 0]), 1111);
        assert!(all.allows("10.0.0.7:1111") && all.allows("[fe80::1]:1111") && !all.allows("evil.example:1111"));
        let named = HostPolicy::new("my-pc.lan", IpAddr::from([192, 168, 1, 5]), 1111);
        assert!(named.allows("my-pc.lan:1111") && named.allows("192.168.1.5") && !named.allows("evil.example"));
    }

    #[test]
    fn changes_are_classified() {
        assert_eq!(classify(Path::new("themes/default/static/style.css")), Some(ChangeKind::Style));
        assert_eq!(classify(Path::new("content/a.md")), Some(ChangeKind::Page));
        assert_eq!(classify(Path::new("content/.a.md.swp")), None);
        assert_eq!(classify(Path::new("content/a.md~")), None);
    }

    #[test]
    fn live_script_goes_before_body_end() {
        let out = String::from_utf8(inject_live_script(b"<html><body>x</body></html>".to_vec())).unwrap();
        assert_eq!(out, "<html><body>x<script src=\"/__zhiku/live.js\"></script></body></html>");
    }
}
