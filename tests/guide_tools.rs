//! A guide's self-check (`<guide>/check/`) and printable application (`<guide>/apply/`), built
//! by the real binary from `tests/fixtures/guide-tools`: each question a section whose answers
//! are plain links, outcomes with their basis and the offices from the directory, the
//! township offices to pick from, every kind of form field, nothing that could send a value.
//! The invalid trees are cases in `tests/invalid/selfcheck-*`.

mod common;

use common::Site;

fn built() -> Site {
    let site = Site::copy_of("fixtures/guide-tools");
    site.build(&[]).assert_ok();
    site
}

/// The page's `<main>` (the header carries the site's search form).
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    &html[start..start + html[start..].find("</main>").unwrap()]
}

/// The HTML of the element with `id="<id>"` up to the first `closing` tag after it.
fn part<'a>(html: &'a str, id: &str, closing: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = start + html[start..].find(closing).unwrap();
    &html[start..end]
}

#[test]
fn the_guide_links_its_check_and_form_and_a_guide_without_them_does_not() {
    let site = built();
    let guide = site.read("guides/legal-aid/index.html");
    assert!(guide.contains("<a href=\"/sfj/guides/legal-aid/check/\">自助测评"));
    assert!(guide.contains("<a href=\"/sfj/guides/legal-aid/apply/\">打印申请表"));
    let tools = guide.find("class=\"guide-tools\"").unwrap();
    let summary = guide.find("class=\"guide-summary\"").unwrap();
    let summary_end = summary + guide[summary..].find("</section>").unwrap();
    assert!(
        summary < tools && tools < summary_end,
        "the links are in the 办理要点 box, on the first screen"
    );
    let plain = site.read("guides/mediation/index.html");
    assert!(!plain.contains("guide-tools"));
    assert!(!site.exists("guides/mediation/check/index.html"));
    assert!(!site.exists("guides/mediation/apply/index.html"));
}

#[test]
fn each_question_is_a_section_and_each_answer_a_link_to_the_next_step() {
    let site = built();
    let html = site.read("guides/legal-aid/check/index.html");
    let first = part(&html, "q-1", "</section>");
    assert!(html.contains("class=\"sc-step sc-question sc-first\" id=\"q-1\""));
    assert!(first.contains("您要办哪类事情？"));
    assert!(first.contains("选最接近的一项。"));
    assert!(first.contains("<a class=\"sc-answer\" href=\"#q-2\">讨工钱</a>"));
    assert!(
        first.contains("href=\"#result-3\">&lt;script&gt;alert(1)&lt;&#x2F;script&gt;刑事案件</a>")
            || first
                .contains("href=\"#result-3\">&lt;script&gt;alert(1)&lt;/script&gt;刑事案件</a>"),
        "hostile answer text is escaped: {first}"
    );
    assert!(!html.contains("<script>alert(1)"));
    assert!(
        first.contains("data-remaining=\"2\""),
        "kind → means: two questions at most"
    );
    let second = part(&html, "q-2", "</section>");
    assert!(second.contains("data-remaining=\"1\""));
    assert!(second.contains("href=\"#result-1\">是</a>"));
    assert!(second.contains("href=\"#result-2\">不是</a>"));
    assert!(second.contains("<a href=\"#q-1\">从第一题重新开始</a>"));
}

#[test]
fn outcomes_name_their_basis_what_to_bring_and_where_to_go() {
    let site = built();
    let html = site.read("guides/legal-aid/check/index.html");
    let likely = part(&html, "result-1", "</section>");
    assert!(html.contains("class=\"sc-step sc-outcome sc-likely\" id=\"result-1\""));
    assert!(likely.contains("<strong>很可能符合</strong>"));
    assert!(likely.contains("依据：《中华人民共和国法律援助法》第三十一条"));
    assert!(likely.contains("<li>经济困难状况说明</li>"));
    assert!(likely.contains("测试县法律援助中心") && likely.contains("测试县示例路1号"));
    assert!(
        likely.contains("测试县公共法律服务中心"),
        "without its own `where`, an outcome shows the guide's offices"
    );
    assert!(likely.contains("href=\"/sfj/guides/legal-aid/apply/\""));
    let unlikely = part(&html, "result-2", "</section>");
    assert!(html.contains("sc-unlikely\" id=\"result-2\"") && unlikely.contains("可能不符合"));
    assert!(unlikely.contains("测试县公共法律服务中心"));
    assert!(
        !unlikely.contains("测试县法律援助中心"),
        "an outcome's own `where` replaces the guide's"
    );
    let ask = part(&html, "result-3", "</section>");
    assert!(ask.contains("请咨询"));
    assert!(!ask.contains("guide-office"), "`where: []` shows no office");
}

#[test]
fn the_reader_can_pick_a_township_and_see_its_justice_office() {
    let site = built();
    let html = site.read("guides/legal-aid/check/index.html");
    let towns = part(&html, "sc-towns-title", "</section>");
    assert!(towns.contains("<summary>瑶峰镇</summary>"));
    assert!(towns.contains("瑶峰司法所") && towns.contains("瑶峰镇示例街1号"));
    assert!(towns.contains("tel:0359-8501111"));
    assert!(towns.contains("<summary>水头镇</summary>") && towns.contains("水头司法所"));
    assert!(
        !html.contains("8509999"),
        "a private phone stays private here too"
    );
    assert!(!towns.contains("李律师"), "only 司法所 entries are listed");
    assert!(
        !towns.contains("<summary>庙前镇</summary>"),
        "a township without a 司法所 in the directory is left out"
    );
}

#[test]
fn the_check_page_says_it_is_private_and_only_guidance() {
    let site = built();
    let html = site.read("guides/legal-aid/check/index.html");
    assert!(html.contains("您的回答只在这个页面上使用，不会发送给任何人，也不会被保存。"));
    assert!(html.contains("测评结果只供参考，能否获得法律援助，由受理申请的机构审查后决定。"));
    assert!(!main_of(&html).contains("<form"), "nothing to submit");
    assert!(html.contains("<title>自助测评：申请法律援助 - 测试县司法局</title>"));
    assert!(
        html.contains("<a href=\"/sfj/guides/legal-aid/\">申请法律援助</a>"),
        "the breadcrumbs lead back to the guide"
    );
    let script = html.find("js/selfcheck.").expect("the step-by-step script");
    assert!(html[..script].ends_with("src=\"/sfj/"));
}

#[test]
fn the_form_has_each_kind_of_field_and_nothing_that_could_send_it() {
    let site = built();
    let html = site.read("guides/legal-aid/apply/index.html");
    assert!(html.contains("<h1 id=\"form-title\">法律援助申请表</h1>"));
    assert!(
        !main_of(&html).contains("<form"),
        "no form element: nothing can be submitted"
    );
    assert!(
        !html.contains(" name=\"f-1-1\""),
        "text fields have no name to send"
    );
    assert!(
        html.contains(
            "<label class=\"form-label\" for=\"f-1-1\">姓名<span class=\"form-required\""
        )
    );
    assert!(html.contains(
        "<input id=\"f-1-1\" type=\"text\" autocomplete=\"off\" aria-required=\"true\">"
    ));
    assert!(html.contains("type=\"radio\" name=\"f-1-2\" id=\"f-1-2-1\""));
    assert!(html.contains("<label for=\"f-1-2-2\">女</label>"));
    for part in ["y", "m", "d"] {
        assert!(html.contains(&format!(
            "type=\"text\" id=\"f-1-3-{part}\" inputmode=\"numeric\""
        )));
    }
    assert!(
        html.contains("id=\"f-1-4\" type=\"text\" autocomplete=\"off\" data-check=\"id-number\"")
    );
    assert!(html.contains(
        "id=\"f-1-5\" type=\"tel\" autocomplete=\"off\" inputmode=\"tel\" data-check=\"phone\""
    ));
    assert!(html.contains("aria-describedby=\"f-1-5-help f-1-5-hint\""));
    assert!(html.contains("<p class=\"form-hint\" id=\"f-1-5-hint\" aria-live=\"polite\"></p>"));
    assert!(html.contains("type=\"checkbox\" name=\"f-1-6\" id=\"f-1-6-1\""));
    assert!(html.contains("（可多选）"));
    assert!(html.contains("<textarea id=\"f-2-1\" rows=\"5\" autocomplete=\"off\"></textarea>"));
    assert!(html.contains("本人保证所填内容真实。"));
    let inputs = html.matches("<input ").count();
    let off = html.matches("autocomplete=\"off\"").count();
    assert!(
        inputs >= 12 && off >= inputs,
        "{off} of {inputs} inputs keep nothing"
    );
    let materials = part(&html, "form-materials-title", "</section>");
    assert!(materials.contains("居民身份证") && materials.contains("证据材料（2 份）"));
    assert!(html.contains("不会发送给任何人，也不会被保存"));
}

#[test]
fn an_outcomes_unknown_office_is_an_error_at_its_line() {
    let site = built();
    let path = "content/guides/legal-aid.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        &text.replace("where: [consult-center]", "where: [consult-centre]"),
    );
    let line = text
        .lines()
        .position(|l| l.contains("where: [consult-center]"))
        .unwrap()
        + 1;
    site.build(&[]).assert_fails_with(
        1,
        &[
            "`where` names `consult-centre`, which no directory defines",
            &format!("{path}:{line}:"),
            "did you mean `consult-center`?",
        ],
    );
}

#[test]
fn pufa_new_guide_shows_both_blocks_and_they_build_once_uncommented() {
    let site = built();
    let path = site.root().join("content/guides/new.md");
    common::pufa(&["new", "guide", path.to_str().unwrap()]).assert_ok();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# self_check:"), "{text}");
    assert!(text.contains("# application:"));
    let uncommented: String = text
        .lines()
        .map(|l| {
            l.strip_prefix("# ")
                .filter(|l| l.starts_with(['s', 'a', ' ']))
                .unwrap_or(l)
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        &path,
        uncommented.replace(
            "where: [public-legal-service-center]",
            "where: [consult-center]",
        ),
    )
    .unwrap();
    site.build(&[]).assert_ok();
    assert!(site.exists("guides/new/check/index.html"));
    assert!(site.exists("guides/new/apply/index.html"));
}
