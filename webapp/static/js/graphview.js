// Shared cytoscape.js drawing for the department network, the network explorer and query results.
// All text reaches the page through cytoscape labels or textContent, never as HTML.
(function () {
  "use strict";

  var PALETTE = ["#b3261e", "#1a56a8", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f", "#6d4c41",
                 "#c2185b", "#558b2f", "#3949ab", "#f9a825", "#455a64"];
  var LABEL_COLOURS = {Policy: "#1a56a8", Measure: "#8a5a00", Department: "#b3261e", Programme: "#2e7d32",
                       Platform: "#8e24aa", Region: "#00838f"};

  function colour(community) {
    return community == null || community < 0 ? "#90a4ae" : PALETTE[community % PALETTE.length];
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function getJSON(url) {
    return fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"}).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body && body.error || ("HTTP " + r.status)); }
        return body;
      });
    });
  }

  function networkStyle() {
    return [
      {selector: "node", style: {
        "background-color": "data(colour)", "label": "data(name)", "width": "data(size)", "height": "data(size)",
        "font-size": 11, "color": "#1d2733", "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "ellipsis", "text-max-width": 120, "min-zoomed-font-size": 7,
        "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1}},
      {selector: "edge", style: {
        "width": "data(width)", "line-color": "#b0bec5", "curve-style": "haystack", "opacity": 0.7}},
      {selector: "node.center", style: {"border-width": 3, "border-color": "#1d2733"}},
      {selector: "node:selected", style: {"border-width": 4, "border-color": "#ffb300"}},
      {selector: ".faded", style: {"opacity": 0.12}},
      {selector: "edge.highlight", style: {"line-color": "#ffb300", "opacity": 1}}
    ];
  }

  function sizeOf(node, measure, max) {
    var v = node[measure] || 0;
    return 14 + 36 * (max > 0 ? Math.sqrt(v / max) : 0);
  }

  // Cytoscape elements for a {nodes, edges} network payload; sizes by the chosen centrality.
  function networkElements(data, measure, centerId) {
    measure = measure || "degree";
    var max = 0;
    data.nodes.forEach(function (n) { max = Math.max(max, n[measure] || 0); });
    var nodes = data.nodes.map(function (n) {
      return {group: "nodes", data: {id: n.id, name: n.name || n.id, colour: colour(n.community),
              size: sizeOf(n, measure, max), info: n}, classes: n.id === centerId ? "center" : ""};
    });
    var edges = data.edges.map(function (e) {
      return {group: "edges", data: {id: e.source + "|" + e.target, source: e.source, target: e.target,
              weight: e.weight, width: Math.min(1 + Math.log(1 + (e.weight || 1)) * 1.5, 8)}};
    });
    return nodes.concat(edges);
  }

  function layoutFor(count) {
    return count > 1 ? {name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 9000; },
                        idealEdgeLength: function () { return 70; }, numIter: 1200, fit: true, padding: 24}
                     : {name: "grid", fit: true, padding: 40};
  }

  function drawNetwork(container, data, opts) {
    opts = opts || {};
    var cy = cytoscape({container: container, elements: networkElements(data, opts.measure, opts.center),
                        style: networkStyle(), layout: layoutFor(data.nodes.length), minZoom: 0.1, maxZoom: 4
                        });
    window.PG.cy = cy; // for tests and the browser console
    return cy;
  }

  function focus(cy, node) {
    cy.elements().removeClass("faded highlight");
    var hood = node.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
    hood.edges().addClass("highlight");
    cy.animate({fit: {eles: hood, padding: 40}}, {duration: 300});
  }

  function nodeName(n) {
    var p = n.properties || {};
    var text = p.name || p.title || p.text || n.id || "";
    return text.length > 40 ? text.slice(0, 40) + "…" : text;
  }

  var LABEL_NAMES = {Policy: "政策", Measure: "措施", Department: "部门", Programme: "专项行动",
                     Platform: "平台", Region: "地区"};
  var REL_NAMES = {LEADS: "牵头", SUPPORTS: "配合", CONTAINS: "包含", ISSUED: "发布", IMPLEMENTS: "承接",
                   CITES: "引用", REPORTS_TO: "报送", PART_OF: "属于", LOCATED_IN: "位于", MENTIONS: "提及",
                   OPERATES: "运营"};

  // A node's key within one result: the engine's own id (`ref`) when given, else our `id` property.
  function nodeKey(n) { return n.ref != null ? "r" + n.ref : (n.id != null ? "i" + n.id : null); }
  function endKey(rel, side) {
    if (rel[side + "_ref"] != null) return "r" + rel[side + "_ref"];
    return rel[side] != null ? "i" + rel[side] : null;
  }

  // Nodes and edges found in query result rows: every node, every relationship (alone, in a list or in a
  // path) whose two ends came back too, at any depth.
  function resultElements(rows) {
    var nodes = {}, edges = {}, rels = [], byId = {};
    function addNode(n) {
      var key = nodeKey(n);
      if (key == null) return;
      var label = (n.labels || [])[0] || "";
      nodes[key] = {group: "nodes", data: {id: key, name: nodeName(n), colour: LABEL_COLOURS[label] || "#607d8b",
                    size: 22, info: n, kind: LABEL_NAMES[label] || label}};
      if (n.id != null) byId["i" + n.id] = key;
    }
    function walk(v) {
      if (Array.isArray(v)) { v.forEach(walk); return; }
      if (!v || typeof v !== "object") return;
      if (v._kind === "node") { addNode(v); return; }
      if (v._kind === "relationship") { rels.push({rel: v}); return; }
      if (v._kind === "path") {
        var ns = v.nodes || [];
        ns.forEach(addNode);
        (v.relationships || []).forEach(function (r, i) {
          // A path's steps may run against a relationship's direction: its own ends say which way it points.
          rels.push({rel: r, a: ns[i] && nodeKey(ns[i]), b: ns[i + 1] && nodeKey(ns[i + 1])});
        });
        return;
      }
      Object.keys(v).forEach(function (k) { walk(v[k]); });
    }
    rows.forEach(walk);
    rels.forEach(function (item) {
      var r = item.rel, s = endKey(r, "start"), t = endKey(r, "end");
      s = nodes[s] ? s : byId[s]; t = nodes[t] ? t : byId[t];
      if ((!s || !t) && item.a && item.b) { s = item.a; t = item.b; }
      if (!s || !t || !nodes[s] || !nodes[t]) return;
      var id = s + "|" + r.type + "|" + t;
      edges[id] = {group: "edges", data: {id: id, source: s, target: t, weight: 1, width: 1.5, type: r.type,
                   name: REL_NAMES[r.type] || r.type}};
    });
    return Object.keys(nodes).map(function (k) { return nodes[k]; })
      .concat(Object.keys(edges).map(function (k) { return edges[k]; }));
  }

  // A legend of the node kinds drawn (coloured dots with Chinese names), built with DOM calls only.
  function kindLegend(container, elements) {
    var old = container.parentNode.querySelector(".kind-legend");
    if (old) old.remove();
    var seen = {};
    elements.forEach(function (e) { if (e.group === "nodes") seen[e.data.kind] = e.data.colour; });
    var ul = document.createElement("ul");
    ul.className = "kind-legend legend";
    Object.keys(seen).forEach(function (kind) {
      var li = document.createElement("li"), dot = document.createElement("span");
      dot.className = "dot"; dot.style.backgroundColor = seen[kind];
      li.appendChild(dot); li.appendChild(document.createTextNode(kind));
      ul.appendChild(li);
    });
    container.parentNode.insertBefore(ul, container);
  }

  function drawResults(container, section, rows) {
    var elements = resultElements(rows);
    if (!elements.some(function (e) { return e.group === "nodes"; })) { section.hidden = true; return null; }
    section.hidden = false;
    kindLegend(container, elements);
    var style = networkStyle().concat([{selector: "edge", style: {
      "curve-style": "bezier", "target-arrow-shape": "triangle", "label": "data(name)", "font-size": 9,
      "line-color": "#90a4ae", "target-arrow-color": "#90a4ae", "color": "#5b6876", "opacity": 0.9}}]);
    var count = elements.filter(function (e) { return e.group === "nodes"; }).length;
    var cy = cytoscape({container: container, elements: elements, style: style, layout: layoutFor(count),
                        minZoom: 0.1, maxZoom: 4});
    window.PG.cy = cy;
    return cy;
  }

  // A result table built with DOM calls only (cell text via textContent).
  function cellText(v) {
    if (v && typeof v === "object" && v._kind === "node") { return nodeName(v); }
    if (v && typeof v === "object" && v._kind === "relationship") { return "[" + (REL_NAMES[v.type] || v.type) + "]"; }
    if (v && typeof v === "object" && v._kind === "path") { return (v.nodes || []).map(nodeName).join(" → "); }
    if (v === null || v === undefined) { return ""; }
    if (Array.isArray(v)) { return v.map(cellText).join("、"); }
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  function fillTable(table, columns, rows) {
    var head = table.tHead, body = table.tBodies[0];
    head.textContent = ""; body.textContent = "";
    var tr = head.insertRow();
    columns.forEach(function (c) { var th = document.createElement("th"); th.scope = "col"; th.textContent = c; tr.appendChild(th); });
    rows.forEach(function (row) {
      var r = body.insertRow();
      row.forEach(function (v) { r.insertCell().textContent = cellText(v); });
    });
  }

  function download(blob, filename) {
    var url = URL.createObjectURL(blob), a = document.createElement("a");
    a.href = url; a.download = filename;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  window.PG = {colour: colour, csrfToken: csrfToken, getJSON: getJSON, drawNetwork: drawNetwork,
               networkElements: networkElements, focus: focus, layoutFor: layoutFor, drawResults: drawResults,
               fillTable: fillTable, cellText: cellText, resultElements: resultElements, download: download, sizeOf: sizeOf};
}());
