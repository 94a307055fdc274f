// Charts drawn as SVG, with their numbers written on them (never colour alone) and a
// text summary for screen readers.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

/// Horizontal bars: [{ label, value, note? }], each labelled with its value.
function barChart(container, bars, unit) {
  const rowH = 34, labelW = 210, width = 640, max = Math.max(1, ...bars.map((b) => b.value));
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${Math.max(1, bars.length) * rowH + 8}`, role: "img" });
  svg.setAttribute("aria-label", bars.map((b) => `${b.label} ${b.value}${unit}`).join("、"));
  bars.forEach((b, i) => {
    const y = i * rowH + 4, w = Math.round((width - labelW - 90) * b.value / max);
    svg.appendChild(svgEl("text", { x: labelW - 8, y: y + 21, "text-anchor": "end", class: "label" }, b.label));
    svg.appendChild(svgEl("rect", { x: labelW, y: y + 4, width: Math.max(w, 2), height: rowH - 10, class: b.mine ? "bar mine" : "bar", rx: 3 }));
    svg.appendChild(svgEl("text", { x: labelW + Math.max(w, 2) + 8, y: y + 21, class: "value" }, number(b.value) + unit + (b.note ?? "")));
  });
  if (bars.length === 0) svg.appendChild(svgEl("text", { x: 8, y: 22, class: "label" }, t("no_data")));
  container.replaceChildren(svg);
}

/// Citizens over time: residents, e-citizens and the total, the fitted trend (dashed)
/// and the target line. `points`: [{ day, residents, e_citizens }].
function growthChart(container, points, target, trend) {
  const width = 640, height = 260, left = 70, right = 20, top = 16, bottom = 34;
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  if (points.length === 0) {
    svg.appendChild(svgEl("text", { x: 8, y: 22, class: "label" }, t("no_data")));
    container.replaceChildren(svg);
    return;
  }
  const first = points[0].day, last = trend && trend.reaches_target ? Math.max(points.at(-1).day, trend.reaches_target) : points.at(-1).day + 30;
  const top_value = Math.max(target, ...points.map((p) => p.residents + p.e_citizens));
  const x = (d) => left + (width - left - right) * (d - first) / Math.max(1, last - first);
  const y = (v) => height - bottom - (height - top - bottom) * v / top_value;
  const line = (values, cls) => svg.appendChild(svgEl("polyline", {
    points: points.map((p) => `${x(p.day).toFixed(1)},${y(values(p)).toFixed(1)}`).join(" "), class: cls, fill: "none",
  }));
  // Axes and the goal.
  svg.appendChild(svgEl("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }));
  svg.appendChild(svgEl("line", { x1: left, y1: y(target), x2: width - right, y2: y(target), class: "target" }));
  svg.appendChild(svgEl("text", { x: left + 4, y: y(target) - 6, class: "label" }, t("target") + " " + number(target)));
  for (const v of [0, top_value / 2]) svg.appendChild(svgEl("text", { x: left - 6, y: y(v) + 5, "text-anchor": "end", class: "tick" }, number(Math.round(v))));
  svg.appendChild(svgEl("text", { x: left, y: height - 10, class: "tick" }, dayText(first)));
  svg.appendChild(svgEl("text", { x: width - right, y: height - 10, "text-anchor": "end", class: "tick" }, dayText(last)));
  line((p) => p.residents, "series residents");
  line((p) => p.e_citizens, "series e-citizens");
  line((p) => p.residents + p.e_citizens, "series total");
  if (trend && trend.reaches_target) {
    const end = points.at(-1);
    svg.appendChild(svgEl("line", {
      x1: x(end.day), y1: y(end.residents + end.e_citizens), x2: x(trend.reaches_target), y2: y(target), class: "trend",
    }));
  }
  const now = points.at(-1);
  svg.setAttribute("aria-label", `${t("total")} ${number(now.residents + now.e_citizens)}（${t("resident")} ${number(now.residents)}、${t("e_citizen")} ${number(now.e_citizens)}）`);
  const legend = el("p", null, "legend");
  for (const [cls, key] of [["total", "total"], ["residents", "resident"], ["e-citizens", "e_citizen"], ["trend", "trend"]]) {
    const item = el("span", t(key), "key " + cls);
    legend.appendChild(item);
  }
  container.replaceChildren(svg, legend);
}
