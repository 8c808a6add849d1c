//! The message catalogues in `locales/`: every message has both languages with the same
//! placeholders, and every key the code asks for exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// key → language → text, from every `locales/*.yml`.
fn catalogue() -> BTreeMap<String, BTreeMap<String, String>> {
    let mut all = BTreeMap::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let file: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(&text).unwrap();
        assert_eq!(file.get("_version").and_then(|v| v.as_u64()), Some(2), "{}", path.display());
        for (key, texts) in file.into_iter().filter(|(k, _)| k != "_version") {
            let texts: BTreeMap<String, String> = serde_yaml::from_value(texts)
                .unwrap_or_else(|e| panic!("{}: `{key}` is not a map of texts: {e}", path.display()));
            assert!(all.insert(key.clone(), texts).is_none(), "`{key}` is defined twice");
        }
    }
    all
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.match_indices("%{").filter_map(|(i, _)| text[i + 2..].split_once('}').map(|(name, _)| name)).collect()
}

#[test]
fn every_message_has_english_and_chinese_with_the_same_placeholders() {
    let all = catalogue();
    assert!(all.len() > 100, "{} messages", all.len());
    for (key, texts) in &all {
        let langs: Vec<&str> = texts.keys().map(String::as_str).collect();
        assert_eq!(langs, ["en", "zh"], "`{key}`");
        let (en, zh) = (&texts["en"], &texts["zh"]);
        assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "`{key}` is empty in one language");
        assert_eq!(placeholders(en), placeholders(zh), "`{key}`: the two texts take different values");
    }
}

/// `t!("key"` in every source file under `src/`.
fn keys_used() -> BTreeMap<String, String> {
    let mut used = BTreeMap::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("t!(") {
                    // `t!`, not the end of `format!` or `assert!`.
                    if text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    // The key may start on the next line.
                    let Some(rest) = text[i + 3..].trim_start().strip_prefix('"') else { continue };
                    let key = &rest[..rest.find('"').unwrap()];
                    used.insert(key.to_string(), path.display().to_string());
                }
            }
        }
    }
    used
}

#[test]
fn every_key_the_code_uses_exists() {
    let all = catalogue();
    let used = keys_used();
    assert!(used.len() > 100, "{} keys used", used.len());
    for (key, file) in &used {
        assert!(all.contains_key(key), "{file} asks for `{key}`, which no file in locales/ defines");
    }
    // The other way round: a message nobody prints is dead weight (or a typo in the code).
    let unused: Vec<&String> = all.keys().filter(|k| !used.contains_key(*k)).collect();
    assert!(unused.is_empty(), "messages in locales/ that no code uses: {unused:?}");
}
