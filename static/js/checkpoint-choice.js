/*
 * "Other crossing": the fields naming another crossing and its region are shown only while that
 * choice is made in the list of crossing points (<select data-other-choice="other"
 * data-other-fields="ID">). Without JavaScript both fields simply stay in view, and the form
 * says which one is needed. A field with an error is never hidden.
 */
(function () {
  "use strict";

  function enhance(select) {
    var fields = document.getElementById(select.dataset.otherFields);
    if (!fields) {
      return;
    }
    function update() {
      var other = select.value === select.dataset.otherChoice;
      var hasError = fields.querySelector(".is-invalid, .invalid-feedback") !== null;
      fields.hidden = !other && !hasError;
    }
    select.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("select[data-other-choice]").forEach(enhance);
})();
