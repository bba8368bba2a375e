// What every page with the kit's widgets needs once, whichever of them draws first (this file is
// the first part of the StatusLine's and the LiveFigure's modules):
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
