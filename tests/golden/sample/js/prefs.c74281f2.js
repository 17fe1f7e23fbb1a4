/* Applies the reader's saved font size and contrast before the page is painted (no flash).
   Loaded as an external file in <head> so a strict Content-Security-Policy allows it. */
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var font = localStorage.getItem("pufa-font");
    if (font === "large" || font === "small") root.classList.add("font-" + font);
    if (localStorage.getItem("pufa-contrast") === "high") root.classList.add("contrast-high");
  } catch (e) { /* storage blocked: defaults apply */ }
})();
