// The front end of briefing.live_figure.LiveFigure.
//
// plotly's FigureWidget ships its whole widget bundle (plotly.js and the figure view, about 5 MB)
// as the module of every figure, so a notebook with four charts sent and parsed it four times.
// Here the bundle travels once per kernel, as the `source` of one carrier widget that every
// LiveFigure refers to, and is imported once per page; each figure then hands its model to
// plotly's own initialize and render, unchanged.

const WIDGET_REFERENCE = "IPY_MODEL_";

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

export default () => {
  let plotlyFigure;
  return {
    async initialize(context) {
      plotlyFigure = await plotlyWidget(context.model);
      return plotlyFigure.initialize(context);
    },
    render(context) {
      return plotlyFigure.render(context);
    },
  };
};
