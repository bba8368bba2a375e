// The front end of briefing.live_figure.LiveFigure.
//
// plotly's FigureWidget ships its whole widget bundle (plotly.js and the figure view, about 5 MB)
// as the module of every figure, so a notebook with four charts sent and parsed it four times.
// Here the bundle travels once per kernel, as the `source` of one carrier widget that every
// LiveFigure refers to, and is imported once per page; each figure then hands its model to
// plotly's own initialize and render, unchanged.
//
// Why initialize does not wait for the bundle: anywidget (0.11) gives a model 2 s to initialize;
// past that it rejects the promise its handler of the kernel's messages waits on. Importing the
// bundle takes 1.4 s on an idle 2-core machine and over 10 s with the CPU slowed tenfold, and once
// (Voila, CPU slowed 12x) a chart that waited stopped following its filters. So initialize
// returns at once, the kernel's commands that arrive while the bundle loads are kept in order,
// and plotly replays them when it is ready.

const WIDGET_REFERENCE = "IPY_MODEL_";

// What plotly's figure model listens to (plotly/package_data/widgetbundle.js, FigureModel).
const COMMANDS = [
  "_py2js_addTraces", "_py2js_deleteTraces", "_py2js_moveTraces", "_py2js_restyle", "_py2js_relayout",
  "_py2js_update", "_py2js_animate", "_py2js_removeLayoutProps", "_py2js_removeTraceProps",
];
// The kernel sends the whole figure in these; it already holds the effect of every earlier command.
const WHOLE_FIGURE = ["_widget_data", "_widget_layout"];

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

// Keeps the kernel's commands, in order, until `stop`; a whole figure replaces what came before it.
function keepCommands(model) {
  const kept = [];
  const listeners = [];
  const listen = (event, callback) => {
    model.on(event, callback);
    listeners.push([event, callback]);
  };
  for (const name of COMMANDS) {
    listen(`change:${name}`, () => {
      const command = model.get(name);
      if (command !== null && command !== undefined) kept.push([name, command]);
    });
  }
  for (const name of WHOLE_FIGURE) listen(`change:${name}`, () => { kept.length = 0; });
  return {
    kept,
    stop() {
      for (const [event, callback] of listeners) model.off(event, callback);
    },
  };
}

// plotly's initialize, then each kept command handed to the handlers plotly registered, as if it
// had just arrived.
function initializeAndReplay(widget, context, commands) {
  const replaying = new Map();
  const handlers = new Map();
  const model = Object.assign(Object.create(context.model), {
    get: (name) => (replaying.has(name) ? replaying.get(name) : context.model.get(name)),
    on: (event, callback) => {
      context.model.on(event, callback);
      if (!handlers.has(event)) handlers.set(event, []);
      handlers.get(event).push(callback);
    },
  });
  widget.initialize({ ...context, model });
  for (const [name, command] of commands) {
    replaying.set(name, command);
    for (const handler of handlers.get(`change:${name}`) ?? []) handler();
    replaying.delete(name);
  }
}

export default () => {
  let ready;
  return {
    initialize(context) {
      const commands = keepCommands(context.model);
      ready = plotlyWidget(context.model).then((widget) => {
        commands.stop();
        initializeAndReplay(widget, context, commands.kept);
        return widget;
      });
      ready.catch((error) => console.error("briefing: plotly's figure could not load", error));
    },
    async render(context) {
      const widget = await ready;
      return widget.render(context);
    },
  };
};
