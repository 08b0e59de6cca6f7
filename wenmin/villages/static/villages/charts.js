/* Village indicators: progress against target (ECharts, data from json_script). Without
   JavaScript the tables show the same figures, each a link to the records it counts. */
(function () {
  "use strict";

  function data(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(box, option) {
    box.hidden = false;
    var instance = window.echarts.init(box, null, { renderer: "svg" });
    option.animation = false;
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function progress(box) {
    var d = data("progress");
    if (!d) return;
    draw(box, {
      color: ["#b71c1c"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: function (v) { return Math.max(100, v.max); } },
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { width: 100, overflow: "truncate" } },
      series: [{ type: "bar", data: d.percent, label: { show: true, position: "right", formatter: "{c}%" },
                 markLine: { silent: true, symbol: "none", data: [{ xAxis: 100 }] } }]
    });
  }

  function months(box) {
    var d = data("indicator-chart");
    if (!d) return;
    var target = d.months.map(function () { return d.target; });
    draw(box, {
      color: ["#b71c1c", "#888"],
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value" },
      series: [
        { name: box.getAttribute("data-done-label") || "完成", type: "line", data: d.done },
        { name: box.getAttribute("data-target-label") || "目标", type: "line", data: target, lineStyle: { type: "dashed" }, symbol: "none" }
      ]
    });
  }

  function regions(box) {
    var d = data("indicator-chart");
    if (!d || !d.regions.length) return;
    box.style.height = Math.max(200, 28 * d.regions.length + 40) + "px";
    draw(box, {
      color: ["#b71c1c", "#bbb"],
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: d.regions, inverse: true, axisLabel: { width: 90, overflow: "truncate" } },
      series: [
        { name: box.getAttribute("data-done-label") || "完成", type: "bar", data: d.region_done },
        { name: box.getAttribute("data-target-label") || "目标", type: "bar", data: d.region_target }
      ]
    });
  }

  function ready() {
    if (typeof window.echarts === "undefined") return;
    var kinds = { progress: progress, months: months, regions: regions };
    var boxes = document.querySelectorAll("[data-villages-chart]");
    for (var i = 0; i < boxes.length; i++) {
      var kind = kinds[boxes[i].getAttribute("data-villages-chart")];
      if (kind) kind(boxes[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
