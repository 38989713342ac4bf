// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Countdown on buttons that carry data-cooldown (seconds), e.g. "resend code".
  function startCooldowns(root) {
    root.querySelectorAll("[data-cooldown]").forEach(function (button) {
      var left = parseInt(button.getAttribute("data-cooldown"), 10);
      if (!left || button.dataset.counting) { return; }
      button.dataset.counting = "1";
      var label = button.getAttribute("data-label") || button.textContent;
      button.disabled = true;
      var timer = setInterval(function () {
        left -= 1;
        if (left <= 0) {
          clearInterval(timer);
          button.disabled = false;
          button.textContent = label;
          delete button.dataset.counting;
          button.removeAttribute("data-cooldown");
        } else {
          button.textContent = label + "（" + left + "s）";
        }
      }, 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { startCooldowns(document); });
  document.addEventListener("htmx:afterSwap", function (event) { startCooldowns(event.target); });
})();
// Campaign countdowns: elements with data-deadline (ISO time), corrected by the server's time in
// data-now for a phone whose clock is off. The server decides; at zero this turns off the buttons
// marked data-closes-with-deadline so nobody fills in a form the server will refuse.
(function () {
  "use strict";
  var skew = 0;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function closeForms() {
    document.querySelectorAll("[data-closes-with-deadline]").forEach(function (button) { button.disabled = true; });
  }
  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Math.floor((new Date(el.getAttribute("data-deadline")) - (Date.now() + skew)) / 1000);
      if (isNaN(left)) { return; }
      if (left <= 0) { el.textContent = "填报已截止"; closeForms(); return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = "距截止还有 " + d + " 天 " + pad(h) + ":" + pad(m) + ":" + pad(s);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var withNow = document.querySelector("[data-now]");
    var serverNow = withNow ? new Date(withNow.getAttribute("data-now")).getTime() : NaN;
    if (!isNaN(serverNow)) { skew = serverNow - Date.now(); }
    tick();
    setInterval(tick, 1000);
  });
})();
