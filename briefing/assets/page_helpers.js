// What every page with the kit's widgets needs once, whichever of them draws first (this file is
// the first part of the modules of the StatusLine, the DetailsPanel and the LiveFigure):
// - a visible focus ring on the kit's controls and on a chart's "show the data" and "Open";
// - slider handles 24 px across (WCAG 2.2's smallest target; ipywidgets draws them at 16 px);
// - a name for every range-slider handle: ipywidgets leaves them nameless (axe:
//   aria-input-field-name), so each is named after its slider's label ("Years, from").
const FOCUS_STYLE = `
[class*="briefing-"] { --jp-widgets-slider-handle-size: 24px; }
[class*="briefing-"] :is(select, input, button, summary, .noUi-handle, [tabindex]):focus-visible,
.jp-RenderedHTML[tabindex]:focus-visible {
  outline: 3px solid #1a5fb4 !important; outline-offset: 2px; box-shadow: 0 0 0 5px #ffffff;
}`;

function nameSliderHandles(root) {
  for (const slider of root.querySelectorAll(".widget-slider, .widget-hslider, .widget-vslider")) {
    const label = (slider.querySelector(".widget-label")?.textContent || "").trim() || "Range";
    const handles = slider.querySelectorAll(".noUi-handle");
    handles.forEach((handle, index) => {
      const name = handles.length > 1 ? `${label}, ${index === 0 ? "from" : "to"}` : label;
      if (handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
    });
  }
}

function installPageHelpers() {
  if (globalThis.__briefingPageHelpers) return;
  globalThis.__briefingPageHelpers = true;
  const style = document.createElement("style");
  style.id = "briefing-focus-style";
  style.textContent = FOCUS_STYLE;
  document.head.appendChild(style);
  nameSliderHandles(document.body);
  // Sliders arrive after the page (and again when an app replaces its controls).
  new MutationObserver(() => nameSliderHandles(document.body)).observe(document.body, { childList: true, subtree: true });
}

// anywidget (0.11) gives each widget model 2 s from its creation to load its module and run its
// initialize; past that it drops every later message from the kernel to that model, so its chart,
// status line or details would stop following the filters. Importing plotly's bundle holds the
// page's main thread for 1.4 s on an idle 2-core machine and for many seconds on a busy one, so the
// first chart imports it only once every kit widget on the page has initialized (each one marks
// its model with a listener; Backbone keeps listeners in `_events`, the widget manager its models
// in `_models`). A widget whose module failed would never mark: the wait ends after 10 s.
const INITIALIZED = "briefing:initialized";
const KIT_WIDGET = /^briefing\./;
const MODELS_WAIT_MS = 10000;

function markInitialized(model) {
  model.on(INITIALIZED, () => {});
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function kitModels(manager) {
  const settled = await Promise.allSettled(Object.values(manager?._models ?? {}));
  const models = settled.filter((r) => r.status === "fulfilled").map((r) => r.value);
  const kit = models.filter((m) => KIT_WIDGET.test(String(m.get?.("_anywidget_id") ?? "")));
  return { kit: kit.length, notInitialized: kit.filter((m) => !m._events?.[INITIALIZED]).length };
}

// Resolves once every kit widget the page's widget manager holds has initialized (or after 10 s),
// with what it saw last: how many kit widgets, how many not initialized.
async function afterKitWidgetsInitialized(manager) {
  const until = performance.now() + MODELS_WAIT_MS;
  let seen = { kit: 0, notInitialized: 0 };
  do {
    seen = (await Promise.race([kitModels(manager), delay(500).then(() => null)])) ?? seen;
    if (seen.notInitialized === 0) break;
    await delay(25);
  } while (performance.now() < until);
  return seen;
}
