//! The Markdown pipeline on any body: outline, heading ids, links, glossary links and the
//! sanitizer never panic, and no `javascript:` URL or event handler attribute reaches the HTML.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhiku::markdown::{self, Glossary, RenderContext};

fuzz_target!(|body: &str| {
    static GLOSSARY: OnceLock<Option<Glossary>> = OnceLock::new();
    let glossary = GLOSSARY.get_or_init(|| {
        let terms = [("社会工作", 0), ("枫桥经验", 1), ("楓橋經驗", 1)];
        Glossary::new(&terms.map(|(t, i)| (t.to_string(), i)), 2)
    });
    let doc = markdown::parse(body, 5);
    let resolve = |_: &markdown::LinkTarget| Some("../x/".to_string());
    let topic_href = |i: usize| (format!("../topics/{i}/"), format!("专题{i}"));
    let ctx = RenderContext { resolve: &resolve, glossary: glossary.as_ref(), topic_href: &topic_href, self_topic: None };
    let html = markdown::render(&doc, &ctx).html.to_ascii_lowercase();
    // Text is escaped, so every `<` opens a tag: look for script addresses inside tags only.
    for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
        let squeezed: String = tag.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(!squeezed.contains("=\"javascript:") && !squeezed.contains("='javascript:"), "{html}");
        assert!(!tag.starts_with("script"), "{html}");
    }
});
