//! The static export.
