/* The topics map: ECharts on a "geo" of the county's own extent (no internet), Web Mercator
   projected so that a configured tile service (WENMIN_MAP_TILES, {z}/{x}/{y}) can be laid
   under it as <img> tiles, re-placed after every pan and zoom. Layers come from
   /topics/map/data/ (each app's registered layer); a click opens the point's page. */
(function () {
  "use strict";

  var R = 6378137;
  function project(p) {
    var lat = Math.max(Math.min(p[1], 85), -85) * Math.PI / 180;
    return [p[0] * Math.PI / 180 * R, -Math.log(Math.tan(Math.PI / 4 + lat / 2)) * R];
  }
  function unproject(p) {
    return [p[0] / R * 180 / Math.PI, (2 * Math.atan(Math.exp(-p[1] / R)) - Math.PI / 2) * 180 / Math.PI];
  }

  function extent(regions, layers) {
    var lats = [], lngs = [];
    function add(p) { lats.push(p.lat); lngs.push(p.lng); }
    regions.forEach(add);
    layers.forEach(function (l) { l.points.forEach(add); });
    if (!lats.length) { lats = [28.3]; lngs = [117.7]; }
    var pad = 0.02;
    return {
      s: Math.min.apply(null, lats) - pad, n: Math.max.apply(null, lats) + pad,
      w: Math.min.apply(null, lngs) - pad, e: Math.max.apply(null, lngs) + pad
    };
  }

  function areaMap(b) {
    return { type: "FeatureCollection", features: [{
      type: "Feature", properties: { name: "area" },
      geometry: { type: "Polygon", coordinates: [[[b.w, b.s], [b.e, b.s], [b.e, b.n], [b.w, b.n], [b.w, b.s]]] }
    }] };
  }

  var COLOURS = { cases: "#b71c1c", hotspots: "#ef6c00" };
  var PALETTE = ["#1565c0", "#2e7d32", "#6a1b9a", "#00838f"];

  function tileUrl(template, subdomains, z, x, y) {
    var s = subdomains ? subdomains.charAt((x + y) % subdomains.length) : "";
    return template.replace("{s}", s).replace("{z}", z).replace("{x}", x).replace("{y}", y);
  }

  function drawTiles(chart, box, holder) {
    var template = box.getAttribute("data-tiles");
    if (!template) return;
    var subdomains = box.getAttribute("data-subdomains") || "";
    var width = box.clientWidth, height = box.clientHeight;
    var a = chart.convertFromPixel({ geoIndex: 0 }, [0, 0]);
    var b = chart.convertFromPixel({ geoIndex: 0 }, [width, height]);
    if (!a || !b) return;
    var degPerPx = Math.abs(b[0] - a[0]) / width;
    var z = Math.max(1, Math.min(18, Math.round(Math.log(360 / (256 * degPerPx)) / Math.LN2)));
    var n = Math.pow(2, z);
    function tx(lng) { return Math.floor((lng + 180) / 360 * n); }
    function ty(lat) {
      var r = lat * Math.PI / 180;
      return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
    }
    function lngOf(x) { return x / n * 360 - 180; }
    function latOf(y) { var k = Math.PI - 2 * Math.PI * y / n; return 180 / Math.PI * Math.atan(0.5 * (Math.exp(k) - Math.exp(-k))); }
    holder.textContent = "";
    for (var x = tx(a[0]); x <= tx(b[0]); x++) {
      for (var y = ty(a[1]); y <= ty(b[1]); y++) {
        var p = chart.convertToPixel({ geoIndex: 0 }, [lngOf(x), latOf(y)]);
        var q = chart.convertToPixel({ geoIndex: 0 }, [lngOf(x + 1), latOf(y + 1)]);
        var img = document.createElement("img");
        img.alt = "";
        img.referrerPolicy = "no-referrer";
        img.src = tileUrl(template, subdomains, z, x, y);
        img.style.left = p[0] + "px"; img.style.top = p[1] + "px";
        img.style.width = (q[0] - p[0] + 1) + "px"; img.style.height = (q[1] - p[1] + 1) + "px";
        holder.appendChild(img);
      }
    }
  }

  function render(box, data, labels) {
    var b = extent(data.regions, data.layers);
    window.echarts.registerMap("wenmin-area", areaMap(b));
    var tiled = !!box.getAttribute("data-tiles");
    var series = [{
      name: labels.regions, type: "scatter", coordinateSystem: "geo", symbolSize: 5, silent: true,
      itemStyle: { color: "#9e9e9e" },
      label: { show: true, formatter: function (p) { return p.data.township ? p.name : ""; },
               position: "right", fontSize: 11, color: "#424242" },
      data: data.regions.map(function (r) { return { name: r.name, township: r.township, value: [r.lng, r.lat] }; })
    }];
    var heat = [];
    var shown = 0;
    data.layers.forEach(function (layer, i) {
      var colour = COLOURS[layer.key] || PALETTE[i % PALETTE.length];
      var big = layer.key !== "cases";
      series.push({
        name: layer.label, type: big ? "effectScatter" : "scatter", coordinateSystem: "geo",
        symbolSize: big ? function (v) { return Math.min(30, 8 + 2 * (v[2] || 1)); } : 7,
        itemStyle: { color: colour, opacity: 0.8 }, rippleEffect: { scale: 2 },
        data: layer.points.map(function (p) { return { name: p.name, url: p.url, value: [p.lng, p.lat, p.value || 1] }; })
      });
      shown += layer.points.length;
      if (layer.key === "cases") layer.points.forEach(function (p) { heat.push([p.lng, p.lat, 1]); });
    });
    series.push({ name: labels.heat, type: "heatmap", coordinateSystem: "geo", pointSize: 12, blurSize: 18, data: heat });
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) { return p.name || ""; } },
      legend: { top: 0, left: 0, type: "scroll", selected: (function () { var s = {}; s[labels.heat] = false; return s; })() },
      visualMap: { show: false, min: 0, max: 5, seriesIndex: series.length - 1,
                   inRange: { color: ["#fff3e0", "#ffb74d", "#e65100", "#b71c1c"] } },
      geo: {
        map: "wenmin-area", roam: true, projection: { project: project, unproject: unproject },
        itemStyle: { areaColor: tiled ? "transparent" : "#f5f5f0", borderColor: tiled ? "transparent" : "#d0d0c8" },
        emphasis: { disabled: true }, silent: true, top: 36, bottom: 8, left: 8, right: 8
      },
      series: series
    });
    chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
    var holder = box.parentNode.querySelector("[data-map-tiles]");
    if (holder) {
      chart.on("georoam", function () { drawTiles(chart, box, holder); });
      chart.on("finished", function () { if (!holder.childNodes.length) drawTiles(chart, box, holder); });
    }
    window.addEventListener("resize", function () { chart.resize(); if (holder) drawTiles(chart, box, holder); });
    box.setAttribute("data-points", String(shown));
    box.setAttribute("data-ready", "yes");
    return shown;
  }

  function ready() {
    var box = document.querySelector("[data-topics-map]");
    var status = document.querySelector("[data-map-status]");
    if (!box || typeof window.echarts === "undefined") return;
    var labelsNode = document.getElementById("topics-map-labels");
    var labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
    fetch(box.getAttribute("data-source"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (data) {
        var shown = render(box, data, labels);
        if (status) status.textContent = shown + " " + (labels.shown || "");
      })
      .catch(function () { if (status) status.textContent = labels.failed || "!"; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
