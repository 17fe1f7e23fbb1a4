//! pufa's own search engine, with no knowledge of sites: Chinese-aware terms ([`tokens`]) and
//! a static index sharded by term ([`index`]) that the theme's `search.js` queries in the
//! browser without WebAssembly. The build step that feeds it pages is [`crate::search`].

pub mod index;
pub mod tokens;

pub use index::{Field, Files, Index, Record};
