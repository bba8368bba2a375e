// The front end of briefing.details_panel.DetailsPanel (after page_helpers.js in one module): the
// kernel's (already escaped) HTML, and a scroll into view, with a short highlight, each time the
// kernel shows a new record.
export default {
  initialize({ model }) {
    markInitialized(model);
  },
  render({ model, el }) {
    el.classList.add("briefing-details");
    el.setAttribute("aria-live", "polite");
    const draw = () => { el.innerHTML = model.get("value"); };
    const reveal = () => {
      el.scrollIntoView({ behavior: "smooth", block: "nearest" });
      el.classList.remove("briefing-details-new");
      void el.offsetWidth; // restart the highlight's animation
      el.classList.add("briefing-details-new");
    };
    draw();
    model.on("change:value", draw);
    model.on("change:revealed", reveal);
    if (!document.getElementById("briefing-details-style")) {
      const style = document.createElement("style");
      style.id = "briefing-details-style";
      style.textContent = "@keyframes briefing-flash { from { background: #fff3c4; } to { background: transparent; } }"
        + " .briefing-details-new { animation: briefing-flash 1.6s ease-out; }";
      document.head.appendChild(style);
    }
  },
};
