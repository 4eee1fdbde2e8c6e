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

  // Nodes and edges found in query result rows (nodes, relationships and paths at any depth).
  function resultElements(rows) {
    var nodes = {}, edges = {};
    function addNode(n) {
      if (!n || n.id == null) return null;
      var label = (n.labels || [])[0] || "";
      nodes[n.id] = {group: "nodes", data: {id: String(n.id), name: nodeName(n), colour: LABEL_COLOURS[label] || "#607d8b",
                     size: 22, info: n}};
      return String(n.id);
    }
    function addEdge(a, b, type) {
      if (a == null || b == null || !nodes[a] || !nodes[b]) return;
      var id = a + "|" + type + "|" + b;
      edges[id] = {group: "edges", data: {id: id, source: a, target: b, weight: 1, width: 1.5, type: type}};
    }
    function walk(v, rowNodes, rowRels) {
      if (Array.isArray(v)) { v.forEach(function (x) { walk(x, rowNodes, rowRels); }); return; }
      if (!v || typeof v !== "object") return;
      if (v._kind === "node") { var id = addNode(v); if (id) rowNodes.push(id); return; }
      if (v._kind === "relationship") { rowRels.push(v); return; }
      if (v._kind === "path") {
        var ids = (v.nodes || []).map(addNode);
        for (var i = 1; i < ids.length; i++) {
          addEdge(ids[i - 1], ids[i], ((v.relationships || [])[i - 1] || {}).type || "");
        }
        return;
      }
      Object.keys(v).forEach(function (k) { walk(v[k], rowNodes, rowRels); });
    }
    rows.forEach(function (row) {
      var rowNodes = [], rowRels = [];
      walk(row, rowNodes, rowRels);
      rowRels.forEach(function (r) {
        if (nodes[r.start] && nodes[r.end]) { addEdge(String(r.start), String(r.end), r.type); }
        else if (rowNodes.length === 2) { addEdge(rowNodes[0], rowNodes[1], r.type); }
      });
    });
    return Object.keys(nodes).map(function (k) { return nodes[k]; })
      .concat(Object.keys(edges).map(function (k) { return edges[k]; }));
  }

  function drawResults(container, section, rows) {
    var elements = resultElements(rows);
    if (!elements.some(function (e) { return e.group === "nodes"; })) { section.hidden = true; return null; }
    section.hidden = false;
    var style = networkStyle().concat([{selector: "edge", style: {
      "curve-style": "bezier", "target-arrow-shape": "triangle", "label": "data(type)", "font-size": 9,
      "line-color": "#90a4ae", "target-arrow-color": "#90a4ae", "color": "#5b6876"}}]);
    var count = elements.filter(function (e) { return e.group === "nodes"; }).length;
    var cy = cytoscape({container: container, elements: elements, style: style, layout: layoutFor(count),
                        minZoom: 0.1, maxZoom: 4});
    window.PG.cy = cy;
    return cy;
  }

  // A result table built with DOM calls only (cell text via textContent).
  function cellText(v) {
    if (v && typeof v === "object" && v._kind === "node") { return nodeName(v); }
    if (v && typeof v === "object" && v._kind === "relationship") { return "[" + v.type + "]"; }
    if (v && typeof v === "object" && v._kind === "path") { return (v.nodes || []).map(nodeName).join(" → "); }
    if (v === null || v === undefined) { return ""; }
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
               fillTable: fillTable, cellText: cellText, download: download, sizeOf: sizeOf};
}());
