// sitrep dashboard charts: a series over time and the events map (plotly.js, served locally).
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    topojsonURL: "/static/geo/",   // country outlines from this server, never a CDN
    modeBarButtonsToRemove: ["sendDataToCloud"]
  };

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function localLink(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  function openOnClick(div) {
    div.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var data = point && point.customdata;
      if (data && localLink(data[0])) { window.location.href = data[0]; }
    });
  }

  function num(v) { return v === null || v === undefined ? "open" : v.toLocaleString("en"); }

  function seriesChart(div, data) {
    var traces = [];
    data.timelines.forEach(function (tl) {
      var pts = tl.points;
      traces.push({
        type: "scatter", mode: "lines+markers", name: tl.name,
        meta: "claimant",
        x: pts.map(function (p) { return p.date; }),
        y: pts.map(function (p) { return p.best; }),
        customdata: pts.map(function (p) { return [p.url, p.claim_id]; }),
        text: pts.map(function (p) {
          return (p.quantity || "") + " (" + num(p.low) + "–" + num(p.high) + ")";
        }),
        error_y: {
          type: "data", symmetric: false, thickness: 1, width: 3,
          array: pts.map(function (p) { return p.high === null ? 0 : p.high - p.best; }),
          arrayminus: pts.map(function (p) { return p.low === null ? 0 : p.best - p.low; })
        },
        hovertemplate: "%{x}: %{text}<br>best %{y:,}<extra>%{fullData.name}</extra>",
        marker: {size: 9}
      });
    });
    var agg = data.aggregate || [];
    if (agg.length) {
      var xs = agg.map(function (a) { return a.date; });
      var highs = agg.map(function (a) { return a.high === null ? a.best : a.high; });
      var lows = agg.map(function (a) { return a.low === null ? a.best : a.low; });
      traces.unshift({
        type: "scatter", mode: "lines", name: "aggregate low–high", meta: "aggregate",
        legendgroup: "aggregate", hoverinfo: "skip",
        x: xs.concat(xs.slice().reverse()),
        y: highs.concat(lows.slice().reverse()),
        fill: "toself", fillcolor: "rgba(120,120,120,0.2)", line: {width: 0}
      });
      traces.push({
        type: "scatter", mode: "lines", name: "aggregate best", meta: "aggregate",
        legendgroup: "aggregate", x: xs, y: agg.map(function (a) { return a.best; }),
        line: {dash: "dash", color: "#555"},
        hovertemplate: "%{x}: aggregate best %{y:,}<extra></extra>"
      });
    }
    var layout = {
      margin: {t: 20, r: 20, b: 40, l: 70}, hovermode: "closest",
      xaxis: {type: "date", title: {text: "date"}},
      yaxis: {title: {text: "estimate"}, rangemode: "tozero"},
      legend: {orientation: "h", y: -0.2}
    };
    return Plotly.newPlot(div, traces, layout, CONFIG).then(function () { openOnClick(div); });
  }

  function eventsMap(div, points) {
    var trace = {
      type: "scattergeo", mode: "markers", name: "events",
      lat: points.map(function (p) { return p.lat; }),
      lon: points.map(function (p) { return p.lon; }),
      text: points.map(function (p) {
        return p.label + (p.date ? " (" + p.date + ")" : "") +
          (p.killed === null || p.killed === undefined ? "" : ": " + num(p.killed) + " killed");
      }),
      customdata: points.map(function (p) { return [p.url, p.id]; }),
      hovertemplate: "%{text}<extra></extra>",
      marker: {
        size: points.map(function (p) { return 8 + Math.min(22, Math.sqrt(p.killed || 0)); }),
        color: "#b3261e", opacity: 0.75, line: {width: 1, color: "#fff"}
      }
    };
    var layout = {
      margin: {t: 0, r: 0, b: 0, l: 0}, showlegend: false,
      geo: {
        scope: "world", resolution: 110, projection: {type: "natural earth"},
        showcountries: true, countrycolor: "#999", showland: true, landcolor: "#f2efe9",
        showcoastlines: true, coastlinecolor: "#999", showocean: false, showlakes: false,
        showrivers: false, showsubunits: false, showframe: false
      }
    };
    if (points.length) {   // the events with a margin around them
      var lats = points.map(function (p) { return p.lat; });
      var lons = points.map(function (p) { return p.lon; });
      var pad = function (lo, hi, min, max, margin) {
        return [Math.max(min, lo - margin), Math.min(max, hi + margin)];
      };
      layout.geo.lataxis = {range: pad(Math.min.apply(null, lats), Math.max.apply(null, lats),
                                       -90, 90, 6)};
      layout.geo.lonaxis = {range: pad(Math.min.apply(null, lons), Math.max.apply(null, lons),
                                       -180, 180, 20)};
      layout.geo.projection = {type: "mercator"};
    }
    return Plotly.newPlot(div, [trace], layout, CONFIG).then(function () { openOnClick(div); });
  }

  function draw() {
    var done = [];
    var chart = document.getElementById("series-chart");
    var seriesData = readJSON("series-data");
    if (chart && seriesData) { done.push(seriesChart(chart, seriesData)); }
    var map = document.getElementById("events-map");
    var points = readJSON("events-data");
    if (map && points) { done.push(eventsMap(map, points)); }
    Promise.all(done).then(function () {
      document.body.setAttribute("data-charts", "ready");
    }, function (err) {
      document.body.setAttribute("data-charts", "failed");
      console.error(err);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
