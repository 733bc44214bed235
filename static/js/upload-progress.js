/* Show upload progress for forms marked data-progress; the server's answer replaces the page as usual. */
(function () {
  "use strict";
  function attach(form) {
    var box = form.querySelector(".upload-progress");
    if (!box || !window.FormData || !window.XMLHttpRequest) { return; }
    var bar = box.querySelector("progress");
    var label = box.querySelector(".upload-percent");
    form.addEventListener("submit", function (event) {
      var hasFile = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
        return input.files && input.files.length > 0;
      });
      if (!hasFile) { return; }
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open(form.method || "POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round(100 * e.loaded / e.total);
          bar.value = pct;
          label.textContent = pct + "%";
        }
      });
      xhr.addEventListener("load", function () {
        // Show the answer (after a redirect: the next page, with its messages) and its address.
        if (xhr.responseURL && window.history && window.history.replaceState) {
          window.history.replaceState(null, "", xhr.responseURL);
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        box.classList.remove("active");
        form.submit();
      });
      box.classList.add("active");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
      xhr.send(new FormData(form));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-progress]"), attach);
  });
})();
