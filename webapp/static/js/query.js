// Saved query results: draw the nodes and relationships that came back as a graph.
(function () {
  "use strict";
  var data = document.getElementById("result-data");
  if (!data) return;
  var body = JSON.parse(data.textContent);
  PG.nodeDetails(PG.drawResults(document.getElementById("result-graph"), document.getElementById("result-graph-section"),
                                body.rows), document.getElementById("result-node"));
}());
