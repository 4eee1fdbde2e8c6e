// Cypher console: POST /api/cypher with the CSRF header, show a table (text only), a graph, errors in Chinese
// with the line and column they point at, example queries, and a history kept in this browser (localStorage).
(function () {
  "use strict";
  var form = document.getElementById("console-form");
  if (!form) return;
  var query = document.getElementById("cypher"), params = document.getElementById("cypher-params");
  var errorBox = document.getElementById("console-error"), status = document.getElementById("console-status");
  var section = document.getElementById("console-results"), last = null;
  var HISTORY_KEY = "policygraph.console.history", HISTORY_MAX = 30;

  function showError(message, where) {
    PG.richText(document.getElementById("console-error-text"), message);
    var pre = document.getElementById("console-error-where");
    pre.hidden = !where;
    pre.textContent = where || "";
    errorBox.hidden = false;
    section.hidden = true;
    document.getElementById("console-graph-section").hidden = true;
    if (errorBox.getBoundingClientRect().bottom > window.innerHeight) { errorBox.scrollIntoView({block: "nearest"}); }
  }

  // The line an error points at with a caret under its column, and the cursor moved there.
  function markPosition(text, line, column) {
    var lines = text.split("\n"), src = lines[line - 1];
    if (src === undefined) return "";
    var offset = 0;
    for (var i = 0; i < line - 1; i++) offset += lines[i].length + 1;
    offset += Math.min(column - 1, src.length);
    query.focus();
    query.setSelectionRange(offset, Math.min(offset + 1, text.length));
    var pad = "";
    for (var j = 0; j < column - 1; j++) pad += /[\u2e80-\uffff]/.test(src.charAt(j)) ? "\u3000" : " ";
    return "第 " + line + " 行：" + "\n" + src + "\n" + pad + "^";
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
    document.getElementById("console-summary").textContent = body.row_count ?
      "共 " + body.row_count + " 行，用时 " + body.elapsed_ms + " 毫秒" :
      "没有符合条件的结果（用时 " + body.elapsed_ms + " 毫秒）。请检查标签、属性名和参数值，或放宽条件。";
    var trunc = document.getElementById("console-truncated");
    trunc.hidden = !body.truncated;
    trunc.textContent = body.truncated ? (body.truncated_notice || "结果已截断。") : "";
    PG.fillTable(document.getElementById("console-table"), body.columns, body.rows);
    document.getElementById("console-node").hidden = true;
    PG.nodeDetails(PG.drawResults(document.getElementById("console-graph"), document.getElementById("console-graph-section"),
                                  body.rows), document.getElementById("console-node"));
    if (section.getBoundingClientRect().top > window.innerHeight - 80) {
      section.scrollIntoView({behavior: "smooth", block: "start"});
    }
  }

  // -- history (this browser only) ------------------------------------------------------------------
  function loadHistory() {
    try {
      var items = JSON.parse(window.localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (h) { return h && typeof h.query === "string"; }) : [];
    } catch (e) { return []; }
  }

  function saveHistory(items) {
    try { window.localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_MAX))); } catch (e) { /* full or disabled */ }
  }

  function remember(q, p, ok, rows) {
    var items = loadHistory().filter(function (h) { return !(h.query === q && h.params === p); });
    items.unshift({query: q, params: p, ok: ok, rows: rows, at: new Date().toISOString()});
    saveHistory(items);
    renderHistory();
  }

  function renderHistory() {
    var list = document.getElementById("history-list"), items = loadHistory();
    list.textContent = "";
    document.getElementById("history-empty").hidden = items.length > 0;
    document.getElementById("history-clear").hidden = items.length === 0;
    items.forEach(function (h) {
      var li = document.createElement("li"), b = document.createElement("button"), meta = document.createElement("span");
      b.type = "button";
      b.className = "history-item" + (h.ok ? "" : " failed");
      var code = document.createElement("code");  // the query as typed: code, whatever language it is in
      code.textContent = h.query.replace(/\s+/g, " ").slice(0, 90);
      code.title = h.query;
      b.appendChild(code);
      meta.className = "history-meta";
      var when = new Date(h.at);
      meta.textContent = (isNaN(when) ? "" : when.toLocaleString("zh-CN", {hour12: false})) + " · " +
        (h.ok ? h.rows + " 行" : "出错");
      b.addEventListener("click", function () { query.value = h.query; params.value = h.params || ""; query.focus(); });
      li.appendChild(b); li.appendChild(meta);
      list.appendChild(li);
    });
  }

  // POST the query and its parameters to `url`; `done(ok, body)` gets the answer, errors are shown here.
  function send(url, busy, done) {
    var p, q = query.value;
    try { p = parseParams(); } catch (e) { showError("参数须为 JSON 对象，例如 {\"keyword\": \"中试基地\"}。"); return; }
    status.textContent = busy;
    fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": PG.csrfToken()},
      body: JSON.stringify({query: q, params: p})
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (res) {
      status.textContent = "";
      if (done(res.ok, res.body)) return;
      var b = res.body, where = b.line ? markPosition(q, b.line, b.column) : "";
      showError(b.error || "查询失败。", where);
    }).catch(function () { status.textContent = ""; showError("无法连接服务器，请稍后再试。"); });
  }

  function run(evt) {
    if (evt) evt.preventDefault();
    var q = query.value, ptext = params.value.trim();
    document.getElementById("console-plan").hidden = true;  // a plan shown earlier may be of another query
    send("/api/cypher", "正在运行…", function (ok, body) {
      remember(q, ptext, ok, ok ? body.row_count : 0);
      if (ok) show(body);
      return ok;
    });
  }

  // 执行计划: the engine's plan for the query, which is not run
  function explain() {
    var plan = document.getElementById("console-plan");
    send("/api/cypher/explain", "正在生成执行计划…", function (ok, body) {
      plan.hidden = !ok;
      if (!ok) return false;
      document.getElementById("console-error").hidden = true;
      document.getElementById("console-plan-text").textContent = (body.plan || []).join("\n");
      return true;
    });
  }

  function exportRows(kind, evt) {
    evt.preventDefault();
    if (!last) return;
    if (kind === "json") {
      PG.download(new Blob([JSON.stringify(last, null, 1)], {type: "application/json"}), "查询结果.json");
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
    PG.download(new Blob(["\ufeff" + csv], {type: "text/csv;charset=utf-8"}), "查询结果.csv");
  }

  var examples = JSON.parse(document.getElementById("console-examples").textContent);
  document.querySelectorAll("button.example").forEach(function (b) {
    b.addEventListener("click", function () {
      var ex = examples[Number(b.getAttribute("data-example"))];
      query.value = ex.query; params.value = ex.params || "";
      run();
    });
  });

  form.addEventListener("submit", run);
  document.getElementById("explain").addEventListener("click", explain);
  query.addEventListener("keydown", function (e) { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e); });
  document.getElementById("export-csv").addEventListener("click", function (e) { exportRows("csv", e); });
  document.getElementById("export-json").addEventListener("click", function (e) { exportRows("json", e); });
  document.getElementById("history-clear").addEventListener("click", function () { saveHistory([]); renderHistory(); });
  renderHistory();
  var save = document.getElementById("save-form");
  if (save) {
    save.addEventListener("submit", function () { document.getElementById("save-query").value = query.value; });
  }
}());
