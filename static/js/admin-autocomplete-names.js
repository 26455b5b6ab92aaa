// The admin's autocomplete fields (select2) draw a combobox of their own in place of the
// <select>, named only by the option chosen: empty, it has no name for a screen reader (axe:
// aria-input-field-name), and so is the read-only textbox inside it that shows the choice. Both
// are named here by the <select>'s own label (the combobox: the label, then the choice).
(function () {
  function name(select) {
    var container = select.nextElementSibling;
    var combobox = container && container.querySelector(".select2-selection[role=combobox]");
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!combobox || !label) return;
    if (!label.id) label.id = select.id + "-label";
    var rendered = container.querySelector(".select2-selection__rendered");
    combobox.setAttribute("aria-labelledby", label.id + (rendered && rendered.id ? " " + rendered.id : ""));
    if (rendered) rendered.setAttribute("aria-labelledby", label.id);
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  // select2 starts when jQuery is ready, and again for each inline row added.
  window.addEventListener("load", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
