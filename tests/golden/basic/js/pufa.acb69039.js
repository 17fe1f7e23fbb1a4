/* Wires the 【字体：大 中 小】 and 高对比度 buttons inside 阅读设置. Without JavaScript they stay
   hidden, 阅读设置 then explains the browser's own zoom, and the page reads at the default size. */
(function () {
  var root = document.documentElement;
  var menu = document.getElementById("site-menu");
  if (menu && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) menu.open = true;
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
    button.hidden = false;
  });
  var tools = document.getElementById("reading-tools");
  if (!tools) return;
  function save(key, value) {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }
  function showFont(font) {
    root.classList.remove("font-large", "font-small");
    if (font !== "medium") root.classList.add("font-" + font);
    tools.querySelectorAll("[data-font]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-font") === font));
    });
  }
  var current = root.classList.contains("font-large") ? "large" : root.classList.contains("font-small") ? "small" : "medium";
  showFont(current);
  tools.querySelectorAll("[data-font]").forEach(function (button) {
    button.addEventListener("click", function () {
      var font = button.getAttribute("data-font");
      showFont(font);
      save("pufa-font", font === "medium" ? "" : font);
    });
  });
  var contrast = tools.querySelector("[data-contrast]");
  contrast.setAttribute("aria-pressed", String(root.classList.contains("contrast-high")));
  contrast.addEventListener("click", function () {
    var on = root.classList.toggle("contrast-high");
    contrast.setAttribute("aria-pressed", String(on));
    save("pufa-contrast", on ? "high" : "");
  });
  tools.hidden = false;
})();
