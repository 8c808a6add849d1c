//! The frame a kind of source puts around a text, recognised by its kind of line, not by site:
//! a search engine's cache banner (网页快照) above a copied page, a social app's player
//! controls, counters, hashtags and post controls (收起, the post time with 删除, the likes
//! line), and a vote page's counter-and-button lines. [`chrome`] says which lines are frame,
//! [`ends_article`] which line closes the text, and [`Frame::read`] what the frame tells about
//! the text (the cached page's own address, the post time, the account's unit, a personal post).

use super::meta::{self, regex};

/// Why a line is part of a kind of source's frame; `None` for any other line.
pub fn chrome(t: &str) -> Option<&'static str> {
    if t.chars().count() > 160 {
        return None;
    }
    if is_cache_banner(t) {
        return Some("cache banner (copy of another page)");
    }
    if is_wiki_notice(t) {
        return Some("encyclopedia notice or statistics");
    }
    if is_tool_notice(t) {
        return Some("disclaimer");
    }
    if t.contains('。') {
        return None;
    }
    if is_promotion(t) {
        return Some("download or promotion");
    }
    if is_player_controls(t) || is_counter_line(t) || is_reading_buttons(t) {
        return Some("player controls or counters");
    }
    if regex!(r"^(#[^#\s]{1,24}\s*)+$").is_match(t) {
        return Some("hashtag");
    }
    if is_post_toggle(t) || is_post_time(t) || is_likes_line(t) {
        return Some("post controls (time, delete, likes)");
    }
    if is_stage_cue(t) {
        return Some("stage cue (music, pause, recording)");
    }
    if is_read_receipt(t) {
        return Some("post controls (time, delete, likes)");
    }
    if is_phone_bar(t) {
        return Some("phone status bar or app bar");
    }
    if is_status_line(t) {
        return Some("status line (live, processing)");
    }
    if is_comment_box(t) {
        return Some("comment box");
    }
    if is_file_name(t) {
        return Some("attachment file name");
    }
    None
}

/// An editable encyclopedia's notice about the entry (`本词条由…编辑审核。`, `该条目已被锁定`)
/// and its statistics (`浏览次数：12873次`, `编辑次数：9次历史版本`, `最近更新：用户（date）`).
fn is_wiki_notice(t: &str) -> bool {
    t.chars().count() <= 80
        && (regex!(r"^(本|该|此)(词条|条目|百科词条|百科条目|页面|页)\S{0,24}(编辑|审核|认证|创建|编写|维护|贡献|锁定|保护|修订)")
            .is_match(t)
            || regex!(r"^(浏览|编辑|修改|修订|访问)次数\s*[:：]\s*[\d,]+|^最近(更新|编辑|修改)\s*[:：]\s*\S{1,30}[（(]\s*\d{4}")
                .is_match(t))
}

/// A tool's notice about its own output or holdings, even written as a sentence: a transcript
/// or recognised text is machine-made and to be checked (`转写结果由机器生成，请校对后使用。`,
/// `识别内容仅供参考`), a database's copy is for reference only (`本库内容仅供参考，请以正式公布的
/// 文本为准。`). Short, and about the tool's `内容`/`结果`, never about the text's matter.
fn is_tool_notice(t: &str) -> bool {
    t.chars().count() <= 60
        && ((regex!(r"(由|经)?(机器|AI|人工智能|系统|程序|软件)自?动?(生成|转写|转录|识别|翻译)").is_match(t)
            && regex!(r"(结果|内容|文本|文字|字幕)").is_match(t)
            && regex!(r"准确率|仅供参考|请.{0,4}(校对|核对|核实|校正)|以.{0,16}为准").is_match(t))
            || regex!(r"^(本(库|站|网站?|平台|数据库|系统|页面?|软件)|(识别|转写|转录|翻译|提取)的?)(所载|收录的?)?(内容|结果|文本|文字|信息|数据|资料)?.{0,12}(仅供参考|请以.{1,20}为准|请(注意)?(校对|核对|核实))")
                .is_match(t))
}

/// An advertisement of the site's own courses or goods, or a prompt to scan its QR code: a
/// course or product with a price (`推荐课程：实务精讲班　原价¥698　限时¥199　[立即试听]`), a
/// `扫码…领取/添加/关注` line, a bare `[二维码]` placeholder.
fn is_promotion(t: &str) -> bool {
    t.chars().count() <= 80
        && (regex!(r"[¥￥]\s*\d").is_match(t) && regex!(r"原价|限时|特价|优惠|折|立即|[\[【](试听|购买|抢购|报名|咨询)|推荐|课程|已报名|人已购").is_match(t)
            || regex!(r"^[\[【(（]?\s*(扫码|扫描(下方|上方|左侧|右侧)?二维码|长按(识别)?二维码|微信扫码|扫一扫)\S{0,16}(添加|加入|关注|领取|获取|进群|咨询|下载|阅读|查看|报名|预约)").is_match(t)
            || regex!(r"^[\[【(（]\s*(二维码|小程序码|QR\s*code)\s*[\]】)）]$").is_match(t))
}

/// A status row of a page (`办理状态：已办结`, `状态：已结束　参与人数：3.2万`, `访谈状态：`) or a
/// live page's closing notice (`直播已结束，感谢收看`): the page's state, not the text.
fn is_status_line(t: &str) -> bool {
    t.chars().count() <= 40
        && (regex!(r"^(办理|处理|审核|审批|受理|答复|回复|访谈|直播|信件|事件|任务|工单|活动|报名)?状态\s*[:：]\s*((已|未|待|正在|进行|直播|回放)\S{0,5}(\s|$)|$)").is_match(t)
            || regex!(r"^(直播|访谈|活动|会议|投票|报名)(已经?|暂时)?(结束|开始|暂停|截止)(\s*[，,！!]\s*\S{0,10})?$").is_match(t))
}

/// A phone's status bar (`18:52　5G　76%`) or an app's title bar with its back arrow and menu
/// (`〈　日报详情　···`), copied with a screen of an app.
fn is_phone_bar(t: &str) -> bool {
    regex!(r"(?i)^\d{1,2}:\d{2}([\s\u{3000}]+(5G|4G|3G|LTE|VoLTE|HD|Wi-?Fi|\d{1,3}\s*%|[📶🔋📡🛜]+))+$").is_match(t)
        || (t.chars().count() <= 30
            && (regex!(r"^[〈<‹←＜][\s\u{3000}]*\S").is_match(t)
                || regex!(r"^\S{1,12}[\s\u{3000}]+(···|⋯|⋮|\.{3})$").is_match(t))
            && !t.contains(['，', '。']))
}

/// A cue of a broadcast or talk script in square brackets (`［片头音乐起，压混］`, `［停顿］`,
/// `［录音：某某］`, `[PPT第3页]`): for the studio, not words of the text.
fn is_stage_cue(t: &str) -> bool {
    // A slide cue in black brackets too (`【PPT第3页】`, `【幻灯片5：结束页】`).
    if t.chars().count() <= 30 && regex!(r"(?i)^【\s*(ppt|幻灯片?)[^【】]{0,16}】$").is_match(t) {
        return true;
    }
    t.chars().count() <= 30
        && regex!(r"^[\[［][^\]］\[［]{1,24}[\]］]$").is_match(t)
        && regex!(r"(?i)音乐|音效|停顿|录音|压混|渐弱|渐强|渐隐|淡出|淡入|片头|片尾|掌声|笑声|画面|字幕|配乐|鼓掌|ppt|幻灯|翻页").is_match(t)
}

/// A work app's read receipt (`已读 2/15　未读 13`).
fn is_read_receipt(t: &str) -> bool {
    regex!(r"^(已读|未读)\s*\d+(\s*/\s*\d+)?([\s\u{3000}]+(已读|未读)\s*\d+(\s*/\s*\d+)?)?$").is_match(t)
}

/// A comment box's placeholder (`说点什么...`, `写下你的评论…`, `我来说两句`).
fn is_comment_box(t: &str) -> bool {
    regex!(r"^(说点什么|说说你的看法|写下你的(评论|想法|看法)|写评论|添加评论|发条友善的评论|我来说两句|留下你的(评论|精彩评论)|请输入(评论|留言)(内容)?)\S{0,8}?(…|\.{2,}|。{2,})?([\s\u{3000}]+(发送|发布|提交))?$")
        .is_match(t)
}

/// An attached file's name standing alone (`IMG_20251126_101522.jpg`, `事件清单.xlsx　36KB`):
/// the app lists the attachments, their content is not in the text.
fn is_file_name(t: &str) -> bool {
    t.chars().count() <= 80
        && regex!(r"(?i)^([\[［【]?(文件|附件|图片|视频)[\]］】]?\s*)?[^\s，。：:]{1,60}\.(jpe?g|png|gif|bmp|webp|heic|docx?|xlsx?|pptx?|pdf|wps|et|zip|rar|7z|txt|csv|mp4|mov|mp3|amr)(\s*[（(]?\s*\d+(\.\d+)?\s*[KMG]i?B\s*[)）]?)?$")
            .is_match(t)
}

/// A line after which only the frame follows: a post's fold toggle or its time with 删除, and
/// the list of the other entries of a vote or a series (`其他候选人`, `更多作品`).
pub fn ends_article(t: &str) -> bool {
    is_post_toggle(t)
        || is_post_time(t)
        || regex!(
            r"^(其他|其它|更多)(候选人|候选对象|候选事迹|参评对象|参评作品|入围作品|作品|视频|案例|故事)\s*[:：]?$"
        )
        .is_match(t)
}

/// A search engine's banner over a cached copy: `网页快照`, `您查看的是 http://… 的网页快照`,
/// the snapshot time, and the notice that search terms are highlighted.
fn is_cache_banner(t: &str) -> bool {
    regex!(r"^(网页快照|百度快照|页面快照|快照|网页缓存|缓存页面)$").is_match(t)
        || regex!(r"(?i)(网页快照|的快照|快照(生成|保存|抓取|更新)?(时间|日期)|网页缓存|cache of https?://|cached (copy|version|page)|snapshot of (the )?page)")
            .is_match(t)
        || regex!(r"(?i)高亮(显示)?.{0,12}(搜索|查询|检索)(字词|词|关键词|关键字)|(搜索|查询|检索)(字词|关键词|关键字).{0,12}高亮|Ctrl\s*\+\s*F|search terms (are|have been) highlighted")
            .is_match(t)
}

/// The original address a cache banner names.
fn cached_address(t: &str) -> Option<String> {
    if !is_cache_banner(t) {
        return None;
    }
    regex!(r"https?://[^\s，。）)”\u{3000}]+").find(t).map(|m| m.as_str().trim_end_matches(['.', ',']).to_string())
}

/// A video or audio player's time and controls (`00:00 / 02:16`, `倍速　清晰度 720P　全屏`,
/// `▶　00:00:00 / 00:46:21　倍速 1.0x　音量`): play icons, times and control words only.
fn is_player_controls(t: &str) -> bool {
    if regex!(r"^\d{1,2}:\d{2}(:\d{2})?\s*/\s*\d{1,2}:\d{2}(:\d{2})?$").is_match(t) {
        return true;
    }
    let items: Vec<&str> = t.split_whitespace().collect();
    let control = regex!(
        r"(?i)^(倍速|倍速播放|清晰度|全屏|网页全屏|退出全屏|弹幕|静音|音量|画中画|小窗|小窗播放|播放|暂停|连播|自动连播|\d{3,4}p|4k|高清|超清|标清|蓝光|\d(\.\d{1,2})?[x×倍])$"
    );
    let frame = regex!(r"^([▶►⏵⏸⏯⏹⏮⏭◀◁▷❚|]+|\d{1,2}:\d{2}(:\d{2})?|/)$");
    items.len() >= 2
        && items.iter().all(|i| control.is_match(i) || frame.is_match(i))
        && items.iter().any(|i| control.is_match(i))
}

/// A line of counters and buttons only: `♥ 1.2万　💬 386　☆ 收藏 2103`, `当前票数：2,318
/// [为TA点赞]　[我要投票]`. Each item is a button in brackets or a count named by an icon or by
/// a counting word (a line of statistics, `床位数：386`, is not such a line).
fn is_counter_line(t: &str) -> bool {
    let items: Vec<&str> = regex!(r"\s{2,}|\u{3000}+").split(t).map(str::trim).filter(|i| !i.is_empty()).collect();
    let (mut counts, mut buttons) = (0, 0);
    for item in &items {
        if regex!(r"^[\[【][^\]】。]{1,10}[\]】]$").is_match(item) {
            buttons += 1;
            continue;
        }
        let icon =
            regex!(r"^[^\p{L}\p{N}\p{P}\s]+\s*(\p{Han}{1,4}\s*)?[:：]?\s*[\d,.]+\s*[万千亿wWkK]?\+?$").is_match(item);
        let named = regex!(r"^(当前|累计|总|已有)?(票数|得票|投票|点赞|获赞|赞|喜欢|收藏|分享|转发|评论|留言|播放|播放量|阅读|阅读量|浏览|浏览量|观看|在看|人气|热度|粉丝|关注)(数|量|人数)?\s*[:：]?\s*[\d,.]+\s*[万千亿wWkK]?\+?\s*(票|次|人)?$")
            .is_match(item);
        if !(icon || named) {
            return false;
        }
        counts += 1;
    }
    (counts >= 1 && (items.len() >= 2 || regex!(r"^[^\p{L}\p{N}\p{P}\s]").is_match(t))) || buttons >= 2
}

/// A row of a document page's buttons (`HTML阅读 PDF下载 CAJ下载 手机阅读 引用 收藏`, the
/// spaces between them often lost) or its file counts (`下载：386　页码：45-53　页数：9`).
fn is_reading_buttons(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let buttons = regex!(
        r"^(?:(?:[A-Za-z]{2,5}|在线|手机|全文|原文|分章|分页|整本|免费)?(?:阅读|下载|预览)|引用|收藏|分享|导出|打印|关注|举报)+$"
    );
    let counts = regex!(r"^(?:(?:下载|下载量|页码|页数|大小|字数|被引|浏览)[:：][0-9][0-9\-,.]*[KMGkmg]?[Bb]?)+$");
    t.chars().count() <= 60
        && ((buttons.is_match(&t) && regex!(r"阅读|下载|预览").find_iter(&t).count() >= 2)
            || (counts.is_match(&t) && regex!(r"[:：]").find_iter(&t).count() >= 2))
}

/// A post's fold toggle: `收起`, `收起全文`.
fn is_post_toggle(t: &str) -> bool {
    regex!(r"^(收起|收起全文|收起正文)$").is_match(t)
}

/// A post's time with the poster's own delete button: `2025年12月3日 22:47　删除`.
fn is_post_time(t: &str) -> bool {
    t.chars().count() <= 40
        && regex!(r"[\s\u{3000}]删除$").is_match(t)
        && regex!(r"\d{1,2}:\d{2}|\d{1,2}\s*(分钟|小时|天)前|昨天|前天|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日")
            .is_match(t)
}

/// A post's likes: a heart, then the names of those who liked it (`♡ 阿林，小周，木子`).
fn is_likes_line(t: &str) -> bool {
    regex!(r"^[♡♥❤🤍]\s*[^\s\d]").is_match(t) && regex!(r"[，,、]").is_match(t)
}

/// A box a site inserts between an article's paragraphs (an advertisement, a 延伸阅读 or
/// related-items box), named so by its class or id (`inline-ad`, `post_ad_inner`, `readmore`,
/// `related`): left out, and the article goes on after it.
pub fn is_insertion_box(element: &scraper::node::Element) -> bool {
    let names = element.classes().chain(element.id());
    names.flat_map(|n| n.split(['-', '_'])).any(|part| {
        regex!(r"(?i)^(ad|ads|adv|advert|advertisement|adsbygoogle|sponsor|sponsored|promo|promotion|readmore|related|recommend|recommended)$")
            .is_match(part)
    })
}

/// The original address of a page saved from a web archive: the address the archive's
/// replay script is started with (`__wm.wombat("http://…", "20220815063012", …)`), or an
/// address the archive rewrote (`https://web.archive.org/web/20220815063012/http://…`).
pub fn archived_address(html_start: &str) -> Option<String> {
    if let Some(c) = regex!(r#"\.wombat\(\s*["'](https?://[^"'\s]+)["']\s*,\s*["']\d{8,14}["']"#).captures(html_start) {
        return Some(c[1].to_string());
    }
    None
}

/// An address rewritten by a web archive, unwrapped to the original (`…/web/2022…/http://a/b`
/// → `http://a/b`); other addresses as they are.
pub fn unarchived(url: &str) -> String {
    match regex!(r"^https?://[^/]*archive[^/]*/(?:web/)?\d{8,14}[a-z_]*/(https?://\S+)$").captures(url) {
        Some(c) => c[1].to_string(),
        None => url.to_string(),
    }
}

/// What a kind of source's frame says about the text it holds.
#[derive(Debug, Default)]
pub struct Frame {
    /// The cached or archived page's own address.
    pub source_url: Option<String>,
    /// A post's time (the text's own date).
    pub date: Option<String>,
    /// The unit an account's verified description names (`某街道社工站官方账号`).
    pub source: Option<String>,
    /// The person who posted a personal post (a post with its owner's 删除 button): the
    /// speaker, and no unit publishes it.
    pub poster: Option<String>,
    /// An entry of an encyclopedia its users edit (its notice or edit counts say so): no unit
    /// publishes it.
    pub user_edited: bool,
}

impl Frame {
    /// Reads the frame from the lines of a text (plain, in order).
    pub fn read(lines: &[&str], calendar: meta::Calendar) -> Frame {
        let mut frame = Frame::default();
        let mut first = None;
        for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            first.get_or_insert(line);
            if frame.source_url.is_none() {
                frame.source_url = cached_address(line);
            }
            if frame.source.is_none()
                && let Some(c) =
                    regex!(r"^(\p{Han}{4,30}?)(官方账号|官方帐号|官方视频号|官方抖音号|官方快手号|官方微博|官方号)$")
                        .captures(line)
            {
                frame.source = Some(c[1].to_string());
            }
            frame.user_edited |= is_wiki_notice(line);
            if frame.date.is_none() && is_post_time(line) {
                frame.date = meta::dates(line, calendar).into_iter().next();
                // The poster's name stands alone on the first line of a copied post.
                frame.poster = first.filter(|f| meta::is_person_name(f)).map(str::to_string);
            }
        }
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_lines_are_told_from_text() {
        for line in [
            "网页快照",
            "您查看的是 https://example.org/a/1.html 的网页快照。",
            "01:05 / 03:40",
            "倍速 清晰度 1080P 全屏",
            "♥ 3.4万　　💬 210",
            "得票数：1,024　　[投TA一票]",
            "[投TA一票]　[分享]",
            "PDF下载 在线阅读 引用 收藏",
            "EPUB阅读PDF下载分享",
            "下载：52　页码：12-20　页数：9",
            "#邻里互助 #社区故事",
            "收起",
            "11月2日 08:15　删除",
            "♡ 小林，阿梅，王老师",
            "本条目由编辑团队维护。",
            "编辑次数：6次历史版本",
            "09:41　4G　58%",
            "〈　工单详情　···",
            "说点什么...",
            "现场照片_0412.jpg",
            "办理状态：已办结",
            "直播已结束，感谢收看",
            "［片尾音乐起，渐弱］",
            "已读 3/20　　未读 17",
            "[附件] 报名表.docx　18KB",
            "转写结果由机器自动生成，准确率约95%，请核对后使用。",
            "识别结果仅供参考",
            "本站所载内容仅供参考，请以正式文本为准。",
            "▶　00:12:05 / 01:02:40　　倍速 1.5x　　音量",
            "精选课程：个案会谈技巧　原价¥399　限时¥99　[立即购买]",
            "扫码关注公众号，领取考点笔记",
            "[二维码]",
        ] {
            assert!(chrome(line).is_some(), "{line}");
        }
        for line in [
            "床位数：386　　入住数：200",
            "社工站服务2,318人次。",
            "合计　386",
            "删除",
            "#",
            "精神状态：已好转",
            "直播带货成为新业态",
            "社区将邀请医生讲解用药常识，相关内容仅供参考。",
            "会议纪要初稿由系统自动生成，经与会人员确认后印发。",
            "午餐每份¥12　凭卡就餐",
        ] {
            assert!(chrome(line).is_none(), "{line}");
        }
    }

    #[test]
    fn the_frame_names_the_cached_address_and_the_post() {
        let f = Frame::read(
            &["您查看的是 http://www.example.gov.cn/art/1.html 的网页快照。", "正文。"],
            meta::Calendar::default(),
        );
        assert_eq!(f.source_url.as_deref(), Some("http://www.example.gov.cn/art/1.html"));
        let f = Frame::read(&["林晓", "一段话。", "2024年5月6日 20:11　删除"], meta::Calendar::default());
        assert_eq!((f.date.as_deref(), f.poster.as_deref()), (Some("2024-05-06"), Some("林晓")));
    }

    #[test]
    fn an_archived_copy_names_the_original_address() {
        let head = r#"<script>__wm.wombat("http://www.example.org/n/12.html","20190302101010","https://web.archive.org/");</script>"#;
        assert_eq!(archived_address(head).as_deref(), Some("http://www.example.org/n/12.html"));
        assert_eq!(
            unarchived("https://web.archive.org/web/20190302101010/http://www.example.org/n/12.html"),
            "http://www.example.org/n/12.html"
        );
        assert_eq!(unarchived("https://www.example.org/n/12.html"), "https://www.example.org/n/12.html");
    }
}
