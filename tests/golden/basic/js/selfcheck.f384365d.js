/* 自助测评 (self-check). Without JavaScript every answer is a plain link to the next question
   and the stylesheet shows one question at a time. With it: a step-by-step view with a
   progress line and 返回上一步. The answers only live in this script's memory: nothing is
   sent, stored or written into the address (so they stay out of the browser's history). */
(function () {
  var steps = document.getElementById("sc-steps");
  var progress = document.getElementById("sc-progress");
  var back = document.getElementById("sc-back");
  if (!steps || !progress || !back) return;
  var all = [].slice.call(steps.querySelectorAll(".sc-step"));
  var towns = document.querySelector(".sc-towns");
  var trail = [];
  var current = null;

  function isStep(el) { return !!el && el.classList.contains("sc-step"); }

  function describe(step) {
    var answered = trail.length;
    if (!step.classList.contains("sc-question")) {
      return "已回答 " + answered + " 题，下面是测评结果。";
    }
    var left = Number(step.getAttribute("data-remaining")) - 1;
    return "第 " + (answered + 1) + " 题" + (left > 0 ? "，最多还有 " + left + " 题。" : "，这是最后一题。");
  }

  function show(step, focus) {
    current = step;
    all.forEach(function (s) { s.hidden = s !== step; });
    progress.textContent = describe(step);
    if (towns) towns.hidden = step.classList.contains("sc-question");
    back.parentNode.hidden = trail.length === 0;
    if (focus) {
      var heading = step.querySelector("h2");
      if (heading) heading.focus({ preventScroll: true });
      progress.scrollIntoView({ block: "start" });
    }
  }

  steps.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!isStep(target)) return;
    event.preventDefault();
    if (link.classList.contains("sc-answer")) trail.push(current);
    else trail = [];
    show(target, true);
  });

  back.addEventListener("click", function () {
    var previous = trail.pop();
    if (previous) show(previous, true);
  });

  steps.classList.add("sc-js");
  progress.hidden = false;
  var start = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  show(isStep(start) ? start : all[0], false);
})();
