// The front end of briefing.accessible.StatusLine: an explorer's status ("Showing 12 incidents",
// or that nothing matches) in a live region, so that a screen reader says it when a filter changes.
//
// Two more things the explorer's widgets lack, done here because every explorer has a status line:
// ipywidgets' range-slider handles have no accessible name (axe: aria-input-field-name), so each
// handle is named after its slider's label; and a visible focus ring on the kit's controls.
const FOCUS_STYLE = `
[class*="briefing-"][class*="-explorer"] :is(select, input, button, summary, .noUi-handle, [tabindex]):focus-visible,
.briefing-chart :is(summary, button, [tabindex]):focus-visible {
  outline: 3px solid #1a5fb4 !important; outline-offset: 2px; box-shadow: 0 0 0 5px #ffffff;
}`;

function addFocusStyle() {
  if (document.getElementById("briefing-focus-style")) return;
  const style = document.createElement("style");
  style.id = "briefing-focus-style";
  style.textContent = FOCUS_STYLE;
  document.head.appendChild(style);
}

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

function watchExplorer(el) {
  // The status line is drawn before the explorer is attached to the page: wait until it is.
  const root = el.closest("[class*='briefing-'][class*='-explorer']");
  if (!root) {
    if (!el.isConnected) requestAnimationFrame(() => watchExplorer(el));
    return;
  }
  nameSliderHandles(root);
  const observer = new MutationObserver(() => nameSliderHandles(root));
  observer.observe(root, { childList: true, subtree: true });
}

export default {
  render({ model, el }) {
    el.classList.add("briefing-status");
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    const draw = () => { el.innerHTML = model.get("value"); };
    draw();
    model.on("change:value", draw);
    addFocusStyle();
    requestAnimationFrame(() => watchExplorer(el));
  },
};
