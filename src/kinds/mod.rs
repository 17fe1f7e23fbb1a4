//! Content kinds. A section's `_index.md` names its kind (`kind: route`); the kind decides what
//! extra front matter its pages take, how they are checked, which templates show them and which
//! extra files it writes. Each kind is one module implementing [`Kind`]; the core knows only
//! the trait (`kind.rs`) and the registry (`registry.rs`), which attaches a kind to each
//! section of the loaded library. Kinds never see each other except through the registry.

pub mod coverage;
pub mod directory;
mod guides;
mod kind;
mod pages;
mod registry;
mod reports;
mod route;

pub use kind::{HomeEntries, Kind, KindContext, KindOutput, RouteTeaser};
pub use registry::{attach, check_page, known_names, lookup, of};
