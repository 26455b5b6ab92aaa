// Tables that become cards on a phone (class table-cards, static/css/portal.css): each cell is
// labelled with its column's header, taken from the table's own <thead> here rather than
// repeated in every cell of the HTML (a 50-row page would carry the labels 400 times).
(function () {
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (!cell.hasAttribute("data-label") && headers[index]) cell.setAttribute("data-label", headers[index]);
      });
    });
  });
})();
