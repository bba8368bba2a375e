// A live chart's text alternative (briefing.accessible; this file is the first part of the
// LiveFigure's module, before live_figure.js): the widget's element becomes a figure named by the
// chart's drafted alt text, plotly draws into a div inside it, and under the plot a "show the data"
// disclosure holds the description and a table of every mark drawn. The table comes from the
// kernel, only while it is open, and follows every filter change. A row whose mark opens a record
// has an "Open" button: the keyboard's way to what a click on the mark does.

const OPEN_EVENT = "briefing:open";

function tableElement(model, content) {
  const table = document.createElement("table");
  table.className = "briefing-table briefing-chart-rows";
  const caption = table.createCaption();
  const shown = content.rows.length < content.total ? `, the first ${content.rows.length}` : "";
  caption.textContent = `The data of "${content.title}": ${content.total} marks${shown}`;
  const openable = content.rows.some((row) => row.point !== null);
  const head = table.createTHead().insertRow();
  for (const name of [...content.columns, ...(openable ? ["Record"] : [])]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of content.rows) {
    const tr = body.insertRow();
    tr.dataset.trace = row.trace;
    tr.dataset.point = JSON.stringify(row.point);
    for (const value of row.cells) tr.insertCell().textContent = value;
    if (!openable) continue;
    const cell = tr.insertCell();
    if (row.point === null) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Open";
    button.setAttribute("aria-label", `Open: ${row.cells.filter(Boolean).join(", ")}`);
    button.addEventListener("click", () => model.send({ event: OPEN_EVENT, trace: row.trace, point: row.point }));
    cell.appendChild(button);
  }
  return table;
}

function chartAlternative(context) {
  const { model, el } = context;
  el.classList.add("briefing-chart");
  el.setAttribute("role", "figure");
  // The widget's element no longer is the plot, so nothing stretches it: it takes its box's width
  // (plotly then sizes the plot to it, as it did when it drew into this element itself).
  el.style.width = "100%";
  el.style.minWidth = "0";
  const plot = document.createElement("div");
  const details = document.createElement("details");
  details.className = "briefing-chart-data";
  const summary = document.createElement("summary");
  summary.textContent = "Describe this chart and show its data";
  const description = document.createElement("p");
  description.className = "briefing-chart-description";
  // The table scrolls in a box of its own; a box that scrolls must take the keyboard's focus.
  const rows = document.createElement("div");
  rows.className = "briefing-chart-table";
  rows.tabIndex = 0;
  rows.setAttribute("role", "region");
  rows.setAttribute("aria-label", "Chart data");
  rows.style.cssText = "max-height: 420px; overflow: auto; margin-top: 4px;";
  details.append(summary, description, rows);
  details.style.cssText = "margin: 4px 0 12px; font-size: 13px;";
  el.append(plot, details);
  installPageHelpers();
  // On a phone a chart wider than the screen scrolls sideways in its box (the kit's Voila
  // template): a box that scrolls must take the keyboard's focus, so that arrow keys scroll it.
  const scrolls = () => {
    const wide = plot.scrollWidth > plot.clientWidth + 1;
    if (wide && plot.tabIndex !== 0) plot.tabIndex = 0;
    if (!wide && plot.hasAttribute("tabindex")) plot.removeAttribute("tabindex");
  };
  new ResizeObserver(scrolls).observe(plot);
  new MutationObserver(scrolls).observe(plot, { childList: true });
  const name = () => {
    const alt = model.get("_briefing_alt") || "Chart";
    el.setAttribute("aria-label", alt);
    description.textContent = alt;
  };
  const table = () => {
    const text = model.get("_briefing_table");
    rows.replaceChildren(details.open && text ? tableElement(model, JSON.parse(text)) : "");
  };
  details.addEventListener("toggle", () => {
    if (model.get("_briefing_table_wanted") !== details.open) {
      model.set("_briefing_table_wanted", details.open);
      model.save_changes();
    }
    table();
  });
  name();
  model.on("change:_briefing_alt", name);
  model.on("change:_briefing_table", table);
  return { ...context, el: plot };
}
