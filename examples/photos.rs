//! Adds page bundles with large photos to a site, for the picture benchmark (`scripts/bench
//! photos`): `photos SITE PAGES PER_PAGE [WIDTH HEIGHT]` writes `content/photos/p<k>/index.md`
//! with PER_PAGE noise JPEGs each (4000 × 3000 by default; noise does not compress).
//! The same arguments give the same bytes.

use image::codecs::jpeg::JpegEncoder;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: photos SITE PAGES PER_PAGE [WIDTH HEIGHT]";
    let site = PathBuf::from(args.get(1).expect(usage));
    let number = |i: usize, default: u32| args.get(i).map_or(default, |a| a.parse().expect(usage));
    let (pages, per_page, width, height) = (number(2, 1000), number(3, 2), number(4, 4000), number(5, 3000));
    let dir = site.join("content/photos");
    std::fs::create_dir_all(&dir).unwrap();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut bytes = 0u64;
    for p in 0..pages {
        let bundle = dir.join(format!("p{p}"));
        std::fs::create_dir_all(&bundle).unwrap();
        let mut body = format!("---\ntitle: 活动照片{p}\ndate: 2024-01-01\n---\n\n活动照片。\n\n");
        for k in 0..per_page {
            let name = format!("photo{k}.jpg");
            let path = bundle.join(&name);
            body.push_str(&format!("![图{} 活动现场]({name})\n\n", k + 1));
            if path.exists() {
                bytes += std::fs::metadata(&path).unwrap().len();
                continue;
            }
            // Smooth bands with light noise on top, so the files come near camera sizes.
            let mut pixels = Vec::with_capacity((width * height * 3) as usize);
            for y in 0..height {
                for x in 0..width {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    let noise = (state >> 60) as u8;
                    let base = ((x / 7 + y / 5 + p * 13 + k * 29) % 200) as u8;
                    pixels.extend([base + noise, base / 2 + noise, 255 - base - noise]);
                }
            }
            let mut out = Vec::new();
            JpegEncoder::new_with_quality(&mut out, 90)
                .encode(&pixels, width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
            bytes += out.len() as u64;
            std::fs::write(&path, out).unwrap();
        }
        std::fs::write(bundle.join("index.md"), body).unwrap();
    }
    println!("{} photos in {pages} bundles, {:.1} MB", pages * per_page, bytes as f64 / 1e6);
}
