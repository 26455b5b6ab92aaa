/*
 * A search box for long country lists: every <select data-country-search> gets a text box
 * before it that narrows the list to the countries whose name (or ISO code) holds what is typed.
 * Without JavaScript the page keeps the plain list, which works on its own; so the box is made
 * here, never in the HTML. Options are removed and put back rather than hidden, because some
 * browsers ignore `hidden` on <option>.
 */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLocaleLowerCase().replace(/ё/g, "е").trim();
  }

  function enhance(select) {
    var allOptions = Array.prototype.slice.call(select.options);
    var wrapper = document.createElement("div");
    wrapper.className = "country-search mb-2";

    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-search";
    input.className = "form-control form-control-sm";
    input.placeholder = select.dataset.searchPlaceholder || "";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);

    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "form-label small mb-1";
    label.textContent = select.dataset.searchLabel || "";

    var status = document.createElement("span");
    status.id = select.id + "-search-status";
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);

    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    select.parentNode.insertBefore(wrapper, select);

    input.addEventListener("input", function () {
      var query = normalise(input.value);
      var keep = select.dataset.searchKeep;
      var selected = select.value;
      var found = allOptions.filter(function (option) {
        return (
          option.value !== "" &&
          option.value !== keep &&
          (query === "" || normalise(option.text).indexOf(query) !== -1 || normalise(option.value) === query)
        );
      });
      // The empty choice and the country already chosen stay, so nothing is lost by searching;
      // so does a choice the list asks to keep (data-search-keep: "Other crossing").
      var kept = allOptions.filter(function (option) {
        return option.value === "" || option.value === selected || option.value === keep || found.indexOf(option) !== -1;
      });
      select.replaceChildren.apply(select, kept);
      select.value = selected;
      // One country left: choose it, so typing "uzb" and moving on is enough.
      if (query !== "" && found.length === 1 && select.value !== found[0].value) {
        select.value = found[0].value;
        select.dispatchEvent(new Event("change"));  // e.g. hides the "other crossing" fields
      }
      status.textContent = (select.dataset.searchStatus || "") + " " + found.length;
    });
  }

  document.querySelectorAll("select[data-country-search]").forEach(enhance);
})();
