// Buttons with data-copy="<id>" copy that element's text (the citation formats on a publication).
// A file rather than an inline script: the Content-Security-Policy allows scripts from this site only.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var text = document.getElementById(button.dataset.copy).textContent;
    if (navigator.clipboard) { navigator.clipboard.writeText(text); }
  });
});
