//! A whole page file (front matter and body) as a curator might save it: never a panic, and the
//! limits on aliases, depth and size hold (libFuzzer's -rss_limit_mb and -timeout catch bombs).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhiku::config::Config;

fuzz_target!(|data: &[u8]| {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    let config = CONFIG.get_or_init(|| Config::parse("title: 测试\n").expect("config"));
    let _ = zhiku::content::parse_page("speeches/x.md", data, config);
});
