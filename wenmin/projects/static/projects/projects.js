/* Projects: the register's map (ECharts scatter on longitude/latitude, no tiles), a project's
   Gantt chart of plan against actual, the dashboard's bars. Without JavaScript the tables show
   the same figures, each a link to its records. */
(function () {
  "use strict";
  var COLOURS = {
    planned: "#8c959f", approved: "#0969da", under_construction: "#bf8700",
    completed: "#1a7f37", accepted: "#116329", suspended: "#cf222e"
  };
  var DAY = 86400000;

  function data(box, attribute) {
    var source = document.getElementById(box.getAttribute(attribute));
    if (!source || typeof window.echarts === "undefined") return null;
    box.hidden = false;
    return JSON.parse(source.textContent);
  }

  function start(box, option) {
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function map(box) {
    var points = data(box, "data-projects-map");
    if (!points) return;
    var chart = start(box, {
      animation: false,
      tooltip: { formatter: function (p) { return p.data.name; } },
      grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", scale: true, axisLabel: { show: false }, splitLine: { show: false } },
      yAxis: { type: "value", scale: true, axisLabel: { show: false }, splitLine: { show: false } },
      series: [{
        type: "scatter", symbolSize: 12,
        data: points.map(function (p) {
          return { name: p.name, value: [p.lon, p.lat], url: p.url,
                   itemStyle: { color: COLOURS[p.status] || "#57606a" } };
        })
      }]
    });
    chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
  }

  function gantt(box) {
    var rows = data(box, "data-projects-gantt");
    if (!rows || !rows.length) return;
    var t = function (s) { return new Date(s + "T00:00:00").getTime(); };
    var min = Infinity;
    rows.forEach(function (r) {
      min = Math.min(min, t(r.plan[0]));
      if (r.actual) min = Math.min(min, t(r.actual[0]));
    });
    var names = rows.map(function (r) { return r.name; });
    var off = function (s) { return (t(s) - min) / DAY; };
    var len = function (a, b) { return Math.max((t(b) - t(a)) / DAY + 1, 1); };
    box.style.height = Math.max(160, rows.length * 44 + 60) + "px";
    var hidden = { color: "transparent" };
    start(box, {
      animation: false,
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, axisLabel: { formatter: function (v) {
        var d = new Date(min + v * DAY); return (d.getMonth() + 1) + "/" + d.getDate(); } } },
      yAxis: { type: "category", data: names, inverse: true,
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [
        { type: "bar", stack: "plan", itemStyle: hidden, silent: true, tooltip: { show: false },
          data: rows.map(function (r) { return off(r.plan[0]); }) },
        { name: box.getAttribute("data-plan-label") || "plan", type: "bar", stack: "plan", itemStyle: { color: "#8c959f" },
          data: rows.map(function (r) { return len(r.plan[0], r.plan[1]); }) },
        { type: "bar", stack: "actual", itemStyle: hidden, silent: true, tooltip: { show: false },
          data: rows.map(function (r) { return r.actual ? off(r.actual[0]) : 0; }) },
        { name: box.getAttribute("data-actual-label") || "actual", type: "bar", stack: "actual", itemStyle: { color: "#b71c1c" },
          data: rows.map(function (r) { return r.actual ? len(r.actual[0], r.actual[1]) : 0; }) }
      ]
    });
  }

  function bars(box) {
    var d = data(box, "data-projects-bars");
    if (!d) return;
    var chart = start(box, {
      animation: false, color: ["#b71c1c"], tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [{ type: "bar", data: d.values, label: { show: true, position: "right" } }]
    });
    chart.on("click", function (p) {
      window.location.href = box.getAttribute("data-list") + "?status=" + d.keys[p.dataIndex];
    });
  }

  function ready() {
    var each = function (selector, draw) {
      var found = document.querySelectorAll(selector);
      for (var i = 0; i < found.length; i++) draw(found[i]);
    };
    each("[data-projects-map]", map);
    each("[data-projects-gantt]", gantt);
    each("[data-projects-bars]", bars);
    each("[data-print]", function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
