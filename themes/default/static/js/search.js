/* Chinese search over the Pagefind index written by `pufa build`. No other host, no inline
   code: works under Content-Security-Policy default-src 'self' plus 'wasm-unsafe-eval' (the
   index is searched by WebAssembly). */
(function () {
  var root = document.getElementById("search");
  if (!root) return;
  var form = root.querySelector("form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var bundle = root.getAttribute("data-bundle");
  var pagefind = null;
  var latest = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ basePath: bundle }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.className = "result-title";
    link.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(link);
    if (data.meta && data.meta.kind) {
      var kind = document.createElement("span");
      kind.className = "result-kind";
      kind.textContent = data.meta.kind;
      li.appendChild(kind);
    }
    var excerpt = document.createElement("p");
    // Pagefind's excerpt is text from our own pages with <mark> around the matches.
    excerpt.innerHTML = data.excerpt;
    li.appendChild(excerpt);
    return li;
  }

  function run(query) {
    var ticket = ++latest;
    list.innerHTML = "";
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = "正在搜索……";
    load()
      .then(function (pf) { return pf.search(query); })
      .then(function (search) {
        return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
      })
      .then(function (results) {
        if (ticket !== latest) return;
        status.textContent = results.length ? "找到 " + results.length + " 条结果" + (results.length === 20 ? "（只显示前 20 条）" : "") + "：" : "没有找到与“" + query + "”有关的内容。可以换个说法，或拨打 12348 咨询。";
        results.forEach(function (data) { list.appendChild(item(data)); });
      })
      .catch(function () {
        status.textContent = "搜索暂时无法使用，请稍后再试。";
      });
  }

  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    run(q);
  });
  run(query.trim());
})();
