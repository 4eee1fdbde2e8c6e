// The department page's small collaboration network: click a node to open that department.
(function () {
  "use strict";
  var box = document.getElementById("cy"), status = document.getElementById("cy-status");
  if (!box) return;
  PG.getJSON(box.getAttribute("data-src")).then(function (data) {
    if (!data.nodes.length) { status.textContent = "该部门暂无协作部门。"; box.hidden = true; return; }
    var cy = PG.drawNetwork(box, data, {center: box.getAttribute("data-center"), measure: "degree"});
    status.textContent = "显示 " + (data.nodes.length - 1) + " 个协作部门" +
      (data.truncated ? "（共 " + data.total + " 个，只显示共同措施最多的）" : "") + "；点击节点打开该部门。";
    cy.on("tap", "node", function (evt) {
      var id = evt.target.id();
      if (id !== box.getAttribute("data-center")) { window.location.href = "/departments/" + encodeURIComponent(id); }
    });
  }).catch(function (err) { status.textContent = "网络加载失败：" + err.message; });
}());
