/* A header checkbox marked data-select-all="<name>" ticks or clears every checkbox of that name in its form. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]")) { return; }
    var boxes = box.form.querySelectorAll("input[type=checkbox][name='" + box.getAttribute("data-select-all") + "']");
    Array.prototype.forEach.call(boxes, function (b) { b.checked = box.checked; });
  });
})();
