//! The search docs beside the index (`docs.bin`), for `zhiku search`: one record per doc and a
//! table of where each starts, so a query reads only the records of the results it shows
//! (at 100k pages the docs hold ~1 GB of text; reading them all took seconds).
//!
//! Layout: the magic `ZKDOCS01`, the doc count `n` (u64 LE), `n + 1` record offsets (u64 LE,
//! from the start of the records), then the records: each doc as JSON.

use super::SearchDoc;
use crate::{Error, Result};
use rust_i18n::t;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The store's file name in the index folder.
pub const FILE: &str = "docs.bin";
const MAGIC: &[u8; 8] = b"ZKDOCS01";

fn header_len(n: u64) -> u64 {
    16 + 8 * (n + 1)
}

/// Writes `docs` to `path`, streamed: the records are written after room for the offset table,
/// which is filled in last.
pub fn write(path: &Path, docs: &[Arc<SearchDoc>]) -> Result<()> {
    let io = |source| Error::Io { action: "write", path: path.to_owned(), source };
    let n = docs.len() as u64;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    out.seek(SeekFrom::Start(header_len(n))).map_err(io)?;
    let mut offsets = Vec::with_capacity(docs.len() + 1);
    let mut at = 0u64;
    offsets.push(at);
    let mut record = Vec::new();
    for doc in docs {
        record.clear();
        serde_json::to_writer(&mut record, &**doc).map_err(|e| Error::Search(e.to_string()))?;
        out.write_all(&record).map_err(io)?;
        at += record.len() as u64;
        offsets.push(at);
    }
    out.seek(SeekFrom::Start(0)).map_err(io)?;
    out.write_all(MAGIC).map_err(io)?;
    out.write_all(&n.to_le_bytes()).map_err(io)?;
    for o in offsets {
        out.write_all(&o.to_le_bytes()).map_err(io)?;
    }
    out.flush().map_err(io)
}

/// An opened store: reads records on demand.
pub struct DocStore {
    path: PathBuf,
    file: std::fs::File,
    len: u64,
    records: u64,
}

impl DocStore {
    /// Opens the store at `path`; only its first 16 bytes are read.
    pub fn open(path: &Path) -> Result<DocStore> {
        let io = |source| Error::Io { action: "read", path: path.to_owned(), source };
        let mut file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        let mut head = [0u8; 16];
        file.read_exact(&mut head).map_err(|_| damaged(path))?;
        let len = u64::from_le_bytes(head[8..16].try_into().map_err(|_| damaged(path))?);
        if &head[..8] != MAGIC || len.checked_mul(8).is_none_or(|b| b > size) || header_len(len) > size {
            return Err(damaged(path));
        }
        Ok(DocStore { path: path.to_owned(), file, len, records: size - header_len(len) })
    }

    /// The number of docs.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Doc `id`, or `None` past the end.
    pub fn get(&self, id: u32) -> Result<Option<SearchDoc>> {
        let id = u64::from(id);
        if id >= self.len {
            return Ok(None);
        }
        let mut file = &self.file;
        let mut pair = [0u8; 16];
        file.seek(SeekFrom::Start(16 + 8 * id)).map_err(|_| damaged(&self.path))?;
        file.read_exact(&mut pair).map_err(|_| damaged(&self.path))?;
        let from = u64::from_le_bytes(pair[..8].try_into().map_err(|_| damaged(&self.path))?);
        let to = u64::from_le_bytes(pair[8..].try_into().map_err(|_| damaged(&self.path))?);
        if from > to || to > self.records {
            return Err(damaged(&self.path));
        }
        let mut record = vec![0u8; (to - from) as usize];
        file.seek(SeekFrom::Start(header_len(self.len) + from)).map_err(|_| damaged(&self.path))?;
        file.read_exact(&mut record).map_err(|_| damaged(&self.path))?;
        serde_json::from_slice(&record).map(Some).map_err(|_| damaged(&self.path))
    }

    /// Every doc, in order (for counting the one-character fields again when their file is gone).
    pub fn all(&self) -> Result<Vec<SearchDoc>> {
        (0..self.len as u32).filter_map(|i| self.get(i).transpose()).collect()
    }
}

fn damaged(path: &Path) -> Error {
    Error::Search(t!("search.store_damaged", path = path.display()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(i: usize) -> Arc<SearchDoc> {
        Arc::new(SearchDoc {
            url: format!("/p/{i}/"),
            title: format!("第{i}篇"),
            text: "社会工作。".repeat(i),
            kind: "speech".into(),
            kind_label: "讲话".into(),
            date: "2024-10-12".into(),
            topics: vec!["志愿服务".into()],
            region: String::new(),
            summary: "摘要".into(),
        })
    }

    #[test]
    fn records_read_back_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let docs: Vec<Arc<SearchDoc>> = (0..20).map(doc).collect();
        write(&path, &docs).unwrap();
        let store = DocStore::open(&path).unwrap();
        assert_eq!(store.len(), 20);
        for i in [19u32, 0, 7] {
            let got = store.get(i).unwrap().unwrap();
            assert_eq!(
                (got.url.as_str(), got.text.as_str()),
                (docs[i as usize].url.as_str(), docs[i as usize].text.as_str())
            );
        }
        assert!(store.get(20).unwrap().is_none());
        assert_eq!(store.all().unwrap().len(), 20);
        write(&path, &[]).unwrap();
        assert!(DocStore::open(&path).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_store_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        write(&path, &(0..5).map(doc).collect::<Vec<_>>()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let mut cut = bytes.clone();
        cut.truncate(bytes.len() - 10);
        std::fs::write(&path, &cut).unwrap();
        let store = DocStore::open(&path).unwrap();
        assert!(store.get(4).is_err());
        assert!(store.get(0).is_ok());
        std::fs::write(&path, &bytes[..12]).unwrap();
        assert!(DocStore::open(&path).is_err());
        let mut huge = bytes.clone();
        huge[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &huge).unwrap();
        assert!(DocStore::open(&path).is_err());
        std::fs::write(&path, b"[]").unwrap();
        assert!(DocStore::open(&path).is_err());
    }
}
