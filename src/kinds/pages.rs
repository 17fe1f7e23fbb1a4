//! The default kind: plain pages in a dated or weighted list (news, about, notices).

use super::{HomeEntries, Kind, KindContext};

pub struct Pages;

impl Kind for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    /// Dated pages of news-like sections (not the site's root pages) are the newest news.
    fn home(&self, site: &KindContext, section: usize, home: &mut HomeEntries) {
        if section != 0 {
            home.news.extend(site.dated_pages(section));
        }
    }
}
