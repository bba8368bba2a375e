// The front end of briefing.accessible.StatusLine (after page_helpers.js in one module): an
// explorer's status ("Showing 12 incidents", or that nothing matches) in a live region, so that a
// screen reader says it when a filter changes.
export default {
  initialize({ model }) {
    markInitialized(model);
  },
  render({ model, el }) {
    el.classList.add("briefing-status");
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    const draw = () => { el.innerHTML = model.get("value"); };
    draw();
    model.on("change:value", draw);
    installPageHelpers();
  },
};
