//! zhiku (知库): a static site generator for Chinese-language social-work knowledge bases.
//!
//! The stages run in one direction (see `docs/architecture.md`):
//! `config` → `content` (load) → `markdown` (parse) → `link` (resolve, backlinks, topics)
//! → `render` (tera) → `output` (staged, atomic write). `site` drives them.

rust_i18n::i18n!("locales", fallback = "en");

pub mod alloc;
pub mod assets;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod fold;
pub mod front_matter;
pub mod fsx;
pub mod i18n;
pub mod import;
pub mod link;
pub mod map;
pub mod markdown;
pub mod output;
pub mod paginate;
pub mod preview;
pub mod preview_data;
pub mod raw_html;
pub mod registry;
pub mod render;
pub mod safety;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slips;
pub mod slug;
pub mod suggest;
pub mod summary;
pub mod theme;
pub mod yaml;

pub use diagnostic::{Diagnostic, Error, Result};
