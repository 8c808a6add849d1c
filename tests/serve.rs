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
    let mut options = ServeOptions::new(&site.root);
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

    std::fs::write(&page, original.replacen("title:", "titel:", 1)).unwrap();
    let (event, data) = events.next();
    assert_eq!(event, "error");
    assert!(data.contains("content/cases/yingze-brand.md:2:1") && data.contains("titel"), "{data}");
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
}
