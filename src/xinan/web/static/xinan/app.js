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
