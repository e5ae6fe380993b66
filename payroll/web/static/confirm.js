// Asks before a form with data-confirm is sent (승인, 확정, 제외, 다시 계산 …).
// A separate file, not an inline handler: the console's CSP allows scripts from 'self' only.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
