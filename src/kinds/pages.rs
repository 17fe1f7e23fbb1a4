//! The default kind: plain pages in a dated or weighted list (news, about, notices).

use super::Kind;

pub struct Pages;

impl Kind for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }
}
