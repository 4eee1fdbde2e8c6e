// Sortable and filterable tables: <table data-sortable> with <th data-sort="num|text">,
// and <input data-filter-table="TABLE_ID"> filtering rows by their text.
(function () {
  "use strict";

  function cellValue(row, col, kind) {
    var text = (row.cells[col] && row.cells[col].textContent || "").trim();
    if (kind === "num") { var n = parseFloat(text); return isNaN(n) ? Infinity : n; }
    return text;
  }

  function sortBy(table, th) {
    var col = th.cellIndex, kind = th.getAttribute("data-sort") || "text";
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, col, kind), y = cellValue(b, col, kind);
      if (kind === "text") {
        if (!x && y) return 1;            // empty cells last whichever the direction
        if (x && !y) return -1;
        var c = x.localeCompare(y, "zh-CN");
        return asc ? c : -c;
      }
      return asc ? x - y : y - x;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }

  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, th); });
    });
  }

  function makeFilter(input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    var counter = document.querySelector('[data-filter-count="' + table.id + '"]');
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (counter) counter.textContent = words.length ? "显示 " + shown + " / " + table.tBodies[0].rows.length + " 项" : "";
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll("input[data-filter-table]").forEach(makeFilter);
}());
