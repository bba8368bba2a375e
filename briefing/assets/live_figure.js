// The front end of briefing.live_figure.LiveFigure.
//
// plotly's FigureWidget ships its whole widget bundle (plotly.js and the figure view, about 5 MB)
// as the module of every figure. Here the bundle travels once per kernel, as the `source` of one
// carrier widget that every LiveFigure refers to, and is imported once per page.
//
// What a view draws: plotly's figure model keeps the figure it was created with (it applies the
// kernel's later commands to a copy it throws away), so a view drawn after a command, e.g. a
// filter that a notebook set before showing its explorer, drew the old figure. So each view, once
// plotly's bundle is in, asks the kernel for the figure as it is now ("briefing:resync") and is
// drawn inside the handler of the kernel's answer: the view then listens to the kernel's commands
// before any later message can arrive, and misses none.
//
// Why the bundle is imported at the first view, after every kit widget on the page has initialized,
// and initialize waits for nothing: see afterKitWidgetsInitialized (page_helpers.js).

const WIDGET_REFERENCE = "IPY_MODEL_";
const RESYNC = "briefing:resync";
// Without a kernel to answer (an exported page), a view draws what it has after this long.
const NO_ANSWER_MS = 30000;

function sharedModules() {
  globalThis.__briefingPlotlyBundles ??= new Map();
  return globalThis.__briefingPlotlyBundles;
}

async function carrierModel(model) {
  const reference = model.get("_plotly_bundle");
  if (typeof reference !== "string") return reference; // already a model
  return model.widget_manager.get_model(reference.slice(WIDGET_REFERENCE.length));
}

async function plotlyWidget(model) {
  const carrier = await carrierModel(model);
  const modules = sharedModules();
  const key = carrier.model_id ?? model.get("_plotly_bundle");
  if (!modules.has(key)) {
    const url = URL.createObjectURL(new Blob([carrier.get("source")], { type: "text/javascript" }));
    modules.set(key, import(/* webpackIgnore: true */ url).finally(() => URL.revokeObjectURL(url)));
  }
  const bundle = await modules.get(key);
  return bundle.default();
}

// For browser tests (BRIEFING_EXPOSE_FIGURE_STATE in the kernel): the kernel's traces, on the
// graph's element, beside the traces plotly drew there.
function showKernelState(model, el) {
  const copy = () => {
    const state = model.get("_briefing_kernel_state");
    if (state) el.dataset.briefingKernelState = state;
  };
  copy();
  model.on("change:_briefing_kernel_state", copy);
}

// On a phone, or a page zoomed to 200% (a 1366 px screen is then 683 px wide), a legend beside the
// plot takes the width the plot needs (row labels already take the left: the positions grid's
// columns ran into each other). There, and only in that page's drawing, the legend goes above the
// plot in rows, with room made for them under the title. The kernel's figure is not changed:
// exports and wider pages keep their legend where the chart put it.
const NARROW_PX = 800;
const NO_LEGEND_BY_DEFAULT = new Set(["heatmap", "sankey", "pie", "table"]);

function legendNames(data) {
  return (data || [])
    .filter((t) => t.name && (t.showlegend === true || (t.showlegend !== false && !NO_LEGEND_BY_DEFAULT.has(t.type))))
    .map((t) => String(t.name));
}

function forNarrowScreens(layout, data) {
  const names = legendNames(data);
  const legend = (layout && layout.legend) || {};
  if (!layout || globalThis.innerWidth >= NARROW_PX || !names.length) return layout;
  if (legend.orientation === "h" || layout.showlegend === false) return layout;
  const size = (legend.font && legend.font.size) || (layout.font && layout.font.size) || 12;
  // One entry per row: on a phone the plot (and so the legend's room) is narrower than its entries.
  const rows = names.length;
  const margin = layout.margin || {};
  const legendPx = Math.round(rows * size * 1.65);
  return {
    ...layout,
    // The page scrolls: the plot keeps its height and the legend's rows are added to it.
    height: (layout.height || 360) + legendPx,
    margin: { ...margin, t: (margin.t ?? 100) + legendPx },
    title: { ...(layout.title || {}), yref: "container", y: 1, yanchor: "top", pad: { t: 12 } },
    legend: {
      ...legend,
      orientation: "h",
      x: 0,
      xanchor: "left",
      y: 1,
      yanchor: "bottom",
      title: { text: "" },
    },
  };
}

// What plotly's view reports to the kernel after each redraw (plotly.js's defaults, and each
// trace's data as the page holds it: 140 kB for a map). The kernel ignores it (LiveFigure), so it
// is not sent.
const NOT_SENT = new Set(["_js2py_traceDeltas", "_js2py_layoutDelta", "_js2py_widget_layoutDelta"]);

// plotly's figure model reads the layout from the widget model it was given at initialize; while a
// view draws (and only then: later commands edit the stored layout in place) it reads the
// narrow-screen version. Its views use this model too, and their reports in NOT_SENT stop here.
function modelForThisScreen(model, drawing) {
  return new Proxy(model, {
    get(target, property) {
      if (property === "set") {
        return (key, ...rest) => (typeof key === "string" && NOT_SENT.has(key) ? undefined : target.set(key, ...rest));
      }
      if (property === "get") {
        return (key) => {
          const value = target.get(key);
          return drawing.now && key === "_widget_layout" ? forNarrowScreens(value, target.get("_widget_data")) : value;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// plotly's figure widget, set up on the model's initialize context. What the page saw when the
// bundle's import began is kept for the browser tests (tests/test_browser_live_figure_load.py).
async function loadFigureModel(initialized, drawing) {
  const seen = await afterKitWidgetsInitialized(initialized.model.widget_manager);
  globalThis.__briefingBundleImport ??= { ...seen, at: performance.now() };
  try {
    const widget = await plotlyWidget(initialized.model);
    widget.initialize({ ...initialized, model: modelForThisScreen(initialized.model, drawing) });
    return widget;
  } catch (error) {
    console.error("briefing: plotly's figure could not load", error);
    throw error;
  }
}

// Draws `widget`'s view of the kernel's current figure, inside the handler of the kernel's answer.
function renderCurrentFigure(widget, context, drawing) {
  const { model } = context;
  return new Promise((resolve) => {
    let done = false;
    let timer;
    const draw = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      model.off("change:_briefing_sync", draw);
      drawing.now = true;
      let cleanup;
      try {
        cleanup = widget.render(context);
      } finally {
        drawing.now = false;
      }
      showKernelState(model, context.el);
      resolve(cleanup);
    };
    model.on("change:_briefing_sync", draw);
    timer = setTimeout(() => {
      console.warn("briefing: the kernel did not send the current figure; drawing the one this page has");
      draw();
    }, NO_ANSWER_MS);
    model.send({ event: RESYNC });
  });
}

export default () => {
  let initialized;
  let ready;
  const drawing = { now: false };
  return {
    initialize(context) {
      markInitialized(context.model);
      initialized = context; // plotly's figure model is set up on this context at the first view
    },
    async render(context) {
      // Plotly draws into a div inside the widget's element, beside the chart's text alternative.
      const chart = chartAlternative(context);
      ready ??= loadFigureModel(initialized, drawing);
      const widget = await ready;
      return renderCurrentFigure(widget, chart, drawing);
    },
  };
};
