//! "Did you mean": the known names closest to a name that is not known, by edit distance over
//! characters and, for Chinese, over pinyin too (志原服务 sounds like 志愿服务 and is one
//! character off; 枫乔经验 is one syllable off 枫桥经验 in writing and none in sound).

use pinyin::ToPinyin;

/// At most `max` known names close to `name`, closest first (ties in the order given).
/// Cost: one distance per known name, each in time proportional to the product of the lengths.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<&'a str> {
    let name = name.trim();
    let chars: Vec<char> = name.to_lowercase().chars().collect();
    if chars.is_empty() {
        return Vec::new();
    }
    let sound = pinyin_of(name);
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (i, candidate) in known.into_iter().enumerate() {
        let other: Vec<char> = candidate.to_lowercase().chars().collect();
        if other == chars {
            continue;
        }
        // Allowed: a third of the longer name, at least one character.
        let allowed = (chars.len().max(other.len()) / 3).max(1);
        let mut best = distance(&chars, &other);
        if let (Some(a), Some(b)) = (&sound, pinyin_of(candidate)) {
            // Same sound: as good as one character off; otherwise scaled to characters (a
            // syllable is about three letters).
            let by_sound = distance(a, &b);
            best = best.min(if by_sound == 0 { 1 } else { by_sound.div_ceil(3) + 1 });
        }
        if best <= allowed {
            scored.push((best, i, candidate));
        }
    }
    scored.sort();
    scored.into_iter().take(max).map(|(_, _, c)| c).collect()
}

/// The pinyin of a name holding Han characters (syllables without tones, one space apart);
/// None for names without any.
fn pinyin_of(name: &str) -> Option<Vec<char>> {
    let mut out = String::new();
    let mut any = false;
    for c in name.chars() {
        match c.to_pinyin() {
            Some(p) => {
                any = true;
                out.push_str(p.plain());
                out.push(' ');
            }
            None => out.extend(c.to_lowercase()),
        }
    }
    any.then(|| out.chars().collect())
}

/// Edit distance over characters, a swap of two neighbours counting as one edit (`titel` is
/// one edit from `title`): the optimal string alignment distance, with three rows of memory.
pub fn distance(a: &[char], b: &[char]) -> usize {
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1).min(row[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut row);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["title", "date", "type", "speaker", "organization", "topics", "summary", "source", "source_url"];
        assert_eq!(closest("speakr", keys, 3), ["speaker"]);
        assert_eq!(closest("titel", keys, 3), ["title"]);
        assert_eq!(closest("Topic", keys, 3), ["topics"]);
        assert!(closest("xyz", keys, 3).is_empty());
        let topics = ["志愿服务", "基层治理", "枫桥经验", "新兴领域党建"];
        assert_eq!(closest("志原服务", topics, 3), ["志愿服务"]);
        assert_eq!(closest("枫乔经验", topics, 3), ["枫桥经验"]);
        assert_eq!(closest("基层治里", topics, 3), ["基层治理"]);
        assert!(closest("社会工作", topics, 3).is_empty());
        let types = ["speech", "commentary", "reflection", "case", "policy", "page"];
        assert_eq!(closest("speach", types, 3), ["speech"]);
    }

    #[test]
    fn distance_counts_edits() {
        let d = |a: &str, b: &str| distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("志愿服务", "志原服务"), 1);
        assert_eq!(d("titel", "title"), 1);
    }
}
