//! The preview server: serves the scratch build with the reload script, refuses paths outside
//! it, and tells a listening tab to reload, swap styles, or show an error, recovering after.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use zhiku::serve::{ServeOptions, Server};

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, out)
}

/// Status and body bytes.
fn get_bytes(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, out[split + 4..].to_vec())
}

/// Every file of a fresh full build of `site` (at `/`), fetched from the preview, is the same
/// (HTML apart from the injected reload script): pages and search files alike.
fn assert_served_equals_full_build(port: u16, site: &SiteTest, what: &str) {
    let full = site.root.join(".full-http");
    let _ = std::fs::remove_dir_all(&full);
    let mut options = site.options();
    options.output = Some(full.clone());
    options.base_url = Some("/".into());
    zhiku::site::build(&options).unwrap_or_else(|e| panic!("{what}: full build failed: {e}"));
    let tag = "<script src=\"/__zhiku/live.js\"></script>";
    for (path, bytes) in snapshot(&full) {
        let (status, mut body) = get_bytes(port, &format!("/{path}"));
        assert_eq!(status, 200, "{what}: /{path}");
        if path.ends_with(".html") {
            body = String::from_utf8(body).unwrap().replacen(tag, "", 1).into_bytes();
        }
        assert!(body == bytes, "{what}: /{path} served differs from a full build");
    }
    std::fs::remove_dir_all(&full).unwrap();
}

/// The search client the preview serves, run in node against it over HTTP, finds `expected`.
fn search_in_preview(port: u16, query: &str, expected: &str) {
    let out = std::process::Command::new("node")
        .args(["tests/js/preview.test.js", query, expected])
        .env("ZHIKU_PREVIEW", format!("http://127.0.0.1:{port}/"))
        .current_dir(repo_root())
        .output()
        .expect("node (18 or newer) must be installed to test the search client");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "search in the preview: {text}");
}

struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /__zhiku/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        while r.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        Events(r)
    }

    /// The next event's name and data.
    fn next(&mut self) -> (String, String) {
        let (mut event, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "event stream closed");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !event.is_empty() {
                return (event, data);
            }
        }
    }
}

#[test]
fn preview_serves_reloads_shows_errors_and_recovers() {
    let site = SiteTest::repository();
    site.write("themes/default/static/extra.css", "body { color: black }");
    // A root spelled another way than the watcher spells paths.
    let mut options = ServeOptions::new(site.root.join("content/.."));
    options.port = 0;
    let server = Server::start(&options).unwrap();
    let port = server.port;

    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("<script src=\"/__zhiku/live.js\"></script></body>"), "reload script injected");
    assert!(home.contains("text/html; charset=utf-8"));
    let (status, js) = get(port, "/search/search.js");
    assert_eq!(status, 200);
    assert!(js.contains("text/javascript; charset=utf-8") && js.contains("createSearch"));
    for bad in ["/../config.yaml", "/%2e%2e/config.yaml", "/..%2fconfig.yaml", "/static/../../config.yaml"] {
        let (status, body) = get(port, bad);
        assert_eq!(status, 404, "{bad}");
        assert!(!body.contains("base_url"), "{bad} leaked the config");
    }
    let (status, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("页面未找到"), "the site's 404 page");
    assert!(!site.public().exists(), "never writes public/");
    assert!(
        !std::fs::read_to_string(server.dir.join("index.html")).unwrap().contains("live.js"),
        "build output has no reload script"
    );

    let mut events = Events::open(port);
    let page = site.root.join("content/cases/yingze-brand.md");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{original}\n预览测试新增的一句话。\n")).unwrap();
    let started = Instant::now();
    assert_eq!(events.next().0, "reload");
    println!("save → reload event: {:?}", started.elapsed());
    assert!(get(port, "/cases/yingze-brand/").1.contains("预览测试新增的一句话"));
    assert_served_equals_full_build(port, &site, "after a body edit");
    search_in_preview(port, "预览测试新增", "/cases/yingze-brand/");

    // Saved as `sed -i` and many editors do: a temporary file renamed over the page.
    let tmp = site.root.join("content/cases/.tmp-save");
    std::fs::write(&tmp, original.replacen("title:", "titel:", 1)).unwrap();
    std::fs::rename(&tmp, &page).unwrap();
    let (event, data) = events.next();
    assert_eq!(event, "error");
    assert!(data.contains("content/cases/yingze-brand.md:2:1") && data.contains("titel"), "{data}");
    assert!(
        data.contains("failed to load (cases/yingze-brand.md)"),
        "a title link to the broken page says why: {data}"
    );
    let (status, last_good) = get(port, "/cases/yingze-brand/");
    assert_eq!(status, 200);
    assert!(last_good.contains("预览测试新增的一句话"), "the last good build stays online");
    assert!(server.error().is_some());

    std::fs::write(&page, &original).unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(server.error().is_none());
    assert!(!get(port, "/cases/yingze-brand/").1.contains("预览测试新增的一句话"));

    site.write("themes/default/static/extra.css", "body { color: red }");
    assert_eq!(events.next().0, "css", "a stylesheet change swaps styles without a reload");
    assert!(get(port, "/static/extra.css").1.contains("color: red"));

    // New folder and page, then the folder renamed: the watcher sees both.
    site.write(
        "content/practice/new-case.md",
        "---\ntitle: 新增实践案例\ndate: 2023-05-06\ntype: case\ntopics: [志愿服务]\n---\n\n暖蜂驿站新增实践。\n",
    );
    assert_eq!(events.next().0, "reload");
    assert_eq!(get(port, "/practice/new-case/").0, 200);
    assert_served_equals_full_build(port, &site, "after a page was added in a new folder");
    std::fs::rename(site.root.join("content/practice"), site.root.join("content/practices")).unwrap();
    assert_eq!(events.next().0, "reload");
    assert_eq!(get(port, "/practice/new-case/").0, 404, "the old URL is gone");
    assert_eq!(get(port, "/practices/new-case/").0, 200);
    assert_served_equals_full_build(port, &site, "after the folder was renamed");
    search_in_preview(port, "暖蜂驿站新增实践", "/practices/new-case/");
}

/// Builds `site` from scratch (served at `/`, as the preview is) and compares it with the
/// session's output: every file byte for byte, the search files as the preview serves them.
fn assert_equals_full_build(site: &SiteTest, session: &zhiku::preview::Session, out: &std::path::Path, what: &str) {
    let full = site.root.join(".full");
    let mut options = site.options();
    options.output = Some(full.clone());
    options.base_url = Some("/".into());
    zhiku::site::build(&options).unwrap_or_else(|e| panic!("{what}: full build failed: {e}"));
    let want = snapshot(&full);
    let got = snapshot(out);
    let export = session.export();
    let export = export.read().unwrap();
    let export = export.as_ref().unwrap();
    let is_search_data = |p: &str| p.starts_with("search/") && p != "search/index.html";
    let want_pages: Vec<&String> = want.keys().filter(|p| !is_search_data(p)).collect();
    let got_pages: Vec<&String> = got.keys().collect();
    assert_eq!(got_pages, want_pages, "{what}: the preview has other files than a full build");
    for (path, bytes) in &want {
        let served = if is_search_data(path) { export.file(path) } else { got.get(path).cloned() };
        assert!(served.as_ref() == Some(bytes), "{what}: {path} differs from a full build");
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    incremental_equals_full(false);
}

/// As on a large site: related pages are computed after the reload, by `settle`.
#[test]
fn incremental_rebuilds_with_related_pages_settled_later_equal_full_builds() {
    incremental_equals_full(true);
}

fn incremental_equals_full(settle_later: bool) {
    let site = SiteTest::repository();
    let out = site.root.join(".zhiku/preview");
    let mut session = zhiku::preview::Session::new(&site.root, &out, false).unwrap();
    if settle_later {
        session.inline_related_pages = 0;
    }
    session.rebuild(&[]).unwrap();
    assert_equals_full_build(&site, &session, &out, "first build");

    let path = |rel: &str| site.root.join(rel);
    let mut edit = |rel: &str, change: &dyn Fn(String) -> String, what: &str| {
        let file = path(rel);
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        std::fs::write(&file, change(text)).unwrap();
        let report = session.rebuild(&[file]).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_equals_full_build(&site, &session, &out, what);
        report
    };
    let case = "content/cases/yingze-brand.md";
    let report = edit(case, &|t| t.replacen("以学习起步。", "以学习起步。预览中新加的一句话。", 1), "body edit");
    assert_eq!(report.reloaded, 1, "only the edited file is read again");
    assert!(report.written < 10, "a body edit re-renders a few files, not the site: {report:?}");
    edit(case, &|t| t.replacen("党的二十届三中全会", "二十届三中全会", 1), "first paragraph edit");
    // Body edits that change links and headings: backlinks follow, and a heading others link
    // to cannot go without an error naming the page that links to it.
    edit(
        case,
        &|t| {
            t.replacen(
                "以学习起步。",
                "以学习起步。另见[[社会工作专业人才]]和[会议讲话](@/speeches/quanqu-shehui-gongzuo-huiyi.md)。",
                1,
            )
        },
        "links added in a body",
    );
    edit(case, &|t| t.replacen("另见[[社会工作专业人才]]和", "另见", 1), "link removed from a body");
    edit(case, &|t| t.replacen("## 聚焦政治引领", "## 聚焦政治领航", 1), "heading nobody links to renamed");
    edit(
        "content/speeches/quanqu-shehui-gongzuo-huiyi.md",
        &|t| t.replacen("title: 在全区", "title: 在全区第一次", 1),
        "title edit of a page others link to",
    );
    edit(case, &|t| t.replacen("date: 2024-10-12", "date: 2021-03-01", 1), "date edit");
    edit(case, &|t| t.replacen("志愿服务, ", "", 1), "topic removed");
    edit(
        "content/cases/new-case.md",
        &|_| {
            "---\ntitle: 新增案例\ndate: 2023-05-06\ntype: case\ntopics: [志愿服务]\nregion: 山西省太原市迎泽区\n---\n\n见[迎泽品牌](@/cases/yingze-brand.md)。志愿服务新案例正文。\n".into()
        },
        "page added",
    );
    edit(
        "content/cases/new-case.md",
        &|t| t.replacen("新增案例", "新增案例（改）", 1),
        "title edit of a page linking to others",
    );
    edit("content/about.md", &|t| t.replacen("本库收录", "知库收录", 1), "summary edit of a page linking to others");
    let file = path(case);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("打造培育“一线尖兵”", "再出发", 1)).unwrap();
    let error = session.rebuild(std::slice::from_ref(&file)).expect_err("a heading others link to was renamed");
    let message = error.to_string();
    assert!(message.contains("content/about.md") && message.contains("聚焦队伍建设-打造培育一线尖兵"), "{message}");
    std::fs::write(&file, &text).unwrap();
    session.rebuild(std::slice::from_ref(&file)).unwrap();
    assert_equals_full_build(&site, &session, &out, "heading restored");
    std::fs::create_dir_all(path("content/more")).unwrap();
    std::fs::rename(path("content/cases/new-case.md"), path("content/more/moved.md")).unwrap();
    session.rebuild(&[path("content/cases/new-case.md"), path("content/more/moved.md")]).unwrap();
    assert_equals_full_build(&site, &session, &out, "page moved to a new folder");
    std::fs::remove_file(path("content/more/moved.md")).unwrap();
    session.rebuild(&[path("content/more/moved.md")]).unwrap();
    assert_equals_full_build(&site, &session, &out, "page deleted");

    if settle_later {
        // A newer save makes related pages settling give up: nothing is written, and the next
        // settle catches up.
        let text = std::fs::read_to_string(path(case)).unwrap();
        std::fs::write(path(case), text.replacen("以学习起步。", "以学习起步，再见[[社会工作专业人才]]。", 1)).unwrap();
        let report = session.update(&[path(case)]).unwrap();
        assert_eq!(report.changed_pages, ["/cases/yingze-brand/"], "the edited page is written first, alone");
        let lists = session.settle_lists().unwrap().expect("the lists showing it follow");
        // The page it now links to, and the pages whose knowledge map (two links around them)
        // now shows that link: the edited page's own topics and pages.
        assert!(
            lists.changed_pages.contains(&"/topics/shehui-gongzuo-rencai/".to_string()),
            "the page it now links to"
        );
        assert!(!lists.changed_pages.contains(&"/cases/yingze-brand/".to_string()), "{:?}", lists.changed_pages);
        let before = snapshot(&out);
        let newer_save = std::sync::atomic::AtomicBool::new(true);
        assert!(session.settle_unless(&newer_save).unwrap().is_none(), "a settle given up reports nothing");
        assert_eq!(snapshot(&out), before, "a settle given up writes nothing");
        session.settle().unwrap();
        assert_equals_full_build(&site, &session, &out, "settle given up, then done");
    }

    // A broken file fails the rebuild and leaves the output alone; fixing it recovers.
    let before = snapshot(&out);
    let original = std::fs::read_to_string(path(case)).unwrap();
    std::fs::write(path(case), original.replacen("title:", "titel:", 1)).unwrap();
    assert!(session.rebuild(&[path(case)]).is_err());
    assert_eq!(snapshot(&out), before, "a failed rebuild writes nothing");
    std::fs::write(path(case), &original).unwrap();
    session.rebuild(&[path(case)]).unwrap();
    assert_equals_full_build(&site, &session, &out, "fixed after an error");

    // Templates, styles and configuration.
    let page_html = std::fs::read_to_string(repo_root().join("themes/default/templates/page.html")).unwrap();
    site.write("themes/default/templates/page.html", &page_html.replacen("</article>", "<p>模板改动</p></article>", 1));
    let report = session.rebuild(&[path("themes/default/templates/page.html")]).unwrap();
    assert_equals_full_build(&site, &session, &out, "template edit");
    assert_eq!(report.reloaded, 0, "a template change parses no Markdown");
    site.write("themes/default/static/style.css", "body { color: red }");
    session.rebuild(&[path("themes/default/static/style.css")]).unwrap();
    assert_equals_full_build(&site, &session, &out, "stylesheet edit");
    let config = std::fs::read_to_string(path("config.yaml")).unwrap();
    let title = config.lines().find(|l| l.starts_with("title:")).unwrap().to_string();
    std::fs::write(path("config.yaml"), "title: [broken\n").unwrap();
    assert!(session.rebuild(&[path("config.yaml")]).is_err());
    assert!(session.rebuild(&[path(case)]).is_err(), "a broken config stays an error until fixed");
    std::fs::write(path("config.yaml"), config.replacen(&title, "title: 改名后的知库", 1)).unwrap();
    session.rebuild(&[path("config.yaml")]).unwrap();
    assert_equals_full_build(&site, &session, &out, "config edit");
}

/// Status and whole response of a GET with the given `Host` header (none if `None`).
fn get_as(port: u16, path: &str, host: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\n{host}\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    (out.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0), out)
}

fn start(site: &SiteTest) -> Server {
    let mut options = ServeOptions::new(&site.root);
    options.port = 0;
    Server::start(&options).unwrap()
}

/// A web page that points its own name at this computer (DNS rebinding) sends that name as
/// `Host`: the preview refuses it, pages and event stream alike. Oversized heads are refused too.
#[test]
fn preview_answers_only_its_own_host_names() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let port = server.port;
    for host in ["127.0.0.1", &format!("127.0.0.1:{port}"), "localhost", &format!("[::1]:{port}")] {
        assert_eq!(get_as(port, "/", Some(host)).0, 200, "{host}");
    }
    for path in ["/", "/__zhiku/events", "/search/search.js", "/cases/anli-yi/"] {
        let (status, body) = get_as(port, path, Some(&format!("rebind.example:{port}")));
        assert_eq!(status, 403, "{path}");
        assert!(body.contains("DNS rebinding") && body.contains("rebind.example"), "{body}");
        assert!(!body.contains("<html"), "nothing of the site: {body}");
    }
    assert_eq!(get_as(port, "/", None).0, 400, "no Host header");
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let huge = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: {}\r\n\r\n", "a".repeat(64 * 1024));
    let _ = s.write_all(huge.as_bytes());
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    assert!(out.starts_with("HTTP/1.1 431"), "{out:.80}");
}

#[cfg(target_os = "linux")]
fn open_files() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Each page view opens an event stream; a browser that opens and closes 1,100 of them must
/// not leave their connections open (file descriptors run out near 1,024), and a later save
/// still reloads an open tab.
#[cfg(target_os = "linux")]
#[test]
fn closed_event_streams_are_let_go() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let port = server.port;
    let before = open_files();
    for _ in 0..1100 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /__zhiku/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut head = [0u8; 12];
        let _ = s.read_exact(&mut head);
    }
    // Other tests of this file run beside this one and open files too: allow them some.
    let waited = Instant::now();
    while open_files() > before + 100 && waited.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let after = open_files();
    assert!(after <= before + 100, "{before} files open before, {after} after 1,100 closed event streams");

    let mut events = Events::open(port);
    let page = site.root.join("content/cases/anli-yi.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n关闭许多事件流之后的一句话。\n")).unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(get(port, "/cases/anli-yi/").1.contains("关闭许多事件流之后的一句话"));
}

/// A tab that never reads its event stream must not hold up rebuilds: events are queued per tab
/// and written by the tab's own thread, never by the rebuild. Large error reports fill the
/// socket's buffers, where a blocking write would wait for ever; the save after them is served
/// (the bound is generous: this checks that nothing waits, not how fast).
#[test]
fn a_tab_that_never_reads_does_not_block_rebuilds() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let port = server.port;
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stalled, "GET /__zhiku/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut b = [0u8; 1];
        stalled.read_exact(&mut b).unwrap();
        head.push(b[0]);
    }
    std::thread::sleep(Duration::from_millis(200));
    let mut events = Events::open(port);

    let page = site.root.join("content/cases/anli-yi.md");
    let text = std::fs::read_to_string(&page).unwrap();
    for round in 0..3 {
        let long = "a".repeat(10_000);
        let broken: String = (0..400).map(|i| format!("[断链](@/missing/{round}-{i}-{long}.md)\n\n")).collect();
        // Renamed into place, so the watcher never sees half a file.
        let tmp = site.root.join("content/cases/.big.tmp");
        std::fs::write(&tmp, format!("{text}\n{broken}")).unwrap();
        std::fs::rename(&tmp, &page).unwrap();
        let (event, data) = events.next();
        assert_eq!(event, "error");
        assert!(data.len() > 4_000_000, "the error report must be large to fill the buffers: {} bytes", data.len());
    }
    std::fs::write(&page, format!("{text}\n不读事件流的标签页之后的一句话。\n")).unwrap();
    let waited = Instant::now();
    while !get(port, "/cases/anli-yi/").1.contains("不读事件流的标签页之后的一句话") {
        assert!(waited.elapsed() < Duration::from_secs(60), "the save after a stalled tab was never rebuilt");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(server.error().is_none());
    drop(stalled);
}

/// A content file on a URL the preview makes itself, or a theme file over a generated one, is an
/// error in the preview too (the last good build stays online), and the tab recovers when fixed.
#[test]
fn url_clashes_are_errors_in_the_preview() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let port = server.port;
    let mut events = Events::open(port);
    site.write("content/search/_index.md", "---\ntitle: 搜索说明\n---\n\n说明。\n");
    let (event, data) = events.next();
    assert_eq!(event, "error");
    assert!(data.contains("content/search/_index.md:1:1: error: `/search/` would be written twice"), "{data}");
    assert!(get(port, "/search/").1.contains("search.js"), "the search page stays");
    std::fs::remove_file(site.root.join("content/search/_index.md")).unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(server.error().is_none());

    site.write("themes/default/static/highlight.css", "pre { color: red }");
    let (event, data) = events.next();
    assert_eq!(event, "error");
    assert!(
        data.contains("themes/default/static/highlight.css: error: `/static/highlight.css` would be written twice"),
        "{data}"
    );
    std::fs::remove_file(site.root.join("themes/default/static/highlight.css")).unwrap();
    assert_eq!(events.next().0, "css");
    assert!(server.error().is_none());
}

/// `zhiku serve` under a Chinese locale: what it prints and the requests it refuses speak
/// Chinese, a page in the site's type for a browser, a line of text for curl.
#[test]
fn refusals_speak_the_readers_language() {
    let site = SiteTest::fixture("basic");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["serve", "--port", "0", "--root", site.root.to_str().unwrap()])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("ZHIKU_LANG")
        .env("LANG", "zh_CN.UTF-8")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    for line in stderr.lines() {
        let line = line.unwrap();
        if let Some(at) = line.find("http://127.0.0.1:") {
            assert!(line.starts_with("正在预览"), "{line}");
            port = line[at + 17..].split('/').next().and_then(|p| p.parse::<u16>().ok());
            break;
        }
    }
    let Some(port) = port else {
        let _ = child.kill();
        panic!("no address printed");
    };
    let ask = |head: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "{head}\r\n\r\n").unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        String::from_utf8_lossy(&out).into_owned()
    };
    let browser = "Accept: text/html,application/xhtml+xml";
    let refused = [
        (format!("GET / HTTP/1.1\r\nHost: rebind.example:{port}\r\n{browser}"), "403", "DNS 重绑定"),
        (format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{browser}"), "405", "只响应 GET 和 HEAD"),
        (format!("GET / HTTP/1.1\r\n{browser}"), "400", "Host"),
    ];
    let mut pages = Vec::new();
    for (head, status, says) in &refused {
        let page = ask(head);
        let plain = ask(&head.replace(browser, "Accept: */*"));
        pages.push((page, plain, *status, *says));
    }
    let _ = child.kill();
    let _ = child.wait();
    for (page, plain, status, says) in pages {
        assert!(page.starts_with(&format!("HTTP/1.1 {status}")), "{page:.60}");
        let html = scraper::Html::parse_document(page.split_once("\r\n\r\n").map_or("", |(_, b)| b));
        let lang = html.select(&sel("html")).next().and_then(|h| h.value().attr("lang")).unwrap_or("");
        assert_eq!(lang, "zh-CN", "{status}");
        assert!(text_of(&html, "h1").contains("预览无法响应这个请求"), "{status}: {page}");
        assert!(text_of(&html, "main p").contains(says), "{status}: {page}");
        let body = plain.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        assert!(body.starts_with(status) && body.contains(says) && !body.contains('<'), "{status}: {plain}");
    }
}
