/* Insight: right and overridden suggestions per field, as stacked bars (ECharts, data from
   json_script). Without JavaScript the table above shows the same figures, each a link. */
(function () {
  "use strict";
  function ready() {
    var box = document.querySelector("[data-insight-chart]");
    if (!box || typeof window.echarts === "undefined") return;
    var source = document.getElementById(box.getAttribute("data-insight-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: ["#2e7d32", "#b71c1c"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.fields, inverse: true },
      series: [
        { name: data.labels.right, type: "bar", stack: "all", data: data.right },
        { name: data.labels.wrong, type: "bar", stack: "all", data: data.wrong }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
