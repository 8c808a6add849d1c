//! Metadata in running text: dates in their many written forms, labelled fields (`来源：`,
//! `发布时间：`, `成文日期：`…), roles of speakers, site names. Pure functions on one line, so
//! the cleaner decides *where* a value counts (header, signature, footer) and these only *what*.

use regex::Regex;
use std::sync::OnceLock;

pub(crate) fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

macro_rules! regex {
    ($p:expr) => {{
        static CELL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        $crate::import::meta::re(&CELL, $p)
    }};
}
pub(crate) use regex;

/// Full-width digits and separators as ASCII, so one set of date patterns reads both.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            '／' => '/',
            '．' => '.',
            '：' => ':',
            _ => c,
        })
        .collect()
}

/// `text` with traditional characters simplified one by one (see [`crate::fold::to_simplified`]), so
/// rules written in simplified characters read Taiwan and Hong Kong pages too.
pub fn simplified(text: &str) -> String {
    text.chars().map(crate::fold::to_simplified).collect()
}

/// The simplified copy of `text` when it has the same byte offsets (every character kept its
/// UTF-8 length), so a match in it can be cut from the original; else the original.
fn aligned(text: &str) -> std::borrow::Cow<'_, str> {
    let s = simplified(text);
    if s.len() == text.len() { std::borrow::Cow::Owned(s) } else { std::borrow::Cow::Borrowed(text) }
}

/// How an import reads bare three-digit years (`114-03-12`, `114年3月12日`): as years of the 民國
/// era on a page in traditional script or one that says 民國, else not at all. A value of each
/// import (never global state), so that one file's era does not leak into the next.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Calendar {
    pub roc_years: bool,
}

impl Calendar {
    /// The calendar of a page, from its whole text.
    pub fn of_page(text: &str) -> Calendar {
        Calendar { roc_years: is_roc_page(text) }
    }
}

/// A page in traditional script (a twentieth of its Han characters have a simplified form
/// other than themselves) or one that dates by the 民國 era.
pub fn is_roc_page(text: &str) -> bool {
    if regex!(r"民[國国]\s*[0-9０-９一二三四五六七八九十百]{2,4}\s*年").is_match(text) {
        return true;
    }
    let (mut han, mut traditional) = (0usize, 0usize);
    for c in text.chars().filter(|c| crate::fold::is_han(*c)) {
        han += 1;
        if crate::fold::to_simplified(c) != c {
            traditional += 1;
        }
    }
    han >= 20 && traditional * 20 >= han
}

fn chinese_number(s: &str) -> Option<u32> {
    let d = |c: char| match c {
        '〇' | '零' | '○' | 'Ｏ' => Some(0),
        _ => "一二三四五六七八九".chars().position(|x| x == c).map(|i| i as u32 + 1),
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [] => None,
        [a] if *a == '十' => Some(10),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        digits => digits.iter().try_fold(0u32, |n, &c| Some(n * 10 + d(c)?)),
    }
}

/// Every date written in `text`, as `YYYY-MM-DD`, in order: `2024年10月12日`, `2024-10-12`,
/// `2024/10/12 11:36`, `2024.10.12`, `二〇二四年十二月二十日`; bare 民國 years only when
/// `calendar` says so. Impossible dates are skipped.
pub fn dates(text: &str, calendar: Calendar) -> Vec<String> {
    let t = ascii_digits(text);
    let arabic = regex!(
        r"(?:^|[^\d])(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$))"
    );
    let han = regex!(
        r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
    );
    let mut found: Vec<(usize, String)> = Vec::new();
    for c in arabic.captures_iter(&t) {
        let (m, d) = match (c.get(2), c.get(3)) {
            (Some(m), Some(d)) => (m.as_str(), d.as_str()),
            _ => match (c.get(4), c.get(5)) {
                (Some(m), Some(d)) => (m.as_str(), d.as_str()),
                _ => continue,
            },
        };
        let iso = format!("{}-{:0>2}-{:0>2}", &c[1], m, d);
        if crate::content::Date::parse(&iso).is_some() {
            found.push((c.get(1).map_or(0, |g| g.start()), iso));
        }
    }
    // Day first or month first (`15/10/2025`, `10/15/2025`): read only when one of the two
    // numbers cannot be a month; `05/10/2025` is left unread rather than guessed.
    let numeric = regex!(r"(?:^|[^\d/.\-])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[^\d/.]|$)");
    for c in numeric.captures_iter(&t) {
        let (Ok(a), Ok(b)) = (c[1].parse::<u32>(), c[2].parse::<u32>()) else { continue };
        let (m, d) = match (a <= 12, b <= 12) {
            (false, true) => (b, a),
            (true, false) => (a, b),
            (true, true) if a == b => (a, b),
            _ => continue,
        };
        let iso = format!("{}-{m:02}-{d:02}", &c[3]);
        if crate::content::Date::parse(&iso).is_some() {
            found.push((c.get(1).map_or(0, |g| g.start()), iso));
        }
    }
    for c in han.captures_iter(&t) {
        let (Some(y), Some(m), Some(d)) = (chinese_number(&c[1]), chinese_number(&c[2]), chinese_number(&c[3])) else {
            continue;
        };
        let iso = format!("{y:04}-{m:02}-{d:02}");
        if crate::content::Date::parse(&iso).is_some() {
            found.push((c.get(0).map_or(0, |g| g.start()), iso));
        }
    }
    // 民國 years: `中華民國114年3月12日` always; `114-03-12`, `114年3月12日` on a 民國 page.
    let roc = regex!(
        r"(?:中[华華])?民[国國]\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(?:^|[^\d])(\d{2,3})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$))"
    );
    let roc_page = calendar.roc_years;
    for c in roc.captures_iter(&t) {
        let (y, m, d, at) = match (c.get(1), c.get(4)) {
            (Some(y), _) => (y, &c[2], &c[3], y.start()),
            (None, Some(y)) if roc_page => match (c.get(5), c.get(6), c.get(7), c.get(8)) {
                (Some(m), Some(d), _, _) | (_, _, Some(m), Some(d)) => (y, m.as_str(), d.as_str(), y.start()),
                _ => continue,
            },
            _ => continue,
        };
        let Ok(year) = y.as_str().parse::<u32>() else { continue };
        if year < 1 {
            continue;
        }
        let iso = format!("{}-{:0>2}-{:0>2}", year + 1911, m, d);
        if crate::content::Date::parse(&iso).is_some() {
            found.push((at, iso));
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found.into_iter().map(|(_, d)| d).collect()
}

/// What is left of a line once dates, times and brackets are taken out: empty for a line that
/// is only a date (`（2024年9月12日）`, `二〇二四年十二月二十日`).
pub fn without_dates(text: &str, calendar: Calendar) -> String {
    let t = ascii_digits(text);
    let t = regex!(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\b\d{1,2}/\d{1,2}/\d{4}\b")
        .replace_all(&t, " ");
    let t = regex!(
        r"[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
    )
    .replace_all(&t, " ");
    let t = regex!(r"(?:中[华華])?民[国國]\s*\d{2,3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日").replace_all(&t, " ");
    let t: String = if calendar.roc_years {
        regex!(r"\d{2,3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\b\d{2,3}[-/.]\d{1,2}[-/.]\d{1,2}\b")
            .replace_all(&t, " ")
            .into_owned()
    } else {
        t.into_owned()
    };
    let t = regex!(r"\d{1,2}:\d{2}(:\d{2})?").replace_all(&t, " ");
    t.trim_matches(|c: char| c.is_whitespace() || "()（）[]【】|｜·,，".contains(c)).to_string()
}

/// A line that says nothing but a date.
pub fn is_date_only(text: &str, calendar: Calendar) -> bool {
    !dates(text, calendar).is_empty() && without_dates(text, calendar).is_empty()
}

/// Labels of metadata fields as web pages and documents print them.
const LABELS: &str = r"发布者|发布人|发布单位|发布组织|刊名|期刊名称|信息来源|文章来源|稿件来源|来源|作者|发布时间|发布日期|更新时间|时间|日期|成文日期|发文机关|发文单位|发布机构|发文字号|文号|索引号|主题分类|体裁分类|组配分类|分类|主题词|标\s*题|名\s*称|浏览次数|浏览量|浏览|点击数|点击量|点击|阅读量|阅读|字数|上传者|上传时间|上传日期|页数|下载券|责任编辑|编辑|责编|撰稿|记者|通讯员|供稿|摄影|原文链接|本文链接|原文地址|本文网址|本文地址|原文网址|网址|有效性|生效日期|公开方式|公开范围|所属机构|审核|校对";

/// The `label：value` fields of a metadata line (`发布时间：2024-09-19 10:20　来源：市委社会工作部`),
/// with the label's spaces removed. Fields are separated by `|`, wide spaces or the next label.
pub fn fields(line: &str) -> Vec<(String, String)> {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    // A bilingual page glosses its labels (`發佈日期 Date: 15/10/2025`).
    let label = re(&LABEL, &format!(r"(?:^|[\s|｜【\[（(·])({LABELS})\s*(?:[A-Za-z][A-Za-z .]{{0,24}}?)?\s*[:：]"));
    let folded = aligned(line);
    let starts: Vec<(usize, usize, String)> = label
        .captures_iter(&folded)
        .filter_map(|c| c.get(1).map(|g| (g.start(), c.get(0).map_or(g.end(), |m| m.end()), g.as_str().to_string())))
        .collect();
    let mut out = Vec::new();
    for (i, (_, value_start, name)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(line.len(), |s| s.0);
        let raw = &line[*value_start..end];
        let value = raw.split(['|', '｜', '\u{3000}']).next().unwrap_or("");
        let value = value.split("  ").next().unwrap_or("");
        let value = value.trim_matches(|c: char| c.is_whitespace() || "【】[]（）()·,，".contains(c));
        let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        out.push((name, value.to_string()));
    }
    out
}

/// A line whose first words are a metadata label (`来源：`, `索引号：`…).
pub fn starts_with_label(line: &str) -> bool {
    static START: OnceLock<Regex> = OnceLock::new();
    re(&START, &format!(r"^[【\[（(]?\s*({LABELS})\s*(?:[A-Za-z][A-Za-z .]{{0,24}}?)?\s*[:：]"))
        .is_match(&simplified(line))
}

const ROLES: &str = "副书记|书记|部长|主任|局长|区长|市长|县长|省长|镇长|乡长|主席|厅长|处长|科长|院长|校长|理事长|会长|秘书长|常委|委员|组长|总经理|董事长|政委";

/// A speaker's role from a subtitle or byline: `——区委副书记、区长刘某某在…上的讲话` → `区委副书记、区长`;
/// `社会工作部长` → `社会工作部部长` (the unit written out, as a curator would).
pub fn role(text: &str) -> Option<String> {
    let text = text.trim_start_matches(['—', '－', '-', ' ']);
    // A label before the role (`主讲：`, `讲话人：`) is the page's wording, not the role.
    let text = match regex!(r"^(?:主讲人?|讲话人|发言人|报告人|授课人?|讲授人?|主持人?)\s*[:：]\s*").find(text)
    {
        Some(label) => &text[label.end()..],
        None => text,
    };
    let head = text.split('在').next().unwrap_or(text);
    static LAST: OnceLock<Regex> = OnceLock::new();
    let last = re(&LAST, &format!(r"^(.*(?:{ROLES}))"));
    let c = last.captures(head)?;
    // A role is followed by a name, a comma or nothing: `社区长者食堂` holds no 区长.
    let after = head[c[1].len()..].trim_start_matches(|ch: char| ch.is_whitespace() || ch == '\u{3000}');
    let after = after.strip_suffix("同志").unwrap_or(after);
    let goes_on = regex!(r"^(在|专题|学习|发言|讲话|致辞|报告|的|关于|交流|研讨|署名|（|\()").is_match(after);
    if !(after.is_empty() || after.starts_with(['，', ',', '、']) || goes_on || is_person_name(after)) {
        return None;
    }
    let mut role = c[1].trim().to_string();
    if role.chars().count() < 2 || role.chars().count() > 40 {
        return None;
    }
    for unit in ["部", "局", "厅"] {
        let short = format!("{unit}长");
        if role.ends_with(&short) && !role.ends_with(&format!("{unit}{unit}长")) {
            let stem = &role[..role.len() - short.len()];
            let last_char = stem.chars().last();
            // `组织部长` → `组织部部长`; but `副部长`, `部长` alone stay.
            if stem.chars().count() >= 2 && last_char != Some('副') && last_char != Some('、') {
                role = format!("{stem}{unit}{unit}长");
            }
        }
    }
    Some(role)
}

/// A person's name standing alone (`胡某某`, `王某`): two to four Han characters.
pub fn is_person_name(text: &str) -> bool {
    let n = text.chars().count();
    (2..=4).contains(&n)
        && text.chars().all(crate::fold::is_han)
        && !regex!(r"[网报站部委局府会社台院校]$").is_match(text)
}

/// A byline that names only a person (`张三`, `王某某同志`, `作者：李四`, `文/赵五`,
/// `撰稿：钱六`, `文 | 孙七`): the person's name. Reporters (`记者`, `通讯员`) are no bylines.
pub fn byline_name(line: &str) -> Option<String> {
    let line = line.trim();
    if regex!(r"记者|通讯员|摄影|编辑|责编").is_match(line) {
        return None;
    }
    let name = match regex!(r"^(?:作者|撰稿人?|执笔人?|文|文字)\s*[:：/／|｜]\s*(\p{Han}{2,4})$").captures(line)
    {
        Some(c) => c[1].to_string(),
        None => {
            let bare = line.strip_suffix("同志").unwrap_or(line);
            // A bare line is a name only when it is short enough not to be an account or a
            // unit (`青岚社工`); with `同志` after it, four characters are a name too.
            let limit = if bare.len() < line.len() { 4 } else { 3 };
            if bare.chars().count() > limit {
                return None;
            }
            bare.to_string()
        }
    };
    is_person_name(&name).then_some(name)
}

/// The masthead of a bulletin or 公文 (`工作简报`, `社会工作简报　2025年第6期`,
/// `工作简报（第8期）`, `中共某某委社会工作部文件`): never the title.
pub fn is_masthead(t: &str) -> bool {
    if is_organization_names(t) {
        return true;
    }
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().count() <= 30
        && (regex!(
            r"^.{0,14}(简报|快报|专报|通讯|动态|信息|参阅|要情)([（(]?(\d{4}年)?第\d+期[)）]?)?$|^(\d{4}年)?第\d+期([（(]?总第\d+期[)）]?)?$"
        )
        .is_match(&t)
            || (t.ends_with("文件") && !t.contains(['关', '的'])))
}

/// A line of nothing but organisation names set apart by wide spaces (`中共某市委党校　某市行政学院`):
/// a masthead, never a title.
pub fn is_organization_names(t: &str) -> bool {
    let t = simplified(t);
    let parts: Vec<&str> =
        t.split('\u{3000}').flat_map(|p| p.split("  ")).map(str::trim).filter(|p| !p.is_empty()).collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            (2..=20).contains(&p.chars().count())
                && !p.contains(['。', '，', '：', ':', '！', '？', '；', '、', '“', '”', ' '])
                && regex!(r"(政府|网|局|委|中心|报|院|校|会|台|部|厅|办|办公室|所|站|社)$").is_match(p)
        })
}

/// The name of a site or platform (`人民网`, `学习强国`, `公文汇文库`, `云州市人民政府`,
/// `青岚区人民政府门户网站`), as it stands on a line of its own above or below an article.
pub fn is_site_name(text: &str) -> bool {
    let n = text.chars().count();
    n <= 16
        && !text.contains(['。', '，', '：', ':'])
        && (regex!(r"(网|網|网站|门户|文库|文庫|頭條|头条|强国|强國|日报|日報|客户端|APP|App|平台|在线|新闻|政府|官网|公众号|号)$")
            .is_match(text)
            || regex!(r"(?i)^(www\.)?[a-z0-9-]+\.(com|cn|net|org|gov)").is_match(text))
}

/// A page title without the column or issue label an e-mail subject or a bulletin puts before
/// it (`【某某通讯】第18期：…`, `第6期｜…`, `【社工故事】…`), or a file name's extension.
pub fn without_subject_label(title: &str) -> String {
    let t = title.trim();
    let t = regex!(r"^【[^】]{2,20}】\s*").replace(t, "");
    let t = regex!(r"^第\s*\d+\s*期\s*[:：｜|]?\s*").replace(&t, "");
    // A gallery's or a video's kind before its title (`组图：…`, `视频｜…`) labels the page's kind.
    let t = regex!(r"^(高清)?(组图|图集|图片|图文|视频|音频|直播)\s*[:：｜|]\s*").replace(&t, "");
    // A recording's or a document's file name heading its transcript or text
    // (`…座谈会.m4a`, `…方案（定稿）.docx`): the name without its extension.
    let t = regex!(r"(?i)\.(m4a|mp3|wav|amr|aac|flac|wma|ogg|mp4|m4v|mov|docx?|wps|pdf|txt)$").replace(&t, "");
    if t.chars().count() >= 4 { t.into_owned() } else { title.trim().to_string() }
}

/// A title split at site separators (`… - 今日头条`, `…_新华网`, `研讨发言｜…`, `…--党建-人民网`):
/// the longest part is the title, the others are site names and column labels.
pub fn strip_site_parts(title: &str) -> String {
    // A site or organisation name joined by a bare hyphen (`…加装电梯-某区人民政府`).
    if let Some(c) = regex!(
        r"^(.{4,}?)\s*[-_|｜]\s*([^-_|｜\s。，！？；：、“”《》]{2,20}?(政府|网|網|局|委|中心|报|報|院|校|会|會|台|站|厅|廳))$"
    )
    .captures(title.trim())
    {
        return strip_site_parts(&c[1]);
    }
    let parts: Vec<&str> = regex!(r"\s+[-_|｜—－–]+\s+|\s*[|｜_]\s*|--+|(?:^|[^—])—(?:[^—]|$)|－")
        .split(title)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // A dash inside brackets (`周报（2025.11.17—2025.11.21）`) joins a range, not a site name.
    let unbalanced = |p: &&str| p.matches(['（', '(']).count() != p.matches(['）', ')']).count();
    if parts.len() < 2 || parts.iter().any(unbalanced) {
        return title.trim().to_string();
    }
    // A site or column name is a name, never a clause: two clauses joined by a bar
    // (`一桌百家宴，满巷邻里情｜瓦窑巷社区第三届邻里节圆满举行`) are one title.
    let longest = parts.iter().map(|p| p.chars().count()).max().unwrap_or(0);
    if parts.iter().any(|p| p.chars().count() < longest && p.contains(['，', '！', '？'])) {
        return title.trim().to_string();
    }
    parts.iter().max_by_key(|p| p.chars().count()).map_or(title.trim(), |p| p).to_string()
}

/// What a record's field label says its value is: the text's title, the unit that issued or
/// answered it (with a rank, lower is the text's own), the day it was answered, given or signed,
/// or the person speaking in it. Forms, letter-and-reply pages, app reports, proposals, contracts
/// and interview pages all print such fields (`信件标题：`, `回复单位：`, `填报单位：`, `编纂单位：`,
/// `回复时间：`, `访谈时间：`, `提案人：`, `访谈嘉宾：`, `甲方：`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    Title,
    Source(u8),
    Date(u8),
    Speaker,
}

/// The role a field label gives its value, or none for labels that name something else (a
/// letter's writer and writing time, a site's 主办 unit, a deadline). A 承办单位 answers a work
/// order; beside a 主办 field it runs a site, and the caller skips that line.
pub fn field_role(label: &str) -> Option<FieldRole> {
    let l: String = simplified(label).chars().filter(|c| !c.is_whitespace()).collect();
    let l = l.as_str();
    if regex!(r"^\p{Han}{0,4}(标题|题目)$").is_match(l) && !regex!(r"^(副|小|子|分)").is_match(l) {
        return Some(FieldRole::Title);
    }
    // The unit answering a letter or a request speaks for the page that prints the answer.
    if regex!(r"^(回复|答复|办理|受理|办结)(单位|机关|机构|部门)$").is_match(l) {
        return Some(FieldRole::Source(1));
    }
    // The unit a work order was assigned to; a site footer's 承办单位 is skipped by the caller.
    if regex!(r"^承办(单位|部门)$").is_match(l) {
        return Some(FieldRole::Source(3));
    }
    // The unit that filled in, compiled, organised or issued the text.
    // A thing's name may come first (`案例提供单位`, `材料报送单位`).
    if regex!(r"^\p{Han}{0,4}?(填报|编纂|编制|编印|组织|报送|出品|制发|印发|起草|发布|发文|制定|提供|申报)(单位|机关|机构|部门)$")
        .is_match(l)
    {
        return Some(FieldRole::Source(2));
    }
    // A contract is the client's: the party that commissions and pays (甲方, 委托方).
    if regex!(r"^(甲方|甲\s*方|购买方|发包方)$").is_match(l) {
        return Some(FieldRole::Source(3));
    }
    // The day a reply was given, an interview or a live report held, an agreement signed or a
    // text adopted is the text's own; a letter's writing day and deadlines are not.
    if regex!(r"^(回复|答复|办结|访谈|直播|签订|签署|签约|通过)(时间|日期)$").is_match(l) {
        return Some(FieldRole::Date(0));
    }
    if regex!(r"^(提交|填报|报送)(时间|日期)$").is_match(l) {
        return Some(FieldRole::Date(2));
    }
    // The signed author of a proposal, the one guest of an interview.
    if regex!(r"^(提案人|领衔提案人|领衔人|建议人|(访谈|在线访谈|做客|本期)?嘉宾)$").is_match(l)
    {
        return Some(FieldRole::Speaker);
    }
    None
}

/// The `label：value` fields of a record line, whatever the labels (two to six Han characters at
/// the line's start or after a wide space or a bar): `提案号：第0086号　　提案人：王秀芬`,
/// `> 组织单位：石榴园社区居民委员会`. A sentence (with `。`) or a long line holds none.
pub fn record_fields(line: &str) -> Vec<(String, String)> {
    let line = line.trim_start_matches(|c: char| c.is_whitespace() || ">*-·•".contains(c)).trim_end_matches('*');
    if line.contains('。') || line.chars().count() > 120 {
        return Vec::new();
    }
    let label = regex!(r"(?:^|[\s\u{3000}|｜])(\p{Han}{2,6})\s*[:：]");
    let starts: Vec<(usize, usize, &str)> = label
        .captures_iter(line)
        .filter_map(|c| Some((c.get(1)?.start(), c.get(0)?.end(), c.get(1)?.as_str())))
        .collect();
    let mut out = Vec::new();
    for (i, (_, value_start, name)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(line.len(), |s| s.0);
        let value = line[*value_start..end].trim_matches(|c: char| c.is_whitespace() || "|｜".contains(c));
        if !value.is_empty() {
            out.push((name.to_string(), value.to_string()));
        }
    }
    out
}

/// A line of record fields (`填报单位：…`, `出版：方志出版社　2025年10月`, `页码：第286页`): a
/// form's or a catalogue's, never a title. A title with a colon (`区委书记张三：打造…`,
/// `社工故事：…`) has no field label before it.
pub fn is_field_line(t: &str) -> bool {
    record_fields(t).first().is_some_and(|(label, _)| {
        t.trim_start_matches(|c: char| c.is_whitespace() || ">*-·•".contains(c)).starts_with(label.as_str())
            && (field_role(label).is_some()
                || regex!(r"(单位|机构|机关|部门|人|者|时间|日期|地点|出版|出版社|页码|编号|状态|类型|类别|版次|期号|字数|地址|电话|邮箱|网址)$")
                    .is_match(label))
    })
}

/// A unit's name as a field gives it: without a seal or signature note (`（盖章）`, `（签章）`).
pub fn unit_value(value: &str) -> Option<String> {
    let v = regex!(r"[（(]\s*(盖章|签章|公章|签字|签名|章)\s*[)）]").replace_all(value, "");
    let v = v.split(['\u{3000}', '|', '｜']).next().unwrap_or("").trim();
    let n = v.chars().count();
    ((2..=40).contains(&n) && v.chars().any(crate::fold::is_han) && !v.contains(['，', '。', '：', ':']))
        .then(|| v.to_string())
}

/// The speaker a field names: the role when the value is `<role> <name>` (`区民政局局长　何文静`),
/// else the name alone; none for several people.
pub fn speaker_value(value: &str) -> Option<String> {
    let v = value.trim();
    if v.contains(['、', '，', ',', '；', ';']) {
        return None;
    }
    if let Some(c) = regex!(r"^(\S.{1,30}?)[\s\u{3000}]+(\p{Han}{2,4})$").captures(v)
        && is_person_name(&c[2])
        && let Some(r) = role(&c[1]).filter(|r| c[1].trim().ends_with(r.as_str()))
    {
        return Some(r);
    }
    let name = v.split(['（', '(', ' ', '\u{3000}']).next().unwrap_or("");
    is_person_name(name).then(|| name.to_string())
}

/// A generic page heading (`信件详情`, `正文`, `文章详情`) or an app's back bar (`〈　日报详情　···`):
/// the screen's name, never a title.
pub fn is_page_heading(t: &str) -> bool {
    let bare: String = t
        .trim_start_matches(|c: char| c.is_whitespace() || "〈<＜‹←<".contains(c))
        .trim_end_matches(|c: char| c.is_whitespace() || "·.…⋯>＞›→".contains(c))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let back_bar = regex!(r"^[〈<＜‹←]").is_match(t.trim()) || regex!(r"(···|…|⋯)\s*$").is_match(t.trim());
    let n = bare.chars().count();
    // A work app's card label (`陈某的周报`, `王某某的日志`) names the writer's entry, not the text.
    if regex!(r"^\p{Han}{2,4}的(周报|日报|月报|日志|工作日志|总结|汇报|笔记|审批)$").is_match(&bare)
    {
        return true;
    }
    (n <= 8 && regex!(r"^\p{Han}{0,6}(详情|正文|详细信息|全文|内容|阅读)$").is_match(&bare)) || (back_bar && n <= 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_roles_and_mastheads() {
        for (line, name) in [
            ("张三", Some("张三")),
            ("王某某同志", Some("王某某")),
            ("欧阳明远同志", Some("欧阳明远")),
            ("作者：李四", Some("李四")),
            ("文/赵五", Some("赵五")),
            ("撰稿：钱六", Some("钱六")),
            ("记者 孙七", None),
            ("青岚社工", None),
            ("字号", Some("字号")),
        ] {
            assert_eq!(byline_name(line).as_deref(), name, "{line}");
        }
        assert_eq!(role("——区委副书记、区长刘某某在全区会议上的讲话").as_deref(), Some("区委副书记、区长"));
        assert_eq!(role("——市委社会工作部部长专题学习研讨交流发言稿").as_deref(), Some("市委社会工作部部长"));
        assert_eq!(role("——汾阳路社区长者食堂运营记"), None, "社区长者 holds no 区长");
        for (line, masthead) in [
            ("工作简报", true),
            ("工作简报（第8期）", true),
            ("青岚社会工作简报　2025年第6期", true),
            ("2024年第5期（总第41期）", true),
            ("中共青岚区委社会工作部文件", true),
            ("关于印发《实施方案》的通知", false),
            ("青岚区推行社区“全岗通”服务模式的实践与思考", false),
        ] {
            assert_eq!(is_masthead(line), masthead, "{line}");
        }
    }

    #[test]
    fn dates_in_every_form() {
        for (text, date) in [
            ("发布时间:2025/10/11 18:09:18 字数:3505", "2025-10-11"),
            ("2024/10/12 11:36 来源:中国社区报", "2024-10-12"),
            ("《 人民日報 》( 2024年11月07日 01 版)", "2024-11-07"),
            ("2024年10月29日05:09 | 来源：人民网", "2024-10-29"),
            ("二〇二四年十二月二十日", "2024-12-20"),
            ("2024.10.12", "2024-10-12"),
            ("成文日期：２０２４年１１月１８日", "2024-11-18"),
            ("发布时间:2024年8月2日  阅读:512次", "2024-08-02"),
        ] {
            assert_eq!(dates(text, Calendar::default()).first().map(String::as_str), Some(date), "{text}");
        }
        let plain = Calendar::default();
        assert!(dates("11140105MB1234567X/2024-00318", plain).is_empty());
        assert_eq!(dates("發佈日期 Date: 15/10/2025", plain), ["2025-10-15"]);
        assert_eq!(dates("Posted 10/15/2025", plain), ["2025-10-15"]);
        assert!(dates("05/10/2025", plain).is_empty(), "day or month first: not guessed");
        assert!(is_date_only("15/10/2025", plain));
        assert!(is_date_only("（2024年9月12日）", plain));
        assert!(is_date_only("二〇二四年十二月二十日", plain));
        assert!(!is_date_only("2024年10月29日05:09 | 来源：人民网", plain));
    }

    #[test]
    fn bare_roc_years_only_by_the_calendar_passed() {
        let roc = Calendar::of_page("中華民國114年3月12日 臺北市政府社會局新聞稿");
        assert!(roc.roc_years);
        assert!(!Calendar::of_page("2024年10月12日 全区社会工作会议").roc_years);
        assert_eq!(dates("發布日期：114-03-12", roc), ["2025-03-12"]);
        assert!(dates("發布日期：114-03-12", Calendar::default()).is_empty());
        assert!(is_date_only("114年3月12日", roc) && !is_date_only("114年3月12日", Calendar::default()));
    }

    #[test]
    fn labelled_fields() {
        assert_eq!(
            fields("发布时间：2024-09-19 10:20　来源：市委社会工作部　浏览次数：1234"),
            vec![
                ("发布时间".to_string(), "2024-09-19 10:20".to_string()),
                ("来源".to_string(), "市委社会工作部".to_string()),
                ("浏览次数".to_string(), "1234".to_string())
            ]
        );
        assert_eq!(fields("来源：光明日报 | 作者：周某某 | 2024-08-15")[1], ("作者".into(), "周某某".into()));
        assert_eq!(fields("标　　题：关于…的通知")[0].0, "标题");
        assert_eq!(
            fields("發佈日期 Date: 15/10/2025　類別 Category: 新聞稿")[0],
            ("发布日期".into(), "15/10/2025".into())
        );
    }

    #[test]
    fn roles_and_titles() {
        assert_eq!(
            role("——区委副书记、区长刘某某在全区物业管理工作推进会上的讲话").as_deref(),
            Some("区委副书记、区长")
        );
        assert_eq!(
            role("——市委常委、组织部部长、社会工作部部长孙某某").as_deref(),
            Some("市委常委、组织部部长、社会工作部部长")
        );
        assert_eq!(role("社会工作部长在专题读书班上的研讨发言").as_deref(), Some("社会工作部部长"));
        assert_eq!(role("——区委书记张某某在全区社会工作会议上的讲话").as_deref(), Some("区委书记"));
        assert_eq!(role("主讲：市委党校社会治理教研部主任　罗某某").as_deref(), Some("市委党校社会治理教研部主任"));
        assert_eq!(role("讲话人: 街道党工委书记").as_deref(), Some("街道党工委书记"));
        assert_eq!(
            strip_site_parts("一个社区的“时间银行”：存下志愿时长 - 今日头条"),
            "一个社区的“时间银行”：存下志愿时长"
        );
        assert_eq!(strip_site_parts("研讨发言｜坚持人民至上，做好新时代群众工作"), "坚持人民至上，做好新时代群众工作");
        assert_eq!(
            strip_site_parts("新兴领域党建：把“流动党员”凝聚成“红色力量”--党建-人民网"),
            "新兴领域党建：把“流动党员”凝聚成“红色力量”"
        );
        assert_eq!(strip_site_parts("2024-2025年工作要点_新华网"), "2024-2025年工作要点");
        assert_eq!(strip_site_parts("老旧小区加装电梯-某某区人民政府"), "老旧小区加装电梯");
        assert!(is_masthead("中共某某市委党校　某某行政学院") && !is_masthead("某某市委党校举办培训班"));
        assert!(is_site_name("人民网") && is_site_name("学习强国") && is_site_name("青岚区人民政府门户网站"));
        assert!(!is_site_name("让新就业群体在城市里更有归属感"));
    }
}
