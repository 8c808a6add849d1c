//! The automatic summary of a page (for lists, search results and `<meta name="description">`)
//! when its front matter gives none: the first paragraph of substance, cut at a sentence end.
//! A speech opens with a salutation (`同志们：`, `各位领导、同志们：`, `尊敬的…：`), a date line
//! or a subtitle (`——在…会议上的讲话`); none of them says what the page is about.

/// Characters a summary holds at most: about two lines of a list, and what search engines
/// show of a description.
pub const MAX_CHARS: usize = 110;

/// Words that make a short line ending in a colon a salutation.
const ADDRESSEES: [&str; 9] = ["同志", "领导", "尊敬", "各位", "来宾", "朋友", "代表", "老师", "大家"];

/// Whether a whole paragraph is a preamble rather than the text: a salutation, a date line in
/// brackets, a `——` subtitle, or a line of punctuation.
pub fn is_preamble(paragraph: &str) -> bool {
    let p = paragraph.trim();
    if p.is_empty() {
        return true;
    }
    let chars = p.chars().count();
    if chars > 60 {
        return false;
    }
    let salutation = (p.ends_with('：') || p.ends_with(':')) && ADDRESSEES.iter().any(|w| p.contains(w));
    let bracketed = (p.starts_with('（') && p.ends_with('）')) || (p.starts_with('(') && p.ends_with(')'));
    let dated = bracketed && p.contains('年') && p.contains('日');
    salutation || dated || p.starts_with("——") || p.chars().all(|c| !c.is_alphanumeric())
}

/// `text` without a salutation that opens it (`同志们：今天……` → `今天……`).
pub fn strip_salutation(text: &str) -> &str {
    let text = text.trim();
    for colon in ['：', ':'] {
        if let Some((head, rest)) = text.split_once(colon)
            && head.chars().count() <= 30
            && ADDRESSEES.iter().any(|w| head.contains(w))
            && !rest.trim().is_empty()
        {
            return rest.trim_start();
        }
    }
    text
}

/// `text` cut to at most `max` characters: whole sentences when the first one fits, else
/// the first `max - 1` characters and `…`.
pub fn cut(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut end = 0;
    for (count, (i, c)) in text.char_indices().enumerate() {
        if count >= max {
            break;
        }
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?') {
            end = i + c.len_utf8();
        }
    }
    if end > 0 {
        return text[..end].to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The summary of a page: the front matter's, else its first paragraph of substance without
/// an opening salutation; cut to `max` characters.
pub fn of(written: Option<&str>, first_paragraph: &str, max: usize) -> String {
    match written {
        Some(s) => cut(s, max),
        None => cut(strip_salutation(first_paragraph), max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preambles_are_skipped() {
        for p in [
            "同志们：",
            "各位领导、同志们：",
            "尊敬的各位来宾、朋友们：",
            "（2024年10月12日）",
            "——在全区社会工作会议上的讲话",
            "* * *",
        ] {
            assert!(is_preamble(p), "{p}");
        }
        for p in
            ["今天，我们召开全区社会工作会议。", "一、提高认识：做好社会工作的意义", "同志们的努力值得肯定，成效明显。"]
        {
            assert!(!is_preamble(p), "{p}");
        }
    }

    #[test]
    fn summaries_start_with_substance_and_end_with_a_sentence() {
        assert_eq!(
            of(None, "同志们：今天我们召开会议。主要任务是部署工作。", 110),
            "今天我们召开会议。主要任务是部署工作。"
        );
        let long = format!("第一句话说明会议主题。{}", "很长的第二句".repeat(30));
        assert_eq!(of(None, &long, 110), "第一句话说明会议主题。");
        let no_stop = "字".repeat(200);
        assert_eq!(of(None, &no_stop, 10).chars().count(), 10);
        assert!(of(None, &no_stop, 10).ends_with('…'));
        assert_eq!(of(Some("写好的摘要"), "同志们：正文", 110), "写好的摘要");
    }
}
