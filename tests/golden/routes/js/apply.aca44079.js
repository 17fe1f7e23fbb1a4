/* 申请表 (application form): gentle hints under the phone and ID-number boxes when a number
   looks wrong. Hints never stop anyone from printing; nothing typed is sent or stored. */
(function () {
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function phoneHint(value) {
    var digits = value.replace(/\D/g, "");
    if (!digits) return "";
    if (digits.charAt(0) === "1" && digits.length !== 11) {
      return "手机号码是 11 位，您填了 " + digits.length + " 位，请核对一下。";
    }
    if (digits.length < 7) {
      return "电话号码好像少了几位（您填了 " + digits.length + " 位），请核对一下。固定电话请带上区号。";
    }
    return "";
  }

  function idHint(value) {
    var id = value.replace(/\s/g, "").toUpperCase();
    if (!id) return "";
    if (id.length !== 18) return "身份证号码是 18 位，您填了 " + id.length + " 位，请核对一下。";
    if (!/^\d{17}[\dX]$/.test(id)) return "身份证号码前 17 位是数字，最后一位是数字或 X，请核对一下。";
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(id.charAt(i)) * WEIGHTS[i];
    if (CHECK.charAt(sum % 11) !== id.charAt(17)) return "身份证号码可能有一位填错了，请再对照证件核对一遍。";
    return "";
  }

  document.querySelectorAll("input[data-check]").forEach(function (input) {
    var hint = document.getElementById(input.id + "-hint");
    if (!hint) return;
    var check = input.getAttribute("data-check") === "phone" ? phoneHint : idHint;
    function update() { hint.textContent = check(input.value); }
    input.addEventListener("change", update);
    input.addEventListener("blur", update);
    input.addEventListener("input", function () { if (hint.textContent) update(); });
  });
})();
