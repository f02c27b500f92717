// Buttons with data-copy="<id>" copy that element's text (a citation) to the clipboard.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var text = document.getElementById(button.dataset.copy).textContent;
    if (navigator.clipboard) { navigator.clipboard.writeText(text); }
  });
});
