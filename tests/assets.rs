//! Page bundles, `static/`, pictures, attachments and links written as authors write them
//! (`tests/sites/bundles`), built at the root and under a sub-path.

mod common;

use common::{SiteTest, broken_links, sel, snapshot, texts_of};
use scraper::Html;
use std::path::{Path, PathBuf};

/// Writes a noise photo of `width` × `height` (several MB at full size) into the fixture.
fn large_photo(site: &SiteTest, rel: &str, width: u32, height: u32) -> u64 {
    let mut state: u64 = 7;
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for i in 0..width * height {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let noise = (state >> 59) as u8;
        pixels.extend([(i % 200) as u8 + noise, 90 + noise, 200 - noise]);
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode(&pixels, width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    let path = site.root.join(rel);
    std::fs::write(&path, &out).unwrap();
    out.len() as u64
}

fn bundles_site() -> (SiteTest, u64) {
    let site = SiteTest::fixture("bundles");
    let bytes = large_photo(&site, "content/cases/yingze-brand/big.jpg", 3000, 2000);
    (site, bytes)
}

/// The file an href or src written in the page at `page` (under `public`) points to.
fn target_of(public: &Path, page: &Path, url: &str) -> PathBuf {
    let path = url.split('#').next().unwrap_or(url);
    let path = zhiku::safety::percent_decode(path);
    let mut target = page.parent().unwrap().to_path_buf();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                target.pop();
            }
            p => target.push(p),
        }
    }
    if path.ends_with('/') || path.is_empty() {
        target.push("index.html");
    }
    assert!(target.starts_with(public), "{url} in {} leads out of the site", page.display());
    target
}

/// Every picture of every page resolves to a published file and has its size.
fn check_pictures(public: &Path) -> usize {
    let mut count = 0;
    for rel in snapshot(public).keys().filter(|p| p.ends_with(".html")) {
        let page = public.join(rel);
        let doc = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        for img in doc.select(&sel("img")) {
            count += 1;
            let e = img.value();
            let src = e.attr("src").unwrap();
            assert!(target_of(public, &page, src).is_file(), "{rel}: <img src={src}> is not published");
            for part in e.attr("srcset").unwrap_or("").split(',').filter(|p| !p.trim().is_empty()) {
                let url = part.split_whitespace().next().unwrap();
                assert!(target_of(public, &page, url).is_file(), "{rel}: srcset {url} is not published");
            }
            for attr in ["width", "height"] {
                assert!(e.attr(attr).is_some_and(|v| v.parse::<u32>().unwrap() > 0), "{rel}: {src} lacks {attr}");
            }
            assert_eq!(e.attr("loading"), Some("lazy"));
            assert_eq!(e.attr("decoding"), Some("async"));
        }
    }
    count
}

#[test]
fn bundles_pictures_and_links_resolve_at_the_root_and_under_a_sub_path() {
    for base in ["/", "https://example.org/kb/"] {
        let (site, photo_bytes) = bundles_site();
        let mut options = site.options();
        options.base_url = Some(base.into());
        zhiku::site::build(&options).unwrap_or_else(|e| panic!("{base}: {e}"));
        let public = site.public();
        let broken = broken_links(&public, &zhiku::render::base_path(base));
        assert!(broken.is_empty(), "{base}: {broken:#?}");
        assert_eq!(check_pictures(&public), 6, "{base}");

        // Bundle assets beside the page; static/ at the root.
        for f in ["cases/yingze-brand/station.png", "cases/yingze-brand/附件.pdf", "cases/photo.png", "img/logo.png"]
        {
            assert!(public.join(f).is_file(), "{base}: {f}");
        }
        // The large photo reaches the page resized only: no copy wider than 1600 px, none as large.
        assert!(!public.join("cases/yingze-brand/big.jpg").exists());
        let doc = site.html("cases/yingze-brand/index.html");
        let big = doc.select(&sel("img[alt=大照片]")).next().expect("the large photo");
        let srcset = big.value().attr("srcset").expect("srcset on the large photo");
        assert_eq!(srcset.matches("w,").count() + 1, 3, "{srcset}");
        for copy in ["big.480w.jpg", "big.960w.jpg", "big.1600w.jpg"] {
            let file = public.join("cases/yingze-brand").join(copy);
            let bytes = std::fs::read(&file).unwrap();
            assert!((bytes.len() as u64) < photo_bytes / 2, "{copy}: {} bytes", bytes.len());
            let (w, _) = image::ImageReader::open(&file).unwrap().into_dimensions().unwrap();
            assert!(w <= 1600, "{copy} is {w} px wide");
        }

        // Figures: numbered captions, the author's own number kept.
        assert_eq!(texts_of(&doc, "figure figcaption"), ["图1 社区服务站", "图2　志愿者服务队", "图3　会议现场"]);
        // Attachments: type and size after the link, and listed at the end (linked first).
        assert_eq!(texts_of(&doc, ".prose a.attachment + .attachment-meta"), ["（PDF，3 KB）"]);
        assert_eq!(texts_of(&doc, ".attachments li"), ["附件：附件.pdf（PDF，3 KB）", "附件：说明.docx（Word，1 KB）"]);
        // `[[标题#heading as displayed]]` links to the heading and shows its text.
        let wiki = doc.select(&sel(".prose a[href*='#二']")).next().expect("the heading link");
        assert_eq!(wiki.text().collect::<String>(), "（二）加强队伍建设");
        assert_eq!(wiki.value().attr("href"), Some("../../speeches/quanqu/#二加强队伍建设"));
        // og:image: the first picture.
        let og = doc.select(&sel("meta[property='og:image']")).next().unwrap().value().attr("content").unwrap();
        let want = if base == "/" {
            "../../cases/yingze-brand/station.png"
        } else {
            "https://example.org/kb/cases/yingze-brand/station.png"
        };
        assert_eq!(og, want);

        // Root-absolute and relative `.md` links are written relative to the page.
        let other = site.html("cases/other/index.html");
        let hrefs: Vec<&str> = other.select(&sel(".prose a")).filter_map(|a| a.value().attr("href")).collect();
        assert_eq!(
            hrefs,
            [
                "../../cases/yingze-brand/",
                "../../speeches/quanqu/",
                "../../cases/yingze-brand/station.png",
                "../../cases/",
                "../../map/",
                "../../cases/表格/报名表.xlsx"
            ]
        );
    }
}

/// Opened from disk in headless Chromium (`tests/js/assets.test.js`), every picture displays.
#[test]
fn pictures_display_from_file_urls_in_chromium() {
    let (site, _) = bundles_site();
    let mut options = site.options();
    options.base_url = Some("https://example.org/kb/".into());
    zhiku::site::build(&options).unwrap();
    common::node(&["--test", "tests/js/assets.test.js"], &[("ZHIKU_PUBLIC", &site.public())]);
}

#[test]
fn missing_files_and_wrong_links_fail_with_their_place() {
    let (site, _) = bundles_site();
    let page = "content/cases/broken.md";
    site.write(
        page,
        "---\ntitle: 坏链接\ndate: 2024-01-01\n---\n\n![缺图](nope.png)\n\n[讲话](../speeches/nope.md)\n\n[案例](/cases/nope/)\n\n[[在全区社会工作会议上的讲话#不存在的标题]]\n\n![附件当图](yingze-brand/附件.pdf)\n",
    );
    let errors = match site.build() {
        Err(zhiku::Error::Content(errors)) => errors,
        other => panic!("expected errors, got {other:?}"),
    };
    let found: Vec<(usize, usize)> =
        errors.iter().filter(|d| d.file == Path::new(page)).map(|d| (d.line, d.column)).collect();
    assert_eq!(found, [(6, 1), (8, 1), (10, 1), (12, 1), (14, 1)], "{errors:#?}");
    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert!(text[0].contains("`nope.png`") && text[0].contains("content/cases/nope.png"), "{}", text[0]);
    // The valid headings, in document order, as displayed.
    assert!(text[3].contains("一、提高政治站位 (#一提高政治站位); （一）提升基层治理效能"), "{}", text[3]);
    assert!(text[4].contains("not a picture"), "{}", text[4]);
    assert!(!site.public().exists(), "nothing is written");
}

#[test]
fn an_ambiguous_title_names_every_page() {
    let (site, _) = bundles_site();
    site.write("content/speeches/again.md", "---\ntitle: 在全区社会工作会议上的讲话\ndate: 2024-01-02\n---\n正文\n");
    site.write("content/about.md", "---\ntitle: 关于\n---\n见[[在全区社会工作会议上的讲话]]。\n");
    let Err(zhiku::Error::Content(errors)) = site.build() else { panic!("expected an error") };
    let d = errors.iter().find(|d| d.message.contains("matches more than one page (2)")).expect("the ambiguity");
    assert!(d.message.contains("content/speeches/again.md") && d.message.contains("content/speeches/quanqu.md"), "{d}");
}

#[test]
fn a_decompression_bomb_is_an_error_not_an_allocation() {
    let site = SiteTest::fixture("bundles");
    // A PNG header claiming 100,000 × 100,000 pixels (30 GB decoded), a few bytes long.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let ihdr = [&100_000u32.to_be_bytes()[..], &100_000u32.to_be_bytes(), &[8, 2, 0, 0, 0]].concat();
    png.extend((ihdr.len() as u32).to_be_bytes());
    let chunk = [&b"IHDR"[..], &ihdr].concat();
    png.extend(&chunk);
    png.extend(crc32(&chunk).to_be_bytes());
    std::fs::write(site.root.join("content/cases/yingze-brand/big.jpg"), &png).unwrap();
    let Err(zhiku::Error::Content(errors)) = site.build() else { panic!("expected an error") };
    let d = errors.iter().find(|d| d.file.ends_with("big.jpg")).expect("the bomb named");
    assert!(d.message.contains("cannot read this picture"), "{d}");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn unchanged_pictures_are_not_decoded_again_and_builds_are_identical() {
    let (site, _) = bundles_site();
    site.build().unwrap();
    let first = snapshot(&site.public());
    let (assets, problems) = zhiku::assets::Assets::scan(&site.root).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(assets.make_copies(&site.root).unwrap(), 0, "every copy comes from the cache");
    site.build().unwrap();
    assert!(snapshot(&site.public()) == first, "two builds differ");
    // Without the cache, the copies are made again, byte for byte the same.
    std::fs::remove_dir_all(site.root.join(zhiku::assets::CACHE_DIR)).unwrap();
    site.build().unwrap();
    assert!(snapshot(&site.public()) == first, "copies made again differ");
}

#[test]
fn the_preview_follows_added_replaced_and_deleted_pictures() {
    let (site, _) = bundles_site();
    let out = site.root.join(".zhiku/preview-test");
    let mut session = zhiku::preview::Session::new(&site.root, &out, false).unwrap();
    session.rebuild(&[]).unwrap();
    let full = |what: &str| {
        let mut options = site.options();
        let dir = site.root.join(".full");
        options.output = Some(dir.clone());
        options.base_url = Some("/".into());
        zhiku::site::build(&options).unwrap_or_else(|e| panic!("{what}: {e}"));
        let want = snapshot(&dir);
        let got = snapshot(&out);
        let pages = |m: &std::collections::BTreeMap<String, Vec<u8>>| {
            m.iter()
                .filter(|(p, _)| !p.starts_with("search/") || *p == "search/index.html")
                .map(|(p, b)| (p.clone(), b.clone()))
                .collect::<Vec<_>>()
        };
        assert!(pages(&want) == pages(&got), "{what}: the preview differs from a full build");
    };
    full("first build");
    let photo = site.root.join("content/cases/photo.png");
    let bytes = std::fs::read(&photo).unwrap();

    // Deleted: the page that shows it fails with its place; put back, it recovers.
    std::fs::remove_file(&photo).unwrap();
    let Err(zhiku::Error::Content(errors)) = session.rebuild(std::slice::from_ref(&photo)) else {
        panic!("a deleted picture is an error")
    };
    assert!(errors.iter().any(|d| d.file == Path::new("content/cases/other.md")), "{errors:?}");
    std::fs::write(&photo, &bytes).unwrap();
    session.rebuild(std::slice::from_ref(&photo)).unwrap();
    full("picture put back");

    // Replaced by a larger one: new size, new copies.
    large_photo(&site, "content/cases/photo.png", 1200, 800);
    session.rebuild(std::slice::from_ref(&photo)).unwrap();
    full("picture replaced");
    let doc = Html::parse_document(&std::fs::read_to_string(out.join("cases/other/index.html")).unwrap());
    let img = doc.select(&sel("img")).next().unwrap();
    assert_eq!(img.value().attr("width"), Some("1200"));

    // Added: a new attachment in a bundle is listed on its page.
    let added = site.root.join("content/cases/yingze-brand/名单.xlsx");
    std::fs::write(&added, b"PK\x03\x04 list").unwrap();
    session.rebuild(std::slice::from_ref(&added)).unwrap();
    full("attachment added");
    let doc = Html::parse_document(&std::fs::read_to_string(out.join("cases/yingze-brand/index.html")).unwrap());
    assert!(texts_of(&doc, ".attachments li").iter().any(|t| t.contains("名单.xlsx")));
    std::fs::remove_file(&added).unwrap();
    session.rebuild(std::slice::from_ref(&added)).unwrap();
    full("attachment deleted");
    assert!(!out.join("cases/yingze-brand/名单.xlsx").exists());
}

/// Pictures and links pasted as raw HTML are resolved, measured and resized like Markdown ones.
#[test]
fn raw_html_pictures_and_links_are_resolved_like_markdown_ones() {
    let (site, _) = bundles_site();
    site.write(
        "content/cases/pasted.md",
        "---\ntitle: 粘贴的案例\ndate: 2024-07-01\n---\n\n\
         <p><img src=\"yingze-brand/big.jpg\" alt=\"粘贴的大照片\" srcset=\"elsewhere.jpg 2x\"></p>\n\n\
         正文中的图<img alt=站 src='yingze-brand/station.png'>，下载<a href=\"yingze-brand/附件.pdf\">实施方案</a>，\
         见<a href=\"../speeches/quanqu.md\">讲话</a>和<a class=\"x\" href=\"/cases/yingze-brand/\">品牌</a>。\n\n\
         <div>\n<img\n  src=\"photo.png\" alt=\"跨行\">\n</div>\n",
    );
    let mut options = site.options();
    options.base_url = Some("https://example.org/kb/".into());
    zhiku::site::build(&options).unwrap();
    let public = site.public();
    assert!(broken_links(&public, "/kb/").is_empty());
    check_pictures(&public);
    let doc = site.html("cases/pasted/index.html");
    let big = doc.select(&sel("img[alt=粘贴的大照片]")).next().unwrap();
    assert_eq!(big.value().attr("src"), Some("../../cases/yingze-brand/big.1600w.jpg"));
    assert!(big.value().attr("srcset").unwrap().contains("big.480w.jpg 480w"), "the author's srcset is replaced");
    assert_eq!((big.value().attr("width"), big.value().attr("height")), (Some("1600"), Some("1067")));
    let hrefs: Vec<&str> = doc.select(&sel(".prose a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(hrefs, ["../../cases/yingze-brand/附件.pdf", "../../speeches/quanqu/", "../../cases/yingze-brand/"]);
    assert_eq!(texts_of(&doc, ".prose a.attachment + .attachment-meta"), ["（PDF，3 KB）"]);
    assert_eq!(texts_of(&doc, ".attachments li"), ["附件：附件.pdf（PDF，3 KB）"]);
    let across = doc.select(&sel("img[alt=跨行]")).next().unwrap();
    assert_eq!(across.value().attr("src"), Some("../../cases/photo.png"));
    // The page that links to the speech in raw HTML is among its backlinks.
    let speech = site.html("speeches/quanqu/index.html");
    assert!(speech.select(&sel("a[href='../../cases/pasted/']")).next().is_some());
}

/// A raw HTML picture or link to a missing file is an error at its tag; a picture held in the
/// page as a `data:` address is refused with what to do instead.
#[test]
fn raw_html_missing_files_and_data_pictures_fail_with_their_place() {
    let (site, _) = bundles_site();
    let page = "content/cases/pasted.md";
    site.write(
        page,
        "---\ntitle: 粘贴的案例\ndate: 2024-07-01\n---\n\n<p>前文<img src=\"nope.jpg\"></p>\n\n\
         下载<a href=\"nope.pdf\">方案</a>\n\n<img src=\"data:image/png;base64,iVBORw0KGgo=\">\n",
    );
    let Err(zhiku::Error::Content(errors)) = site.build() else { panic!("expected errors") };
    let found: Vec<(usize, usize)> =
        errors.iter().filter(|d| d.file == Path::new(page)).map(|d| (d.line, d.column)).collect();
    assert_eq!(found, [(6, 6), (8, 3), (10, 1)], "{errors:#?}");
    let data = errors.iter().find(|d| d.line == 10).unwrap();
    assert!(data.message.contains("data:image/png"), "{data}");
    assert!(data.hint.as_deref().is_some_and(|h| h.contains("<img src=")), "{data}");
}

/// A JPEG of `width` × `height` (stored), red in its stored top-left quarter, blue elsewhere,
/// with an EXIF orientation tag when `orientation` is given (6: turn 90° clockwise to show).
fn jpeg_with_orientation(width: u32, height: u32, orientation: Option<u16>) -> Vec<u8> {
    let mut img = image::RgbImage::from_pixel(width, height, image::Rgb([20, 40, 220]));
    for y in 0..height / 2 {
        for x in 0..width / 2 {
            img.put_pixel(x, y, image::Rgb([230, 20, 20]));
        }
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&img).unwrap();
    let Some(o) = orientation else { return jpeg };
    // APP1 "Exif": a big-endian TIFF header and one IFD entry, Orientation (0x0112), SHORT.
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
    tiff.extend(o.to_be_bytes());
    tiff.extend([0, 0, 0, 0, 0, 0]);
    let payload = [&b"Exif\x00\x00"[..], &tiff].concat();
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend(&jpeg[2..]);
    out
}

/// An RGBA picture, transparent in its left half.
fn transparent(width: u32, height: u32) -> image::RgbaImage {
    image::RgbaImage::from_fn(width, height, |x, _| {
        if x < width / 2 { image::Rgba([0; 4]) } else { image::Rgba([200, 30, 30, 255]) }
    })
}

#[test]
fn transparency_orientation_and_gif_are_kept() {
    let (site, _) = bundles_site();
    let dir = site.root.join("content/cases/formats");
    std::fs::create_dir_all(&dir).unwrap();
    transparent(1200, 600).save(dir.join("logo.png")).unwrap();
    let mut webp = Vec::new();
    transparent(1000, 500).write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut webp)).unwrap();
    std::fs::write(dir.join("sign.webp"), webp).unwrap();
    std::fs::write(dir.join("portrait.jpg"), jpeg_with_orientation(1200, 800, Some(6))).unwrap();
    // A one-frame GIF whose screen says 800 × 600 (its size is read from the header).
    let gif = b"GIF89a\x20\x03\x58\x02\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    std::fs::write(dir.join("moving.gif"), gif).unwrap();
    site.write(
        "content/cases/formats/index.md",
        "---\ntitle: 格式\ndate: 2024-07-01\n---\n\n![标志](logo.png)\n\n![招牌](sign.webp)\n\n![竖拍](portrait.jpg)\n\n![动图](moving.gif)\n",
    );
    site.build().unwrap();
    let public = site.public();
    check_pictures(&public);
    let doc = site.html("cases/formats/index.html");
    let img = |alt: &str| doc.select(&sel(&format!("img[alt={alt}]"))).next().unwrap().value().clone();

    // Transparent pictures are copied as PNG, and stay transparent.
    for (alt, copy) in [("标志", "logo.480w.png"), ("招牌", "sign.480w.png")] {
        assert!(img(alt).attr("srcset").unwrap().contains(copy), "{alt}");
        let copy = image::open(public.join("cases/formats").join(copy)).unwrap().to_rgba8();
        assert_eq!(copy.get_pixel(10, 10).0[3], 0, "{alt}: the transparent half stays transparent");
        assert_eq!(copy.get_pixel(copy.width() - 10, 10).0[3], 255, "{alt}");
    }
    // A phone photo stored sideways (EXIF orientation 6) is measured and copied upright; the
    // file itself, which some browsers would show sideways, is not published.
    let portrait = img("竖拍");
    assert_eq!((portrait.attr("width"), portrait.attr("height")), (Some("800"), Some("1200")));
    assert!(!public.join("cases/formats/portrait.jpg").exists());
    let upright = image::open(public.join("cases/formats/portrait.800w.jpg")).unwrap().to_rgb8();
    assert_eq!(upright.dimensions(), (800, 1200));
    // The stored top-left (red) is the top-right once turned clockwise.
    let [r, _, b] = upright.get_pixel(700, 100).0;
    assert!(r > 150 && b < 100, "top right is red: {r} {b}");
    let [r, _, b] = upright.get_pixel(100, 100).0;
    assert!(r < 100 && b > 150, "top left is blue: {r} {b}");
    // A GIF gets its size and is published as it is (an animation stays one).
    let gif_img = img("动图");
    assert_eq!((gif_img.attr("width"), gif_img.attr("height")), (Some("800"), Some("600")));
    assert_eq!(gif_img.attr("src"), Some("../../cases/formats/moving.gif"));
    assert!(gif_img.attr("srcset").is_none());
    assert_eq!(std::fs::read(public.join("cases/formats/moving.gif")).unwrap(), gif);
}

#[test]
fn phone_scanner_and_svg_pictures_get_what_to_do() {
    let (site, _) = bundles_site();
    site.write("content/cases/yingze-brand/IMG_0001.HEIC", "\0\0\0\x18ftypheic");
    site.write("content/cases/yingze-brand/扫描件.tif", "II*\0");
    site.write(
        "content/cases/phone.md",
        "---\ntitle: 手机照片\ndate: 2024-07-01\n---\n\n![现场](yingze-brand/IMG_0001.HEIC)\n",
    );
    site.write("static/img/图标.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
    let Err(zhiku::Error::Content(errors)) = site.build() else { panic!("expected errors") };
    let text = |d: &zhiku::Diagnostic| format!("{d}");
    let heic = errors.iter().find(|d| d.file == Path::new("content/cases/phone.md")).expect("the HEIC picture");
    assert_eq!((heic.line, heic.column), (6, 1));
    assert!(heic.message.contains("HEIC") && heic.hint.as_deref().unwrap().contains("JPEG"), "{}", text(heic));
    let svg = errors.iter().find(|d| d.file.ends_with("图标.svg")).expect("the SVG");
    assert!(
        svg.is_error() && svg.message.contains("SVG") && svg.hint.as_deref().unwrap().contains("PNG"),
        "{}",
        text(svg)
    );
    // Not shown as pictures, they are published as downloads, with a warning saying what to do.
    std::fs::remove_file(site.root.join("content/cases/phone.md")).unwrap();
    std::fs::remove_file(site.root.join("static/img/图标.svg")).unwrap();
    let report = site.build().unwrap();
    for name in ["IMG_0001.HEIC", "扫描件.tif"] {
        let w = report.warnings.iter().find(|d| d.file.ends_with(name)).expect(name);
        assert!(w.hint.as_deref().unwrap().contains("JPEG"), "{}", text(w));
        assert!(site.public().join("cases/yingze-brand").join(name).is_file());
    }
}

#[test]
fn a_picture_too_large_to_decode_is_an_error_before_decoding() {
    let site = SiteTest::fixture("bundles");
    // 20,000 × 20,000: within the side limit, but 1.6 GB to decode.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let ihdr = [&20_000u32.to_be_bytes()[..], &20_000u32.to_be_bytes(), &[8, 6, 0, 0, 0]].concat();
    png.extend((ihdr.len() as u32).to_be_bytes());
    let chunk = [&b"IHDR"[..], &ihdr].concat();
    png.extend(&chunk);
    png.extend(crc32(&chunk).to_be_bytes());
    // An empty IDAT and IEND, so the header reads as a whole picture's.
    for name in [b"IDAT", b"IEND"] {
        png.extend(0u32.to_be_bytes());
        png.extend(name);
        png.extend(crc32(name).to_be_bytes());
    }
    std::fs::write(site.root.join("content/cases/yingze-brand/big.jpg"), &png).unwrap();
    let Err(zhiku::Error::Content(errors)) = site.build() else { panic!("expected an error") };
    let d = errors.iter().find(|d| d.file.ends_with("big.jpg")).expect("the picture named");
    assert!(d.is_error() && d.message.contains("20000 × 20000") && d.message.contains("million pixels"), "{d}");
}
