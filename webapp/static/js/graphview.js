// Shared cytoscape.js drawing for the department network, the network explorer and query results.
// All text reaches the page through cytoscape labels or textContent, never as HTML.
(function () {
  "use strict";

  var PALETTE = ["#b3261e", "#1a56a8", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f", "#6d4c41",
                 "#c2185b", "#558b2f", "#3949ab", "#f9a825", "#455a64"];
  var LABEL_COLOURS = {Policy: "#1a56a8", Measure: "#8a5a00", Department: "#b3261e", Programme: "#2e7d32",
                       Platform: "#8e24aa", Region: "#00838f"};

  var OTHER = "#90a4ae";
  // Community id -> palette slot, by the order of the communities the server listed (largest first);
  // communities past the palette share the grey of "other", so no two colours mean the same thing.
  var communitySlots = null;

  function setCommunities(list) {
    communitySlots = {};
    (list || []).slice(0, PALETTE.length).forEach(function (c, i) { communitySlots[c.id] = i; });
  }

  function colour(community) {
    if (community == null || community < 0) return OTHER;
    if (communitySlots) return communitySlots[community] == null ? OTHER : PALETTE[communitySlots[community]];
    return PALETTE[community % PALETTE.length];
  }

  // -- labels that do not overlap ------------------------------------------------------------------
  // Labels keep a fixed size on screen (LABEL_PX whatever the zoom). After every layout, zoom or pan, nodes
  // are visited by importance (selected, centre, focused neighbourhood, then size) and a label is shown only
  // if its box on screen does not overlap a label already shown; zoomed out, only the top few are candidates.
  var LABEL_PX = 12, LABEL_MAX_PX = 150, LABEL_FONT = "sans-serif", measureCtx = null;

  function textWidth(text) {
    if (!measureCtx) { measureCtx = document.createElement("canvas").getContext("2d"); }
    measureCtx.font = LABEL_PX + "px " + LABEL_FONT;
    // a margin of a few pixels: the canvas and cytoscape may not pick the very same fallback font for CJK
    return Math.min(measureCtx.measureText(text).width, LABEL_MAX_PX) + 8;
  }

  function overlaps(a, b) { return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2; }

  function priority(n) {
    return (n.selected() ? 4e6 : 0) + (n.hasClass("center") ? 2e6 : 0) + (n.hasClass("near") ? 1e6 : 0) +
      (n.data("size") || 0) * 1000 + (n.degree(false) || 0);
  }

  function declutter(cy) {
    var zoom = cy.zoom(), ext = cy.extent(), kept = [], bodies = [], shown = 0;
    // "zoomed out" is relative to the zoom that fits the whole graph: the overview names the top 30 at most,
    // further out the top 12, zoomed in every label that fits
    var ratio = zoom / (cy.scratch("pgFitZoom") || zoom);
    var limit = ratio < 0.75 ? 12 : (ratio < 1.5 ? 30 : Infinity);
    cy.batch(function () {
      var nodes = cy.nodes().not(".faded").sort(function (a, b) { return priority(b) - priority(a); });
      cy.nodes().removeClass("labelled labelled-above");
      nodes.forEach(function (n) {
        var p = n.position();
        if (shown >= limit && !n.selected()) return;
        if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) return;
        var r = n.renderedPosition(), half = (n.data("size") || 20) * zoom / 2, w = textWidth(n.data("name") || "");
        var h = 6 + LABEL_PX * 1.4, below = {x1: r.x - w / 2, x2: r.x + w / 2, y1: r.y + half, y2: r.y + half + h};
        var above = {x1: below.x1, x2: below.x2, y1: r.y - half - h, y2: r.y - half};
        // labelled nodes are drawn above the others: a named node's circle must not cover a name shown, nor
        // its name a named node's circle; the name goes below the node if there is room, else above it
        var body = {x1: r.x - half, x2: r.x + half, y1: r.y - half, y2: r.y + half};
        if (kept.some(function (k) { return overlaps(k, body); })) return;
        var box = [below, above].filter(function (b) {
          return !kept.some(function (k) { return overlaps(k, b); }) && !bodies.some(function (k) { return overlaps(k, b); });
        })[0];
        if (!box) return;
        kept.push(box);
        bodies.push(body);
        shown += 1;
        n.addClass(box === above ? "labelled labelled-above" : "labelled");
      });
    });
    cy.style().update(); // the label size mappers below read the new zoom
  }

  function perZoom(px) { return function (ele) { return px / ele.cy().zoom(); }; }

  // The label watcher must be listening before the layout runs: a layout that is not animated stops inside
  // cytoscape's constructor, and a "layoutstop" nobody heard leaves the fitted zoom unknown (then zooming out
  // never thins the labels).
  function watchLabels(cy, layout) {
    var timer = null;
    function later() { clearTimeout(timer); timer = setTimeout(function () { declutter(cy); }, 60); }
    cy.on("layoutstop", function () { cy.scratch("pgFitZoom", cy.zoom()); declutter(cy); });
    cy.on("zoom pan add remove select unselect", later);
    cy.on("data", "node", later);
    if (layout) { cy.layout(layout).run(); } else { declutter(cy); }
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
        "background-color": "data(colour)", "label": "", "width": "data(size)", "height": "data(size)",
        "font-size": LABEL_PX, "font-family": LABEL_FONT, "color": "#1d2733", "text-valign": "bottom", "text-margin-y": 2,
        "text-wrap": "ellipsis", "text-max-width": LABEL_MAX_PX,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1}},
      {selector: "node.labelled", style: {"label": "data(name)", "z-index": 10, "font-size": perZoom(LABEL_PX),
        "text-max-width": perZoom(LABEL_MAX_PX), "text-margin-y": perZoom(2), "text-background-padding": perZoom(1)}},
      {selector: "node.labelled-above", style: {"text-valign": "top", "text-margin-y": perZoom(-2)}},
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

  var hasFcose = false;
  try { hasFcose = typeof cytoscape === "function" && !!cytoscape("layout", "fcose"); } catch (e) { hasFcose = false; }

  // fcose (cytoscape-fcose, from npm) spreads nodes leaving room for their labels; cose if it is missing.
  function layoutFor(count) {
    if (count <= 1) return {name: "grid", fit: true, padding: 40};
    if (hasFcose) {
      return {name: "fcose", quality: "default", randomize: true, animate: false, fit: true, padding: 30,
              nodeDimensionsIncludeLabels: false, packComponents: true, nodeSeparation: 90,
              nodeRepulsion: function () { return 40000; }, idealEdgeLength: function () { return count > 60 ? 110 : 130; },
              edgeElasticity: function () { return 0.3; }, gravity: 0.2, numIter: 2500, randomSeed: 7};
    }
    return {name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 9000; },
            idealEdgeLength: function () { return 70; }, numIter: 1200, fit: true, padding: 24};
  }

  function drawNetwork(container, data, opts) {
    opts = opts || {};
    if (data.communities) setCommunities(data.communities);
    var cy = cytoscape({container: container, elements: networkElements(data, opts.measure, opts.center),
                        style: networkStyle(), minZoom: 0.1, maxZoom: 4});
    window.PG.cy = cy; // for tests and the browser console
    watchLabels(cy, layoutFor(data.nodes.length));
    return cy;
  }

  function focus(cy, node) {
    cy.elements().removeClass("faded highlight near");
    var hood = node.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
    hood.edges().addClass("highlight");
    hood.nodes().addClass("near");
    declutter(cy);
    cy.animate({fit: {eles: hood, padding: 40}}, {duration: 300, complete: function () { declutter(cy); }});
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

  var REL_COLOURS = {LEADS: "#b3261e", SUPPORTS: "#78909c", CONTAINS: "#1a56a8", ISSUED: "#2e7d32",
                     IMPLEMENTS: "#8e24aa", CITES: "#ef6c00", REPORTS_TO: "#00838f"};

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
      // an end the query did not return (RETURN r alone) is drawn as a small grey stand-in
      [[s, "start"], [t, "end"]].forEach(function (end) {
        var key = end[0] || endKey(r, end[1]);
        if (key && !nodes[key]) {
          nodes[key] = {group: "nodes", data: {id: key, name: "（未返回的节点）", colour: "#cfd8dc", size: 12,
                        info: {properties: {}}, kind: "未返回的节点"}};
        }
      });
      s = s || endKey(r, "start"); t = t || endKey(r, "end");
      if (!s || !t || !nodes[s] || !nodes[t]) return;
      var id = s + "|" + r.type + "|" + t;
      edges[id] = {group: "edges", data: {id: id, source: s, target: t, weight: 1, width: 1.5, type: r.type,
                   name: REL_NAMES[r.type] || r.type, colour: REL_COLOURS[r.type] || "#90a4ae"}};
    });
    return Object.keys(nodes).map(function (k) { return nodes[k]; })
      .concat(Object.keys(edges).map(function (k) { return edges[k]; }));
  }

  var PROP_NAMES = {name: "名称", title: "标题", text: "正文", region: "地区", aliases: "别名", deadline: "完成时限",
                    ordinal: "序号", date: "日期", id: "编号", kind: "类型", level: "级别", source: "来源文件",
                    doc: "所属政策", doc_id: "所属政策", role: "角色", mention: "原文写法", evidence: "原文",
                    doc_number: "文号", issuers: "发文机关", addressees: "主送机关", measure_count: "措施数",
                    section: "所属部分", valid_from: "施行日期", valid_until: "有效期至"};
  var PROP_ORDER = Object.keys(PROP_NAMES);

  // Click a node of a results graph: its kind and the properties a reader cares about, under Chinese names,
  // in `panel` (text only). Bookkeeping properties (versions, folded copies, repairs) are left out.
  function nodeDetails(cy, panel) {
    if (!cy || !panel) return;
    cy.on("tap", "node", function (evt) {
      var info = evt.target.data("info") || {}, props = info.properties || {};
      panel.textContent = "";
      var h = document.createElement("h3");
      h.textContent = (evt.target.data("kind") || "节点") + "：" + evt.target.data("name");
      panel.appendChild(h);
      var dl = document.createElement("dl");
      dl.className = "meta small";
      PROP_ORDER.filter(function (k) { return props[k] != null && props[k] !== ""; }).forEach(function (k) {
        var dt = document.createElement("dt"), dd = document.createElement("dd"), v = props[k];
        dt.textContent = PROP_NAMES[k];
        v = Array.isArray(v) ? v.join("、") : String(v);
        v = v.length > 300 ? v.slice(0, 300) + "…" : v;
        if (k === "source" || k === "id") {  // a file name or an id: code, not prose
          var code = document.createElement("code"); code.textContent = v; dd.appendChild(code);
        } else { dd.textContent = v; }
        dl.appendChild(dt); dl.appendChild(dd);
      });
      panel.appendChild(dl);
      panel.hidden = false;
    });
  }

  // A legend of the node kinds drawn (coloured dots with Chinese names), built with DOM calls only.
  function kindLegend(container, elements) {
    var old = container.parentNode.querySelector(".kind-legend");
    if (old) old.remove();
    var seen = {}, rels = {};
    elements.forEach(function (e) {
      if (e.group === "nodes") { seen[e.data.kind] = e.data.colour; } else { rels[e.data.name] = e.data.colour; }
    });
    var ul = document.createElement("ul");
    ul.className = "kind-legend legend";
    function item(text, colour, cls) {
      var li = document.createElement("li"), mark = document.createElement("span");
      mark.className = cls; mark.style.backgroundColor = colour;
      li.appendChild(mark); li.appendChild(document.createTextNode(text));
      ul.appendChild(li);
    }
    Object.keys(seen).forEach(function (kind) { item(kind, seen[kind], "dot"); });
    Object.keys(rels).forEach(function (name) { item(name, rels[name], "line"); });
    container.parentNode.insertBefore(ul, container);
  }

  function drawResults(container, section, rows) {
    var elements = resultElements(rows);
    if (!elements.some(function (e) { return e.group === "nodes"; })) { section.hidden = true; return null; }
    section.hidden = false;
    kindLegend(container, elements);
    var style = networkStyle().concat([{selector: "edge", style: {
      "curve-style": "bezier", "target-arrow-shape": "triangle", "label": "data(name)", "font-size": 10,
      "min-zoomed-font-size": 8, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
      "color": "#5b6876", "opacity": 0.85}}]);
    var count = elements.filter(function (e) { return e.group === "nodes"; }).length;
    var cy = cytoscape({container: container, elements: elements, style: style, minZoom: 0.1, maxZoom: 4});
    window.PG.cy = cy;
    watchLabels(cy, layoutFor(count));
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

  // A Chinese message into `el` with its ASCII runs (Cypher, names, values: code by construction, since the
  // prose is Chinese) as <code>; text only, never HTML.
  var ASCII_RUN = /([!-~](?:[ -~]*[!-~])?)/;
  function richText(el, text) {
    el.textContent = "";
    String(text).split(ASCII_RUN).forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 1 && /[A-Za-z]/.test(part)) {
        var code = document.createElement("code"); code.textContent = part; el.appendChild(code);
      } else { el.appendChild(document.createTextNode(part)); }
    });
  }

  function download(blob, filename) {
    var url = URL.createObjectURL(blob), a = document.createElement("a");
    a.href = url; a.download = filename;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  window.PG = {colour: colour, setCommunities: setCommunities, declutter: declutter, PALETTE: PALETTE, OTHER: OTHER, csrfToken: csrfToken, getJSON: getJSON, drawNetwork: drawNetwork,
               networkElements: networkElements, focus: focus, layoutFor: layoutFor, drawResults: drawResults,
               fillTable: fillTable, cellText: cellText, richText: richText, resultElements: resultElements, nodeDetails: nodeDetails, download: download, sizeOf: sizeOf};
}());
