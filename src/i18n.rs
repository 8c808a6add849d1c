//! Which language messages speak, and the helpers for them. The texts themselves live in
//! `locales/*.yml` (rust-i18n's one-file format: every key holds its `en` and `zh` text side by
//! side) and are compiled into the binary; code asks for them with `t!("fm.no_space", text = …)`.
//!
//! Choosing the language, first match wins:
//! 1. `--lang zh|en`, then the environment variable `ZHIKU_LANG`;
//! 2. the user's locale: the first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`: Chinese if it
//!    starts with `zh`, English otherwise (also for `C` and `POSIX`);
//! 3. when no locale is set at all (as on Windows), the site's `language` in `config.yaml`:
//!    Chinese if it starts with `zh`;
//! 4. English.
//!
//! The person's locale comes before the site's language: the site's language says what the
//! pages are written in, not what the person at the keyboard reads best.

/// A language messages can be printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The locale name in `locales/*.yml`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `zh`, `zh-CN`, `zh_TW.UTF-8` → Chinese; `en`, `en_US` → English; anything else: none.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// The language for a run, by the rules in the module's documentation. `env` reads an
/// environment variable; `site_language` is the `language` of the site's `config.yaml`, if
/// it could be read.
pub fn detect(flag: Option<&str>, env: impl Fn(&str) -> Option<String>, site_language: Option<&str>) -> Lang {
    if let Some(lang) = flag.and_then(Lang::parse) {
        return lang;
    }
    if let Some(lang) = env("ZHIKU_LANG").as_deref().and_then(Lang::parse) {
        return lang;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(|k| env(k).filter(|v| !v.trim().is_empty()));
    match locale {
        Some(locale) if locale.trim().to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        Some(_) => Lang::En,
        None => match site_language.map(|l| l.trim().to_ascii_lowercase()) {
            Some(l) if l.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        },
    }
}

/// Makes `lang` the language of every message from now on (the whole process).
pub fn set(lang: Lang) {
    rust_i18n::set_locale(lang.code());
}

/// The language messages are printed in now.
pub fn current() -> Lang {
    if &*rust_i18n::locale() == "zh" { Lang::Zh } else { Lang::En }
}

/// A list of names for a message: `a, b, c` in English, `a、b、c` in Chinese.
pub fn list(items: &[&str]) -> String {
    items.join(if current() == Lang::Zh { "、" } else { ", " })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)], Option<&'a str>, Lang);

    #[test]
    fn the_flag_then_zhiku_lang_then_the_locale_then_the_site() {
        let cases: [Case; 10] = [
            (Some("zh"), &[("LANG", "C")], None, Lang::Zh),
            (Some("en"), &[("ZHIKU_LANG", "zh"), ("LANG", "zh_CN.UTF-8")], Some("zh-CN"), Lang::En),
            (None, &[("ZHIKU_LANG", "zh"), ("LANG", "C")], None, Lang::Zh),
            (None, &[("ZHIKU_LANG", "en"), ("LANG", "zh_CN.UTF-8")], Some("zh-CN"), Lang::En),
            (None, &[("LANG", "zh_CN.UTF-8")], Some("en"), Lang::Zh),
            (None, &[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")], None, Lang::En),
            (None, &[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW"), ("LANG", "C")], None, Lang::Zh),
            (None, &[("LANG", "C.UTF-8")], Some("zh-CN"), Lang::En),
            (None, &[], Some("zh-CN"), Lang::Zh),
            (None, &[], Some("en"), Lang::En),
        ];
        for (flag, vars, site, want) in cases {
            assert_eq!(detect(flag, env(vars), site), want, "{flag:?} {vars:?} {site:?}");
        }
    }
}
