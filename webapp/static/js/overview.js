// The home page's corpus charts (Apache ECharts, served from static/vendor). Every bar and province opens the
// page that lists what it counts. Data comes from the page's JSON block, so no inline script is needed (CSP).
(function () {
  "use strict";
  var holder = document.getElementById("overview-data");
  if (!holder || !window.echarts) { return; }
  var data = JSON.parse(holder.textContent);
  var BRAND = "#b3261e";
  var charts = [];
  // The rich-text tooltip draws on the canvas: ECharts' HTML tooltip would write inline styles, which the CSP refuses.
  var tooltip = { trigger: "item", renderMode: "richText" };

  function open(params) {
    var href = params.data && params.data.href;
    if (href) { window.location.href = href; }
  }

  function draw(id, option, empty) {
    var box = document.getElementById(id);
    if (!box) { return; }
    if (empty) {
      box.classList.add("chart-empty");
      box.textContent = "暂无数据";
      return;
    }
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option);
    chart.on("click", open);
    charts.push(chart);
  }

  function names(items) { return items.map(function (d) { return d.name; }); }
  var grid = { left: 8, right: 24, top: 24, bottom: 8, containLabel: true };

  draw("chart-years", {
    tooltip: tooltip, grid: grid,
    xAxis: { type: "category", data: names(data.years) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.years, itemStyle: { color: BRAND }, label: { show: true, position: "top" } }]
  }, !data.years.length);

  var leads = data.leads.slice().reverse();  // the largest on top
  draw("chart-leads", {
    tooltip: tooltip, grid: grid,
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: names(leads), axisLabel: { width: 150, overflow: "truncate", fontSize: 11 } },
    series: [{ type: "bar", data: leads, itemStyle: { color: "#1a56a8" }, label: { show: true, position: "right" } }]
  }, !leads.length);

  draw("chart-months", {
    tooltip: tooltip, grid: grid,
    xAxis: { type: "category", data: names(data.months) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.months, itemStyle: { color: "#8a5a00" } }]
  }, !data.months.length);

  var provinces = data.provinces;
  var most = provinces.reduce(function (m, d) { return Math.max(m, d.value); }, 1);
  if (window.echarts.getMap && window.echarts.getMap("china")) {
    draw("chart-provinces", {
      tooltip: tooltip,
      visualMap: { min: 0, max: most, left: 8, bottom: 8, calculable: false, text: ["多", "少"],
                   inRange: { color: ["#fde8e6", BRAND] } },
      series: [{ type: "map", map: "china", roam: false, data: provinces, label: { show: false },
                 emphasis: { label: { show: true } } }]
    }, false);
  } else {  // no outline registered: the same counts as bars
    var bars = provinces.slice().reverse();
    draw("chart-provinces", {
      tooltip: tooltip, grid: grid,
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: bars.map(function (d) { return d.full; }) },
      series: [{ type: "bar", data: bars, itemStyle: { color: BRAND } }]
    }, !bars.length);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.PG_CHARTS = charts;  // for the browser tests
}());
