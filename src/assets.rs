//! Files that are not pages: pictures and attachments in `content/` (beside a page, or in a page
//! bundle `content/<section>/<slug>/index.md`) and the site's own `static/` folder. Each is
//! published at its place (`content/cases/x/photo.jpg` → `cases/x/photo.jpg`,
//! `static/img/logo.png` → `img/logo.png`). Content pictures wider than the smallest width of
//! [`WIDTHS`] get resized copies, made once and kept under `.zhiku/images/` by content hash;
//! a picture wider than the largest width is published only as its copies.
//!
//! Nothing here knows of pages or templates: `link` resolves references to assets, `render`
//! writes what [`Assets::outputs`] lists.

use crate::diagnostic::Diagnostic;
use crate::{Error, Result, fsx};
use rayon::prelude::*;
use rust_i18n::t;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Widths of the resized copies, in pixels. A picture is never scaled up: it gets the widths
/// below its own, and is itself the largest when it is no wider than the last one.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// Where resized copies are kept, under the site root.
pub const CACHE_DIR: &str = ".zhiku/images";
/// The site-wide folder published as it is.
pub const STATIC_DIR: &str = "static";
/// A file above this size is not published (it is read whole to be copied).
pub const MAX_ASSET_BYTES: u64 = 256 << 20;
/// Pictures are decoded within these limits, so a small file that claims a huge size (a
/// decompression bomb) is an error, not the end of the machine's memory.
pub const MAX_PICTURE_SIDE: u32 = 20_000;
pub const MAX_PICTURE_ALLOC: u64 = 1 << 30;
/// JPEG quality of the copies: photos for reading on screens.
const JPEG_QUALITY: u8 = 82;
/// Bumped when copies are made differently, so old cached copies are not reused
/// (v2: turned upright by their EXIF orientation; transparent pictures copied as PNG).
const RECIPE: &str = "v2";

/// What a file is to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// JPEG, PNG or WebP: measured, and resized when large; GIF: measured, never resized (an
    /// animation would become a still).
    Picture,
    /// Other pictures zhiku does not measure (AVIF, BMP, icons): published as they are.
    OtherPicture,
    /// A document to download: its type as readers name it (`PDF`, `Word`…).
    Attachment(&'static str),
}

impl Kind {
    pub fn is_picture(self) -> bool {
        matches!(self, Kind::Picture | Kind::OtherPicture)
    }
}

/// The type of a file by its extension, `None` for files zhiku refuses to publish (pages a
/// browser would run scripts in: HTML, SVG, JavaScript), which could act as the site.
pub fn kind_of(name: &str) -> Option<Kind> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    Some(match ext.as_str() {
        "jpg" | "jpeg" | "png" | "webp" | "gif" => Kind::Picture,
        "avif" | "bmp" | "ico" => Kind::OtherPicture,
        "html" | "htm" | "xhtml" | "svg" | "svgz" | "js" | "mjs" | "xml" | "xsl" | "xslt" => return None,
        "pdf" => Kind::Attachment("PDF"),
        "doc" | "docx" | "wps" | "rtf" | "odt" => Kind::Attachment("Word"),
        "xls" | "xlsx" | "et" | "ods" => Kind::Attachment("Excel"),
        "ppt" | "pptx" | "dps" | "odp" => Kind::Attachment("PPT"),
        "zip" => Kind::Attachment("ZIP"),
        "rar" => Kind::Attachment("RAR"),
        "7z" => Kind::Attachment("7Z"),
        "txt" => Kind::Attachment("TXT"),
        "csv" => Kind::Attachment("CSV"),
        "ofd" => Kind::Attachment("OFD"),
        "mp3" | "m4a" | "wav" => Kind::Attachment("音频"),
        "mp4" | "mov" | "avi" | "wmv" => Kind::Attachment("视频"),
        "heic" | "heif" => Kind::Attachment(HEIC),
        "tif" | "tiff" => Kind::Attachment(TIFF),
        _ => Kind::Attachment("文件"),
    })
}

/// Pictures from phones (HEIC) and scanners (TIFF) that most browsers cannot show: published
/// as downloads, and an error where a page shows them as pictures.
pub const HEIC: &str = "HEIC";
pub const TIFF: &str = "TIFF";

/// Whether `kind` is a picture format browsers cannot show ([`HEIC`], [`TIFF`]).
pub fn unviewable_picture(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Attachment(f @ (HEIC | TIFF)) => Some(f),
        _ => None,
    }
}

/// One resized copy of a picture.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Output path: `cases/x/photo.960w.jpg`.
    pub url: String,
}

/// A measured picture and the copies it is published as.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    /// Content hash (hex): the cache key of its copies.
    pub key: String,
    /// Smallest first. Empty for small pictures and for those of `static/`.
    pub variants: Vec<Variant>,
    /// Whether the file itself is published (not when a copy replaces it).
    pub original: bool,
    /// What its header said (kept in the measurement cache).
    measure: Measure,
}

impl Picture {
    /// What an `<img>` shows by default: the largest published form.
    pub fn src<'a>(&'a self, asset: &'a Asset) -> &'a str {
        match self.variants.last() {
            Some(v) if !self.original => &v.url,
            _ => &asset.url,
        }
    }
}

/// A file of the site that is published as it is, or as resized copies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asset {
    /// Output path, also its site URL without the leading slash: `cases/x/photo.jpg`.
    pub url: String,
    /// Path for messages, relative to the site root: `content/cases/x/photo.jpg`.
    pub file: PathBuf,
    /// Whether it is in `content/` (else in `static/`).
    pub in_content: bool,
    pub len: u64,
    pub modified: Option<u128>,
    pub kind: Kind,
    pub picture: Option<Picture>,
}

impl Asset {
    /// The file name readers see: `附件.pdf`.
    pub fn name(&self) -> &str {
        self.url.rsplit('/').next().unwrap_or(&self.url)
    }
}

/// `bytes` as readers read sizes: `1.2 MB`, `340 KB`, `800 B`.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KB * KB * KB {
        format!("{:.1} GB", b / (KB * KB * KB))
    } else if b >= KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else if bytes >= 1024 {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{bytes} B")
    }
}

/// Every asset of the site, by URL.
#[derive(Debug, Default)]
pub struct Assets {
    pub list: Vec<Asset>,
    by_url: HashMap<String, usize>,
}

/// A picture as its header describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Measure {
    /// As displayed: after its EXIF orientation.
    width: u32,
    height: u32,
    /// It has an alpha channel: copies are PNG, so transparency stays.
    alpha: bool,
    /// Its EXIF orientation turns or flips it: published only as upright copies.
    oriented: bool,
    /// GIF: published as it is (an animation stays one).
    gif: bool,
}

/// One cached measurement: (length, modified) of a file, its hash and what it measured.
type Measured = HashMap<String, (u64, Option<u128>, String, Measure)>;

impl Assets {
    /// The asset published at `url` (`cases/x/photo.jpg`).
    pub fn get(&self, url: &str) -> Option<usize> {
        self.by_url.get(url).copied()
    }

    /// Lists `content/` (files that are not pages) and `static/`, and measures the pictures.
    /// A measurement is remembered by length and time in `.zhiku/images/index.tsv`, so an
    /// unchanged picture is not read again. Problems are errors naming the file, returned
    /// beside what could be listed.
    pub fn scan(root: &Path) -> Result<(Assets, Vec<Diagnostic>)> {
        let mut problems = Vec::new();
        let mut found: Vec<(PathBuf, String, bool)> = Vec::new();
        let content = root.join(crate::content::CONTENT_DIR);
        if content.is_dir() {
            let listing = fsx::list_in_site(root, &content, true, &|name| !is_page_name(name))?;
            // The content listing of pages reports its own problems.
            for path in listing.files {
                let url = crate::content::rel_path(&content, &path);
                found.push((path, url, true));
            }
        }
        let statics = root.join(STATIC_DIR);
        if std::fs::symlink_metadata(&statics).is_ok() {
            let listing = fsx::list_in_site(root, &statics, true, &|_| true)?;
            problems.extend(listing.problems);
            for path in listing.files {
                let url = crate::content::rel_path(&statics, &path);
                found.push((path, url, false));
            }
        }
        let cache = root.join(CACHE_DIR);
        let measured = read_index(&cache.join("index.tsv"));
        let results: Vec<(Option<Asset>, Option<Diagnostic>)> = found
            .par_iter()
            .map(|(path, url, in_content)| {
                let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                measure(root, path, url, shown, *in_content, &measured)
            })
            .collect();
        let mut assets = Assets::default();
        for (asset, problem) in results {
            problems.extend(problem);
            let Some(a) = asset else { continue };
            if let Some(&other) = assets.by_url.get(&a.url) {
                problems.push(
                    Diagnostic::error(
                        &a.file,
                        0,
                        0,
                        t!("assets.twice", url = a.url, other = assets.list[other].file.display()),
                    )
                    .with_hint(t!("assets.twice_hint")),
                );
                continue;
            }
            assets.by_url.insert(a.url.clone(), assets.list.len());
            assets.list.push(a);
        }
        // Remembered for the next build; a cache that cannot be written only costs time.
        let _ = write_index(&cache.join("index.tsv"), &assets);
        Ok((assets, problems))
    }

    /// Output path and source file of every published file, resized copies included.
    pub fn outputs(&self, root: &Path) -> Vec<(String, PathBuf)> {
        let cache = root.join(CACHE_DIR);
        let mut out = Vec::new();
        for a in &self.list {
            let source = root.join(&a.file);
            match &a.picture {
                Some(p) => {
                    if p.original {
                        out.push((a.url.clone(), source));
                    }
                    for v in &p.variants {
                        out.push((v.url.clone(), cache.join(&p.key).join(variant_file(v.width, &v.url))));
                    }
                }
                None => out.push((a.url.clone(), source)),
            }
        }
        out
    }

    /// Makes the resized copies missing from the cache (in parallel); returns how many
    /// pictures were decoded. Unchanged pictures cost nothing here.
    pub fn make_copies(&self, root: &Path) -> Result<usize> {
        let cache = root.join(CACHE_DIR);
        let todo: Vec<&Asset> = self
            .list
            .iter()
            .filter(|a| {
                a.picture.as_ref().is_some_and(|p| {
                    p.variants.iter().any(|v| !cache.join(&p.key).join(variant_file(v.width, &v.url)).is_file())
                })
            })
            .collect();
        todo.par_iter().map(|a| make_copies_of(root, a, &cache)).collect::<Result<Vec<()>>>()?;
        Ok(todo.len())
    }
}

/// Markdown files are pages, not assets.
fn is_page_name(name: &str) -> bool {
    name.len() > 3 && name.is_char_boundary(name.len() - 3) && name[name.len() - 3..].eq_ignore_ascii_case(".md")
}

/// The file name of a copy in the cache folder: its width and the URL's extension.
fn variant_file(width: u32, url: &str) -> String {
    let ext = url.rsplit_once('.').map_or("jpg", |(_, e)| e);
    format!("{width}.{ext}")
}

fn modified(meta: &std::fs::Metadata) -> Option<u128> {
    meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_nanos())
}

fn measure(
    root: &Path,
    path: &Path,
    url: &str,
    shown: PathBuf,
    in_content: bool,
    measured: &Measured,
) -> (Option<Asset>, Option<Diagnostic>) {
    match measure_file(root, path, url, shown, in_content, measured) {
        Ok(found) => found,
        Err(d) => (None, Some(d)),
    }
}

/// [`measure`]: the asset and a warning, or an error.
fn measure_file(
    root: &Path,
    path: &Path,
    url: &str,
    shown: PathBuf,
    in_content: bool,
    measured: &Measured,
) -> std::result::Result<(Option<Asset>, Option<Diagnostic>), Diagnostic> {
    let Some(kind) = kind_of(url) else {
        let svg =
            url.rsplit_once('.').is_some_and(|(_, e)| e.eq_ignore_ascii_case("svg") || e.eq_ignore_ascii_case("svgz"));
        return Err(if svg {
            Diagnostic::error(&shown, 0, 0, t!("assets.svg")).with_hint(t!("assets.svg_hint"))
        } else {
            Diagnostic::error(&shown, 0, 0, t!("assets.script")).with_hint(t!("assets.script_hint"))
        });
    };
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(&shown, 0, 0, t!("assets.unreadable", error = e.to_string())))?;
    if meta.len() > MAX_ASSET_BYTES {
        return Err(Diagnostic::error(
            &shown,
            0,
            0,
            t!("assets.too_large", size = human_size(meta.len()), max = human_size(MAX_ASSET_BYTES)),
        )
        .with_hint(t!("assets.too_large_hint")));
    }
    let (len, modified) = (meta.len(), modified(&meta));
    let mut asset = Asset { url: url.to_string(), file: shown, in_content, len, modified, kind, picture: None };
    if let Some(format) = unviewable_picture(kind)
        && in_content
    {
        let warning = Diagnostic::warning(&asset.file, 0, 0, t!("assets.unviewable", format = format))
            .with_hint(t!("assets.unviewable_hint"));
        return Ok((Some(asset), Some(warning)));
    }
    if kind == Kind::Picture {
        let (key, measure) = match measured.get(url) {
            Some((l, m, key, measure)) if (*l, *m) == (len, modified) && modified.is_some() => (key.clone(), *measure),
            _ => {
                let bytes = fsx::read_in_site(root, path, MAX_ASSET_BYTES)
                    .map_err(|e| Diagnostic::error(&asset.file, 0, 0, e.to_string()))?;
                match measure_picture(&bytes) {
                    Ok(measure) => (content_key(&bytes), measure),
                    Err((message, true)) => return Err(picture_error(&asset.file, &message)),
                    // Published as it is, without a size: the browser may show it, or not.
                    Err((message, false)) => {
                        asset.kind = Kind::OtherPicture;
                        let warning = Diagnostic::warning(&asset.file, 0, 0, t!("assets.unmeasured", error = message))
                            .with_hint(t!("assets.picture_hint"));
                        return Ok((Some(asset), Some(warning)));
                    }
                }
            }
        };
        asset.picture = Some(plan(url, key, measure, in_content));
    }
    Ok((Some(asset), None))
}

fn picture_error(file: &Path, message: &str) -> Diagnostic {
    Diagnostic::error(file, 0, 0, t!("assets.bad_picture", error = message)).with_hint(t!("assets.picture_hint"))
}

/// The copies of a picture: the widths of [`WIDTHS`] below its own, never for a GIF. A
/// picture turned by its EXIF orientation also gets an upright copy at its own size, which
/// replaces it: browsers differ in whether, and for which formats, they turn pictures.
fn plan(url: &str, key: String, m: Measure, in_content: bool) -> Picture {
    let (width, height) = (m.width, m.height);
    let mut variants = Vec::new();
    if in_content && !m.gif {
        let (stem, ext) = url.rsplit_once('.').unwrap_or((url, "jpg"));
        let ext = if m.alpha || ext.eq_ignore_ascii_case("png") { "png" } else { "jpg" };
        let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|&w| w < width).collect();
        if m.oriented && width <= WIDTHS[WIDTHS.len() - 1] {
            widths.push(width);
        }
        for w in widths {
            let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width)).max(1) as u32;
            variants.push(Variant { width: w, height: h, url: format!("{stem}.{w}w.{ext}") });
        }
    }
    let original = variants.is_empty() || (width <= WIDTHS[WIDTHS.len() - 1] && !m.oriented);
    Picture { width, height, key, variants, original, measure: m }
}

/// A stable content hash: the cache key of a picture's copies.
fn content_key(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::new().chain_update(RECIPE).chain_update(bytes).finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_PICTURE_SIDE);
    limits.max_image_height = Some(MAX_PICTURE_SIDE);
    limits.max_alloc = Some(MAX_PICTURE_ALLOC);
    limits
}

fn reader(bytes: &[u8]) -> std::result::Result<image::ImageReader<std::io::Cursor<&[u8]>>, String> {
    let mut reader =
        image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    reader.limits(limits());
    Ok(reader)
}

/// A picture's size (as displayed), transparency and orientation from its header, within the
/// limits; or why not, and whether that is an error (a size past the limits: a decompression
/// bomb) or only a broken file.
fn measure_picture(bytes: &[u8]) -> std::result::Result<Measure, (String, bool)> {
    use image::ImageDecoder;
    let limit = |e: image::ImageError| (e.to_string(), matches!(e, image::ImageError::Limits(_)));
    // The size first, from the header alone: a bomb is refused before anything else is read.
    let (w, h) = match gif_size(bytes) {
        Some(size) => size,
        None => reader(bytes).map_err(|m| (m, false))?.into_dimensions().map_err(limit)?,
    };
    if w > MAX_PICTURE_SIDE || h > MAX_PICTURE_SIDE {
        return Err((t!("assets.too_many_pixels_side", width = w, height = h, max = MAX_PICTURE_SIDE).into(), true));
    }
    // Decoded as RGBA at worst: past the allocation limit, decoding would fail anyway.
    if u64::from(w) * u64::from(h) * 4 > MAX_PICTURE_ALLOC {
        let megapixels = MAX_PICTURE_ALLOC / 4 / 1_000_000;
        return Err((t!("assets.too_many_pixels", width = w, height = h, megapixels = megapixels).into(), true));
    }
    if w == 0 || h == 0 {
        return Err((t!("assets.no_pixels").into(), false));
    }
    let gif = gif_size(bytes).is_some();
    let (alpha, orientation) = if gif {
        (false, image::metadata::Orientation::NoTransforms)
    } else {
        let mut decoder = reader(bytes).map_err(|m| (m, false))?.into_decoder().map_err(limit)?;
        let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
        (decoder.color_type().has_alpha(), orientation)
    };
    use image::metadata::Orientation::*;
    let turned = matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH);
    let (width, height) = if turned { (h, w) } else { (w, h) };
    Ok(Measure { width, height, alpha, oriented: orientation != NoTransforms, gif })
}

/// A GIF's logical screen size, from its first ten bytes (`None` if it is no GIF).
fn gif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let header = bytes.get(..10)?;
    if !(header.starts_with(b"GIF87a") || header.starts_with(b"GIF89a")) {
        return None;
    }
    let le = |i: usize| u32::from(u16::from_le_bytes([header[i], header[i + 1]]));
    Some((le(6), le(8)))
}

/// Decodes one picture and writes its copies into the cache (each file atomically).
fn make_copies_of(root: &Path, asset: &Asset, cache: &Path) -> Result<()> {
    let Some(p) = &asset.picture else { return Ok(()) };
    let path = root.join(&asset.file);
    let bytes = fsx::read_in_site(root, &path, MAX_ASSET_BYTES)?;
    let fail = |m: String| Error::Content(vec![picture_error(&asset.file, &m)]);
    let mut decoder = reader(&bytes).map_err(fail)?.into_decoder().map_err(|e| fail(e.to_string()))?;
    let orientation = {
        use image::ImageDecoder;
        decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms)
    };
    let mut image = image::DynamicImage::from_decoder(decoder).map_err(|e| fail(e.to_string()))?;
    drop(bytes);
    image.apply_orientation(orientation);
    let dir = cache.join(&p.key);
    fsx::create_dir_all(&dir)?;
    // Largest first, each from the one before: far less work than each from the original.
    let mut from = image;
    for v in p.variants.iter().rev() {
        let resized = from.resize_exact(v.width, v.height, image::imageops::FilterType::Triangle);
        let mut out = Vec::new();
        if v.url.ends_with(".png") {
            // PNG keeps the alpha channel: a transparent logo stays transparent.
            resized
                .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .map_err(|e| fail(e.to_string()))?;
        } else {
            let rgb = resized.to_rgb8();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            rgb.write_with_encoder(encoder).map_err(|e| fail(e.to_string()))?;
        }
        let target = dir.join(variant_file(v.width, &v.url));
        let tmp = dir.join(format!(".{}.{}.tmp", v.width, std::process::id()));
        fsx::write(&tmp, &out)?;
        fsx::rename(&tmp, &target)?;
        from = resized;
    }
    Ok(())
}

fn read_index(path: &Path) -> Measured {
    let Ok(text) = std::fs::read_to_string(path) else { return Measured::new() };
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let [url, len, modified, key, w, h, flags] = f.as_slice() else { return None };
            let measure = Measure {
                width: w.parse().ok()?,
                height: h.parse().ok()?,
                alpha: flags.contains('a'),
                oriented: flags.contains('o'),
                gif: flags.contains('g'),
            };
            Some((url.to_string(), (len.parse().ok()?, modified.parse().ok(), key.to_string(), measure)))
        })
        .collect()
}

fn write_index(path: &Path, assets: &Assets) -> Result<()> {
    let mut text = String::new();
    for a in &assets.list {
        if let (Some(p), Some(m)) = (&a.picture, a.modified)
            && !a.url.contains(['\t', '\n'])
        {
            let flags: String = [(p.measure.alpha, 'a'), (p.measure.oriented, 'o'), (p.measure.gif, 'g')]
                .into_iter()
                .filter_map(|(on, c)| on.then_some(c))
                .collect();
            text.push_str(&format!("{}\t{}\t{}\t{}\t{}\t{}\t{}-\n", a.url, a.len, m, p.key, p.width, p.height, flags));
        }
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    fsx::write(&tmp, text)?;
    fsx::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_kinds() {
        assert_eq!(human_size(800), "800 B");
        assert_eq!(human_size(348_160), "340 KB");
        assert_eq!(human_size(1_258_291), "1.2 MB");
        assert_eq!(kind_of("附件.PDF"), Some(Kind::Attachment("PDF")));
        assert_eq!(kind_of("表.xlsx"), Some(Kind::Attachment("Excel")));
        assert_eq!(kind_of("a.JPG"), Some(Kind::Picture));
        assert_eq!(kind_of("x.svg"), None);
    }

    #[test]
    fn copies_are_never_larger_than_the_picture() {
        let m = |width, height| Measure { width, height, alpha: false, oriented: false, gif: false };
        let p = plan("cases/x/a.jpg", "k".into(), m(4000, 3000), true);
        let widths: Vec<u32> = p.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 960, 1600]);
        assert_eq!(p.variants[2].height, 1200);
        assert!(!p.original);
        let p = plan("a.png", "k".into(), m(1000, 500), true);
        assert_eq!(p.variants.iter().map(|v| v.url.as_str()).collect::<Vec<_>>(), ["a.480w.png", "a.960w.png"]);
        assert!(p.original);
        let p = plan("a.jpg", "k".into(), m(300, 200), true);
        assert!(p.variants.is_empty() && p.original);
        // Transparent WebP: PNG copies. A GIF: never resized.
        let p = plan("a.webp", "k".into(), Measure { alpha: true, ..m(1000, 500) }, true);
        assert_eq!(p.variants.iter().map(|v| v.url.as_str()).collect::<Vec<_>>(), ["a.480w.png", "a.960w.png"]);
        let p = plan("a.gif", "k".into(), Measure { gif: true, ..m(2000, 500) }, true);
        assert!(p.variants.is_empty() && p.original);
        // Turned by its orientation: an upright copy at its own size replaces it.
        let p = plan("a.jpg", "k".into(), Measure { oriented: true, ..m(600, 800) }, true);
        assert_eq!(p.variants.iter().map(|v| (v.width, v.height)).collect::<Vec<_>>(), [(480, 640), (600, 800)]);
        assert!(!p.original);
    }
}
