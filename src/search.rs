//! The search index (being replaced: Pagefind is gone; pufa's own index comes next).

use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::plan::Plan;
use crate::site::Site;

/// Writes the search bundle (nothing yet).
pub fn write_index(_: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let _ = staging.take_searchable();
    Ok(0)
}
