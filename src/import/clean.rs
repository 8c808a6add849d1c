//! The one cleaner every reader feeds: finds the article in a [`Document`] (title, then its
//! metadata line; the end at the first footer, credits or related-items block), drops what lies
//! outside, removes chrome lines inside, joins lines broken mid-sentence, turns outline numbering
//! into headings, marks real cuts, and reads title, date, source, speaker and source URL.
//!
//! Rules are about kinds of lines (a breadcrumb, a share prompt, a `label：value` line, a date
//! alone), never about particular sites. Every removed line is recorded with its reason.

use super::doc::{Block, Document, MetaHint, MetaKey};
use super::meta::{self, regex};
use super::{Draft, TRUNCATION};
use crate::content::PageType;
use crate::fold::{fold, is_han};

/// One line or block on its way through the cleaner.
#[derive(Debug, Clone)]
struct Unit {
    /// Inline Markdown, escaped by the reader.
    md: String,
    /// What a reader sees: `md` without markup.
    plain: String,
    kind: Kind,
    /// A raw-text line that followed the previous one without a blank line: it may be the same
    /// paragraph, broken by the source.
    soft: bool,
    /// A numbered line that ran to the margin of a wrapped source and went on in the next line:
    /// a run-in paragraph (`一、开放时间为每天7:00至21:00，节` / `假日不休息。…`), not a heading.
    run_in: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Text,
    Heading(u8),
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Table(Vec<Vec<String>>),
    Figure {
        file: String,
        alt: String,
        caption: Option<String>,
    },
    /// Where the source was cut.
    Cut,
}

impl Unit {
    fn text(md: String, soft: bool) -> Unit {
        let plain = plain_of(&md);
        Unit { md, plain, kind: Kind::Text, soft, run_in: false }
    }
    fn is_text(&self) -> bool {
        self.kind == Kind::Text
    }
}

/// Inline Markdown without its markup: escapes, emphasis and link targets removed.
pub fn plain_of(md: &str) -> String {
    let no_links = regex!(r"!?\[([^\]]*)\]\([^)]*\)").replace_all(md, "$1");
    // Footnote references (`许文博[^3]`) are marks, not words; a definition (`[^3]: …`) keeps its label.
    let no_links = match no_links.strip_prefix("[^") {
        Some(_) => no_links,
        None => std::borrow::Cow::Owned(regex!(r"\[\^[0-9]+\]").replace_all(&no_links, "").into_owned()),
    };
    let mut out = String::with_capacity(no_links.len());
    let mut chars = no_links.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '*' => {}
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Escapes what Markdown would read as markup in running text: masked names `_`, `*`, `**`.
pub fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// CJK radicals that PDF text layers use for ordinary characters (`⼀`, `⻓`, `⻔`); Kangxi
/// radicals and compatibility ideographs are mapped by NFKC, these supplement forms by hand.
const RADICAL_SUPPLEMENT: [(char, char); 40] = [
    ('⺠', '民'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻅', '见'),
    ('⻋', '车'),
    ('⻉', '贝'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
    ('⻆', '角'),
    ('⻄', '西'),
    ('⻁', '虎'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻗', '雨'),
    ('⻊', '足'),
    ('⻟', '食'),
    ('⺟', '母'),
    ('⺩', '王'),
    ('⺮', '竹'),
    ('⺶', '羊'),
    ('⺷', '羊'),
    ('⺸', '羊'),
    ('⺼', '肉'),
    ('⺻', '聿'),
    ('⻀', '虫'),
    ('⻇', '角'),
    ('⻯', '龙'),
];

/// One character as a reader means it: look-alikes mapped, invisible characters dropped.
fn normal_char(c: char) -> Option<char> {
    use unicode_normalization::UnicodeNormalization;
    match c {
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}' | '\u{00AD}' => None,
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\t' => Some(' '),
        c if c.is_control() => None,
        '\u{2F00}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}' => {
            let mut n = std::iter::once(c).nfkc();
            match (n.next(), n.next()) {
                (Some(m), None) => Some(m),
                _ => Some(c),
            }
        }
        '\u{2E80}'..='\u{2EFF}' => Some(RADICAL_SUPPLEMENT.iter().find(|(r, _)| *r == c).map_or(c, |(_, m)| *m)),
        c => Some(c),
    }
}

fn normalize_line(s: &str) -> String {
    let s: String = s.chars().filter_map(normal_char).collect();
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}').to_string()
}

/// Removes pinyin glosses after Han characters: `關(guān)` → `關`.
pub fn strip_pinyin_glosses(text: &str) -> (String, usize) {
    let r = regex!(r"(\p{Han})[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7})[)）]");
    let mut count = 0;
    let out = r
        .replace_all(text, |c: &regex::Captures| {
            count += 1;
            c[1].to_string()
        })
        .into_owned();
    (out, count)
}

fn is_chinese_context(c: char) -> bool {
    is_han(c) || "，。、；：？！“”‘’《》（）【】…—".contains(c)
}

/// Half-width `,:;?!()` next to Chinese text become full-width; numbers, URLs and Latin keep theirs.
pub fn normalize_punctuation(line: &str) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut count = 0;
    let mut open_converted = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let converted = match c {
            ',' | ';' | '?' | '!' if is_chinese_context(prev) => Some(match c {
                ',' => '，',
                ';' => '；',
                '?' => '？',
                _ => '！',
            }),
            ':' if is_chinese_context(prev) && !(next == '/' || prev.is_ascii_alphanumeric()) => Some('：'),
            '(' if prev != ']' => {
                let chinese = is_chinese_context(prev) || is_chinese_context(next);
                open_converted.push(chinese);
                chinese.then_some('（')
            }
            ')' => {
                let opened = open_converted.pop().unwrap_or(false);
                (opened || is_chinese_context(prev)).then_some('）')
            }
            _ => None,
        };
        match converted {
            Some(f) => {
                out.push(f);
                count += 1;
            }
            None => out.push(c),
        }
    }
    (out, count)
}

#[derive(Debug, PartialEq)]
enum Line {
    Chrome(&'static str),
    /// A truncation notice; `keep` is the text before it.
    Cut {
        keep: String,
    },
    Outline,
    Text,
}

/// Where a truncation notice starts in a line, if the line has one. A notice names the cut:
/// characters left out, a preview that ended, the rest folded away (`…展开剩余68%`) or behind a
/// download (`…下载全文`).
fn truncation_at(t: &str) -> Option<usize> {
    regex!(
        r"(……|…|\.\.\.)?\s*[（(]?[^（(]*?(此处)?省略\s*\d+\s*字.*$|(……|…)?\s*[（(]?未完.*$|预览(已)?结束.*$|[（(]?全文共\s*\d+\s*字.*(当前|剩余|下载|余下).*$|还剩\s*\d+\s*字.*$|剩余\s*\d+\s*字.*$|下载后可?(阅读|查看)全文.*$|(剩余|还剩|余下)\s*\d+\s*页\s*(未读|未显示|可下载|内容)?.*$|试读(已)?结束.*$|(……|…)?\s*展开剩余\s*\d*.*$|^(……|…|\.{3})\s*(下载|阅读|查看)(全文|原文|完整版).*$|^(点击|继续)(查看|阅读)(全文|剩余)\S{0,6}$|^\S{0,8}(会员专享|付费|订阅)(内容|阅读|文章).*$|\S{0,10}(登录|登陆)后(查看|阅读|可见).*$|^(登录|登陆)\s*[/／|｜或]?\s*注册.{0,8}(阅读|查看)全文.*$"
    )
    .find(t)
    .map(|m| m.start())
}

/// Classifies a line of text (its plain form).
fn classify(t: &str) -> Line {
    if let Some(at) = truncation_at(t) {
        return Line::Cut { keep: t[..at].trim_end().to_string() };
    }
    // Rules are written in simplified characters: read a traditional line through its fold.
    let folded = meta::simplified(t);
    let t = folded.as_str();
    if let Some(why) = super::kinds::chrome(t) {
        return Line::Chrome(why);
    }
    if regex!(r"^(目录|提纲|目錄)\s*[/／]?\s*(提纲|目录)?\s*[:：]|^【提纲】|^【目录】").is_match(t)
    {
        return Line::Outline;
    }
    if regex!(
        r"仅代表.{0,12}(观点|立场)|观点仅代表|不代表.{0,16}(观点|立场)|如有侵权|若内容存在侵权|侵权请联系|版权归原作者"
    )
    .is_match(t)
    {
        return Line::Chrome("disclaimer");
    }
    // A reprint warning (`未经授权，禁止转载。`, `本文为…原创，转载请注明出处。`) is the site's
    // notice even written as a sentence: a short line that forbids or conditions reprinting.
    if t.chars().count() <= 60
        && regex!(r"(禁止|严禁|谢绝|不得|请勿)(任何\S{0,6})?(转载|轉載)|(转载|轉載)请|侵权必究|侵權必究|未经.{0,12}(授权|许可|同意).{0,12}(转载|使用|复制|摘编)")
            .is_match(t)
    {
        return Line::Chrome("reprint notice");
    }
    // A transcriber's or copier's remark about the source, a whole line in brackets
    // (`（照片右下角有一张小广告，未转写）`, `[此处字迹模糊]`): about the copy, not part of the text.
    if is_transcriber_remark(t) {
        return Line::Chrome("transcriber's remark");
    }
    // An e-mail's confidentiality notice (`本邮件及其附件可能含有保密信息…`), even as sentences.
    if is_mail_notice(t) {
        return Line::Chrome("e-mail notice or client signature");
    }
    // Chrome is short and never a sentence: a line of running text is kept whatever it mentions.
    if t.contains('。') || t.chars().count() > 80 {
        return Line::Text;
    }
    // Credits in brackets (`（记者：钟岚　剪辑：梅子航）`), a video's credits among them.
    if regex!(r"^[（(]\s*((记者|通讯员|摄影|摄像|剪辑|后期|配音|播音|主播|监制|制片|导播|编辑|视频|文字|图片|制作)\s*[:：]\s*[^\s:：（）()]{1,12}[\s　]*)+[）)]$").is_match(t)
        && regex!(r"(摄像|剪辑|后期|配音|播音|主播|监制|制片|导播)\s*[:：]").is_match(t)
    {
        return Line::Chrome("credits");
    }
    // A rating of a document-sharing or review page (`★★★★☆ 4.5分（12人评价）`, `评分：4.8`).
    if regex!(r"^[★☆✩✭⭐]{3,}\s*(\d(\.\d)?\s*分?.*)?$|^[★☆]*\s*\d(\.\d)?\s*分\s*[（(]?\s*[\d,]+\s*(人|位)?(评价|评分|打分)|^(评分|综合评分|用户评分)\s*[:：]?\s*\d(\.\d)?(\s*分)?\s*$")
        .is_match(t)
    {
        return Line::Chrome("rating");
    }
    // A hashtag line (`#话题#`) and a site's `技术支持：…` line.
    if regex!(r"^(#[^#\s][^#]{0,30}#\s*)+$").is_match(t) {
        return Line::Chrome("hashtag");
    }
    if regex!(r"^技术支持\s*[:：]").is_match(t) {
        return Line::Chrome("technical support");
    }
    // An e-mail's view-in-browser line (`邮件无法正常显示？点此在浏览器中查看`) and a sign-up
    // button or teaser (`本期活动预告：…　立即报名`).
    if regex!(r"(无法正常显示|显示不正常|无法正常浏览|图片无法显示).{0,24}(浏览器|网页版|点此|点击)|在浏览器中(查看|打开|阅读)|^(查看|浏览)(网页版|网页版本)$").is_match(t) {
        return Line::Chrome("e-mail view-in-browser line");
    }
    if regex!(r"(立即|马上|我要|点击|点此)(报名|预约|参加|订阅)\s*[>》→]*$").is_match(t) {
        return Line::Chrome("sign-up button or teaser");
    }
    // A search box's placeholder (`搜索你感兴趣的内容…`, `请输入关键词`).
    if regex!(r"^(搜索|请输入|输入)\S{0,16}(…|\.{3})$|^(请输入|输入)\S{0,8}(关键词|关键字)|^搜\s*索$").is_match(t)
    {
        return Line::Chrome("search box");
    }
    // Votes and answer counts of a Q&A or forum page (`236 人赞同了该回答`, `赞同 236`,
    // `查看全部 14 个回答`).
    if regex!(
        r"^[\d,.]+\s*[万kK]?\s*人(赞同|点赞|觉得有用|收藏|喜欢)了?(该|这个|此)?(回答|文章|内容|帖子)?$|^(赞同|点赞|有用|反对)\s*[\d,.]+[万kK]?(\s|$)|^(查看|显示)(全部|所有|更多)\s*[\d,.]+\s*(个|条)(回答|评论|回复)$"
    )
    .is_match(t)
    {
        return Line::Chrome("vote or answer count");
    }
    // The time stamp of a post or an answer (`发布于 2025-07-12 20:41・IP 属地某地`, `编辑于 …`).
    if regex!(r"^(发布于|编辑于|发表于|修改于|更新于)\s*\d{4}|IP\s*属地").is_match(t)
        && !meta::dates(t, meta::Calendar::default()).is_empty()
    {
        return Line::Chrome("publication line");
    }
    let chrome: [(&'static str, &regex::Regex); 12] = [
        (
            "download or promotion",
            regex!(
                r"^(VIP免费|VIP专享|附件下载|微信扫一扫可打开|轻点两下取消|喜欢此内容的人还喜欢|下载全文|点击下载|下载此文档|下载文档|下载本文|立即下载|加入收藏|开通VIP|收藏《|本文\d*$|相关文章|相关阅读|热点新闻|分享|扫一扫|点击(查看|阅读|关注)|点击.{0,4}蓝字|关注我们|功能介绍|微信号\s|微信号[:：]|到.{1,12}首页$|欢迎(转发|分享|关注|点赞)|.{0,12}(VIP|会员)\s*(免费|专享|下载)|.{0,6}下载(券|积分)\s*[:：]|文档(价格|格式|页数|大小)\s*[:：]|阅读原文|阅读剩余全文|展开全文|打开.{0,8}APP|长按.{0,6}二维码)"
            ),
        ),
        (
            "copyright or licence",
            regex!(
                r"(?i)copyright|©|版权所有|版權|all rights reserved|ICP|公网安备|网站标识码|增值电信|增值電信|营业执照|營業執照|许可证|許可證|关于我们|關于我們|關於我們|合作咨询|合作諮詢|联系我们|网站地图"
            ),
        ),
        ("reprint notice", regex!(r"如若转载|转载请注明|轉載請註明|未经.{0,6}(同意|许可|授权)|未經.{0,6}不得")),
        (
            "editor or reading count",
            regex!(
                r"^[【\[（(]?\s*(责任编辑|責任編輯|编辑|編輯|编审|責編|责编|審核|审核|校对|责任校对|一审|二审|三审|终审)\s*[:：]|^(阅读|閱讀|浏览|点击|评论|点赞|在看|附件)\s*[:：(（]?\s*[\d.]+\s*[万次]?\s*[)）]?$|\d+\s*(评论|阅读|浏览)\b|^(文字|图片|文|图|编辑|排版|设计|审核)\s*[｜|]"
            ),
        ),
        ("bare link", regex!(r"^(https?://|www\.)\S+$")),
        (
            "skip link or back link",
            regex!(
                r"^[:：]{3}$|^[:：]?\s*(跳到|跳至|跳过|略过)(主要|主)?(内容|导览|导航)|^(回上一页|回上页|返回上一页|回首页|回到首页|返回首页)$|^(点阅次数|点阅|浏览人次|瀏覽人次|人气)\s*[:：]"
            ),
        ),
        (
            "site footer",
            regex!(
                r"最佳浏览|解析度|建议使用.{0,20}浏览器|服务时间.{0,40}(电话|地址|传真)|(电话|地址|传真).{0,40}服务时间"
            ),
        ),
        ("publication line", regex!(r"^发布时间\s*[:：]|^《\s*[^》]+\s*》\s*[（(]\s*\d{4}年")),
        (
            "navigation or breadcrumb",
            regex!(
                r"^(当前位置|您现在的位置|您的位置|所在位置|位置)\s*[:：]|^(网站)?首\s*页\s*([>＞»|｜/　 ]|$)|(>>|＞|»|\s>\s|[^\s]>[^\s])"
            ),
        ),
        (
            "page tools",
            regex!(
                r"^[【\[]?\s*(字体|字号|打印|关闭|纠错|我要纠错|收藏|举报|返回顶部|小字号|大字号|中字号)|^[【\[]?\s*[大中小]\s*[大中小]\s*[大中小]\s*[】\]]?$|【(打印|关闭)"
            ),
        ),
        (
            "social buttons",
            regex!(
                r"^(分享|收藏|点赞|在看|赞|举报|评论|转发|微信号|微信扫一扫)(\s|[｜|]|$)|^微信号\s*[｜|:：]|^[+＋]\s*(关注|加关注)\S{0,2}$|^(已关注|互相关注)$"
            ),
        ),
        ("end mark", regex!(r"^[-—－–\s]*(END|End|end|完|全文完)[-—－–\s]*$")),
    ];
    for (why, r) in chrome {
        if r.is_match(t) {
            return Line::Chrome(why);
        }
    }
    if is_nav(t) {
        return Line::Chrome("navigation or breadcrumb");
    }
    Line::Text
}

/// A remark of whoever copied or transcribed the text, a whole line in brackets: it speaks of
/// the photo, the original or what was left out or could not be read.
fn is_transcriber_remark(t: &str) -> bool {
    let mut chars = t.chars();
    let (Some(open), Some(close)) = (chars.next(), chars.next_back()) else { return false };
    if !matches!((open, close), ('（' | '(', '）' | ')') | ('[' | '［', ']' | '］')) {
        return false;
    }
    let inner = chars.as_str();
    inner.chars().count() <= 120
        && !inner.contains(['（', '(', '[', '［'])
        && regex!(r"未转写|未录入|未整理|未抄录|不予转写|看不清|无法辨认|难以辨认|字迹(模糊|不清)|原件|原稿|照片|图片(中|上|下方|右|左)|转写者|整理者|录入者|抄录者|编者注|整理注|转写注").is_match(inner)
}

/// An e-mail's confidentiality notice or the mail app's signature (`发自我的iPhone`,
/// `来自网易邮箱大师`, `Sent from my phone`).
fn is_mail_notice(t: &str) -> bool {
    (t.chars().count() <= 200
        && regex!(r"(本|此|该)(邮件|电子邮件|信函)(及其?(所有)?附件)?.{0,12}(保密|机密|秘密|专有|特权)(信息|内容|资料)")
            .is_match(t))
        || (t.chars().count() <= 30
            && regex!(r"(?i)^(发自|来自|发送自|sent from)\s*(我的|my)?\s*[\p{Han}A-Za-z0-9 ]{0,12}?(iphone|ipad|android|手机|邮箱|phone|mail)\s*(客户端|大师|app)?$").is_match(t))
}

/// A navigation bar: three or more short items separated by bars or wide spaces.
fn is_nav(t: &str) -> bool {
    let items: Vec<&str> = t
        .split(['|', '｜', '\u{3000}', '·', '┊', '¦', '│'])
        .flat_map(|s| s.split("  "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    items.len() >= 3 && items.iter().all(|i| i.chars().count() <= 8) && !t.contains(['，', '。'])
}

/// A document's printing line in its 版记 (`某某办公室　　2025年11月28日印发`).
fn is_issue_line(t: &str) -> bool {
    regex!(r"^(\S.{0,30}?[\s\u{3000}]+)?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$").is_match(t)
}

/// A line that opens the footer: related items, credits, page tools, copyright. Everything
/// after it is outside the article.
fn is_end_marker(t: &str) -> bool {
    let folded = meta::simplified(t);
    let t = folded.as_str();
    if is_credits(t) || super::kinds::ends_article(t) {
        return true;
    }
    if regex!(
        r"^[【\[（(]?\s*(特别声明|免责声明|平台声明|版权声明)\s*[:：]|^(?i:notice)\s*:\s*the content above|^本文来自.{1,16}号作者|^(编审|编辑|校对|责任校对|审校|监制|统筹)\s*[:：]|^(VIP免费|附件下载|微信扫一扫可打开|轻点两下取消|喜欢此内容的人还喜欢)"
    )
    .is_match(t)
    {
        return true;
    }
    // An e-mail's signature starts under a `--` line; the mail's notice or app line ends it.
    if t == "--" || is_mail_notice(t) {
        return true;
    }
    if t.contains('。') && t.chars().count() > 30 {
        return false;
    }
    // A reader's end-of-article mark (`—— 已到达文章末尾 ——`, `已经到底了`), and a block of
    // related items named by its label alone (`相关发布会：`, `更多回答`, `相关问题`).
    // An e-mail's footer: why it was sent, unsubscribe and preferences.
    if regex!(r"(?i)(收到(这|此|本)封(邮件|电子邮件)|订阅了.{0,20}(通讯|邮件|简报|周刊|资讯)|^退订|取消订阅|管理订阅|退订请|unsubscribe)").is_match(t)
        && t.chars().count() <= 80
    {
        return true;
    }
    // A block of earlier items or the readers' corner, named by its label alone (`往期访谈`,
    // `网友留言`), a comment count (`共 19 条评论`), an encyclopedia's statistics box (`词条统计`).
    if regex!(r"^(往期\p{Han}{1,4}|网友留言|我要留言|留言板|网友提问|我要提问|(词条|条目|页面)(统计|信息|历史)|(最赞|热门|精彩|全部|最新)回应|我来回应)\s*[:：]?$|^共\s*[\d,]+\s*条(评论|回复|留言|回应)")
        .is_match(t)
    {
        return true;
    }
    // A note app's export footer (`本笔记由某某导出，导出时间：…`).
    if regex!(r"^本(文档|笔记|页面|文件|文章)由\S{1,12}(导出|生成)").is_match(t) {
        return true;
    }
    // A chat's time separator (`上午9:20`, `11月28日 下午3:05`) after the text: the chat goes on
    // with replies.
    if regex!(r"^(\d{1,2}月\d{1,2}日\s*|昨天\s*|星期\S\s*)?(上午|下午|中午|晚上|凌晨)\s*\d{1,2}:\d{2}$").is_match(t)
    {
        return true;
    }
    // A related-items label may stand in brackets (`【相关法规】`, `[相关阅读]`).
    let bare = t.trim_start_matches(['【', '[', '［']).trim_end_matches(['】', ']', '］', '：', ':']).trim();
    if is_end_of_article(t)
        || (regex!(r"^(相关\p{Han}{1,5}|更多回答|其他回答|其它回答|大家都在问|类似问题)\s*[:：]?$").is_match(bare)
            && !regex!(r"^相关(部门|单位|人员|要求|规定|工作|负责人|责任)").is_match(bare))
    {
        return true;
    }
    // The frame of a work app under the text: the copy list (`抄送人：…`, a document's 版记
    // `抄送：…`) and the system's log of who handled it (`【流转记录】`, `审批记录：…`).
    if (regex!(r"^抄送(人|单位|对象)?\s*[:：]").is_match(t) && !t.contains('@'))
        || regex!(r"^(流转|审批|签批|传阅|签收|派单|操作)(记录|日志|轨迹)$").is_match(bare)
        || regex!(r"^(流转|审批|签批|传阅|签收|派单|操作)(记录|日志|轨迹)\s*[:：]").is_match(t)
    {
        return true;
    }
    if is_issue_line(t) {
        return true;
    }
    // A platform's box of the collections that hold the text (`文章被以下专栏收录`).
    if regex!(r"^(文章|本文|该文|此文)(已被|被)(以下|\d+个)?\S{0,4}(专栏|合集|专辑|话题|收藏夹|圈子)收录").is_match(t)
    {
        return true;
    }
    regex!(
        r"^[【\[（(]?\s*(平台声明|返回.{1,8}查看更多|往期推荐|往期回顾|往期精彩|推荐阅读|相关推荐|相关阅读|相关文章|相关新闻|相关文件|相关文档|相关链接|相关报道|延伸阅读|热点排行|热门推荐|热门文章|猜你喜欢|更多精彩|精彩推荐|网友评论|发表评论|我要评论|特别声明|免责声明|版权声明|上一篇|下一篇|上一条|下一条|上一则|下一则|前一篇|后一篇|本版文章|本版新闻|本版导读|本版其他文章|同版文章|本期导读|本期目录|阅读下一篇|阅读原文|原标题|纠错|我要纠错|打印|打印本页|打印此文|关闭|关闭窗口|责任编辑|责编|一审|初审|下载本文|立即下载|开通VIP|本文档由|本文已被收录|扫一扫|分享到|分享让|分享本页)|^-*\s*END\s*-*$|^(文字|图片|文|图|编辑|排版)\s*[｜|]|^(责任编辑|编辑|责编)\s*[:：]|版权所有|(?i:copyright)|©|ICP|网站标识码|^(主办|承办|主办单位|承办单位)\s*[:：]|主办\s*$|^打开.{0,8}APP|^(评论|网友评论|留言|精选留言|全部评论|热门评论|最新评论|查看更多评论|查看全部评论|暂无评论|暂无评价|项目评价|用户评价)\s*[（(]?\s*\d*\s*[)）]?$|^举报(\s*[/／]\s*反馈)?$|^(作者|TA|他|她)的?(最新|其他|更多)(文章|作品|动态)|^(最新|更多)文章$|^(沙发|板凳|地板|\d{1,4}\s*[#楼]|#\d{1,4}|第\s*\d{1,4}\s*楼)$|^\S{1,20}[\s\u{3000}]+发表于\s*\d{4}|^相关(文献|论文|期刊)$|^(推荐|相关|更多|热门)(项目|活动|课程|视频)$|售价\s*[:：]\s*[¥￥]|^(返回|回)(上一?[页頁]|首[页頁]|[顶頂]部|列表)$"
    )
    .is_match(t)
}

/// A mark that says the article is complete (`—— 已到达文章末尾 ——`, `已经到底了`, `- END -`, `（全文完）`).
fn is_end_of_article(t: &str) -> bool {
    regex!(
        r"^[-—－–\s（(]*(已经?(到达?|到)(文章|页面|正文)?(末尾|底部|结尾|最后|底)了?|(到底|见底)(了|啦)|没有更多(内容)?了|END|End|全文完|完)[-—－–\s）)]*$"
    )
    .is_match(t)
}

/// A labelled metadata line (`信息索引号：…/2025-00417`, `主题分类：社会救助`, `文号：12`): a
/// portal's index field or a label whose value is a code or a number. Never the title.
fn is_labelled_code(t: &str) -> bool {
    regex!(r"^(信息索引号|索引号|主题分类|主题词|发布机构|组配分类|体裁分类|公开方式|公开范围|公开时限|有效性|生效日期|废止日期|发文字号)\s*[:：]")
        .is_match(t)
        || regex!(r"^\p{Han}{2,8}\s*[:：]\s*[A-Za-z0-9][A-Za-z0-9\-_/.．·〔〕\[\]（）()号年第\s]*$").is_match(t)
}

/// A credits line closing a post: `文字：林夏　图片：某社工室`, `摄影：张三`. Two credits, or a
/// photo credit, say so; a lone `文：某某` may be a byline under the title and is left alone.
fn is_credits(t: &str) -> bool {
    if t.chars().count() > 60 || t.contains(['。', '，']) {
        return false;
    }
    let starts =
        regex!(r"^(文字|文|图片|图|摄影|摄像|剪辑|后期|配音|图文|视频|排版|美编|美工|设计|编辑|校对)\s*[:：｜|]\s*\S");
    let Some(first) = starts.captures(t) else { return false };
    let fields =
        regex!(r"(?:^|[\s\u{3000}])(文字|文|图片|图|摄影|摄像|剪辑|后期|配音|图文|视频|排版|美编|美工|设计|编辑|校对)\s*[:：｜|]")
            .find_iter(t)
            .count();
    fields >= 2 || matches!(&first[1], "图片" | "图" | "摄影" | "摄像" | "剪辑" | "后期" | "配音")
}

/// A page's footer line in a PDF (`某基金会信息公开　第1页`, `第2页 共5页` after a name).
fn is_page_footer(t: &str) -> bool {
    t.chars().count() <= 40
        && !t.contains(['。', '，'])
        && regex!(r"\S\s*第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$").is_match(t)
}

/// A caption standing as a paragraph: `▲志愿者为老人端上长寿面`, or a short italic line (a
/// reader marks a picture's caption so). Never a heading.
fn is_caption_line(md: &str, plain: &str) -> bool {
    plain.starts_with(['▲', '△', '↑', '▼'])
        || (md.starts_with('*') && !md.starts_with("**") && md.ends_with('*') && !plain.contains('。'))
}

/// A line naming a unit and a person (`社会救助科　许文涛`, `桐湾街道社工站站长　林夏`): who
/// wrote the part below it in a collection of several speakers' notes.
fn is_unit_and_name(t: &str) -> bool {
    t.chars().count() <= 30
        && !t.contains(['，', '。', '：', ':', '、'])
        && regex!(r"^\S{2,24}[\s\u{3000}]+(\p{Han}{2,4})$").captures(t).is_some_and(|c| meta::is_person_name(&c[1]))
}

/// A group's label with the number of its members (`5A级（2家）`, `优秀个人（12名）`): heads the
/// list of names under it.
fn is_group_label(t: &str) -> bool {
    t.chars().count() <= 20
        && !t.contains(['。', '，', '；', '：', ':'])
        && regex!(r"^\S.{0,14}[（(]\s*[\d一二三四五六七八九十]+\s*(家|人|名|个|項|项|户|所|支|位)\s*[)）]$").is_match(t)
}

/// A line of a list's bullet (`● 新建住宅小区应当…`).
fn is_bullet_line(t: &str) -> bool {
    // Checklist boxes (`☐ 打印签领表`, `☑ …`) are items of a list too.
    t.starts_with(['●', '•', '◆', '■', '▪', '◇', '○', '◎', '★', '☆', '·', '☐', '☑', '☒', '□', '✓', '✔', '✅'])
}

/// A list of later items at the end of a page (a sidebar of 领导活动, related news): at least
/// two short lines each ending with a date, with no sentence of running text after them; a
/// short label line above them goes with them. Returns where it starts.
fn dated_list_at_end(units: &[Unit], calendar: meta::Calendar) -> Option<usize> {
    let dated = |u: &Unit| {
        u.is_text()
            && u.plain.chars().count() <= 60
            && !u.plain.contains('。')
            && regex!(r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*[-/]\s*\d{1,2})\s*[)）]?$")
                .is_match(&u.plain)
            && meta::without_dates(&u.plain, calendar).chars().count() >= 4
    };
    let at = (0..units.len().saturating_sub(1)).find(|&i| {
        dated(&units[i])
            && dated(&units[i + 1])
            && !units[i..].iter().any(|u| u.is_text() && is_sentence(&u.plain) && classify(&u.plain) == Line::Text)
    })?;
    let label = at > 0
        && units[at - 1].is_text()
        && (2..=8).contains(&units[at - 1].plain.chars().count())
        && !units[at - 1].plain.contains(['。', '，', '：', ':']);
    Some(if label { at - 1 } else { at })
}

/// A short label line right above the footer (`发布会图片` over `相关发布会：`, `扫码关注` over a
/// share block) names the footer's first block: it goes with it. A signature (a unit, a date)
/// and a line ending a sentence stay.
fn label_above(units: &[Unit], end: usize) -> usize {
    if end == 0 || end >= units.len() {
        return end;
    }
    let u = &units[end - 1];
    let label = u.is_text()
        && (4..=8).contains(&u.plain.chars().count())
        && u.plain.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric())
        && !is_organization(&u.plain)
        && meta::dates(&u.plain, meta::Calendar::default()).is_empty()
        && end >= 2
        && units[end - 2].is_text()
        && ends_sentence(&units[end - 2].plain);
    if label { end - 1 } else { end }
}

/// A date in the page's own address (`/2025/10/15/`, `/2025-11/20/`, `t20251015_…`): the last
/// resort when the text shows none.
fn date_in_url(url: &str) -> Option<String> {
    let c = regex!(r"(?:[/_t])(20\d{2})[-/]?(0[1-9]|1[0-2])[-/]?(0[1-9]|[12]\d|3[01])(?:[/_.]|$)").captures(url)?;
    Some(format!("{}-{}-{}", &c[1], &c[2], &c[3]))
}

/// A reporter's byline with the paper or site before it (`青禾新闻网　记者　卢安琪`): the site.
fn outlet_of_reporter_line(t: &str) -> Option<String> {
    let c = regex!(r"^(\S{2,16}?)[\s\u{3000}]+(本报|本刊|本台)?(特约)?(记者|通讯员)[\s\u{3000}]").captures(t)?;
    let name = c[1].to_string();
    (meta::is_site_name(&name) || is_organization(&name)).then_some(name)
}

/// A reporter (`记者 程远`, `本刊记者 蒋一苇`) is never an author or a speaker.
fn is_reporter(value: &str) -> bool {
    regex!(r"^(本报|本刊|本台|本网|特约|实习)?(记者|通讯员|实习生|编辑)").is_match(value.trim())
}

/// A speaker's role from an interview subtitle without the verb (`访某中心主任` → `某中心主任`).
fn without_interview_verb(role: String) -> String {
    match regex!(r"^(专访|访谈|采访|访问|访|对话|走近)").find(&role) {
        Some(m) if role.chars().count() > m.as_str().chars().count() + 1 => role[m.end()..].to_string(),
        _ => role,
    }
}

/// A note to the editor above a submitted text (`编辑老师您好：…另附原图，请审阅。`, `（供稿…联系电话…）`):
/// it is addressed to the editor, not to readers. Looked for among the first lines only.
fn drop_notes_to_the_editor(units: &mut Vec<Unit>, found: &mut Found, removed: &mut Vec<(&'static str, String)>) {
    let note = |t: &str| {
        t.chars().count() <= 120
            && (regex!(r"^[（(【\[]?\s*(尊敬的|各位|亲爱的)?\s*(编辑老师|编辑同志|编辑部|编辑您好|编辑你好|责编)")
                .is_match(t)
                // `请审核` inside a longer word (`申请审核`, `提请审核`) is no request to the editor.
                || regex!(r"(^|[^申提报])(请审阅|请审核|请审稿|请予(刊发|采用|审核))|另附原图|敬请审阅").is_match(t)
                || (t.starts_with(['（', '('])
                    && regex!(r"(供稿|投稿|来稿|报送).{0,40}(联系电话|电话|联系人)").is_match(t)))
    };
    let mut seen = 0;
    let mut i = 0;
    while i < units.len() && seen < 6 {
        if units[i].is_text() {
            seen += 1;
            if note(&units[i].plain) {
                if let Some(unit) = submitted_by(&units[i].plain) {
                    found.sources.push((2, unit));
                }
                removed.push(("note to the editor", units.remove(i).plain));
                continue;
            }
        }
        i += 1;
    }
}

/// A paper's or site's service strip: `社区服务热线：…`, `欢迎居民投稿，来稿请发送至…`.
fn is_service_strip(t: &str) -> bool {
    t.chars().count() <= 80
        && !t.contains('。')
        && regex!(r"^(\p{Han}{0,8}(服务|咨询|投诉|监督|举报|值班|便民)热线\s*[:：]|欢迎(广大)?\p{Han}{0,4}(投稿|来稿|赐稿)|投稿(邮箱|信箱|热线)\s*[:：])").is_match(t)
}

/// A submission line at the end (`（供稿：某社区居委会　撰稿：某某　联系电话：…）`): the unit that
/// sent the text is its source; the line itself is for the editor.
fn submitted_by(t: &str) -> Option<String> {
    if t.chars().count() > 100 || t.contains('。') {
        return None;
    }
    let c = regex!(r"^[（(]?\s*(供稿单位|供稿|来稿单位|报送单位)\s*[:：]\s*([^\s\u{3000}）)，,]{2,30})").captures(t)?;
    Some(c[2].to_string())
}

/// A metadata table right under the title of a case write-up or report (`服务机构 | …`,
/// `撰写人 | …`, `撰写日期 | …`): two columns, labels on the left.
fn read_meta_table(rows: &[Vec<String>], found: &mut Found) {
    // Label and value side by side, one pair a row or two (`事项类型 | 行政给付 | 实施主体 | …`).
    let label_cell = |c: &String| c.trim().is_empty() || (2..=6).contains(&c.trim().chars().count());
    if rows.is_empty()
        || rows.len() > 12
        || !rows.iter().all(|r| matches!(r.len(), 2 | 4) && r.iter().step_by(2).all(label_cell))
    {
        return;
    }
    for pair in rows.iter().flat_map(|r| r.chunks(2)) {
        let (label, value) = (plain_of(&pair[0]), plain_of(&pair[1]));
        let value = value.trim();
        if regex!(r"^(服务|实施|承接|执行|撰写|报送|申报|供稿)?(机构|单位|主体|机关)(名称)?$").is_match(&label)
            && !value.is_empty()
        {
            found.sources.push((2, value.to_string()));
        } else if regex!(r"^(撰写|填报|报送|成文|完成)?(日期|时间)$").is_match(&label) {
            found.push_date(1, value);
        } else if regex!(r"^(撰写人|撰稿人|执笔人?|作者)$").is_match(&label) {
            let name = value.split(['（', '(', ' ', '\u{3000}', '，', ',']).next().unwrap_or("");
            if meta::is_person_name(name) {
                found.speakers.push((1, name.to_string()));
            }
        }
    }
}

/// A page counter or a page's footer: where a page of a copy or a preview ends.
fn is_page_counter(t: &str) -> bool {
    is_page_number(t) || is_page_footer(t)
}

/// A short prompt to download, log in or pay for the rest (`开通VIP，免费下载全部文档`,
/// `立即下载完整版`): between pages of a preview it is the site's, not the text's.
/// A prompt to read the rest (`展开全文`, `打开某某APP，阅读全文`, `查看全文`): under a line that
/// stops mid-sentence it marks a cut (the page showed only the start of the text); under a
/// complete text it is only a button.
fn is_read_more(t: &str) -> bool {
    t.chars().count() <= 30
        && !t.contains('。')
        && regex!(r"(展开|阅读|查看|显示|继续阅读)(全文|剩余|余下|完整|更多内容)").is_match(t)
}

/// A pager under a text that says it is one of several pages and not the last (`第1页　共3页
/// 1 2 3 下一页 尾页`): the page saved alone holds only part of the text, a cut.
pub(super) fn is_pager_before_last(t: &str) -> bool {
    t.chars().count() <= 80
        && !t.contains('。')
        && regex!(r"下一页|下页|尾页|末页|[›»>]{1,2}\s*$").is_match(t)
        && regex!(r"第\s*(\d{1,3})\s*页\s*[/／，,]?\s*共\s*(\d{1,3})\s*页|^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*页?")
            .captures(t)
            .and_then(|c| {
                let page = c.get(1).or(c.get(3))?.as_str().parse::<u32>().ok()?;
                let pages = c.get(2).or(c.get(4))?.as_str().parse::<u32>().ok()?;
                Some(page < pages)
            })
            .unwrap_or(false)
}

fn is_download_prompt(t: &str) -> bool {
    t.chars().count() <= 30
        && !t.contains('。')
        && regex!(r"(?i)vip|会员|开通|(立即|免费|点击)下载|下载(全文|文档|完整版|本文|全部)|阅读全文|继续阅读|查看全文")
            .is_match(t)
}

/// An e-mail's header block copied with its text (`发件人：`, `收件人：`, `抄送：`, `主题：`, `附件：`
/// or `From:`/`To:`/`Subject:`): the lines are the mail client's, the subject is the title. Looked
/// for among the first lines only; returns the subject.
fn drop_mail_header(
    units: &mut Vec<Unit>,
    found: &mut Found,
    removed: &mut Vec<(&'static str, String)>,
) -> Option<String> {
    let field = |u: &Unit| {
        if !u.is_text() {
            return None;
        }
        regex!(r"(?i)^(发件人|寄件人|收件人|抄送人?|密送|发送时间|发件时间|发送日期|日期|时间|主题|邮件主题|附件|from|to|cc|bcc|sent|date|subject|attachments?)\s*[:：]\s*(.*)$")
            .captures(&u.plain)
            .map(|c| (c[1].to_lowercase(), c[2].trim().to_string()))
    };
    let start = units.iter().take(8).position(|u| field(u).is_some())?;
    let len = units[start..].iter().take_while(|u| field(u).is_some()).count();
    let fields: Vec<(String, String)> = units[start..start + len].iter().filter_map(field).collect();
    // (Labels are matched by pattern: the English ones lower-cased.)
    let (party, subject_label, date_label) = (
        regex!(r"^(发件人|寄件人|收件人|from|to)$"),
        regex!(r"^(主题|邮件主题|subject)$"),
        regex!(r"^(发送时间|发件时间|发送日期|日期|时间|sent|date)$"),
    );
    let has = |r: &regex::Regex| fields.iter().any(|(l, _)| r.is_match(l));
    if len < 3 || !has(party) || !has(subject_label) {
        return None;
    }
    let mut subject = None;
    for (label, value) in &fields {
        if subject_label.is_match(label) {
            let s = regex!(r"(?i)^((回复|答复|转发|re|fw|fwd)\s*[:：]\s*)+").replace(value, "").trim().to_string();
            subject = (!s.is_empty()).then_some(s);
        } else if date_label.is_match(label) {
            found.push_date(3, value);
        }
    }
    for u in units.drain(start..start + len) {
        removed.push(("e-mail header", u.plain));
    }
    subject
}

/// A page number from a PDF copy (`— 1 —`, `- 2 -`, `第3页`, `3/12`).
fn is_page_number(t: &str) -> bool {
    regex!(r"^[—\-－–\s]*\d{1,4}[—\-－–\s]*$|^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d{1,4}\s*/\s*\d{1,4}$")
        .is_match(t)
}

/// Heading level for a line that starts with outline numbering, and the heading text;
/// a lead sentence (`（一）强化理论武装，坚定理想信念。正文…`) is split from its paragraph.
fn outline_heading(line: &str) -> Option<(u8, String, Option<String>)> {
    let levels: [(u8, &regex::Regex); 6] = [
        (2, regex!(r"^第[一二三四五六七八九十百]+[章编]")),
        (2, regex!(r"^[一二三四五六七八九十]+、")),
        (3, regex!(r"^第[一二三四五六七八九十]+节")),
        (3, regex!(r"^[（(][一二三四五六七八九十]+[)）]")),
        (3, regex!(r"^[一二三四五六七八九十]要\p{Han}+[，,。]")),
        (4, regex!(r"^(第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]是)")),
    ];
    // `01　歇脚、充电`: two digits and a wide space before a short title, as WeChat posts number
    // their sections; `1 发展历程`, `2.1 服务对象`: an encyclopedia's or a report's numbered
    // sections.
    if (regex!(r"^\d{2}[\u{3000}\s]+\p{Han}").is_match(line)
        || regex!(r"^[1-9](\.[1-9]\d?)?[\u{3000} ]+\p{Han}+$").is_match(line))
        && line.chars().count() <= 30
        && !line.contains(['。', '；', ';', '！', '？', '：', ':'])
    {
        return Some((2, line.to_string(), None));
    }
    // `1.划细网格，明确责任`: a short numbered line alone, without sentence punctuation.
    if regex!(r"^\d{1,2}[.．、]\s*\p{Han}").is_match(line)
        && line.chars().count() <= 30
        && !line.contains(['。', '；', ';', '！', '？', '：', ':'])
    {
        return Some((4, line.to_string(), None));
    }
    for (level, r) in levels {
        if r.is_match(line) {
            let (head, rest) = match line.find('。') {
                Some(i) if line[..i].chars().count() <= 40 => (&line[..i], line[i + '。'.len_utf8()..].trim()),
                _ if line.chars().count() <= 40 && !line.ends_with(['；', ';']) => (line, ""),
                _ => return None,
            };
            let rest = (!rest.is_empty()).then(|| rest.to_string());
            return Some((level, head.trim_end_matches(['。', '：', ':']).to_string(), rest));
        }
    }
    None
}

/// A short line standing alone with no sentence punctuation: a section title such as
/// `聚焦政治引领 首任首责“领航定向”`.
fn is_section_title(l: &str, calendar: meta::Calendar) -> bool {
    let n = l.chars().count();
    // A bare label and its point (`人手：每站三人，流动率不低`) may hold a comma.
    let labelled = n <= 20 && regex!(r"^\p{Han}{2,4}[：:]\S").is_match(l) && !meta::starts_with_label(l);
    (4..=30).contains(&n)
        && !l.contains(['。', '；', '！', '？'])
        && (labelled || !l.contains(['，', ',', '、']))
        && !l.ends_with(['：', ':', '…'])
        && l.chars().any(is_han)
        && !meta::is_date_only(l, calendar)
        && !is_doc_number(l)
        && !is_lead_sentence(l)
        && !is_bullet_line(l)
        && !is_timed_turn(l)
        && !regex!(r"^[一二三四五六七八九十]要").is_match(l)
        // A line wholly in brackets is a stage note or an aside (`（宣读完毕）`).
        && !regex!(r"^[（(][^（()）]*[）)]$").is_match(l)
}

/// A section title that holds one comma between two short phrases (`议题太大，没法决定`);
/// taken only where the text's other titles stand alone the same way.
fn is_section_title_with_comma(l: &str, calendar: meta::Calendar) -> bool {
    let n = l.chars().count();
    (5..=16).contains(&n)
        && l.matches(['，', ',']).count() == 1
        && l.split(['，', ',']).all(|part| part.chars().filter(|&c| is_han(c)).count() >= 2)
        && is_section_title(&l.replacen(['，', ','], "", 1), calendar)
}

/// `一是…`, `第一，…`, `其一，…`: the lead of a point in running text. A heading only when the
/// source set it in bold. (`一要…。` leads of a speech's points stay headings.)
fn is_lead_sentence(l: &str) -> bool {
    regex!(r"^([一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,、]|其[一二三四五六七八九十]+[，,、])")
        .is_match(l)
}

fn ends_sentence(s: &str) -> bool {
    // A reference mark after the full stop (`…服务。[1]`) closes nothing of its own.
    let s = regex!(r"([\[［]\d{1,3}[\]］])+$").replace(s.trim_end(), "");
    let s = s.trim_end();
    s.ends_with(['。', '！', '？', '”', '：', ':', '；', '）', ')', '…', '」', '!', '?', '’', '』'])
        || (s.contains(['，', ',']) && s.chars().last().is_some_and(ends_post_sentence))
}

/// A social post ends its sentences with an emoji or a tilde (`…走进了消防救援站🚒`, `欢迎报名～`).
fn ends_post_sentence(c: char) -> bool {
    matches!(c, '～' | '~' | '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

/// A sentence of a social post, ended by an emoji or a tilde instead of a full stop.
fn is_post_sentence(t: &str) -> bool {
    t.chars().count() >= 12 && t.contains('，') && t.chars().last().is_some_and(ends_post_sentence)
}

fn is_sentence(t: &str) -> bool {
    t.contains(['。', '！', '？']) && t.chars().count() >= 10
}

fn is_salutation(t: &str) -> bool {
    t.ends_with(['：', ':']) && t.chars().count() <= 40 && !meta::starts_with_label(t) && !t.contains('。')
}

/// An organisation signing a document (`中共青岚区委社会工作部`, `云州市人民政府办公室`).
pub(super) fn is_organization(t: &str) -> bool {
    let n = t.chars().count();
    (4..=30).contains(&n)
        && !t.contains(['，', '。', '：'])
        // A question (`需要帮助怎么办`) is no unit's name.
        && !regex!(r"怎么|如何|什么|哪[里些个]|为何").is_match(t)
        && regex!(
            r"(部|委|局|厅|办|办公室|办事处|管理处|政府|委员会|中心|党组|工委|党委|支部|街道|社区|协会|联合会|学会|基金会|总会|商会|工会|红十字会|院|所|站|镇|乡)$"
        )
        .is_match(t)
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Metadata the cleaner collected, each with a rank: lower ranks are the article's own.
#[derive(Default)]
struct Found {
    title_field: Option<String>,
    dates: Vec<(u8, String)>,
    sources: Vec<(u8, String)>,
    speakers: Vec<(u8, String)>,
    authors: Vec<String>,
    urls: Vec<(u8, String)>,
    /// Breadcrumbs and column names: hints for the page type.
    context: String,
    /// Whether bare three-digit years are 民國 years on this page.
    calendar: meta::Calendar,
    /// The institution that owns the site (`版权所有：…`, `主办单位：…`): widens a 来源 that
    /// names only one of its offices.
    owners: Vec<String>,
    /// The day a lecture or speech was given, from the note introducing it: (year if written,
    /// month, day).
    event_day: Option<(Option<u32>, u32, u32)>,
}

impl Found {
    fn best(list: &[(u8, String)]) -> Option<String> {
        list.iter().enumerate().min_by_key(|(i, (rank, _))| (*rank, *i)).map(|(_, (_, v))| v.clone())
    }

    /// Reads a metadata line. `header` says whether it stands above the article.
    fn read_line(&mut self, t: &str, header: bool) {
        // When a copy was exported, printed or saved (`导出时间：…　导出范围：…`): the copy's day,
        // not the text's, a last resort.
        if regex!(r"^(导出|打印|下载|生成|保存|抓取|采集|截图|截屏)(时间|日期)\s*[:：]").is_match(t)
        {
            self.push_date(14, t);
            return;
        }
        let fields = meta::fields(t);
        let off = if header { 0 } else { 10 };
        let mut dated = false;
        for (label, value) in &fields {
            let value = value.trim();
            match label.as_str() {
                "成文日期" => dated |= self.push_date(0, value),
                "发布时间" | "发布日期" | "时间" | "日期" | "更新时间" | "生效日期" => {
                    dated |= self.push_date(3 + off, value)
                }
                "上传时间" | "上传日期" => dated |= self.push_date(8 + off, value),
                "来源" | "信息来源" | "文章来源" | "稿件来源" => {
                    let v = value.split_whitespace().next().unwrap_or("");
                    if !v.is_empty() {
                        // A platform (`澎湃新闻·澎湃号·政务`) is where an account published, not the source.
                        let platform = regex!(r"号|平台|客户端").is_match(v);
                        // The article's own 来源 line counts wherever it stands (百家号 pages
                        // print it at the end); a platform counts less, below the header more so.
                        self.sources.push(if platform { (6 + off, v.to_string()) } else { (2, v.to_string()) });
                    }
                }
                "发文机关" | "发文单位" | "发布机构" | "发布单位" | "发布组织" | "发布者" | "发布人" | "刊名"
                | "期刊名称" => self.sources.push((3 + off, value.to_string())),
                "作者" if is_reporter(value) => {}
                // An institution as the author (a case study signed by its centre) is the source.
                "作者" if is_organization(&meta::simplified(value)) => {
                    self.sources.push((3 + off, value.to_string()))
                }
                "作者" => {
                    let v = value.split_whitespace().next().unwrap_or("");
                    let v = v.split(['，', ',', '（', '(']).next().unwrap_or(v);
                    if meta::is_person_name(v) {
                        self.authors.push(v.to_string());
                    }
                }
                "标题" if header => self.title_field = Some(value.to_string()),
                "原文链接" | "本文链接" | "原文地址" | "本文网址" | "本文地址" | "原文网址" | "网址" => {
                    if let Some(u) = regex!(r"https?://[^\s，。）)]+").find(t) {
                        self.urls.push((0, u.as_str().to_string()));
                    }
                }
                _ => {}
            }
        }
        // A reprint names the original (`转载自：某某日报（2025年11月25日第3版）`, `摘自《…》`):
        // the curator cites it, its outlet and its date, not the account that reposted it.
        if let Some(c) = regex!(
            r"^[【\[（(]?\s*(?:转载自|轉載自|转自|轉自|转载于|摘自|选自|選自|原载于?|原載於?|刊载于|刊載於)\s*[:：]?\s*《?([^《》（()）\s，,：:。]{2,24})》?(.*)$"
        )
        .captures(t)
            && c[1].chars().any(is_han)
        {
            self.sources.push((0, c[1].to_string()));
            if let Some(d) = meta::dates(&c[2], self.calendar).first() {
                self.dates.push((0, d.clone()));
                dated = true;
            }
        }
        // A signed report (`督导：黄敏（某某社会工作服务中心）`, `执笔：…（…）`): the name signs it,
        // the unit in brackets is the source.
        if let Some(c) = regex!(r"(?:^|[\s\u{3000}])(?:督导|撰写人?|执笔人?|撰稿人?|报告人|起草人?)\s*[:：]\s*(\p{Han}{2,4})\s*[（(]([^）)]{4,30})[)）]")
            .captures(t)
            && meta::is_person_name(&c[1])
        {
            self.speakers.push((1, c[1].to_string()));
            if is_organization(&meta::simplified(&c[2])) {
                self.sources.push((5 + off, c[2].to_string()));
            }
        }
        if !dated {
            // Unlabelled dates: `2024年10月29日05:09 | 来源：…`, `原创 某某 2024年11月05日 19:30`.
            // A date alone in brackets (`（2023年11月8日）`) is how a speech prints its own date.
            if let Some(d) = meta::dates(t, self.calendar).first() {
                let own = meta::is_date_only(t, self.calendar) && t.starts_with(['（', '(']);
                let rank = if own {
                    1
                } else if regex!(r"上传|更新").is_match(t) {
                    8
                } else {
                    4
                };
                self.dates.push((rank + off, d.clone()));
            }
        }
        if header {
            // `程思远　2025年09月22日　来源：…`: the name before the date signs the article.
            if let Some(c) = regex!(r"^(\p{Han}{2,4})[\s\u{3000}]*\d{4}\s*[年\-/.]").captures(t)
                && meta::is_person_name(&c[1])
                && !regex!(r"^(原创|发布|更新|来源|时间|日期|作者|编辑|记者|本报|本刊)").is_match(&c[1])
            {
                self.authors.push(c[1].to_string());
            }
            self.read_account(t);
        }
        if let Some(c) = regex!(r"《\s*([^》]+?)\s*》\s*[（(]\s*\d{4}\s*年.*版").captures(t) {
            self.sources.push((0, c[1].to_string()));
        }
    }

    /// The account that published a WeChat, 头条 or 澎湃号 article: `原创 作者 账号 2024年…`,
    /// `2024-07-12 10:05·某某融媒官方账号`, or a forum post (`来自：某网名　2025-10-19 21:37`).
    fn read_account(&mut self, t: &str) {
        if let Some(c) =
            regex!(r"^(?:来自|发帖人|发布人|楼主)\s*[:：]\s*([^\s\u{3000}:：]{2,16})[\s\u{3000}]+\d{4}\s*[年\-/.]")
                .captures(t)
        {
            self.sources.push((3, c[1].to_string()));
            return;
        }
        let platform = |s: &str| regex!(r"号·|澎湃号|头条号|百家号|网易号|搜狐号|企鹅号|^发布于|^来自").is_match(s);
        if let Some(rest) = t.strip_prefix("原创") {
            let before_date = regex!(r"\d{4}\s*[年\-/.]").split(rest).next().unwrap_or(rest);
            let names: Vec<&str> = before_date
                .split_whitespace()
                .filter(|s| !platform(s) && !meta::starts_with_label(s) && s.chars().count() >= 2)
                .collect();
            if let Some(last) = names.last() {
                self.sources.push((1, last.to_string()));
            }
            return;
        }
        if meta::dates(t, self.calendar).is_empty() {
            return;
        }
        // With labelled fields on the line (`浏览量：…`), only an unlabelled name before the
        // date is the publisher's (`澄川区融媒体中心　2025-03-26 18:45　浏览量：21034`).
        let line = if meta::fields(t).is_empty() {
            t
        } else {
            match regex!(r"\d{4}\s*[年\-/.]").find(t).map(|m| &t[..m.start()]) {
                Some(head) if !head.contains([':', '：']) => head,
                _ => return,
            }
        };
        let rest = meta::without_dates(line, self.calendar);
        // An IP-location tag (`江西`, `IP属地：山西`, `发布于：山西`) stands beside the date: chrome.
        static IP_TAG: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let ip_tag = meta::re(
            &IP_TAG,
            &format!(r"^(IP属地|发布于)?[:：]?\s*({PROVINCES})(省|市|自治区)?$|^(IP属地|发布于)[:：]"),
        );
        // A forum post's place in the thread (`楼主`, `沙发`) is no name either, nor a post's kind
        // badge standing alone (`公示`, `置顶`).
        let badge = regex!(r"^(公示|公告|通知|置顶|转载|头条|热门|推荐|精选)$");
        let name = rest
            .split([' ', '\u{3000}', '·', '•'])
            .map(str::trim)
            .find(|s| {
                !s.is_empty() && !ip_tag.is_match(s) && !is_weekday(s) && !is_post_position(s) && !badge.is_match(s)
            })
            .unwrap_or("");
        static PLACE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let place = meta::re(&PLACE, &format!(r"^(发布于|来自)\s*({PROVINCES})?(省|市|自治区)?"));
        let name = match name.find("官方账号").or_else(|| name.find("账号")) {
            Some(at) => place.replace(&name[..at], "").into_owned(),
            None => regex!(r"((发布|编辑|发表|修改|更新)于.*|来自.*)$").replace(name, "").into_owned(),
        };
        let name =
            regex!(r"(阅读|浏览|点击|访问)(量|数|次数)?\s*[:：]?\s*[\d.万]*\s*次?$").replace(&name, "").into_owned();
        // A post's kind badge glued to the poster (`公示紫荆苑社区居委会`, `置顶某某协会`).
        let name =
            regex!(r"^(公示|公告|通知|置顶|转载|头条|热门|推荐|精选)(\p{Han}{4,})$").replace(&name, "$2").into_owned();
        let n = name.chars().count();
        if (2..=16).contains(&n)
            && name.chars().any(is_han)
            && !name.contains([':', '：'])
            && !platform(&name)
            && !regex!(r"^(发布|来源|浏览|阅读)").is_match(&name)
            // A weekday beside the date (`2025年10月16日　星期四`) names no one.
            && !is_weekday(&name)
        {
            self.sources.push((4, name.to_string()));
        }
    }

    /// A link to the article's web version (`[阅读网站版全文 >>](https://…)`, `[查看原文](…)`):
    /// its target is the article's address.
    fn read_web_version(&mut self, md: &str) {
        if let Some(c) =
            regex!(r"\[[^\]]{0,8}(网站版|网页版|网络版|原文|全文)[^\]]{0,8}\]\((https?://[^)\s]+)\)").captures(md)
        {
            self.urls.push((1, c[2].to_string()));
        }
    }

    /// The article's address in a footer or reprint notice (`本文链接：http…`, `如若转载，请注明出处：http…`).
    fn read_url(&mut self, t: &str) {
        if let Some(m) = regex!(
            r"(?:本文链接|原文链接|原文地址|本文网址|本文地址|原文网址|网址|转载|出处)[^\n]*?(https?://[^\s，。）)]+)"
        )
        .captures(t)
        {
            self.urls.push((1, m[1].to_string()));
        }
    }

    /// A subtitle giving when and where a speech was given (`——2026年1月8日在某区人民代表大会上`):
    /// that day is the text's own date.
    fn read_occasion(&mut self, t: &str) {
        let t = t.trim_start_matches(['—', '－', '-', ' ', '\u{3000}']);
        if let Some(c) = regex!(r"^[（(]?\s*([^在，。]{6,20}?)\s*[)）]?\s*在").captures(t)
            && meta::is_date_only(&c[1], self.calendar)
            && let Some(d) = meta::dates(&c[1], self.calendar).first()
        {
            self.dates.push((1, d.clone()));
        }
    }

    /// The institution owning a site, from its footer (`版权所有：某某县残疾人联合会`,
    /// `中共某某市委党校　版权所有`, `主办单位：…`).
    fn read_owner(&mut self, t: &str) {
        let t = t.trim();
        let before =
            regex!(r"^(?:©|\(c\)|Copyright)?\s*(?:\d{4}\s*)?([^\s\u{3000}：:|｜©]{4,30}?)\s*(?:版权所有|版權所有)")
                .captures(t);
        let after = regex!(r"(?:版权所有|版權所有|主办单位|主辦單位|主办|主辦)\s*[:：©]?\s*(?:\d{4}\s*)?([^\s\u{3000}：:|｜©。，]{4,30})").captures(t);
        for c in [before, after].into_iter().flatten() {
            let name = c[1].to_string();
            if is_institution(&name) {
                self.owners.push(name);
            }
        }
    }

    /// A labelled date below the article (`更新时间：2025-06-03`): the page's, read only when the
    /// article gives none.
    fn read_footer_date(&mut self, t: &str) {
        if t.chars().count() > 60 {
            return;
        }
        for (label, value) in meta::fields(t) {
            if matches!(label.as_str(), "发布时间" | "发布日期" | "更新时间" | "成文日期") {
                self.push_date(15, &value);
            }
        }
    }

    fn push_date(&mut self, rank: u8, text: &str) -> bool {
        let first = meta::dates(text, self.calendar).into_iter().next();
        if let Some(d) = &first {
            self.dates.push((rank, d.clone()));
        }
        first.is_some()
    }
}

/// The fields of a record above and in the text, up to its first footer line (see
/// [`meta::field_role`]); a field table's label and value cells count as a field line.
fn read_record_fields(units: &[Unit], found: &mut Found) {
    // A site footer names the unit running the site beside its owner (`主办：…`, `承办：…`,
    // `版权所有`); a 承办单位 among a work order's fields is the unit that answered it.
    let in_footer = |i: usize| {
        units[i.saturating_sub(1)..units.len().min(i + 2)]
            .iter()
            .any(|u| regex!(r"主办|主辦|版权|版權|(?i:ICP|copyright)|技术支持|备案").is_match(&u.plain))
    };
    let answered_by = |i: usize| regex!(r"^承办(单位|部门)\s*[:：]\s*\S").is_match(&units[i].plain) && !in_footer(i);
    let end = (0..units.len())
        .find(|&i| units[i].is_text() && is_end_marker(&units[i].plain) && !answered_by(i))
        .unwrap_or(units.len());
    for (i, u) in units[..end].iter().enumerate() {
        let lines: Vec<String> = match &u.kind {
            Kind::Text => vec![u.plain.clone()],
            Kind::Table(rows) if rows.len() <= 12 => rows
                .iter()
                .filter(|r| r.len() % 2 == 0)
                .flat_map(|r| {
                    r.chunks(2)
                        .map(|p| format!("{}：{}", plain_of(&p[0]).trim_end_matches([':', '：']), plain_of(&p[1])))
                })
                .collect(),
            _ => continue,
        };
        let fields = lines.iter().filter(|_| !in_footer(i)).flat_map(|l| meta::record_fields(l));
        for (label, value) in fields {
            match meta::field_role(&label) {
                Some(meta::FieldRole::Title) if i < 30 && found.title_field.is_none() => {
                    found.title_field = Some(value)
                }
                Some(meta::FieldRole::Source(rank)) => {
                    if let Some(v) = meta::unit_value(&value) {
                        found.sources.push((rank, v));
                    }
                }
                Some(meta::FieldRole::Date(rank)) if !regex!(r"前|止|截|以内").is_match(&value) => {
                    found.push_date(rank, &value);
                }
                Some(meta::FieldRole::Speaker) => {
                    if let Some(v) = meta::speaker_value(&value) {
                        found.speakers.push((1, v));
                    }
                }
                _ => {}
            }
        }
    }
}

/// A line naming the original of a reprint (`转载自：…`, `摘自《…》`).
fn is_reprint_line(t: &str) -> bool {
    regex!(r"^[【\[（(]?\s*(转载自|轉載自|转自|轉自|转载于|摘自|选自|選自|原载|原載|刊载于|刊載於)").is_match(t)
}

/// An institution that can own a site or sign for its offices: an organisation, a school, a
/// paper, an association (`中共某某市委党校`, `某某日报社`, `某某家庭服务协会`).
fn is_institution(t: &str) -> bool {
    let t = meta::simplified(t);
    is_organization(&t)
        || ((4..=30).contains(&t.chars().count())
            && !t.contains(['，', '。', '：'])
            && regex!(r"(党校|学校|大学|学院|医院|报社|日报|晚报|协会|学会|联合会|研究会|促进会|基金会)$").is_match(&t))
}

/// A lecturer's line (`主讲人：黎某（某党校教研部主任）`, `主讲：某党校教研部主任　黎某`): the
/// role when it is given, else the name.
fn lecturer(t: &str) -> Option<String> {
    let c =
        regex!(r"^(?:主讲人?|主讲嘉宾|讲授人?|授课人?|授课老师|报告人|讲话人)\s*[:：]\s*(\S.{1,50})$").captures(t)?;
    let rest = c[1].trim();
    if let Some(b) = regex!(r"^(\p{Han}{2,4})\s*[（(]([^）)]{2,40})[)）]$").captures(rest)
        && meta::is_person_name(&b[1])
    {
        return Some(
            meta::role(&b[2]).filter(|r| b[2].trim().ends_with(r.as_str())).unwrap_or_else(|| b[1].to_string()),
        );
    }
    if let Some(role) = role_and_name(rest) {
        return Some(role);
    }
    meta::is_person_name(rest).then(|| rest.to_string())
}

/// A forum post's place or its poster's rank in a thread (`楼主`, `沙发`, `2楼`, `版主`).
fn is_post_position(s: &str) -> bool {
    regex!(r"^(楼主|樓主|沙发|沙發|板凳|地板|版主|管理员|管理員|\d{1,4}\s*[楼樓#])$").is_match(s)
}

/// A weekday beside a date (`星期四`, `周五`, `(星期日)`): part of the date, never a name.
fn is_weekday(s: &str) -> bool {
    regex!(r"^[（(]?(星期|礼拜|禮拜|周|週)[一二三四五六日天][)）]?$").is_match(s)
}

/// Splits a title line: the subtitle after `——`, site names and column labels, and a speaker
/// written before a colon (`某区委书记张三：打造…`). A colon without a role stays in the title.
fn split_title(line: &str, found: &mut Found) -> (String, Option<String>) {
    let (title, subtitle) = match line.split_once("——") {
        Some((t, s))
            if !t.trim().is_empty() && (regex!(r"讲话|发言|致辞|报告").is_match(s) || meta::role(s).is_some()) =>
        {
            (t.trim().to_string(), Some(format!("——{}", s.trim())))
        }
        _ => (line.to_string(), None),
    };
    let mut title = meta::without_subject_label(&meta::strip_site_parts(&title));
    // A forum thread's tag before its title (`[经验分享] …`) labels the board's category.
    if let Some(c) = regex!(r"^\[[^\]\s]{1,8}\]\s*(\S.{3,})$").captures(&title) {
        title = c[1].to_string();
    }
    if let Some((who, rest)) = title.split_once([':', '：'])
        && !rest.trim().is_empty()
        && meta::role(who).is_some_and(|r| r.chars().count() >= 4)
        && who.chars().count() <= 40
    {
        found.speakers.push((0, who.trim().to_string()));
        title = rest.trim().to_string();
    }
    (title, subtitle)
}

/// Turns a reader's document into a draft. `topics` are the site's topic titles with aliases.
pub fn clean(doc: &Document, topics: &[(String, Vec<String>)]) -> Draft {
    let mut d = Draft::default();
    let mut found = Found::default();
    let mut glosses = 0;
    let mut units = flatten(doc, &mut glosses);
    let all: String = units.iter().map(|u| u.plain.as_str()).collect::<Vec<_>>().join("\n");
    found.calendar = meta::Calendar::of_page(&all);
    // Who took the minutes, chaired or was served (`记录：王某`, `主持人：…`, `案主：…`): never
    // the speaker, even when the file's author property names them.
    let not_speakers: Vec<String> = regex!(
        r"(?m)^[（(]?\s*(?:记录人?|记录员|纪要整理|整理|主持人?|案主|服务对象|求助人)\s*[:：]\s*(\p{Han}{2,4})(?:[\s\u{3000}（(，,）)]|$)"
    )
    .captures_iter(&all)
    .map(|c| c[1].to_string())
    .collect();
    let frame = super::kinds::Frame::read(&all.lines().collect::<Vec<_>>(), found.calendar);
    found.urls.extend(frame.source_url.iter().map(|u| (1, u.clone())));
    found.dates.extend(frame.date.iter().map(|d| (2, d.clone())));
    found.sources.extend(frame.source.iter().map(|s| (1, s.clone())));
    d.changes.push(("pinyin glosses removed", glosses));
    keep_the_chat_notice(&mut units, &mut d.removed);
    read_record_fields(&units, &mut found);
    drop_outline_blocks(&mut units, &mut d.removed);
    drop_contents_and_infobox(&mut units, &mut d.removed);
    drop_reposts_and_running_headers(&mut units, &mut d.removed, found.calendar);
    drop_notes_to_the_editor(&mut units, &mut found, &mut d.removed);
    let mail_subject = drop_mail_header(&mut units, &mut found, &mut d.removed);

    // The article starts at its first sentence, salutation or section; above it are the title,
    // its metadata line and the site's chrome.
    let mut body_start = units.iter().position(|u| is_body_start(u, found.calendar)).unwrap_or(units.len());
    // A question standing alone over page tools or counts (`…有什么区别？` over `关注问题　写回答`)
    // is the title of a Q&A page, not the first sentence of the article.
    while body_start < units.len()
        && is_lone_question(&units[body_start].plain)
        && units[body_start + 1..]
            .iter()
            .find(|u| u.is_text())
            // … or over its author's name (a column article: `…议而不决？` over `沈某某`).
            .is_some_and(|n| matches!(classify(&n.plain), Line::Chrome(_)) || meta::byline_name(&n.plain).is_some())
    {
        body_start +=
            1 + units[body_start + 1..].iter().position(|u| is_body_start(u, found.calendar)).unwrap_or(units.len());
        body_start = body_start.min(units.len());
    }
    // A line over the article's dated metadata line (`暖心！某社区食堂开张了，还有…` over
    // `原创 某某 某账号 2025年11月07日`) is its title, even with a `！` or a comma in it.
    while body_start + 1 < units.len()
        && units[body_start].is_text()
        && units[body_start].plain.chars().count() <= 60
        && !units[body_start].plain.ends_with(['。', '：', ':'])
        && !is_salutation(&units[body_start].plain)
        && units[body_start + 1].is_text()
        && is_meta_line(&units[body_start + 1].plain, found.calendar)
        && !meta::dates(&units[body_start + 1].plain, found.calendar).is_empty()
    {
        body_start +=
            2 + units[body_start + 2..].iter().position(|u| is_body_start(u, found.calendar)).unwrap_or(units.len());
        body_start = body_start.min(units.len());
    }
    // The first sentence may begin on lines the source wrapped: a line with a comma that the
    // sentence continues from belongs to the body, not to the header.
    while body_start > 0
        && body_start < units.len()
        && units[body_start].soft
        && units[body_start - 1].is_text()
        && units[body_start - 1].plain.contains(['，', '、'])
        // A line broken by the source's width is about as long as the next; a short line over a
        // long one is a title over its text.
        && units[body_start - 1].plain.chars().count() * 2 >= units[body_start].plain.chars().count()
        && !ends_sentence(&units[body_start - 1].plain)
        && !is_meta_line(&units[body_start - 1].plain, found.calendar)
        && classify(&units[body_start - 1].plain) == Line::Text
        && !is_end_marker(&units[body_start - 1].plain)
    {
        body_start -= 1;
    }
    // A section label right above the first sentence (`【诉求内容】`, a bold `前言`) heads the
    // first section when the body holds more labels of its form, and something else above it
    // can be the title.
    if body_start > 1
        && body_start < units.len()
        && let Some(form) = section_label_form(&units[body_start - 1])
        && units[body_start..]
            .iter()
            .any(|u| section_label_form(u) == Some(form) && u.plain != units[body_start - 1].plain)
        && (found.title_field.is_some()
            || units[..body_start - 1]
                .iter()
                .any(|u| matches!(u.kind, Kind::Heading(_)) || section_label_form(u) == Some(1)))
    {
        body_start -= 1;
    }
    let header: Vec<Unit> = units.drain(..body_start).collect();
    // A document number (发文字号) is part of the document: it stays, under the title.
    for u in header.iter().rev().filter(|u| u.is_text() && is_doc_number(&u.plain)) {
        units.insert(0, Unit::text(u.md.clone(), false));
    }
    let (title_line, subtitle) = read_header(&header, doc, &mut found, &mut d.removed);
    let (mut title, subtitle) = match title_line {
        Some(line) => {
            let (t, s) = split_title(&line, &mut found);
            (t, subtitle.or(s))
        }
        None => (String::new(), subtitle),
    };
    if let Some(t) = found.title_field.clone().filter(|t| title.is_empty() || t.contains(&title)) {
        title = t;
    }
    // An e-mail's subject is its title, whatever stands above the first sentence.
    if let Some(s) = mail_subject {
        title = s;
    }
    // No title above the article (only a masthead there), or a first heading the page's own
    // metadata names as its title (a journal line above it is not): that heading is the title.
    let named =
        |u: &Unit| hint(doc, MetaKey::Title).is_some_and(|h| meta::simplified(h.trim()) == meta::simplified(&u.plain));
    if (title.is_empty() || units.first().is_some_and(|u| title != u.plain && named(u)))
        && let Some(u) = units.first().filter(|u| matches!(u.kind, Kind::Heading(_)) && u.plain.chars().count() >= 4)
    {
        title = u.plain.clone();
        d.removed.push(("title (moved to front matter)", units.remove(0).plain));
    }
    // A field table opening the article (a case record's, a service guide's), perhaps under
    // a line of page buttons.
    if let Some(Kind::Table(rows)) = units.iter().take(3).find(|u| !u.is_text()).map(|u| &u.kind) {
        read_meta_table(rows, &mut found);
    }
    if title.is_empty()
        && let Some(h) = hint(doc, MetaKey::Title)
    {
        title = meta::strip_site_parts(&meta::without_subject_label(&h));
    }
    email_signature(&units, &mut found);
    // The article ends at the first footer line; what follows is read for metadata only.
    // A download or membership prompt right under a page counter is a preview's page break,
    // not the end: the text goes on after it.
    let end = (0..units.len())
        .find(|&i| {
            // A sidebar's heading (`<h3>往期访谈</h3>`) ends the article as its line would.
            let line = |u: &Unit| u.is_text() || matches!(u.kind, Kind::Heading(_));
            // A document's 版记 as a table (`抄送：…` over `某办公室 | 2025年11月28日印发`), and
            // its distribution lines (`报：…`, `送：…`, `发：…`) over the copy list or the 印发 line.
            let record_table = matches!(&units[i].kind, Kind::Table(rows)
                if rows.first().and_then(|r| r.first()).is_some_and(|c| is_end_marker(&plain_of(c))));
            let distribution = units[i].is_text()
                && regex!(r"^(报|送|发|抄报|分送)\s*[:：]\s*\S").is_match(&units[i].plain)
                && units[i + 1..]
                    .iter()
                    .take(4)
                    .any(|u| u.is_text() && (is_issue_line(&u.plain) || regex!(r"^抄送\s*[:：]").is_match(&u.plain)));
            record_table
                || distribution
                || (line(&units[i])
                    && is_end_marker(&units[i].plain)
                    && !(i > 0
                        && units[i - 1].is_text()
                        && is_page_counter(&units[i - 1].plain)
                        && is_download_prompt(&units[i].plain)))
        })
        .unwrap_or(units.len());
    let end = dated_list_at_end(&units[..end], found.calendar).unwrap_or(end);
    let end = label_above(&units, end);
    // Ended by a mark saying so, the text is complete even if its last line has no full stop.
    let complete = units.get(end).is_some_and(|u| u.is_text() && is_end_of_article(&meta::simplified(&u.plain)));
    // A prompt to read the rest or a pager right under the text: the page showed only its start.
    let stops = |i: usize| units[..i].iter().rev().find(|u| u.is_text()).is_some_and(|p| !ends_sentence(&p.plain));
    let cut_at_end = units
        .get(end)
        .is_some_and(|u| u.is_text() && ((is_read_more(&u.plain) && stops(end)) || is_pager_before_last(&u.plain)));
    for u in units.drain(end..) {
        found.read_url(&u.plain);
        found.read_owner(&u.plain);
        found.read_footer_date(&u.plain);
        found.read_web_version(&u.md);
        if (u.is_text() || matches!(u.kind, Kind::Heading(_))) && !u.plain.is_empty() {
            d.removed.push(("after the article (footer, credits, related items)", u.plain));
        }
    }
    let mut body = clean_body(units, &title, &mut found, &mut d);
    if cut_at_end && body.last().is_none_or(|u| u.kind != Kind::Cut) {
        body.push(Unit { md: String::new(), plain: String::new(), kind: Kind::Cut, soft: false, run_in: false });
    }
    // A post with no title line (a micro-post): its first sentence is the title, as a curator
    // would name it; the sentence stays in the text.
    if title.is_empty()
        && body.iter().all(|u| !matches!(u.kind, Kind::Heading(_)))
        && let Some(first) = body.first().filter(|u| u.is_text())
        && let Some(end) = first.plain.find(['。', '！', '？'])
    {
        let sentence = &first.plain[..end + '。'.len_utf8()];
        if (8..=80).contains(&sentence.chars().count()) {
            title = sentence.to_string();
            d.changes.push(("first sentence as title (no title line)", 1));
        }
    }
    dateline(&body, &mut found);
    lecture_note(&body, &mut found);
    byline_at_end(&mut body, &mut found, &mut d.removed);
    let wrap = wrap_width(&body);
    let paragraphs = join_lines(body, wrap);
    let (paragraphs, signature, signed_by) = signature(paragraphs, &mut found);
    // The unit signing the text outranks a guess from the page's first line (a tool's or an
    // app's name over a copied notice), not a field or a 来源.
    if let Some(s) = signature.clone().and_then(source_name) {
        found.sources.push((8, s));
    }
    let truncations = paragraphs.iter().filter(|u| u.kind == Kind::Cut).count();
    d.changes.push(("truncations marked", truncations));

    // Metadata: the article's own values first.
    if let Some(s) = subtitle.as_deref().and_then(meta::role) {
        found.speakers.push((1, without_interview_verb(s)));
    }
    if let Some(r) =
        regex!(r"^(.{2,30}?)在.{2,40}(讲话|发言|致辞|报告)").captures(&title).and_then(|c| meta::role(&c[1]))
    {
        found.speakers.push((2, r));
    }
    for h in &doc.meta {
        let v = h.value.trim().to_string();
        match h.key {
            MetaKey::Date => {
                found.push_date(6, &v);
            }
            // A repost's own `来源：` line (rank 2) names the original: it outranks the account.
            MetaKey::Source if h.origin == "WeChat account" => found.sources.push((3, v)),
            MetaKey::Source if h.origin == "ld+json author" => found.sources.push((6, v)),
            MetaKey::Source => {
                found.sources.push((7, v.trim_start_matches("来源：").trim_start_matches("来源:").to_string()))
            }
            MetaKey::SourceUrl => found.urls.push((if h.origin == "saved from" { 9 } else { 2 }, v)),
            // A file's author property is often the typist's unit (`某社区`): only a person counts.
            MetaKey::Speaker if is_organization(&v) || !meta::is_person_name(&v) => {}
            MetaKey::Speaker => found.speakers.push((5, v)),
            MetaKey::Organization => found.sources.push((7, v)),
            MetaKey::Title => {}
        }
    }
    // An organisation publishing on its own site names itself after the page title
    // (`… | 最新消息 | 某某社區服務協會`): the source when nothing better is found.
    let titles = || doc.meta.iter().filter(|h| h.key == MetaKey::Title).map(|h| h.value.clone());
    // A page titled only with the site owner's name (`<title>某某县残疾人联合会</title>`).
    for h in titles() {
        if is_institution(&chinese_part(h.trim())) && h.trim() != d.title.trim() && !title.contains(h.trim()) {
            found.owners.push(chinese_part(h.trim()));
        }
    }
    let site_organization = titles().find_map(|h| {
        let last = regex!(r"\s*[|｜_]\s*|\s+[-—－]+\s+").split(&h).map(str::trim).filter(|p| !p.is_empty()).last()?;
        // A bilingual name (`Lamwan Family Service Association 嵐灣家庭服務協會`): its Chinese part.
        let last = chinese_part(last);
        (last != h.trim() && is_organization(&meta::simplified(&last))).then_some(last)
    });
    d.title = normalize_punctuation(&title).0;
    d.subtitle = subtitle;
    d.date = Found::best(&found.dates);
    let sources: Vec<(u8, String)> = found
        .sources
        .iter()
        .filter(|(_, s)| !is_doc_number(s) && !regex!(r"第\s*\d+\s*期").is_match(s))
        .cloned()
        .collect();
    d.source = Found::best(&sources).and_then(source_name);
    if let Some(s) = d.source.take() {
        let full = sources.iter().map(|(_, v)| v).chain(&found.owners).chain(signed_by.as_ref());
        d.source = Some(widened_source(s, full, &found.owners));
    }
    d.source_url = Found::best(&found.urls);
    if d.date.is_none() {
        d.date = d.source_url.as_deref().and_then(date_in_url);
    }
    found.speakers.retain(|(_, s)| !not_speakers.contains(s));
    d.speaker = Found::best(&found.speakers);
    if let Some((year, month, day)) = found.event_day {
        d.date = event_date(year, month, day, d.date.as_deref()).or(d.date);
    }
    let head = format!("{} {}", d.title, d.subtitle.as_deref().unwrap_or(""));
    d.page_type = Some(detect_type(&head, d.source.as_deref().unwrap_or(""), &found.context));
    if d.speaker.is_none() && matches!(d.page_type, Some(PageType::Commentary | PageType::Reflection)) {
        d.speaker = found.authors.first().cloned();
    }
    if d.source.is_none() {
        d.source = signature.and_then(source_name).or(site_organization);
    }
    // A report delivered for a government (`某某区人民政府区长`, `某某县政府工作报告`): that
    // government is its source.
    let government = regex!(r"^(\p{Han}{2,8}?(?:省|市|区|县|州|盟|旗|镇|乡)(?:人民政府|政府))");
    if d.source.is_none()
        && let Some(c) = d.speaker.as_deref().and_then(|r| government.captures(r)).or_else(|| {
            regex!(r"^\p{Han}{2,8}?(?:省|市|区|县|州|盟|旗|镇|乡)(?:人民政府|政府)工作报告")
                .find(&d.title)
                .and_then(|_| government.captures(&d.title))
        })
    {
        // Its official name: `某某县政府` is `某某县人民政府`.
        let unit = &c[1];
        d.source = Some(match unit.strip_suffix("政府").filter(|u| !u.ends_with("人民")) {
            Some(place) => format!("{place}人民政府"),
            None => unit.to_string(),
        });
    }
    // An article with reference notes (`注释：`, `[^1]:`) is a signed scholarly piece: its
    // author is the one speaking, as for a commentary.
    if d.speaker.is_none()
        && paragraphs.iter().any(|u| u.is_text() && regex!(r"^(注释|注\s*释|参考文献|\[\^\d+\]:)").is_match(&u.plain))
    {
        d.speaker = found.authors.first().cloned();
    }
    // An encyclopedia entry its users edit has no publishing unit (the site is no source).
    if frame.user_edited {
        d.source = None;
    }
    // A personal post speaks for its poster; no unit publishes it unless a 来源 line says so.
    if let Some(poster) = frame.poster {
        d.speaker = d.speaker.or(Some(poster));
        if !found.sources.iter().any(|(rank, _)| *rank == 2) {
            d.source = None;
        }
    }
    d.summary = summary(&paragraphs);
    d.body = render(&paragraphs, complete, &mut d.changes, found.calendar);
    detect_places_and_topics(&mut d, topics);
    d
}

fn hint(doc: &Document, key: MetaKey) -> Option<String> {
    doc.meta.iter().find(|h: &&MetaHint| h.key == key).map(|h| h.value.clone())
}

/// A bilingual page glosses its labels in English before the colon (`發佈日期 Date: 15/10/2025　類別
/// Category: 新聞稿`): the label alone is read (`發佈日期：15/10/2025　類別：新聞稿`), so the line is
/// the metadata line it is.
fn without_label_glosses(line: &str) -> String {
    if line.chars().count() > 100
        || line.contains('。')
        || !regex!(r"^\p{Han}{2,8}\s+[A-Z][A-Za-z .&/]{0,24}?\s*[:：]").is_match(line)
    {
        return line.to_string();
    }
    regex!(r"(^|[\s\u{3000}|｜])(\p{Han}{2,8})\s+[A-Z][A-Za-z .&/]{0,24}?\s*[:：]\s*")
        .replace_all(line, "$1$2：")
        .into_owned()
}

/// A wiki's edit link after a section title (`积分规则[编辑]`, `Rules [edit]`, `概述［编辑本段］`):
/// the site's button, not part of the title.
fn without_edit_link(s: &str) -> String {
    if s.chars().count() > 60 {
        return s.to_string();
    }
    regex!(
        r"\s*\\?[\[［【]\s*(编辑|编辑本段|编辑此段|编辑源代码|修改|编辑章节|(?i:edit|edit source))\s*\\?[\]］】]\s*$"
    )
    .replace(s, "")
    .into_owned()
}

fn flatten(doc: &Document, glosses: &mut usize) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut clean = |s: &str| {
        let s = without_edit_link(s);
        let (s, n) = strip_pinyin_glosses(&normalize_line(&s));
        *glosses += n;
        s
    };
    for block in &doc.blocks {
        match block {
            Block::Paragraph(text) => {
                let mut soft = false;
                for line in text.split('\n') {
                    let md = without_slide_cue(without_label_glosses(&clean(line)));
                    if md.is_empty() {
                        soft = false;
                        continue;
                    }
                    units.push(Unit::text(md, soft));
                    soft = true;
                }
            }
            Block::Heading { level, text } => {
                let plain = clean(text);
                if !plain.is_empty() {
                    units.push(Unit {
                        md: escape_markdown(&plain),
                        plain,
                        kind: Kind::Heading(*level),
                        soft: false,
                        run_in: false,
                    });
                }
            }
            Block::List { ordered, items } => {
                let items: Vec<String> = items.iter().map(|i| clean(i)).filter(|i| !i.is_empty()).collect();
                let plain = items.iter().map(|i| plain_of(i)).collect::<Vec<_>>().join("\n");
                units.push(Unit {
                    md: String::new(),
                    plain,
                    kind: Kind::List { ordered: *ordered, items },
                    soft: false,
                    run_in: false,
                });
            }
            Block::Table(rows) => {
                let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| clean(c)).collect()).collect();
                let plain = rows.iter().map(|r| r.join(" ")).collect::<Vec<_>>().join("\n");
                units.push(Unit { md: String::new(), plain, kind: Kind::Table(rows), soft: false, run_in: false });
            }
            Block::Figure { file, alt, caption } => units.push(Unit {
                md: String::new(),
                plain: String::new(),
                kind: Kind::Figure { file: file.clone(), alt: clean(alt), caption: caption.as_deref().map(&mut clean) },
                soft: false,
                run_in: false,
            }),
        }
    }
    units
}

/// A talk script's slide cue opening a paragraph (`【PPT第4页】大家可以…`): for the speaker, not
/// words of the text.
fn without_slide_cue(line: String) -> String {
    match regex!(r"(?i)^[\[［【]\s*(ppt|幻灯片?)[^\]］】\[［【]{0,16}[\]］】]\s*").find(&line) {
        Some(m) if m.end() < line.len() => line[m.end()..].to_string(),
        _ => line,
    }
}

/// A chat export (`名字 08:51` over each message, `—— 2025-12-05 ——` between days): the
/// document is the notice posted in it, the message under a `[群公告]` mark; without such a
/// mark, the longest message when it is a text of its own (60 characters or more), else the
/// export is left as it is. Every other message, sender line, placeholder (`[图片]`), recall
/// notice and the export's header is the chat around the notice. One pass over the lines.
fn keep_the_chat_notice(units: &mut Vec<Unit>, removed: &mut Vec<(&'static str, String)>) {
    let sender = |u: &Unit| {
        u.is_text()
            && u.plain.chars().count() <= 40
            && !u.plain.contains(['。', '，'])
            && regex!(r"^\S.{0,30}?[\s\u{3000}]+(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+)?\d{1,2}:\d{2}(:\d{2})?$")
                .is_match(&u.plain)
    };
    // A day separator or the export's closing line (`—————  2025-12-05  —————`), and a system
    // line (`"某某"撤回了一条消息`, `某某加入了群聊`).
    let boundary = |u: &Unit| {
        sender(u)
            || (u.is_text()
                && (regex!(r"^[-—－─=]{2,}.{0,30}[-—－─=]{2,}$").is_match(&u.plain)
                    || regex!(r"(撤回了一条消息|加入了群聊|退出了群聊|修改群名为|邀请\S{1,20}加入了群聊)$")
                        .is_match(&u.plain)))
    };
    let mark = |u: &Unit| u.is_text() && regex!(r"^[\[【［]?\s*(群公告|公告)\s*[\]】］]$").is_match(&u.plain);
    // A transcript's turns (`发言人1　00:01:41`) look the same: a chat says it is one by a
    // placeholder, a system line or its export header.
    let chat = |u: &Unit| {
        u.is_text()
            && regex!(r"^[\[［](图片|链接|表情|动画表情|语音|视频|文件|位置|名片|红包|转账)[\]］]|撤回了一条消息|加入了群聊|^(聊天记录|群聊|消息记录)|[|｜]\s*群聊")
                .is_match(&u.plain)
    };
    let senders = units.iter().filter(|u| sender(u)).count();
    if senders < 3 || !units.iter().any(|u| mark(u) || chat(u)) {
        return;
    }
    // Each message: the lines from after its sender line to the next boundary.
    let mut messages: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, u) in units.iter().enumerate() {
        if boundary(u) {
            if let Some(s) = start.take() {
                messages.push((s, i));
            }
            if sender(u) {
                start = Some(i + 1);
            }
        }
    }
    if let Some(s) = start {
        messages.push((s, units.len()));
    }
    let length = |&(s, e): &(usize, usize)| units[s..e].iter().map(|u| u.plain.chars().count()).sum::<usize>();
    let chosen = match units.iter().position(mark) {
        Some(at) => {
            let end = units[at + 1..].iter().position(boundary).map_or(units.len(), |k| at + 1 + k);
            Some((at + 1, end))
        }
        None => {
            messages.iter().copied().max_by_key(|m| (length(m), std::cmp::Reverse(m.0))).filter(|m| length(m) >= 60)
        }
    };
    let Some((mut from, to)) = chosen else { return };
    // The mention that opens a notice (`@所有人`).
    while from < to && units[from].is_text() && regex!(r"^(@\S+\s*)+$").is_match(&units[from].plain) {
        from += 1;
    }
    let kept: Vec<Unit> = units.drain(from..to).collect();
    for u in units.drain(..) {
        if !u.plain.is_empty() {
            removed.push(("chat around the notice (messages, senders, placeholders)", u.plain));
        }
    }
    *units = kept;
}

/// Drops outline blocks (`目录/提纲:……` up to a `……` line, `【提纲】…`): the page gets its own
/// table of contents.
fn drop_outline_blocks(units: &mut Vec<Unit>, removed: &mut Vec<(&'static str, String)>) {
    let mut in_outline = false;
    units.retain(|u| {
        if !u.is_text() {
            return true;
        }
        if in_outline {
            removed.push(("outline block (the page gets a table of contents)", u.plain.clone()));
            if u.plain == "……" || u.plain == "..." {
                in_outline = false;
            }
            return false;
        }
        if classify(&u.plain) == Line::Outline {
            removed.push(("outline block (the page gets a table of contents)", u.plain.clone()));
            in_outline = u.plain.ends_with("……") || u.plain.ends_with([':', '：']);
            return false;
        }
        true
    });
}

/// A list of contents (`目录` over lines that come again further down as the headings) and an
/// encyclopedia's infobox (label and value lines in turn, `中文名` / `时间银行互助养老` /
/// `性质` / …, above the text or the contents): the page's furniture, not its text. One pass,
/// with the count of each line made beforehand.
fn drop_contents_and_infobox(units: &mut Vec<Unit>, removed: &mut Vec<(&'static str, String)>) {
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for u in units.iter().filter(|u| u.is_text() || matches!(u.kind, Kind::Heading(_))) {
        *count.entry(u.plain.as_str()).or_default() += 1;
    }
    let is_contents = |u: &Unit| regex!(r"^(目\s*录|目\s*次|(?i:contents))$").is_match(&u.plain);
    let label = |u: &Unit| u.is_text() && regex!(r"^\p{Han}{2,6}$").is_match(&u.plain) && !is_contents(u);
    let value = |u: &Unit| {
        u.is_text()
            && u.plain.chars().count() <= 30
            && !u.plain.contains(['。', '，', '；', '！', '？'])
            && !is_contents(u)
            && !regex!(r"\d{1,2}:\d{2}|\d{4}\s*[-年/.]\s*\d{1,2}").is_match(&u.plain)
    };
    let mut gone = vec![None; units.len()];
    let mut sentence_seen = false;
    let mut i = 0;
    while i < units.len() {
        let u = &units[i];
        if is_contents(u) {
            // Each entry comes again below (as a heading), perhaps with a page number.
            let entries = units[i + 1..]
                .iter()
                .take_while(|e| {
                    (e.is_text() || matches!(e.kind, Kind::Heading(_)))
                        && (count.get(e.plain.as_str()).is_some_and(|&n| n >= 2)
                            || regex!(r"^\S.{0,40}?(\s*[.·…]{2,}\s*|\s+)\d{1,3}$").is_match(&e.plain))
                })
                .count();
            // Or a list whose items, without their numbers (`1 积分规则`), come below.
            let listed = units.get(i + 1).is_some_and(|l| match &l.kind {
                Kind::List { items, .. } => {
                    items.len() >= 2
                        && items.iter().all(|item| {
                            let entry = regex!(r"^[\d.]+\s*").replace(plain_of(item).trim(), "").into_owned();
                            count.contains_key(entry.as_str())
                        })
                }
                _ => false,
            });
            let entries = if entries < 2 && listed { 1 } else { entries };
            if entries >= 2 || listed {
                gone[i..=i + entries]
                    .iter_mut()
                    .for_each(|d| *d = Some("outline block (the page gets a table of contents)"));
                i += entries + 1;
                continue;
            }
        }
        let pairs = (0..)
            .take_while(|k| units.get(i + 2 * k).is_some_and(label) && units.get(i + 2 * k + 1).is_some_and(value));
        let pairs = pairs.count();
        let end = i + 2 * pairs;
        // Four fields or more, each named once.
        let distinct = || {
            let labels: std::collections::HashSet<&str> =
                (i..end).step_by(2).map(|k| units[k].plain.as_str()).collect();
            labels.len() == pairs
        };
        if pairs >= 4 && (!sentence_seen || units.get(end).is_some_and(is_contents)) && distinct() {
            gone[i..end].iter_mut().for_each(|d| *d = Some("infobox (label and value lines)"));
            i = end;
            continue;
        }
        sentence_seen |= u.is_text() && is_sentence(&u.plain);
        i += 1;
    }
    let mut k = 0;
    units.retain(|u| {
        let why = gone[k];
        k += 1;
        if let Some(why) = why {
            removed.push((why, u.plain.clone()));
        }
        why.is_none()
    });
}

fn is_body_start(u: &Unit, calendar: meta::Calendar) -> bool {
    match &u.kind {
        Kind::Heading(level) => *level >= 2,
        Kind::List { .. } | Kind::Table(_) | Kind::Figure { .. } | Kind::Cut => true,
        Kind::Text => {
            let t = u.plain.as_str();
            if matches!(classify(t), Line::Chrome(_) | Line::Outline) || is_end_marker(t) {
                return false;
            }
            // A transcript's first speaker turn (`说话人1　00:00:04`) opens its text.
            if is_timed_turn(t) {
                return true;
            }
            // An agreement's parties (`甲方：…`, `乙方（受托方）：…`) open its text.
            if regex!(r"^[甲乙丙丁]\s*方\s*(?:[（(][^）)]{1,10}[）)])?\s*[:：]\s*\S").is_match(t) {
                return true;
            }
            if is_meta_line(t, calendar) {
                return false;
            }
            is_sentence(t)
                || is_post_sentence(t)
                // A long first sentence may trail off into an ellipsis (`…周五法律咨询……`).
                || (t.chars().count() >= 20 && t.contains('，') && t.ends_with('…'))
                || is_salutation(t)
                || is_lead_in(t)
                || outline_heading(t).is_some_and(|(_, h, _)| h.chars().count() > 3)
        }
    }
}

/// The form of a section label alone on its line: 1 for a short line wholly in bold (`**前言**`,
/// `**1　范围**`), 2 for a field in black brackets (`【办理情况】`).
fn section_label_form(u: &Unit) -> Option<u8> {
    if !u.is_text() || u.plain.contains(['。', '，', '；', '：', ':']) {
        return None;
    }
    if regex!(r"^【\p{Han}{2,8}】$").is_match(&u.plain) {
        return Some(2);
    }
    let bold = u.md.starts_with("**") && u.md.ends_with("**") && !u.md[2..u.md.len() - 2].contains("**");
    (bold && (2..=20).contains(&u.plain.chars().count())).then_some(1)
}

/// One short question alone on its line (`社区社工和居委会有什么区别？`).
fn is_lone_question(t: &str) -> bool {
    (6..=50).contains(&t.chars().count())
        && t.ends_with(['？', '?'])
        && t.matches(['？', '?']).count() == 1
        && !t.contains(['。', '！', '：', ':'])
}

/// Running text that introduces what follows (`为推动…，现摘编部分发言如下：`): a long line with
/// a comma, ending on a colon.
fn is_lead_in(t: &str) -> bool {
    t.chars().count() > 20 && t.contains('，') && t.ends_with(['：', ':']) && !meta::starts_with_label(t)
}

/// A metadata line: labelled fields, or a date with a few words around it.
fn is_meta_line(t: &str, calendar: meta::Calendar) -> bool {
    let folded = meta::simplified(t);
    let t = folded.as_str();
    if t.contains('。') || t.chars().count() > 160 {
        return false;
    }
    if meta::starts_with_label(t) || t.starts_with("原创") || labelled_fields(t) >= 2 {
        return true;
    }
    if !meta::fields(t).is_empty() && !is_sentence(t) {
        return true;
    }
    !meta::dates(t, calendar).is_empty() && meta::without_dates(t, calendar).chars().count() <= 40
}

/// How many `label：value` fields a line holds, whatever the labels (`文档格式：docx　文档页数：6页`):
/// short labels after the line's start, a bar or a space.
fn labelled_fields(t: &str) -> usize {
    if t.contains(['。', '，']) {
        return 0;
    }
    regex!(r"(?:^|[\s|｜])\p{Han}{2,6}\s*[:：]\s*\S").find_iter(t).count()
}

/// Reads the lines above the article: picks the title, reads metadata lines, records the rest
/// as removed. Returns the title line and a subtitle.
fn read_header(
    header: &[Unit],
    doc: &Document,
    found: &mut Found,
    removed: &mut Vec<(&'static str, String)>,
) -> (Option<String>, Option<String>) {
    let calendar = found.calendar;
    let hinted = hint(doc, MetaKey::Title).map(|h| meta::strip_site_parts(&meta::without_subject_label(&h)));
    let mut title: Option<(usize, String)> = None;
    let mut subtitle = None;
    let mut candidates: Vec<(usize, &str)> = Vec::new();
    let mut short_lines: Vec<(usize, String)> = Vec::new();
    // A page titled with its site's name only (`<title>某某社区</title>`) over an article whose
    // title begins with that name: the hint names the site, not the article.
    let hint_is_site = hinted.as_ref().is_some_and(|h| {
        header.iter().any(|v| v.is_text() && v.plain.len() > h.len() + 6 && v.plain.starts_with(h.as_str()))
    });
    let in_field_block = field_blocks(header);
    let in_menu = menu_runs(header);
    for (i, u) in header.iter().enumerate() {
        let t = u.plain.as_str();
        // `某社区居民委员会主办`: the publisher.
        if let Some(c) = regex!(r"^(.{4,30}?)\s*主办$").captures(t)
            && is_organization(&c[1])
        {
            // A masthead on the same line (`桂川志愿　桂川区志愿服务联合会主办`): the unit is the
            // last part, when that part alone is an organisation and the parts before are not.
            let parts: Vec<&str> = c[1].split_whitespace().collect();
            let unit = match parts.split_last() {
                Some((last, before))
                    if !before.is_empty() && is_organization(last) && !before.iter().any(|p| is_organization(p)) =>
                {
                    last.to_string()
                }
                _ => c[1].to_string(),
            };
            found.sources.push((2, unit));
            continue;
        }
        // A bulletin's masthead and issue line, a document number: never the title or the source.
        if meta::is_masthead(t) && !t.ends_with("文件") || is_doc_number(t) {
            continue;
        }
        // A paper's name over its issue line (`桐湾社区报` / `第12期（总第58期）`) is its masthead.
        let issue_next = header.get(i + 1).is_some_and(|n| {
            n.is_text() && regex!(r"第\s*\d+\s*期").is_match(&n.plain) && n.plain.chars().count() <= 40
        });
        if matches!(u.kind, Kind::Text | Kind::Heading(_))
            && issue_next
            && t.chars().count() <= 16
            && !t.contains(['，', '。'])
        {
            continue;
        }
        // A masthead band's notice (`内部资料　免费交流`, `注意保存`): never the title.
        if regex!(r"^内部(资料|交流|刊物)|注意保存|免费(交流|赠阅)$|请勿外传").is_match(t) && t.chars().count() <= 20
        {
            continue;
        }
        if let Kind::Heading(1) = u.kind {
            if title.is_none() && !meta::is_page_heading(t) && !(hint_is_site && hinted.as_deref() == Some(t)) {
                title = Some((i, t.to_string()));
            }
            continue;
        }
        if !u.is_text() {
            continue;
        }
        if t.starts_with("——") || t.starts_with("—— ") || t.starts_with("－－") {
            if subtitle.is_none() {
                subtitle = Some(t.to_string());
            }
            found.read_occasion(t);
            continue;
        }
        // A WeChat repost: `以下文章来源于<账号>，作者<名>` names the source and the author.
        if let Some(c) = regex!(r"^以下文章来源于\s*([^，,\s]+)(?:\s*[，,]\s*作者\s*(\S+))?").captures(t) {
            // The original account outranks the one reposting it (`原创 <账号> 2025年…`).
            found.sources.push((0, c[1].to_string()));
            if let Some(a) = c.get(2) {
                found.authors.push(a.as_str().to_string());
            }
            continue;
        }
        // A blog's or a personal space's name (`某某的博客`, `某某的空间　[主页]　[日志]`): the
        // blog publishes the post, its owner writes it.
        if let Some(c) =
            regex!(r"^((\S{2,12}?)的(博客|博客空间|空间|个人空间|个人主页|微博))(?:[\s\u{3000}]|$)").captures(t)
        {
            found.sources.push((4, c[1].to_string()));
            found.speakers.push((3, c[2].to_string()));
            continue;
        }
        // A web system's header bar (`…管理系统　当前用户：某某　[退出]`) frames the screen.
        if regex!(r"当前用户\s*[:：]|[\[【]\s*(退出|注销|退出登录|安全退出)\s*[\]】]").is_match(t) {
            found.context.push_str(t);
            continue;
        }
        // A name over a follow button (`某某社工` / `关注`) is the account posting: a person is
        // the author, anything else the source; never the title.
        if header.get(i + 1).is_some_and(|n| n.is_text() && is_follow_button(&n.plain))
            && (2..=16).contains(&t.chars().count())
            && !t.contains(['，', '。', '：', ':', ' ', '\u{3000}', '/', '／', '|', '｜'])
            // A bio between the author's name and the button (`某某` / `做了十年规划` / `+ 关注`).
            // (A name in a menu copied one item per line is not an author: the item above it is short too.)
            && !(i > 0
                && header[i - 1].is_text()
                && meta::byline_name(&header[i - 1].plain).is_some()
                && (i < 2 || header[i - 2].plain.chars().count() > 8))
        {
            match meta::byline_name(t) {
                Some(name) => found.authors.push(name),
                None => found.sources.push((3, t.to_string())),
            }
            continue;
        }
        if read_signed_author(t, found) {
            continue;
        }
        if let Some(who) = lecturer(t) {
            found.speakers.push((1, who));
            continue;
        }
        // A unit that compiles or hosts a bulletin, among the masthead's fields
        // (`第18期　2025年11月25日　某某协会编`, `某社区报　某某街道工委主办`).
        for part in t.split([' ', '\u{3000}', '|', '｜']).map(str::trim) {
            if let Some(c) = regex!(r"^(.{4,30}?)(编印|编|主办|印发)$").captures(part)
                && is_organization(&c[1])
            {
                found.sources.push((2, c[1].to_string()));
            }
        }
        // A red-head masthead (`中共XX委社会工作部文件`) names the issuing organisation.
        if let Some(c) = regex!(r"^(.{4,30}?)\s*文件$").captures(t)
            && is_organization(&c[1])
        {
            found.sources.push((1, c[1].to_string()));
            continue;
        }
        if let Some(outlet) = outlet_of_reporter_line(t) {
            found.sources.push((3, outlet));
            continue;
        }
        // `界澜新闻记者 | 许砚`: the reporter's outlet, not a speaker.
        if let Some(c) = regex!(r"^(\p{Han}{2,16}?)(记者|编辑)\s*[|｜:：]\s*\p{Han}{2,4}$").captures(t) {
            if &c[2] == "记者" {
                found.sources.push((4, c[1].to_string()));
            }
            continue;
        }
        // A forum post's header (`楼主　发表于 2025-08-21 21:14`): the poster's nickname on the
        // line above is no account publishing the page.
        if regex!(r"^(楼主|樓主)|发表于\s*\d{4}|發表於\s*\d{4}").is_match(t) {
            short_lines.retain(|(j, _)| j + 1 != i);
        }
        // An interview's guest line (`访谈嘉宾：某某局局长　某某`) is a record field (its speaker is
        // read by `read_record_fields`), not a metadata line.
        if regex!(r"^(访谈|在线访谈|做客|本期)?嘉宾\s*[:：]").is_match(t) {
            continue;
        }
        // A report's title carrying its day in brackets (`某街道网格工作日报（2025年11月26日）`)
        // is a title, not a metadata line; its day is read too.
        // So is a report titled by its period (`周报（2025.11.17—2025.11.21）`).
        let dated_title = regex!(r"^([^：:（(]{2,})[（(]([^（()）]{6,30})[)）]$").captures(t).is_some_and(|c| {
            !meta::dates(&c[2], calendar).is_empty()
                && meta::without_dates(&c[2], calendar).trim_matches(['—', '－', '-', '~', '～', '至', ' ']).is_empty()
                && !is_organization(&c[1])
        });
        if is_meta_line(t, calendar) && !dated_title || is_reprint_line(t) {
            found.read_line(t, true);
            continue;
        }
        if dated_title {
            found.read_line(t, true);
        }
        if is_labelled_code(t) {
            continue;
        }
        if role_and_name(t).is_some() {
            continue;
        }
        match classify(t) {
            Line::Chrome(_) => {
                found.context.push_str(t);
                found.read_owner(t);
                continue;
            }
            Line::Cut { .. } | Line::Outline => continue,
            Line::Text => {}
        }
        // A note wholly in brackets (`（2025年8月28日…会议通过　…批准）`, `（征求意见稿）`)
        // annotates the title above it, a bracketed label (`【诉求内容】`) names a part of a
        // record, a line among a block of fields is a field: never the title.
        if regex!(r"^[（(].*[)）]$|^【[^】]{1,12}】$").is_match(t) || in_field_block[i] || in_menu[i] {
            continue;
        }
        if let Some(name) = meta::byline_name(t) {
            // A column label repeating a word of the navigation bar above (`首页 | 民生 | 评论`
            // then `民生`) names the column, not the author.
            let in_navigation = header[..i].iter().any(|p| {
                p.plain != t && p.plain.split(|c: char| c.is_whitespace() || "|｜>＞/／·".contains(c)).any(|w| w == t)
            });
            if !in_navigation {
                found.authors.push(name);
            }
            continue;
        }
        if meta::is_site_name(t) || short_account(t).is_some() {
            short_lines.push((i, t.to_string()));
        }
        if meta::is_site_name(t)
            || is_end_marker(t)
            || t.ends_with(['：', ':'])
            || t.chars().count() < 4
            || meta::is_page_heading(t)
            || meta::is_field_line(t)
        {
            continue;
        }
        if let Some(h) = &hinted
            && meta::strip_site_parts(t) == *h
            && !hint_is_site
        {
            title.get_or_insert((i, t.to_string()));
        }
        candidates.push((i, t));
    }
    // A book's or yearbook's name over its publishing fields (`编纂单位：…`, `出版：…`, `页码：…`),
    // with the entry's own title below them: the name is the publication's, not the title.
    let published = |i: usize| {
        header.get(i + 1).is_some_and(|n| {
            n.is_text()
                && regex!(r"^(编纂|编纂单位|主编|编者|出版|出版社|出版单位|出版时间|页码|ISBN|卷|卷次)\s*[:：]")
                    .is_match(&n.plain)
        })
    };
    if let Some(p) = candidates.iter().position(|(i, _)| published(*i))
        && let Some(&(i, t)) = candidates.get(p + 1)
    {
        title.get_or_insert((i, t.to_string()));
    }
    if title.is_none() {
        title = candidates
            .iter()
            .filter(|(_, t)| !t.contains('。') && t.chars().count() <= 120)
            .max_by_key(|(i, t)| (meta::strip_site_parts(t).chars().count(), std::cmp::Reverse(*i)))
            .map(|(i, t)| (*i, t.to_string()));
    }
    // A title wrapped over two lines (`关于印发《…` + `…》的通知`).
    let mut joined = None;
    if let Some((at, t)) = &mut title
        && let Some(next) = header.get(*at + 1).filter(|u| u.is_text())
        && next.plain.chars().count() <= 30
        && !is_meta_line(&next.plain, calendar)
        && (t.matches('《').count() > t.matches('》').count()
            || regex!(r"^\S{0,24}的(通知|意见|决定|报告|批复|函|通报|请示|方案|办法)$").is_match(&next.plain))
    {
        t.push_str(&next.plain);
        joined = Some(*at + 1);
    }
    // A byline right under the title (`<职务> <姓名>`, a name alone, `作者：…`, `文/…`) names
    // the speaker or author: the role when it is given, else the name.
    // A bare name under a news title is the reporter's byline, so it counts only under the
    // title of a speech, a statement or an essay, or when the line says it is a byline.
    if let Some((at, t)) = &title {
        let spoken = regex!(r"讲话|发言|致辞|研讨|交流|报告|体会|心得|感悟|思考|党课|评论|时评")
            .is_match(&format!("{t} {}", subtitle.as_deref().unwrap_or("")));
        // Below the title, or below its repeat (a document-sharing page prints it twice).
        let repeat = header.iter().rposition(|u| u.is_text() && u.plain == *t).filter(|r| r > at);
        let from = repeat.or(joined).unwrap_or(*at) + 1;
        let below = header.iter().skip(from).filter(|u| u.is_text()).take(2);
        for u in below {
            let l = u.plain.as_str();
            if classify(l) != Line::Text {
                continue;
            }
            if let Some(who) = role_and_name(l) {
                found.speakers.push((1, who));
                break;
            }
            // A name with the author's affiliation under it (`（某研究会，浙江青禾　314000）`).
            let affiliated = header.iter().skip_while(|v| !std::ptr::eq(*v, u)).nth(1).is_some_and(|v| {
                v.is_text() && regex!(r"^[（(].{4,60}[)）]$").is_match(&v.plain) && !is_meta_line(&v.plain, calendar)
            });
            let marked = affiliated || regex!(r"^(作者|撰稿|执笔|文)\s*[:：/／|｜]|同志$").is_match(l);
            if let Some(name) = meta::byline_name(l).filter(|_| spoken || marked) {
                found.speakers.push((1, name));
                break;
            }
        }
    }
    if let Some(sub) = &subtitle
        && meta::role(sub).is_none()
        && let Some(c) = regex!(r"^[—－]+\s*(\p{Han}{2,4}?)(同志)?在").captures(sub)
        && meta::is_person_name(&c[1])
    {
        found.speakers.push((1, c[1].to_string()));
    }
    // An answer's author on a Q&A page: a name over a line of votes (`236 人赞同了该回答`),
    // perhaps with a one-line bio between them. A signed piece: the name is the speaker.
    for (i, u) in header.iter().enumerate() {
        let votes = header[i + 1..]
            .iter()
            .take(3)
            .position(|v| v.is_text() && classify(&v.plain) == Line::Chrome("vote or answer count"));
        if let Some(k) = votes
            && u.is_text()
            && meta::is_person_name(&u.plain)
        {
            found.speakers.push((1, u.plain.clone()));
            // The bio between the name and the votes is no account name.
            short_lines.retain(|(j, _)| !(i..=i + 1 + k).contains(j));
        }
    }
    // A short name alone on the page's first line, above the title, is the site's name: the
    // source when nothing better says so.
    if let Some((at, _)) = &title
        && let Some((first, u)) = header.iter().enumerate().find(|(_, u)| u.is_text())
        && first < *at
        && (2..=8).contains(&u.plain.chars().count())
        && u.plain.chars().all(is_han)
        && !meta::is_masthead(&u.plain)
        // A document-sharing site or a platform publishes others' texts: never their source.
        && !regex!(r"文库|文庫|文档|文檔|范文|资料|题库|首页|平台|网盘").is_match(&u.plain)
    {
        found.sources.push((9, u.plain.clone()));
    }
    // A name standing alone under the title is the account or paper that published it.
    if let Some((at, _)) = &title {
        for (_, name) in short_lines.iter().filter(|(i, _)| i > at) {
            found.sources.push((5, name.clone()));
        }
    }
    for (i, u) in header.iter().enumerate() {
        if title.as_ref().is_some_and(|(at, _)| *at == i) || joined == Some(i) {
            removed.push(("title (moved to front matter)", u.plain.clone()));
        } else if !u.plain.is_empty() && !is_doc_number(&u.plain) {
            let why = if is_meta_line(&u.plain, calendar) {
                "metadata line (read into front matter)"
            } else {
                "above the article (site chrome)"
            };
            removed.push((why, u.plain.clone()));
        }
    }
    (title.map(|(_, t)| t), subtitle)
}

/// Which lines stand in a run of three or more very short lines (`首页` / `视频` / `搜索`): a
/// menu copied one item per line, never a title.
fn menu_runs(units: &[Unit]) -> Vec<bool> {
    let item = |u: &Unit| {
        u.is_text()
            && (1..=6).contains(&u.plain.chars().count())
            && !u.plain.contains(['，', '。', '：', ':', '！', '？'])
    };
    let mut out = vec![false; units.len()];
    let mut start = 0;
    for i in 0..=units.len() {
        if i == units.len() || !item(&units[i]) {
            if i - start >= 3 {
                out[start..i].iter_mut().for_each(|b| *b = true);
            }
            start = i + 1;
        }
    }
    out
}

/// A follow button under an account's or an author's name (`关注`, `+ 关注他`, `已关注`).
fn is_follow_button(t: &str) -> bool {
    regex!(r"^[+＋]?\s*(关注|已关注|加关注|\+关注|关注他|关注她|关注TA|订阅)$").is_match(t.trim())
}

/// Which lines stand in a block of three or more `label：value` lines (`效力级别：…`,
/// `时效性：…`, `发布部门：…`): a database's or a record's fields, whatever their labels. A
/// line of chrome (`当前位置：首页 > …`) neither counts nor breaks a block, so a colon title
/// between a breadcrumb and its metadata line stays a title.
fn field_blocks(units: &[Unit]) -> Vec<bool> {
    let is_field = |u: &Unit| {
        let t = u.plain.trim_start();
        u.is_text() && meta::record_fields(t).first().is_some_and(|(label, _)| t.starts_with(label.as_str()))
    };
    let mut out = vec![false; units.len()];
    let mut block: Vec<usize> = Vec::new();
    for i in 0..=units.len() {
        if i < units.len() && units[i].is_text() && matches!(classify(&units[i].plain), Line::Chrome(_)) {
            continue;
        }
        if i < units.len() && is_field(&units[i]) {
            block.push(i);
            continue;
        }
        if block.len() >= 3 {
            block.iter().for_each(|&j| out[j] = true);
        }
        block.clear();
    }
    out
}

/// A signed author with the unit (`文／协会秘书处　杜可`, `作者：某某中心　王某`): the name speaks
/// for a signed piece; the unit is the source when nothing better says so. The rest of the line
/// (`…　2025-10-30　浏览 412`) is read as a metadata line. Returns whether the line was one.
fn read_signed_author(t: &str, found: &mut Found) -> bool {
    let Some(c) =
        regex!(r"^(文|作者|撰文|撰稿|执笔)\s*[/／|｜:：]\s*(\S{2,24}?)[\s\u{3000}]+(\p{Han}{2,4})(?:[\s\u{3000}]+|$)")
            .captures(t)
    else {
        return false;
    };
    if !meta::is_person_name(&c[3]) || is_reporter(&c[2]) {
        return false;
    }
    found.speakers.push((1, c[3].to_string()));
    if c[2].chars().count() >= 4 && c[2].chars().all(is_han) {
        found.sources.push((5, c[2].to_string()));
    }
    let rest = t[c.get(0).map_or(t.len(), |m| m.end())..].trim();
    if !rest.is_empty() && is_meta_line(rest, found.calendar) {
        found.read_line(rest, true);
    }
    true
}

/// A document number (`X社工发〔2024〕12号`): never the title or the source.
fn is_doc_number(t: &str) -> bool {
    regex!(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号").is_match(t) && t.chars().count() <= 30
}

/// A line `<职务> <姓名>` (`区委社会工作部部长 林某某`): the role, as the speaker.
fn role_and_name(t: &str) -> Option<String> {
    let c = regex!(r"^(\S.{1,30}?)[\s\u{3000}]+(\p{Han}{2,4})$").captures(t)?;
    if !meta::is_person_name(&c[2]) || t.contains(['，', '。']) {
        return None;
    }
    meta::role(&c[1]).filter(|r| c[1].trim().ends_with(r.as_str()))
}

/// An organisation as the source: a compiler's `编` suffix removed, never a document number.
fn source_name(s: String) -> Option<String> {
    if s.is_empty() || is_doc_number(&s) {
        return None;
    }
    match s.strip_suffix('编') {
        Some(org) if is_organization(org) => Some(org.to_string()),
        // `宁川日报记者`, `澄川融媒体中心讯`: the outlet.
        // `讯` ends a dateline only after an outlet (`某某报讯`); in `公益时讯` it is the name.
        _ => match regex!(r"^(\p{Han}{2,20}?)(记者|通讯员|讯)$").captures(&s) {
            Some(c)
                if &c[2] != "讯"
                    || is_organization(&c[1])
                    || regex!(r"(报|社|网|台|中心|站|部|局|刊)$").is_match(&c[1]) =>
            {
                Some(c[1].to_string())
            }
            _ => Some(s),
        },
    }
}

/// Lines standing around the article that are not part of it: a WeChat repost's account name
/// and blurb under `以下文章来源于…`, and the running headers of a PDF copy (a short line that
/// repeats, in a text with page numbers).
fn drop_reposts_and_running_headers(
    units: &mut Vec<Unit>,
    removed: &mut Vec<(&'static str, String)>,
    calendar: meta::Calendar,
) {
    if let Some(k) = units.iter().take(12).position(|u| u.is_text() && u.plain.starts_with("以下文章来源于")) {
        let account = regex!(r"^以下文章来源于\s*([^，,\s]+)").captures(&units[k].plain).map(|c| c[1].to_string());
        if let Some(a) = account
            && units.get(k + 1).is_some_and(|u| {
                u.is_text() && u.plain.trim_end_matches(|c: char| c.is_ascii_punctuation() || "。．·".contains(c)) == a
            })
        {
            removed.push(("repost account", units.remove(k + 1).plain));
            if let Some(u) = units.get(k + 1)
                && u.is_text()
                && u.plain.chars().count() <= 80
                && !is_meta_line(&u.plain, calendar)
                && meta::dates(&u.plain, calendar).is_empty()
            {
                removed.push(("repost account blurb", units.remove(k + 1).plain));
            }
        }
    }
    if !units.iter().any(|u| u.is_text() && is_page_number(&u.plain)) {
        return;
    }
    let short = |t: &str| {
        (4..=40).contains(&t.chars().count())
            && !t.contains(['。', '，', '；'])
            && outline_heading(t).is_none()
            && meta::dates(t, calendar).is_empty()
    };
    // A running header stands on several pages: a page counter lies between its first and its
    // last appearance (or right under the last one). A title printed twice above the text (a
    // document-sharing page) is no running header.
    let mut pages_before = Vec::with_capacity(units.len());
    let mut pages = 0usize;
    for u in units.iter() {
        pages_before.push(pages);
        if u.is_text() && is_page_number(&u.plain) {
            pages += 1;
        }
    }
    let mut seen: std::collections::HashMap<String, (usize, usize)> = std::collections::HashMap::new();
    for (i, u) in units.iter().enumerate().filter(|(_, u)| u.is_text() && short(&u.plain)) {
        seen.entry(u.plain.clone()).and_modify(|(_, last)| *last = i).or_insert((i, i));
    }
    // (A running footer stands right above the page counter.)
    let pages_to = |i: usize| pages_before.get(i + 2).copied().unwrap_or(pages);
    let repeats =
        |t: &str| seen.get(t).is_some_and(|&(first, last)| first != last && pages_to(last) > pages_before[first]);
    let mut i = 0;
    units.retain(|u| {
        i += 1;
        if i > 1 && u.is_text() && repeats(&u.plain) {
            removed.push(("running header", u.plain.clone()));
            return false;
        }
        true
    });
}

/// A short line that can only be an account or author name (`临川融媒`): a few Han characters,
/// no punctuation. It becomes the source only if nothing better says so.
fn short_account(t: &str) -> Option<String> {
    let n = t.chars().count();
    ((4..=8).contains(&n) && t.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric())).then(|| t.to_string())
}

/// Drops chrome inside the article, marks cuts, removes running headers and page numbers of
/// PDF copies and metadata lines, and repeats of the title.
fn clean_body(units: Vec<Unit>, title: &str, found: &mut Found, d: &mut Draft) -> Vec<Unit> {
    let calendar = found.calendar;
    let mut out: Vec<Unit> = Vec::new();
    let mut after_page_break = 0usize;
    let mut continues = false;
    let mut texts_seen = 0usize;
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    // A post's section numbers (`01`, `02`, … alone on their lines, each over a short title):
    // markers of its sections, not page numbers; the titles under them stay.
    let is_number = |u: &Unit| u.is_text() && regex!(r"^0[1-9]$").is_match(&u.plain);
    let over_title = |k: usize| {
        units.get(k + 1).is_some_and(|n| {
            n.is_text() && (2..=24).contains(&n.plain.chars().count()) && !n.plain.contains(['。', '，', '；'])
        })
    };
    let numbered: Vec<bool> = (0..units.len()).map(|k| is_number(&units[k]) && over_title(k)).collect();
    let numbered = if numbered.iter().filter(|&&b| b).count() >= 2 { numbered } else { vec![false; units.len()] };
    for (k, mut u) in units.into_iter().enumerate() {
        if numbered[k] {
            d.removed.push(("section number", u.plain));
            continue;
        }
        // The page's `<h1>` again as the article's first heading: the title, already above.
        if matches!(u.kind, Kind::Heading(_))
            && !title.is_empty()
            && (squeeze(&u.plain) == squeeze(title) || meta::strip_site_parts(&u.plain) == title)
        {
            d.removed.push(("repeated title", u.plain));
            continue;
        }
        if !u.is_text() {
            out.push(u);
            after_page_break = 0;
            continue;
        }
        let t = u.plain.clone();
        texts_seen += 1;
        if texts_seen <= 3 && t.starts_with(['—', '－']) {
            found.read_occasion(&t);
        }
        if texts_seen <= 3 && read_signed_author(&t, found) {
            d.removed.push(("byline (moved to speaker)", t));
            continue;
        }
        // The article's own date line just under the header (`松岭民生 2024年02月27日 08:15`).
        // A line the source wrapped (`2025年9月8日至…，请各组` after `…中心决定于`) continues a
        // sentence: it is no date line, whatever it starts with.
        let continued = u.soft && out.last().is_some_and(|p| p.is_text() && !ends_sentence(&p.plain));
        if texts_seen <= 3
            && !continued
            && is_meta_line(&t, calendar)
            && !meta::dates(&t, calendar).is_empty()
            && !is_sentence(&t)
        {
            found.read_line(&t, true);
            d.removed.push(("metadata line (read into front matter)", t));
            continue;
        }
        if is_page_number(&t) || is_page_footer(&t) {
            d.removed.push(("page number", t));
            after_page_break = 2;
            continues = true;
            continue;
        }
        if after_page_break > 0 && is_download_prompt(&t) && truncation_at(&t).is_none() {
            d.removed.push(("page-break prompt (download, membership)", t));
            continue;
        }
        if after_page_break > 0 {
            after_page_break -= 1;
            let signature = meta::is_date_only(&t, calendar) || is_organization(&t);
            if t.chars().count() <= 40 && !t.contains(['。', '，', '；']) && outline_heading(&t).is_none() && !signature
            {
                d.removed.push(("running header", t));
                continue;
            }
        }
        after_page_break = 0;
        if continues {
            u.soft = true;
            continues = false;
        }
        let stopped = out.last().is_some_and(|p| p.is_text() && !ends_sentence(&p.plain));
        let line = if is_pager_before_last(&t) || (stopped && is_read_more(&t)) {
            Line::Cut { keep: String::new() }
        } else {
            classify(&t)
        };
        match line {
            Line::Chrome(why) => {
                if why == "publication line" {
                    found.read_line(&t, true);
                }
                found.read_owner(&t);
                found.read_footer_date(&t);
                found.read_url(&t);
                found.read_web_version(&u.md);
                d.removed.push((why, t));
                continue;
            }
            Line::Outline => continue,
            Line::Cut { keep } => {
                d.removed.push(("truncation or preview notice", t[keep.len()..].trim().to_string()));
                if !keep.trim_end_matches(['…', '.', ' ']).is_empty() {
                    let kept =
                        u.md.find(t[keep.len()..].trim()).map_or(escape_markdown(&keep), |i| u.md[..i].to_string());
                    let kept = kept.trim_end_matches(['…', '.', ' ', '（', '(']).to_string();
                    out.push(Unit::text(kept, u.soft));
                }
                // An ellipsis just before a cut belongs to the site's notice, not to the text.
                if let Some(p) = out.last_mut().filter(|p| p.is_text()) {
                    let trimmed = p.md.trim_end_matches(['…', '.', ' ', '\u{3000}']).len();
                    p.md.truncate(trimmed);
                    p.plain = plain_of(&p.md);
                }
                if out.last().is_none_or(|p| p.kind != Kind::Cut) {
                    out.push(Unit {
                        md: String::new(),
                        plain: String::new(),
                        kind: Kind::Cut,
                        soft: false,
                        run_in: false,
                    });
                }
                continue;
            }
            Line::Text => {}
        }
        // A hotline under the article's own contact line (`救助热线：…` then `民政服务热线：12349`)
        // is part of the article's list of numbers, not the page's service strip.
        let in_contacts = out.last().is_some_and(|p| {
            p.is_text()
                && p.plain.chars().count() <= 40
                && regex!(r"^\p{Han}{2,10}(热线|电话)\s*[:：]\s*[\d(（]").is_match(&p.plain)
        }) && regex!(r"^\p{Han}{0,8}热线\s*[:：]\s*[\d\s-]+$").is_match(&t);
        if is_service_strip(&t) && !in_contacts {
            d.removed.push(("service line (hotline, call for contributions)", t));
            continue;
        }
        if let Some(unit) = submitted_by(&t) {
            found.sources.push((2, unit));
            d.removed.push(("submission line (read into front matter)", t));
            continue;
        }
        if meta::is_masthead(&t) && regex!(r"第\s*\d+\s*期").is_match(&t) {
            d.removed.push(("masthead (running header)", t));
            continue;
        }
        if !title.is_empty() && (t == title || meta::strip_site_parts(&t) == title) {
            d.removed.push(("repeated title", t));
            continue;
        }
        if meta::starts_with_label(&t) && !t.contains('。') && t.chars().count() <= 80 && !t.starts_with(['（', '('])
        {
            found.read_line(&t, false);
            d.removed.push(("metadata line (read into front matter)", t));
            continue;
        }
        if t.starts_with(['（', '(']) {
            for (label, v) in meta::fields(&t) {
                if label == "作者" {
                    let name = v.split(['，', ',']).next().unwrap_or("").to_string();
                    if meta::is_person_name(&name) {
                        found.authors.push(name);
                    }
                }
            }
        }
        out.push(u);
    }
    // Short site-name lines at the end (社区文化网).
    while let Some(last) = out.iter().rposition(|u| u.kind != Kind::Cut) {
        let u = &out[last];
        if u.is_text() && u.plain.chars().count() <= 12 && !ends_sentence(&u.plain) && meta::is_site_name(&u.plain) {
            d.removed.push(("site name", u.plain.clone()));
            out.remove(last);
        } else {
            break;
        }
    }
    out
}

/// The sender's organisation in an e-mail's signature, under the `--` line that opens it
/// (`桐溪社会工作服务中心　督导部`): the source when nothing better says so.
fn email_signature(units: &[Unit], found: &mut Found) {
    let Some(at) = units.iter().rposition(|u| u.is_text() && matches!(u.plain.trim(), "--" | "——" | "__")) else {
        return;
    };
    for u in units[at + 1..].iter().filter(|u| u.is_text()).take(3) {
        if let Some(unit) = u.plain.split([' ', '\u{3000}', '|', '｜', '·']).map(str::trim).find(|p| is_institution(p))
        {
            found.sources.push((6, unit.to_string()));
            return;
        }
    }
}

/// A note introducing a lecture or a speech (`编者按：10月21日，…主任林某教授作题为《…》的讲座`):
/// the lecturer's role is the speaker, the day is the text's own date.
fn lecture_note(body: &[Unit], found: &mut Found) {
    for u in body.iter().filter(|u| u.is_text()).take(3) {
        let t = u.plain.as_str();
        if !regex!(r"讲座|党课|报告会|辅导报告|专题报告|授课|讲课|宣讲|讲话").is_match(t) {
            continue;
        }
        let Some(c) = regex!(
            r"(?:^|[，。；：])([^，。；：、“”《》]{2,40}?)(\p{Han}{2,3}?)(?:教授|副教授|研究员|副研究员|博士|老师|同志|先生|女士)?(?:应邀)?(?:作|做|进行|主讲|讲授)了?(?:题为|以|一场|一次|专题)"
        )
        .captures(t) else {
            continue;
        };
        let Some(role) = meta::role(&c[1]).filter(|r| c[1].trim().ends_with(r.as_str())) else { continue };
        if !meta::is_person_name(&c[2]) {
            continue;
        }
        found.speakers.push((1, role));
        if let Some(d) =
            regex!(r"^(?:编者按|编者的话|编者|按)?\s*[:：]?\s*(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
                .captures(&meta::ascii_digits(t))
        {
            let num = |i: usize| d.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            if let (Some(m), Some(day)) = (num(2), num(3)) {
                found.event_day = Some((num(1), m, day));
            }
        }
        return;
    }
}

/// The day of a lecture as a date: its own year, else the year of the publication date on or
/// before which it was given.
fn event_date(year: Option<u32>, month: u32, day: u32, published: Option<&str>) -> Option<String> {
    let year = match year {
        Some(y) => y,
        None => {
            let p = published?;
            let (py, rest) = p.split_once('-')?;
            let py: u32 = py.parse().ok()?;
            let (pm, pd) = rest.split_once('-')?;
            let (pm, pd): (u32, u32) = (pm.parse().ok()?, pd.parse().ok()?);
            if (month, day) > (pm, pd) { py.checked_sub(1)? } else { py }
        }
    };
    let iso = format!("{year:04}-{month:02}-{day:02}");
    crate::content::Date::parse(&iso).map(|_| iso)
}

/// The source as a curator names it: an office of an institution (`来源：科研处`) widened to the
/// institution owning the site, an abbreviation (`县残联`, `区民政局调研组`) to the full name
/// another line of the page gives (`岙县残疾人联合会`, the 落款 `桐溪区民政局调研组`).
fn widened_source<'a>(source: String, names: impl Iterator<Item = &'a String>, owners: &[String]) -> String {
    let folded = meta::simplified(&source);
    // A contraction (`县残联` of `岙县残疾人联合会`), or a unit named from its level without
    // its place (`区民政局调研组` of `桐溪区民政局调研组`). A unit inside a longer name
    // (`社会与公共管理学院` of `江澜大学社会与公共管理学院`) is a name of its own.
    let abbreviates = |full: &str| {
        let full = meta::simplified(full);
        if full.chars().count() <= folded.chars().count() || full.contains(['，', '。']) {
            return false;
        }
        if full.contains(folded.as_str()) {
            return regex!(r"^(省|市|区|县|州|镇|乡|街道)").is_match(&folded)
                && full.ends_with(folded.as_str())
                && regex!(r"\p{Han}{2}$").is_match(&full[..full.len() - folded.len()]);
        }
        let mut chars = full.chars();
        folded.chars().all(|c| chars.any(|f| f == c))
    };
    if let Some(full) = names
        .filter(|n| is_institution(n) || n.chars().all(is_han))
        .find(|n| !meta::is_site_name(&source) && abbreviates(n))
    {
        return full.clone();
    }
    let office = folded.chars().count() <= 6
        && regex!(r"(处|科|室|办公室|股|办|部|组|团委)$").is_match(&folded)
        && !regex!(r"[省市区县州镇乡村国]|街道|中共").is_match(&folded);
    match owners.first() {
        Some(owner) if office => owner.clone(),
        _ => source,
    }
}

/// The Chinese part of a bilingual name (`Lamwan Family Service Association 嵐灣家庭服務協會`).
fn chinese_part(name: &str) -> String {
    let latin_words = name.split_whitespace().filter(|w| w.chars().all(|c| c.is_ascii_alphabetic())).count();
    if latin_words < 2 {
        return name.to_string();
    }
    name.split_whitespace().filter(|w| w.chars().any(is_han)).collect::<Vec<_>>().join(" ")
}

/// A news dateline opening the article names the outlet that reports it: `XX融媒体中心讯`,
/// `XX日报讯（记者 张三）`, `XX日报记者 张三报道`. The outlet is the source (after an explicit
/// `来源`); the reporters named there are not speakers.
fn dateline(body: &[Unit], found: &mut Found) {
    for u in body.iter().filter(|u| u.is_text()).take(2) {
        let c = regex!(
            r"^[【\[]?(\p{Han}{2,20}?(?:融媒体中心|融媒中心|新闻中心|日报|晚报|早报|时报|报社|电视台|广播电视台|广电|新闻网|报))(?:讯|记者)"
        )
        .captures(&u.plain);
        if let Some(c) = c.filter(|c| !c[1].starts_with("本报")) {
            found.sources.push((3, c[1].to_string()));
            return;
        }
    }
}

/// A byline in brackets at the very end: `…上。(杨会明)` names the author.
fn byline_at_end(body: &mut [Unit], found: &mut Found, removed: &mut Vec<(&'static str, String)>) {
    let Some(last) = body.iter_mut().rev().find(|u| u.is_text()) else { return };
    let Some(c) = regex!(r"[（(]\s*(\p{Han}{2,4})\s*[)）]\s*$").captures(&last.plain) else { return };
    let (name, whole) = (c[1].to_string(), c[0].to_string());
    if !meta::is_person_name(&name) || last.plain.trim() == whole.trim() {
        return;
    }
    let Some(at) = last.md.rfind(['（', '(']) else { return };
    removed.push(("byline (moved to speaker)", whole));
    last.md.truncate(at);
    last.plain = plain_of(&last.md);
    let speaker = match Found::best(&found.speakers) {
        Some(s) if !s.contains(&name) => format!("{s} {name}"),
        Some(s) => s,
        None => name,
    };
    found.speakers.push((0, speaker));
}

/// How a source measured its lines when it wrapped them: in columns (a Han character two wide),
/// or in characters (a mail client wrapping every 30 characters, digits or not).
#[derive(Clone, Copy)]
struct Wrap {
    width: usize,
    by_chars: bool,
}

impl Wrap {
    /// A line's width on the source's own scale (characters count two, as columns do).
    fn of(self, s: &str) -> usize {
        if self.by_chars { s.chars().count() * 2 } else { display_width(s) }
    }
}

/// The width at which a text copied from a PDF, a fixed-width page or an e-mail was wrapped, if
/// it was: many lines of about the same width that stop mid-sentence, measured in columns or in
/// characters, whichever gathers more of them.
fn wrap_width(units: &[Unit]) -> Option<Wrap> {
    let long: Vec<&Unit> = units.iter().filter(|u| u.is_text() && display_width(&u.plain) >= 30).collect();
    let open: Vec<&Unit> = long.iter().copied().filter(|u| !ends_sentence(&u.plain)).collect();
    if open.len() < 3 || open.len() * 10 < long.len() * 4 {
        return None;
    }
    let fit = |by_chars: bool| {
        let wrap = Wrap { width: 0, by_chars };
        let mut widths: Vec<usize> = open.iter().map(|u| wrap.of(&u.plain)).collect();
        widths.sort_unstable();
        let median = widths[widths.len() / 2];
        let near = widths.iter().filter(|w| w.abs_diff(median) <= 4).count();
        (near, Wrap { width: median, by_chars })
    };
    let (columns, chars) = (fit(false), fit(true));
    let (near, wrap) = if chars.0 > columns.0 { chars } else { columns };
    (near * 10 >= open.len() * 6).then_some(wrap)
}

/// Joins lines the source broke in the middle of a sentence.
fn join_lines(units: Vec<Unit>, wrap: Option<Wrap>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for u in units {
        if let Some(prev) = out.last_mut()
            && u.soft
            && u.is_text()
            && prev.is_text()
            && should_join(&prev.plain, &u.plain, wrap)
        {
            let hyphen =
                regex!(r"[A-Za-z]-$").is_match(&prev.plain) && u.plain.starts_with(|c: char| c.is_ascii_lowercase());
            if hyphen {
                prev.md.pop();
            }
            prev.run_in |= is_run_in_start(&prev.plain, &u.plain, wrap);
            prev.md.push_str(&u.md);
            prev.plain = plain_of(&prev.md);
            continue;
        }
        out.push(u);
    }
    out
}

fn should_join(prev: &str, next: &str, wrap: Option<Wrap>) -> bool {
    if next
        .starts_with(['，', '。', '、', '；', '：', '！', '？', '”', '’', '）', '》', '」', '』', ',', '.', ';', ')'])
    {
        return true;
    }
    if regex!(r"[A-Za-z]-$").is_match(prev) && next.starts_with(|c: char| c.is_ascii_lowercase()) {
        return true;
    }
    if (outline_heading(prev).is_some_and(|(_, _, rest)| rest.is_none()) && !is_run_in_start(prev, next, wrap))
        || is_end_marker(next)
    {
        return false;
    }
    if prev.ends_with(['，', '、', ',', '“', '‘', '（', '《', '(']) {
        return true;
    }
    match wrap {
        Some(w) => w.of(prev) + 4 >= w.width && !ends_sentence(prev) && outline_heading(next).is_none(),
        None => false,
    }
}

/// A numbered line of a wrapped source that runs to the margin in the middle of a clause
/// (`一、开放时间为每天7:00至21:00，节`): the first line of a run-in paragraph. A heading is short
/// and ends its line; this one holds a comma and stops only because the line was full, and the
/// next line is no wider than the margin either (a paragraph of its own runs on past it).
fn is_run_in_start(line: &str, next: &str, wrap: Option<Wrap>) -> bool {
    wrap.is_some_and(|w| w.of(line) + 4 >= w.width && w.of(next) <= w.width + 4)
        && outline_heading(line).is_some()
        && line.contains(['，', ','])
        && !line.contains('。')
        && !ends_sentence(line)
}

/// The signature at the end of a notice (organisation, then date) stays in the body; it gives
/// the date and the issuing organisation.
fn signature(paragraphs: Vec<Unit>, found: &mut Found) -> (Vec<Unit>, Option<String>, Option<String>) {
    let mut org = None;
    let mut signed_by = None;
    // A 公文's colophon under its signature (`（此件公开发布）`, `抄送：…`, `…印发`) is no signature.
    let colophon = |t: &str| regex!(r"^[（(]此件|^(抄送|抄报|主送)\s*[:：]|印发\s*$").is_match(t);
    // An annex (`附件` or `附件2` alone, then its own title and table) follows the signature.
    let annex = paragraphs.iter().position(|u| regex!(r"^附件\s*\d{0,2}$").is_match(u.plain.trim()));
    let texts: Vec<usize> = paragraphs[..annex.unwrap_or(paragraphs.len())]
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, u)| u.is_text() && !colophon(&u.plain))
        .map(|(i, _)| i)
        .take(4)
        .collect();
    for &i in &texts {
        let t = &paragraphs[i].plain;
        if meta::is_date_only(t, found.calendar) {
            if let Some(d) = meta::dates(t, found.calendar).first() {
                found.dates.push((1, d.clone()));
            }
            if let Some(&prev) = texts.iter().find(|&&j| j < i) {
                let p = &paragraphs[prev].plain;
                if is_organization(p) {
                    org = Some(p.clone());
                }
                if (4..=30).contains(&p.chars().count()) && p.chars().all(is_han) {
                    signed_by = Some(p.clone());
                }
            }
            break;
        }
    }
    (paragraphs, org, signed_by)
}

/// The first sentence of substance: never a salutation (`同志们：`), a heading or a date.
fn summary(paragraphs: &[Unit]) -> Option<String> {
    let p = paragraphs.iter().find(|u| {
        u.is_text() && is_sentence(&u.plain) && outline_heading(&u.plain).is_none() && !is_salutation(&u.plain)
    })?;
    let text = normalize_punctuation(&p.plain).0;
    let end = text.find(['。', '！', '？']).map_or(text.len(), |i| i + '。'.len_utf8());
    let sentence =
        text[..end].trim_start_matches(|c: char| c.is_whitespace() || "，。、；：,.;:".contains(c)).to_string();
    let n = sentence.chars().count();
    (n >= 6).then(|| if n > 150 { sentence.chars().take(148).collect::<String>() + "…" } else { sentence })
}

/// Body Markdown: headings from outline numbering, bold leads and short lines standing alone.
fn render(
    paragraphs: &[Unit],
    complete: bool,
    changes: &mut Vec<(&'static str, usize)>,
    calendar: meta::Calendar,
) -> String {
    let has_h2 = paragraphs.iter().any(|u| u.is_text() && outline_heading(&u.plain).is_some_and(|(l, _, _)| l == 2));
    let not_headings = outline_points(paragraphs);
    // A bracketed label alone on its line that comes back (`[主持人]`, `【何文静】`), or any in
    // square brackets, names the speaker of the turn under it: never a heading.
    let mut labels: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for u in paragraphs.iter().filter(|u| u.is_text() && is_bracketed_label(&u.plain)) {
        *labels.entry(u.plain.as_str()).or_default() += 1;
    }
    // Where one of them comes back, the text is a script of parts (`【解说】`, `【同期声】`) and
    // the others are labels of parts too.
    let recurring = labels.values().any(|&n| n >= 2);
    let turn_label = |t: &str| is_bracketed_label(t) && (t.starts_with(['[', '［']) || recurring);
    let mut body = String::new();
    let (mut punct, mut headings) = (0, 0);
    let push = |body: &mut String, s: &str| {
        body.push_str(s);
        body.push_str("\n\n");
    };
    // Followed by running text, by bullet items, or by the unit and name of the one who wrote the
    // part below (several speakers' notes).
    let opens_text = |n: &Unit| n.is_text() && is_sentence(&n.plain) && n.plain.chars().count() >= 20;
    let standalone_at = |i: usize, plain: &str, comma: bool| {
        let by_speaker = !comma
            && (4..=30).contains(&plain.chars().count())
            && !plain.contains(['。', '，', '；', '：', ':', '！', '？'])
            && paragraphs.get(i + 1).is_some_and(|n| n.is_text() && is_unit_and_name(&n.plain))
            && paragraphs.get(i + 2).is_some_and(opens_text);
        (by_speaker || comma || is_section_title(plain, calendar))
            && !turn_label(&paragraphs[i].plain)
            && !is_organization(plain)
            && !is_unit_and_name(plain)
            && paragraphs.get(i + 1).is_some_and(|n| {
                opens_text(n)
                    || matches!(n.kind, Kind::List { .. })
                    || (n.is_text() && is_bullet_line(&n.plain))
                    || (n.is_text() && is_unit_and_name(&n.plain) && paragraphs.get(i + 2).is_some_and(opens_text))
            })
            && (i == 0
                || paragraphs.get(i - 1).is_some_and(|p| {
                    !p.is_text()
                        || ends_sentence(&p.plain)
                        || outline_heading(&p.plain).is_some()
                        || (is_bullet_line(&p.plain) && !is_bullet_line(plain))
                }))
    };
    // Where two short lines or more stand alone as section titles, a line of the same shape
    // holding one comma (`议题太大，没法决定`) is a section title too: the layout says so.
    let comma_titles = paragraphs
        .iter()
        .enumerate()
        .filter(|(i, u)| u.is_text() && !u.run_in && standalone_at(*i, &u.plain, false))
        .nth(1)
        .is_some();
    // A template's field labels alone on their lines (`本周完成工作：`, `心得体会：`), two or more,
    // none coming back, each over its content: the sections of the form.
    // A form of three parts or more, without outline numbering of its own: two labels alone are
    // a record's question and answer (`留言内容：`, `答复内容：`), fields rather than sections.
    // Each label heads content of substance (sentences, items), not a short value (`分类号：` over
    // `C916` is a record's field).
    let heads_content = |i: usize| {
        paragraphs.get(i + 1).is_some_and(|n| {
            matches!(n.kind, Kind::List { .. })
                || (n.is_text()
                    && (is_sentence(&n.plain)
                        || is_bullet_line(&n.plain)
                        || regex!(r"^\d{1,2}[.．、]\s*\S").is_match(&n.plain)))
        })
    };
    let field_labels = {
        let fields: Vec<(usize, &str)> = paragraphs
            .iter()
            .enumerate()
            .filter(|(_, u)| u.is_text() && is_field_label(&u.plain))
            .map(|(i, u)| (i, u.plain.as_str()))
            .collect();
        let distinct: std::collections::HashSet<&str> = fields.iter().map(|f| f.1).collect();
        distinct.len() >= 3
            && distinct.len() == fields.len()
            && fields.iter().all(|&(i, _)| heads_content(i))
            && !paragraphs.iter().any(|u| u.is_text() && outline_heading(&u.plain).is_some_and(|(l, _, _)| l <= 3))
    };
    // Inside an attachment list (`附件：1．…` then `2．…`): numbered items, not headings.
    let mut attachments = false;
    for (i, u) in paragraphs.iter().enumerate() {
        let was_attachments = attachments;
        attachments = u.is_text()
            && (regex!(r"^附\s*件\s*\d*\s*[:：]?").is_match(&u.plain)
                || (was_attachments && regex!(r"^\d{1,2}\s*[.．、]").is_match(&u.plain)));
        match &u.kind {
            Kind::Cut => push(&mut body, TRUNCATION),
            Kind::Heading(_) if is_doc_number(&u.plain) => push(&mut body, &u.md),
            Kind::Heading(level) => {
                let text = normalize_punctuation(&u.plain).0;
                let level = outline_heading(&text).map_or((*level).max(2), |(l, _, _)| l);
                headings += 1;
                push(
                    &mut body,
                    &format!("{} {}", "#".repeat(level as usize), escape_markdown(text.trim_end_matches(['。', '：']))),
                );
            }
            Kind::List { ordered, items } => {
                let list: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(n, item)| {
                        if *ordered {
                            format!("{}. {}", n + 1, normalize_punctuation(item).0)
                        } else {
                            format!("- {}", normalize_punctuation(item).0)
                        }
                    })
                    .collect();
                push(&mut body, &list.join("\n"));
            }
            Kind::Table(rows) => push(&mut body, &table(rows)),
            Kind::Figure { file, alt, caption } => {
                let mut s = format!("![{}]({})", escape_markdown(alt), file.replace(' ', "%20"));
                if let Some(c) = caption.as_deref().filter(|c| !c.is_empty()) {
                    s.push_str(&format!("\n\n*{}*", escape_markdown(c)));
                }
                push(&mut body, &s);
            }
            Kind::Text => {
                let (md, n) = normalize_punctuation(&u.md);
                punct += n;
                let plain = plain_of(&md);
                // A caption: `▲…`, an italic line, or a short line right under a picture.
                let under_picture = i > 0
                    && matches!(paragraphs[i - 1].kind, Kind::Figure { .. })
                    && plain.chars().count() <= 60
                    && !plain.contains('。')
                    && !md.starts_with("**")
                    && outline_heading(&plain).is_none();
                if is_caption_line(&md, &plain) || under_picture || attachments {
                    if under_picture && !md.starts_with('*') {
                        push(&mut body, &format!("*{md}*"));
                    } else {
                        push(&mut body, &md);
                    }
                    continue;
                }
                // A standard's term entry: its number alone (`3.1`), then the term (`**个案服务**`),
                // then the definition. Neither line heads a section.
                let term_number = |t: &str| regex!(r"^\d{1,2}(\.\d{1,2})+$").is_match(t);
                if term_number(&plain)
                    || (i > 0 && paragraphs[i - 1].is_text() && term_number(&paragraphs[i - 1].plain))
                {
                    push(&mut body, &md);
                    continue;
                }
                if field_labels && is_field_label(&plain) {
                    headings += 1;
                    let head = plain.trim_end_matches(['：', ':']);
                    push(&mut body, &format!("{} {}", if has_h2 { "###" } else { "##" }, escape_markdown(head)));
                    continue;
                }
                if let Some((level, head, rest)) = heading_of(&md, &plain).filter(|_| !not_headings[i] && !u.run_in) {
                    headings += 1;
                    push(&mut body, &format!("{} {}", "#".repeat(level as usize), escape_markdown(&head)));
                    if let Some(rest) = rest {
                        push(&mut body, &rest);
                    }
                    continue;
                }
                // A point's lead alone on its line (`第一，群众的需求就是工作的方向。`) over the
                // paragraphs it leads heads them, as a bold lead does; leads one a line, each over
                // the next, are points of a list.
                let lone_lead = is_lead_sentence(&plain)
                    && !u.run_in
                    && (6..=32).contains(&plain.chars().count())
                    && !plain.trim_end_matches(['。', '！']).contains(['。', '；', '！', '？'])
                    && paragraphs.get(i + 1).is_some_and(|n| opens_text(n) && !is_lead_sentence(&n.plain))
                    && !(i > 0 && paragraphs[i - 1].is_text() && is_lead_sentence(&paragraphs[i - 1].plain));
                if lone_lead {
                    headings += 1;
                    let head = plain.trim_end_matches(['。', '！']);
                    push(&mut body, &format!("{} {}", if has_h2 { "###" } else { "##" }, escape_markdown(head)));
                    continue;
                }
                let standalone = !u.run_in
                    && (standalone_at(i, &plain, false)
                        || (comma_titles
                            && is_section_title_with_comma(&plain, calendar)
                            && standalone_at(i, &plain, true)));
                // A group label with its count (`5A级（2家）`) over a list of names, one a line.
                let group = is_group_label(&plain)
                    && paragraphs.get(i + 1).is_some_and(|n| {
                        n.is_text() && n.plain.chars().count() <= 40 && !n.plain.contains(['。', '，', '；'])
                    });
                let standalone = standalone || group;
                if standalone {
                    headings += 1;
                    push(&mut body, &format!("{} {}", if has_h2 { "###" } else { "##" }, escape_markdown(&plain)));
                } else {
                    push(&mut body, &md);
                }
            }
        }
    }
    // A text that stops in the middle of a sentence of running text was cut off by the site,
    // even without a notice; a short last line (a signature, a name) is not.
    // A last paragraph ending on a comma stopped mid-sentence whatever its length.
    if let Some(last) = paragraphs.iter().rev().find(|u| !matches!(u.kind, Kind::Figure { .. }))
        && !complete
        && last.is_text()
        && ((last.plain.chars().count() >= 40 && last.plain.contains('。') && !ends_sentence(&last.plain))
            || (last.plain.chars().count() >= 10 && last.plain.ends_with(['，', '、', ','])))
    {
        push(&mut body, TRUNCATION);
        changes.push(("text stops mid-sentence, marked as cut", 1));
    }
    changes.push(("punctuation made full-width", punct));
    changes.push(("outline headings", headings));
    body.trim_end().to_string() + "\n"
}

/// A form's field label alone on its line (`本周完成工作：`, `需协调与帮助：`): a few words and a
/// colon, no salutation (`同志们：`, `各位居民朋友：`).
fn is_field_label(t: &str) -> bool {
    regex!(r"^[\p{Han}、]{3,10}[：:]$").is_match(t)
        && !regex!(r"们|各位|尊敬|亲爱|大家|你好|您好|如下|以下").is_match(t)
}

/// A speaker turn of a speech-to-text transcript: a label and the time into the recording
/// (`发言人2　00:01:41`, `说话人1 01:05`). It names who speaks; it heads no section.
fn is_timed_turn(t: &str) -> bool {
    regex!(r"^[\p{Han}A-Za-z0-9*＊_·]{1,16}[\s\u{3000}]+(\d{1,2}:)?\d{1,2}:\d{2}$").is_match(t)
}

/// A short label in brackets alone on its line (`[主持人]`, `【嘉宾】`).
fn is_bracketed_label(t: &str) -> bool {
    regex!(r"^[\[［【〔]\s*[\p{Han}A-Za-z·]{1,12}\s*[\]］】〕]\s*[:：]?$").is_match(t)
}

/// Which paragraphs open with outline numbering but are points of running text, not headings:
/// - a run of numbered items one right after the other (`一、…。` `二、…。` in a notice), most of
///   them whole sentences that head nothing (no text of their own before the next number);
/// - where the source set its outline headings in bold, a lead that is not bold and runs on into
///   its paragraph (`（一）建强站点阵地。每个社工站…` under `**一、总体目标**`).
fn outline_points(paragraphs: &[Unit]) -> Vec<bool> {
    /// A paragraph opening with outline numbering, as the heading rules read it.
    #[derive(Clone, Copy)]
    struct Item {
        /// Which numbering: `一、`, `（一）`, `1.`, `（1）`.
        style: usize,
        /// Read as a heading.
        heading: bool,
        /// With text of its own after the lead.
        own_text: bool,
        /// Holds a full stop.
        sentence: bool,
        bold: bool,
    }
    let styles: [&regex::Regex; 4] = [
        regex!(r"^[一二三四五六七八九十]+、"),
        regex!(r"^[（(][一二三四五六七八九十]+[)）]"),
        regex!(r"^\d{1,2}[.．、]"),
        regex!(r"^[（(]\d{1,2}[)）]"),
    ];
    let items: Vec<Option<Item>> = paragraphs
        .iter()
        .map(|u| {
            if !u.is_text() {
                return None;
            }
            let md = normalize_punctuation(&u.md).0;
            let plain = plain_of(&md);
            let style = styles.iter().position(|r| r.is_match(&plain))?;
            let h = heading_of(&md, &plain);
            Some(Item {
                style,
                heading: h.is_some(),
                own_text: h.is_some_and(|(_, _, rest)| rest.is_some()),
                sentence: plain.contains('。'),
                bold: md.starts_with("**"),
            })
        })
        .collect();
    let mut points = vec![false; paragraphs.len()];
    if items.iter().flatten().any(|it| it.heading && it.bold) {
        for (i, it) in items.iter().enumerate() {
            if it.is_some_and(|it| it.heading && it.own_text && !it.bold) {
                points[i] = true;
            }
        }
    }
    let mut i = 0;
    while i < items.len() {
        let Some(first) = items[i].filter(|it| !it.bold) else {
            i += 1;
            continue;
        };
        let run: Vec<Item> =
            items[i..].iter().map_while(|it| it.filter(|it| it.style == first.style && !it.bold)).collect();
        let len = run.len();
        let sentences = run.iter().filter(|it| it.sentence).count();
        let heads_nothing = run
            .iter()
            .enumerate()
            .filter(|(k, it)| !it.heading || (!it.own_text && (k + 1 < len || it.sentence)))
            .count();
        if len >= 2 && sentences * 2 > len && heads_nothing * 2 > len {
            points[i..i + len].iter_mut().for_each(|p| *p = true);
        }
        i += len;
    }
    points
}

/// A heading at the start of a paragraph: outline numbering, or a bold lead (`**一、…**`,
/// `**第一，推进物业全覆盖。**正文…`). Returns the level, the heading and the rest.
fn heading_of(md: &str, plain: &str) -> Option<(u8, String, Option<String>)> {
    if let Some(inner) = md.strip_prefix("**")
        && let Some(close) = inner.find("**")
    {
        let lead = plain_of(&inner[..close]);
        let rest = inner[close + 2..].trim();
        if (2..=40).contains(&lead.chars().count())
            && !(is_salutation(&lead) && outline_heading(&lead).is_none())
            && (rest.is_empty() || lead.ends_with(['。', '：', ':']) || outline_heading(&lead).is_some())
        {
            let level = outline_heading(&lead).map_or(3, |(l, _, _)| l);
            let head = lead.trim_end_matches(['。', '：', ':']).to_string();
            return Some((level, head, (!rest.is_empty()).then(|| rest.to_string())));
        }
    }
    // Without bold, `一是…`, `第一，…` are points in running text, not headings; so are `一要…。`
    // points run into one paragraph (`一要…。二要…。`).
    let (level, head, rest) = outline_heading(plain)?;
    if is_lead_sentence(plain)
        || (regex!(r"^[一二三四五六七八九十]要").is_match(plain) && regex!(r"。[二三四五六七八九十]要").is_match(plain))
    {
        return None;
    }
    let rest_md = rest.map(|_| md.find('。').map_or(String::new(), |i| md[i + '。'.len_utf8()..].trim().to_string()));
    Some((level, head, rest_md.filter(|r| !r.is_empty())))
}

fn table(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return String::new();
    }
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = (0..width).map(|c| cell(row.get(c).map_or("", String::as_str))).collect();
        out.push(format!("| {} |", cells.join(" | ")));
        if i == 0 {
            out.push(format!("|{}|", vec![" --- "; width].join("|")));
        }
    }
    out.join("\n")
}

fn detect_type(head: &str, source: &str, context: &str) -> PageType {
    if regex!(r"发言稿|發言稿|研讨|研討|心得|体会|體會|交流发言").is_match(head) {
        PageType::Reflection
    } else if regex!(r"讲话|講話|致辞|致辭").is_match(head) {
        PageType::Speech
    } else if regex!(r"人民日报|人民日報|光明日报|评论|評論|社论|社論|时评|時評|网评|观点|观察")
        .is_match(&format!("{head} {source} {context}"))
    {
        PageType::Commentary
    } else if regex!(r"通知|意见|办法|方案|规定|条例|决定|通告|公告|细则|规划").is_match(head) {
        PageType::Policy
    } else if regex!(r"品牌|做法|经验|經驗|案例|探索|实践|實踐|模式").is_match(head) {
        PageType::Case
    } else {
        PageType::Page
    }
}

const PROVINCES: &str = "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|台湾";

/// A place name such as 山西省太原市迎泽区: a province (from the list) with its city and
/// district, or a city with its district.
fn find_region(text: &str) -> Option<String> {
    static WITH_PROVINCE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let with_province = meta::re(
        &WITH_PROVINCE,
        &format!(
            r"(?:{PROVINCES})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)(?:\p{{Han}}{{2,4}}?(?:市|州|盟|地区))?(?:\p{{Han}}{{1,3}}?(?:区|县|市|旗))?"
        ),
    );
    let city_district = regex!(r"(\p{Han}{2,3}市)(\p{Han}{1,3}?(?:区|县))");
    let bad = |s: &str| ["全", "我", "各", "本", "城市", "之", "的", "该"].iter().any(|w| s.contains(w));
    with_province
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .chain(city_district.captures_iter(text).filter_map(|c| {
            let (city, district) = (c.get(1)?.as_str(), c.get(2)?.as_str());
            (!bad(city) && !bad(district)).then(|| format!("{city}{district}"))
        }))
        .max_by_key(|s| s.chars().count())
}

fn detect_places_and_topics(d: &mut Draft, topics: &[(String, Vec<String>)]) {
    let opening: Vec<&str> =
        d.body.lines().filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('*')).take(3).collect();
    d.region = std::iter::once(d.title.as_str())
        .chain(d.speaker.as_deref())
        .chain(opening.iter().copied())
        .filter_map(find_region)
        .max_by_key(|r| r.chars().count());
    let folded = fold(&format!("{}\n{}", d.title, d.body));
    d.topics = topics
        .iter()
        .filter(|(t, aliases)| {
            std::iter::once(t).chain(aliases).any(|n| n.chars().count() >= 2 && folded.contains(&fold(n)))
        })
        .map(|(t, _)| t.clone())
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_doc(raw: &str) -> Document {
        super::super::text::read_text(raw)
    }

    #[test]
    fn pinyin_glosses() {
        for (input, expected) in [
            ("事關(guān)黨", "事關黨"),
            ("新時(shí)代", "新時代"),
            ("社區(qū)(村)", "社區(村)"),
            ("G20(summit)", "G20(summit)"),
            ("關（guān）", "關"),
        ] {
            assert_eq!(strip_pinyin_glosses(input).0, expected, "{input}");
        }
    }

    #[test]
    fn punctuation() {
        for (input, expected) in [
            ("提高政治站位,深刻认识", "提高政治站位，深刻认识"),
            ("同志们:", "同志们："),
            ("(一)深刻认识", "（一）深刻认识"),
            ("社区(村)", "社区（村）"),
            ("1,200余起", "1,200余起"),
            ("见 http://www.example.org:8080/a", "见 http://www.example.org:8080/a"),
            ("Hello, world", "Hello, world"),
            ("怎么办?", "怎么办？"),
            ("见[链接](https://a.cn/x)", "见[链接](https://a.cn/x)"),
        ] {
            assert_eq!(normalize_punctuation(input).0, expected, "{input}");
        }
    }

    #[test]
    fn chrome_lines() {
        for (line, kind) in [
            ("Copyright ? 2001-2024 某某网络科技股份有限公司 All Rights Reserved", "copyright or licence"),
            ("如若转载,请注明出处:https://www.example.com/1.html", "reprint notice"),
            ("责任编辑:刘某", "editor or reading count"),
            ("下载此文档(WORD版)", "download or promotion"),
            ("到某某文库首页", "download or promotion"),
            ("京ICP备12345678号", "copyright or licence"),
            ("首页 > 政务公开 > 政策文件", "navigation or breadcrumb"),
            ("【字体：大 中 小】", "page tools"),
        ] {
            assert_eq!(classify(line), Line::Chrome(kind), "{line}");
        }
        assert_eq!(
            classify("二是构建格局。“独角戏”, ……(未完,全文共7175字,当前仅显示3307字)"),
            Line::Cut { keep: "二是构建格局。“独角戏”,".into() }
        );
        assert!(matches!(classify("……(新文秘网http://www.wm114.cn省略1177字,正式会员可完整阅读)……"), Line::Cut { .. }));
        assert!(matches!(classify("…(全文共5000字，剩余内容请下载查看)"), Line::Cut { .. }));
        assert_eq!(classify("阅读剩余全文（）"), Line::Chrome("download or promotion"), "an empty expander is no cut");
        assert_eq!(classify("社会工作是党和国家工作的重要组成部分。"), Line::Text);
        assert_eq!(
            classify("推行“证照分离”，办理营业执照和许可证的时间缩短一半。"),
            Line::Text,
            "sentences are never chrome"
        );
        assert!(is_nav("首页　政务公开　政务服务　政民互动"));
        assert!(!is_nav("争当改革创新排头兵 打造社会工作迎泽品牌"));
    }

    #[test]
    fn headings_and_leads() {
        assert_eq!(outline_heading("一、提高政治站位"), Some((2, "一、提高政治站位".into(), None)));
        assert_eq!(
            outline_heading("(一)强化理论武装,坚定理想信念。习近平总书记强调。"),
            Some((3, "(一)强化理论武装,坚定理想信念".into(), Some("习近平总书记强调。".into())))
        );
        assert_eq!(
            outline_heading("一要聚焦兜底保障。要始终把…"),
            Some((3, "一要聚焦兜底保障".into(), Some("要始终把…".into())))
        );
        assert_eq!(outline_heading("第一章　总则").map(|h| h.0), Some(2));
        assert_eq!(outline_heading("一要把群众满意作为第一标准"), None, "a bare 一要 line is running text");
        assert_eq!(outline_heading("1.划细网格，明确责任").map(|h| h.1), Some("1.划细网格，明确责任".into()));
        assert_eq!(outline_heading("1.各单位要按时报送材料。"), None);
        assert_eq!(outline_heading("一些人认为"), None);
        assert_eq!(
            heading_of("**第一，推进物业全覆盖。**今年要…", "第一，推进物业全覆盖。今年要…"),
            Some((4, "第一，推进物业全覆盖".into(), Some("今年要…".into())))
        );
    }

    #[test]
    fn look_alikes_are_mapped() {
        assert_eq!(normalize_line("进⼀步　增⻓ 部⻔ ⻅效"), "进一步　增长 部门 见效");
    }

    #[test]
    fn a_raw_case_becomes_a_draft() {
        let raw = "热点新闻\n\n某市某区委社会工作部部长张三:打造社会工作品牌\n\n2024/10/12 11:36 来源:中国社区报    阅读:1.3万\n\n山西省太原市迎泽区委社会工作部深入学习,探索\"三聚焦\"模式。\n\n  聚焦政治引领 首任首责\n\n以政治立部。推进新就业_群体工作,**镇参与。(张三)\n\n责任编辑:李四\n\n社区文化网\n";
        let d = clean(&text_doc(raw), &[("志愿服务".into(), vec![]), ("新就业群体".into(), vec![])]);
        assert_eq!(d.title, "打造社会工作品牌");
        assert_eq!(d.speaker.as_deref(), Some("某市某区委社会工作部部长张三"));
        assert_eq!(d.date.as_deref(), Some("2024-10-12"));
        assert_eq!(d.source.as_deref(), Some("中国社区报"));
        assert_eq!(d.region.as_deref(), Some("山西省太原市迎泽区"));
        assert_eq!(d.page_type, Some(PageType::Case));
        assert!(d.body.contains("推进新就业\\_群体工作，\\*\\*镇参与。"), "{}", d.body);
        for chrome in ["热点新闻", "阅读", "责任编辑", "社区文化网", "（张三）"] {
            assert!(!d.body.contains(chrome), "{chrome} left in {}", d.body);
        }
    }

    #[test]
    fn a_title_with_a_colon_stays_whole_and_the_end_is_found() {
        let raw = "桐乡镇：“网格+积分”让乡村治理有了新抓手\n发布时间：2024-05-09　来源：桐乡镇　作者：马某某\n柳河县桐乡镇把网格化管理和积分制结合起来，村民参与事项都可以获得积分。\n下一步，桐乡镇将探索积分与信用贷款挂钩\n【我要纠错】 【打印本页】\n上一篇：柳河县开展防汛应急演练\n";
        let d = clean(&text_doc(raw), &[]);
        assert_eq!(d.title, "桐乡镇：“网格+积分”让乡村治理有了新抓手");
        assert_eq!(d.speaker, None);
        assert_eq!(d.source.as_deref(), Some("桐乡镇"));
        assert!(!d.body.contains("原文此处有删节"), "a last line without a full stop is no cut:\n{}", d.body);
        assert!(!d.body.contains("上一篇"));
    }

    #[test]
    fn an_interviewee_is_the_speaker_without_the_verb_and_a_reporter_never() {
        let raw = "“把服务做到老人心坎上”\n——专访岚湖区颐康社会工作服务中心主任蒋舒\n2025-02-10　来源：《岚湖社工》　作者：本刊记者 韦晓\n\n问：机构是怎么起步的？\n答：最初只有三名社工，我们从上门探访独居老人做起，一户一户地跑。\n";
        let d = clean(&text_doc(raw), &[]);
        assert_eq!(d.speaker.as_deref(), Some("岚湖区颐康社会工作服务中心主任"));
        let raw = "网评：让社区食堂既叫好又叫座\n2025-03-01　来源：岚湖网　作者：记者 程远\n\n社区食堂开起来不难，难的是长久办下去。办好食堂，要算好经济账，更要算好民生账。\n";
        let d = clean(&text_doc(raw), &[]);
        assert_eq!(d.speaker, None, "a reporter is not the author of a commentary");
    }

    #[test]
    fn a_date_in_the_page_address_is_the_last_resort() {
        assert_eq!(date_in_url("https://a.example.cn/kd/2025-11/20/content_1.html").as_deref(), Some("2025-11-20"));
        assert_eq!(date_in_url("https://a.example.cn/art/2025/10/15/art_1_2.html").as_deref(), Some("2025-10-15"));
        assert_eq!(date_in_url("https://a.example.cn/zw/202510/t20251015_77.html").as_deref(), Some("2025-10-15"));
        assert_eq!(date_in_url("https://a.example.cn/item/20251399.html"), None, "no 13th month");
        let raw = "快读｜岚湖公布养老服务补贴新标准\n\n补贴标准从每月一百元提高到一百五十元，惠及全区八千多位老人。\n本文地址：https://news.example.cn/kd/2025-11/20/content_9.html\n";
        assert_eq!(clean(&text_doc(raw), &[]).date.as_deref(), Some("2025-11-20"));
    }
}
