/* Needs surveys' results: a bar chart per question (ECharts, data from json_script). Without
   JavaScript the table under each chart shows the same figures, each a link to its visits. */
(function () {
  "use strict";

  function chart(box) {
    var source = document.getElementById(box.getAttribute("data-survey-chart"));
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    box.hidden = false;
    var instance = window.echarts.init(box, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      color: ["#b71c1c"],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true,
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: data.values, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function ready() {
    var boxes = document.querySelectorAll("[data-survey-chart]");
    for (var i = 0; i < boxes.length; i++) chart(boxes[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
