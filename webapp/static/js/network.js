// Network explorer: draw, focus on click, expand neighbours (capped), find, export PNG.
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box) return;
  var status = document.getElementById("net-status"), capMsg = document.getElementById("cap-message");
  var sizeBy = document.getElementById("size-by"), cap = parseInt(box.getAttribute("data-cap"), 10) || 100;
  var cy = null, selected = null, offsets = {};

  var communities = {};

  function communityName(id) {
    var c = communities[id];
    if (c) return "以“" + c.name + "”为中心的社区（" + c.size + " 个部门）";
    return id == null || id < 0 ? "—" : "其他社区";
  }

  // The legend: one entry per coloured community (largest first), the rest together as "其他社区".
  function fillLegend(list) {
    var ul = document.getElementById("legend-list"), coloured = list.slice(0, PG.PALETTE.length), rest = list.length - coloured.length;
    ul.textContent = "";
    list.forEach(function (c) { communities[c.id] = c; });
    coloured.forEach(function (c) { ul.appendChild(legendItem(PG.colour(c.id), c.name + "（" + c.size + "）", c.id)); });
    if (rest > 0) { ul.appendChild(legendItem(PG.OTHER, "其他 " + rest + " 个社区", null)); }
    document.getElementById("community-legend").hidden = list.length === 0;
  }

  function legendItem(colour, text, id) {
    var li = document.createElement("li"), b = document.createElement("button"), dot = document.createElement("span");
    b.type = "button"; b.className = "legend-item";
    dot.className = "dot"; dot.style.backgroundColor = colour;
    b.appendChild(dot); b.appendChild(document.createTextNode(text));
    b.addEventListener("click", function () { highlightCommunity(id); });
    li.appendChild(b);
    return li;
  }

  function highlightCommunity(id) {
    var members = cy.nodes().filter(function (n) {
      var c = (n.data("info") || {}).community;
      return id == null ? !communities[c] || PG.colour(c) === PG.OTHER : c === id;
    });
    cy.elements().removeClass("faded highlight near");
    cy.elements().not(members.union(members.edgesWith(members))).addClass("faded");
    members.addClass("near");
    PG.declutter(cy);
    cy.animate({fit: {eles: members, padding: 40}}, {duration: 300, complete: function () { PG.declutter(cy); }});
  }

  function fmt(x) { return x == null ? "—" : (Math.round(x * 1000) / 1000).toString(); }

  function showPanel(node) {
    var n = node.data("info") || {};
    document.getElementById("panel-name").textContent = n.name || node.id();
    document.getElementById("panel-region").textContent = n.region || "—";
    document.getElementById("panel-roles").textContent = (n.leads || 0) + " / " + (n.supports || 0);
    document.getElementById("panel-degree").textContent = fmt(n.degree);
    document.getElementById("panel-betweenness").textContent = fmt(n.betweenness);
    document.getElementById("panel-community").textContent = communityName(n.community);
    document.getElementById("panel-link").href = "/departments/" + encodeURIComponent(node.id());
    document.getElementById("panel-meta").hidden = false;
    document.getElementById("panel-actions").hidden = false;
  }

  function select(node) {
    selected = node;
    cy.elements().unselect();
    node.select();
    PG.focus(cy, node);
    showPanel(node);
  }

  function resize() {
    var max = 0, measure = sizeBy.value;
    cy.nodes().forEach(function (n) { max = Math.max(max, (n.data("info") || {})[measure] || 0); });
    cy.nodes().forEach(function (n) { n.data("size", PG.sizeOf(n.data("info") || {}, measure, max)); });
  }

  function addElements(data) {
    var before = cy.nodes().length;
    var fresh = PG.networkElements(data, sizeBy.value).filter(function (e) { return cy.getElementById(e.data.id).empty(); });
    var added = cy.add(fresh);
    resize();
    if (added.nodes().length) {
      added.nodes().layout({name: "circle", fit: false, boundingBox: around(data.center, added.nodes().length)}).run();
    }
    return cy.nodes().length - before;
  }

  function around(id, count) {
    var c = cy.getElementById(id).position() || {x: 0, y: 0}, r = 80 + count * 4;
    return {x1: c.x - r, y1: c.y - r, w: 2 * r, h: 2 * r};
  }

  function expand() {
    if (!selected) return;
    var id = selected.id(), offset = offsets[id] || 0;
    PG.getJSON("/api/network/expand/" + encodeURIComponent(id) + "?offset=" + offset).then(function (data) {
      var added = addElements(data);
      offsets[id] = data.next_offset;
      capMsg.hidden = false;
      capMsg.textContent = "已展开 " + data.next_offset + " / " + data.total + " 个协作部门（新增 " + added + " 个节点）" +
        (data.truncated ? "。每次最多展开 " + cap + " 个，再点“展开”继续。" : "，已全部显示。");
      select(cy.getElementById(id));
      status.textContent = "当前显示 " + cy.nodes().length + " 个部门、" + cy.edges().length + " 条协作关系。";
    }).catch(function (err) { capMsg.hidden = false; capMsg.textContent = "展开失败：" + err.message; });
  }

  function find() {
    var q = document.getElementById("find").value.trim();
    if (!q) return;
    var hit = cy.nodes().filter(function (n) { return (n.data("name") || "").indexOf(q) >= 0; });
    if (hit.length) { select(hit[0]); return; }
    PG.getJSON("/api/network/find?q=" + encodeURIComponent(q)).then(function (body) {
      if (!body.departments.length) { status.textContent = "没有名称包含“" + q + "”的部门。"; return; }
      var d = body.departments[0];
      cy.add(PG.networkElements({nodes: [d], edges: []}, sizeBy.value));
      resize();
      select(cy.getElementById(d.id));
      status.textContent = "“" + d.name + "”不在当前筛选的网络中，已单独加入；点击“展开协作部门”查看其协作关系。";
    });
  }

  function fillFindList() {
    var list = document.getElementById("find-list");
    cy.nodes().sort(function (a, b) { return (a.data("name") || "").localeCompare(b.data("name") || "", "zh-CN"); })
      .forEach(function (n) { var o = document.createElement("option"); o.value = n.data("name"); list.appendChild(o); });
  }

  function exportPng() {
    cy.png({output: "blob-promise", full: true, scale: 2, bg: "#ffffff"}).then(function (blob) {
      PG.download(blob, "policygraph-network.png");
    });
  }

  function start(data) {
    cy = PG.drawNetwork(box, data, {measure: sizeBy.value});
    fillLegend(data.communities || []);
    status.textContent = "显示 " + data.nodes.length + " 个部门、" + data.edges.length + " 条协作关系" +
      (data.truncated ? "（只显示最强的 " + data.edges.length + " 条，可提高“最少共同措施”缩小范围）" : "") + "。点击节点聚焦。";
    if (!data.nodes.length) { status.textContent = "当前筛选条件下没有协作关系。"; }
    cy.on("tap", "node", function (evt) { select(evt.target); });
    cy.on("tap", function (evt) { if (evt.target === cy) { cy.elements().removeClass("faded highlight near"); PG.declutter(cy); } });
    sizeBy.addEventListener("change", resize);
    document.getElementById("expand").addEventListener("click", expand);
    document.getElementById("find-go").addEventListener("click", find);
    document.getElementById("find").addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); find(); } });
    document.getElementById("export-png").addEventListener("click", exportPng);
    fillFindList();
    var focusId = box.getAttribute("data-focus");
    if (focusId) {
      var node = cy.getElementById(focusId);
      if (node.nonempty()) { select(node); } else {
        PG.getJSON("/api/departments/" + encodeURIComponent(focusId) + "/network").then(function (ego) {
          addElements(ego); select(cy.getElementById(focusId));
        });
      }
    }
  }

  PG.getJSON(box.getAttribute("data-src")).then(start)
    .catch(function (err) { status.textContent = "网络加载失败：" + err.message; });
}());
