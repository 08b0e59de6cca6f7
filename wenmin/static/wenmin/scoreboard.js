/* Compare and see: the scorecard's line chart (ECharts, data from json_script) and printing.
   Without JavaScript the monthly table under the chart shows the same figures. */
(function () {
  "use strict";

  function chart(box) {
    var source = document.getElementById(box.getAttribute("data-source"));
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var names = data.names || {};
    box.hidden = false;
    var instance = window.echarts.init(box, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      color: ["#b71c1c", "#0b57d0", "#1a7f37", "#9a6700"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v; } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 40, right: 32, top: 48, bottom: 28 },  // room for the last month's label
      xAxis: { type: "category", data: data.labels, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100 },
      series: data.series.map(function (s) {
        return {
          name: names[s.key] || s.key,
          type: "line",
          data: s.values,
          connectNulls: false,
          symbolSize: 6,
          lineStyle: { width: s.key === "composite" ? 3 : 1.5 }
        };
      })
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function ready() {
    var boxes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < boxes.length; i++) chart(boxes[i]);
    var printers = document.querySelectorAll("[data-print]");
    for (var j = 0; j < printers.length; j++) {
      printers[j].addEventListener("click", function () { window.print(); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
