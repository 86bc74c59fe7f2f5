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

  function localLink(url) {   // a path on this server, or a place on this page
    return typeof url === "string" && (url.charAt(0) === "#" ||
      (url.charAt(0) === "/" && url.charAt(1) !== "/"));
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

  // Mercator's y of a latitude, and back: the map is fitted in this projection.
  function mercY(lat) { return Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)); }
  function mercLat(y) { return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) * 180 / Math.PI; }

  // The events' bounds widened on their shorter side to the shape of the div: plotly keeps
  // a map's proportions, so bounds of another shape would leave a strip of the page drawn.
  function fitToDiv(bounds, div) {
    var lon = bounds.lon.slice(), lat = bounds.lat.slice();
    var aspect = Math.max(div.clientWidth, 1) / Math.max(div.clientHeight, 1);
    var dx = (lon[1] - lon[0]) * Math.PI / 180;
    var y0 = mercY(lat[0]), y1 = mercY(lat[1]);
    if (dx / (y1 - y0) < aspect) {
      var half = aspect * (y1 - y0) * 90 / Math.PI, mid = (lon[0] + lon[1]) / 2;
      mid = Math.min(180 - Math.min(half, 180), Math.max(-180 + Math.min(half, 180), mid));
      lon = [Math.max(-180, mid - half), Math.min(180, mid + half)];
    } else {
      var halfY = dx / aspect / 2, midY = (y0 + y1) / 2;
      lat = [Math.max(-85, mercLat(midY - halfY)), Math.min(85, mercLat(midY + halfY))];
    }
    return {lon: lon, lat: lat};
  }

  function eventsMap(div, map) {
    var markers = map.markers;
    var trace = {
      type: "scattergeo", mode: "markers+text", name: "events",
      lat: markers.map(function (m) { return m.lat; }),
      lon: markers.map(function (m) { return m.lon; }),
      text: markers.map(function (m) { return m.n > 1 ? String(m.n) : ""; }),
      textfont: {color: "#fff", size: 11},
      hovertext: markers.map(function (m) { return m.text; }),
      customdata: markers.map(function (m) { return [m.url, m.ids[0], m.n]; }),
      hovertemplate: "%{hovertext}<extra></extra>",
      marker: {
        size: markers.map(function (m) {
          return m.n > 1 ? Math.min(40, 14 + 5 * Math.sqrt(m.n)) :
            10 + Math.min(22, Math.sqrt(m.killed || 0));
        }),
        color: markers.map(function (m) { return m.n > 1 ? "#7a1712" : "#b3261e"; }),
        opacity: 0.8, line: {width: 1, color: "#fff"}
      }
    };
    var fitted = fitToDiv(map.bounds, div);
    var layout = {
      margin: {t: 0, r: 0, b: 0, l: 0}, showlegend: false,
      geo: {
        resolution: 110, projection: {type: "mercator"},
        lonaxis: {range: fitted.lon}, lataxis: {range: fitted.lat},
        showcountries: true, countrycolor: "#999", showland: true, landcolor: "#f2efe9",
        showcoastlines: true, coastlinecolor: "#999", showocean: false, showlakes: false,
        showrivers: false, showsubunits: false, showframe: false
      }
    };
    var refit = null;
    window.addEventListener("resize", function () {   // keep filling the page's width
      window.clearTimeout(refit);
      refit = window.setTimeout(function () {
        var again = fitToDiv(map.bounds, div);
        Plotly.relayout(div, {"geo.lonaxis.range": again.lon, "geo.lataxis.range": again.lat});
      }, 150);
    });
    return Plotly.newPlot(div, [trace], layout, CONFIG).then(function () { openOnClick(div); });
  }

  function draw() {
    var done = [];
    var chart = document.getElementById("series-chart");
    var seriesData = readJSON("series-data");
    if (chart && seriesData) { done.push(seriesChart(chart, seriesData)); }
    var map = document.getElementById("events-map");
    var mapData = readJSON("events-data");
    if (map && mapData) { done.push(eventsMap(map, mapData)); }
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
