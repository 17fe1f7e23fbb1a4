/* Directory filter (筛选): narrows the entries of a directory page as the reader types, by
   name, role, place, region, whom an entry serves and its services (the row's data-search
   text); `?q=` in the address pre-fills it. Each group's heading counts what is shown
   (（显示 1 条，共 2 条）), and the no-results message sits right under the box. Without JavaScript the box stays hidden and the region links do the job. */
(function () {
  var box = document.getElementById("directory-filter");
  if (!box) return;
  var input = box.querySelector("input");
  var status = box.querySelector(".filter-status");
  var empty = document.getElementById("directory-filter-empty");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-search]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".directory-group"));
  var texts = rows.map(function (row) { return row.getAttribute("data-search"); });

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var match = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    groups.forEach(function (group) {
      var inGroup = group.querySelectorAll("tr[data-search]:not([hidden])").length;
      var count = group.querySelector(".group-count");
      group.hidden = inGroup === 0;
      if (count) count.textContent = words.length ? "显示 " + inGroup + " 条，共 " + count.getAttribute("data-total") : count.getAttribute("data-total");
    });
    if (empty) empty.hidden = shown > 0;
    status.textContent = words.length ? "找到 " + shown + " 条（共 " + rows.length + " 条）" : "";
  }

  var pending = null;
  input.addEventListener("input", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(apply, rows.length > 2000 ? 150 : 0);
  });
  /* ?q=水头 pre-fills the box, so a filtered list can be shared as a link. */
  var query = /[?&]q=([^&#]*)/.exec(window.location.search);
  if (query) {
    try { input.value = decodeURIComponent(query[1].replace(/\+/g, " ")); } catch (e) { /* bad escape: ignore */ }
  }
  box.hidden = false;
  if (input.value) apply();
})();
