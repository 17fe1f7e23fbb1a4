//! schema.org `GovernmentService` for each guide, so search engines and government service
//! portals can read what the service is, who provides it and where to go. Built with
//! serde_json (valid JSON whatever editors type) and made safe to sit inside `<script>`.

use serde_json::{Map, Value, json};

use super::model::Guide;
use crate::config::Config;
use crate::content::Page;
use crate::kinds::directory::{DirectoryEntry, EntryLink};
use crate::render::views::permalink;

/// The JSON-LD text for `<script type="application/ld+json">`.
pub fn government_service(
    config: &Config,
    page: &Page,
    guide: &Guide,
    offices: &[(&DirectoryEntry, EntryLink)],
) -> String {
    let mut service = Map::new();
    service.insert("@context".into(), json!("https://schema.org"));
    service.insert("@type".into(), json!("GovernmentService"));
    service.insert("name".into(), json!(page.meta.title));
    service.insert("serviceType".into(), json!(guide.service));
    service.insert("url".into(), json!(permalink(config, &page.url)));
    let description = page.summary();
    if !description.is_empty() {
        service.insert("description".into(), json!(description));
    }
    if !config.publisher.is_empty() {
        service.insert(
            "provider".into(),
            json!({ "@type": "GovernmentOrganization", "name": config.publisher, "url": config.base_url }),
        );
    }
    if !config.regions.is_empty() {
        let areas: Vec<Value> = config
            .regions
            .iter()
            .map(|r| json!({ "@type": "AdministrativeArea", "name": r }))
            .collect();
        service.insert("areaServed".into(), Value::Array(areas));
    }
    if let Some(audience) = &guide.audience {
        service.insert(
            "audience".into(),
            json!({ "@type": "Audience", "audienceType": audience }),
        );
    }
    let channels = channels(config, guide, offices);
    if !channels.is_empty() {
        service.insert("availableChannel".into(), Value::Array(channels));
    }
    let text = serde_json::to_string(&Value::Object(service)).unwrap_or_default();
    script_safe(&text)
}

/// Each office as a place to go; the online address and the hotline as channels of their own.
fn channels(
    config: &Config,
    guide: &Guide,
    offices: &[(&DirectoryEntry, EntryLink)],
) -> Vec<Value> {
    let mut channels: Vec<Value> = offices
        .iter()
        .map(|(entry, link)| office_channel(config, entry, link))
        .collect();
    if let Some(online) = &guide.online {
        channels
            .push(json!({ "@type": "ServiceChannel", "name": "网上办理", "serviceUrl": online }));
    }
    let hotline = guide.hotline.as_deref().unwrap_or(&config.hotline);
    if !hotline.is_empty() {
        channels.push(json!({
            "@type": "ServiceChannel",
            "name": "咨询电话",
            "servicePhone": { "@type": "ContactPoint", "telephone": hotline },
        }));
    }
    channels
}

fn office_channel(config: &Config, entry: &DirectoryEntry, link: &EntryLink) -> Value {
    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    if !entry.address.is_empty() {
        address.insert("streetAddress".into(), json!(entry.address));
    }
    if !entry.region.is_empty() {
        address.insert("addressLocality".into(), json!(entry.region));
    }
    address.insert("addressCountry".into(), json!("CN"));
    let mut place = Map::new();
    place.insert("@type".into(), json!("Place"));
    place.insert("name".into(), json!(entry.name));
    place.insert("address".into(), Value::Object(address));
    if let Some(at) = entry.location {
        place.insert(
            "geo".into(),
            json!({ "@type": "GeoCoordinates", "latitude": at.lat, "longitude": at.lon }),
        );
    }
    let mut channel = Map::new();
    channel.insert("@type".into(), json!("ServiceChannel"));
    channel.insert("name".into(), json!(entry.name));
    channel.insert("serviceUrl".into(), json!(permalink(config, &link.url)));
    channel.insert("serviceLocation".into(), Value::Object(place));
    if !entry.hours.is_empty() {
        channel.insert(
            "description".into(),
            json!(format!("办公时间：{}", entry.hours)),
        );
    }
    // Only a number the site shows in full: a masked mobile cannot be dialled, a private one
    // is not in the model at all.
    if let Some(uri) = entry.phone(config).and_then(|p| p.uri) {
        let telephone = uri.trim_start_matches("tel:").to_string();
        channel.insert(
            "servicePhone".into(),
            json!({ "@type": "ContactPoint", "telephone": telephone }),
        );
    }
    Value::Object(channel)
}

/// Inside `<script>`, `</script>` or `<!--` in an editor's text would end or confuse the
/// block. JSON allows `\u003c` wherever `<` may appear (only inside strings), so no `<` is
/// left at all; `>` and `&` go the same way, as Go's and Rails' JSON-in-HTML encoders do.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_still_parses_to_the_same_text() {
        let text = r#"</script><!-- a & b >"#;
        let json = serde_json::to_string(&json!({ "name": text })).unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], text);
    }
}
