//! `coverage.csv`: every place with the same numbers as the page, for the bureau's planners
//! (Excel on Chinese Windows: UTF-8 with BOM, CRLF, formula-looking cells guarded).

use super::view::PlaceRow;
use crate::config::CoverageOptions;
use crate::kinds::directory::downloads::push_csv_row;

/// The CSV of `rows`, with three columns (point, km, minutes) per role.
pub fn csv(options: &CoverageOptions, rows: &[PlaceRow]) -> Vec<u8> {
    let mut out = String::with_capacity(256 + rows.len() * 200);
    out.push('\u{feff}');
    let mut header: Vec<String> = ["乡镇", "村（社区）", "人口"].map(String::from).to_vec();
    for role in &options.roles {
        header.extend([
            format!("最近的{role}"),
            format!("到{role}距离（公里）"),
            format!("到{role}时间（分钟）"),
        ]);
    }
    header.extend([
        format!("是否在{}分钟服务圈内", super::view::number(options.minutes)),
        "法律顾问".to_string(),
        "法律顾问电话".to_string(),
        "法律明白人等".to_string(),
    ]);
    push_csv_row(&mut out, header.into_iter());
    for row in rows {
        let mut cells = vec![
            row.region.clone(),
            row.name.clone(),
            row.population.map(|p| p.to_string()).unwrap_or_default(),
        ];
        for point in &row.nearest {
            match point {
                Some(p) => cells.extend([p.name.clone(), p.km.clone(), p.minutes.to_string()]),
                None => cells.extend([String::new(), String::new(), String::new()]),
            }
        }
        let join = |items: Vec<String>| items.join("、");
        cells.extend([
            if row.reached { "是" } else { "否" }.to_string(),
            join(row.counsels.iter().map(|c| c.name.clone()).collect()),
            join(
                row.counsels
                    .iter()
                    .filter_map(|c| c.phone.as_ref().map(|p| p.text.clone()))
                    .collect(),
            ),
            join(row.helpers.iter().map(|c| c.name.clone()).collect()),
        ]);
        push_csv_row(&mut out, cells.into_iter());
    }
    out.into_bytes()
}
