// The language switch submits on change (no inline handler: the Content-Security-Policy forbids inline script).
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("lang-select");
  if (select) select.addEventListener("change", () => select.form.submit());
});
