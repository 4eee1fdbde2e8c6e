// Cypher console: POST /api/cypher with the CSRF header, show a table (text only), a graph, errors in Chinese.
(function () {
  "use strict";
  var form = document.getElementById("console-form");
  if (!form) return;
  var query = document.getElementById("cypher"), params = document.getElementById("cypher-params");
  var errorBox = document.getElementById("console-error"), status = document.getElementById("console-status");
  var section = document.getElementById("console-results"), last = null;

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    section.hidden = true;
    document.getElementById("console-graph-section").hidden = true;
  }

  function parseParams() {
    var text = params.value.trim();
    if (!text) return {};
    var value = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    return value;
  }

  function show(body) {
    last = body;
    errorBox.hidden = true;
    section.hidden = false;
    document.getElementById("console-summary").textContent = "共 " + body.row_count + " 行，用时 " + body.elapsed_ms + " 毫秒";
    var trunc = document.getElementById("console-truncated");
    trunc.hidden = !body.truncated;
    trunc.textContent = body.truncated ? (body.truncated_notice || "结果已截断。") : "";
    PG.fillTable(document.getElementById("console-table"), body.columns, body.rows);
    PG.drawResults(document.getElementById("console-graph"), document.getElementById("console-graph-section"), body.rows);
    if (section.getBoundingClientRect().top > window.innerHeight - 80) {
      section.scrollIntoView({behavior: "smooth", block: "start"});
    }
  }

  function run(evt) {
    if (evt) evt.preventDefault();
    var p;
    try { p = parseParams(); } catch (e) { showError("参数须为 JSON 对象，例如 {\"keyword\": \"中试基地\"}。"); return; }
    status.textContent = "正在运行…";
    fetch("/api/cypher", {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": PG.csrfToken()},
      body: JSON.stringify({query: query.value, params: p})
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (res) {
      status.textContent = "";
      if (res.ok) { show(res.body); } else { showError(res.body.error || "查询失败。"); }
    }).catch(function () { status.textContent = ""; showError("无法连接服务器，请稍后再试。"); });
  }

  function exportRows(kind, evt) {
    evt.preventDefault();
    if (!last) return;
    if (kind === "json") {
      PG.download(new Blob([JSON.stringify(last, null, 1)], {type: "application/json"}), "query.json");
      return;
    }
    var lines = [last.columns].concat(last.rows.map(function (row) { return row.map(PG.cellText); }));
    var csv = lines.map(function (cells) {
      return cells.map(function (c) {
        c = String(c);
        if (/^[=+\-@]/.test(c)) c = "'" + c;   // not a spreadsheet formula
        return '"' + c.replace(/"/g, '""') + '"';
      }).join(",");
    }).join("\r\n");
    PG.download(new Blob(["\ufeff" + csv], {type: "text/csv;charset=utf-8"}), "query.csv");
  }

  form.addEventListener("submit", run);
  query.addEventListener("keydown", function (e) { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e); });
  document.getElementById("export-csv").addEventListener("click", function (e) { exportRows("csv", e); });
  document.getElementById("export-json").addEventListener("click", function (e) { exportRows("json", e); });
  var save = document.getElementById("save-form");
  if (save) {
    save.addEventListener("submit", function () { document.getElementById("save-query").value = query.value; });
  }
}());
