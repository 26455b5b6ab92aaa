// A form that came back with errors: move the focus to its summary at the top, so a screen
// reader announces it and a keyboard user starts from the list of links to each field.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
