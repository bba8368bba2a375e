// Timestamps for the browser round trips (benchmarks/roundtrip.py), installed on one explorer.
// All times are the page's performance.now(), in ms: the input event (a select's "change", a
// press of the mouse on a chart), each repaint of a chart (plotly's "plotly_afterplot") and each
// change of the details panel's content (a MutationObserver).
(() => {
  const bench = {
    root: null,
    inputs: [],
    paints: [],
    details: [],

    watch([selector, nth]) {
      const root = document.querySelectorAll(selector)[nth];
      bench.root = root;
      for (const type of ["change", "mousedown"]) {
        root.addEventListener(type, () => bench.inputs.push(performance.now()), true);
      }
      root.querySelectorAll(".js-plotly-plot").forEach((gd) => {
        gd.on("plotly_afterplot", () => bench.paints.push(performance.now()));
      });
      const panel = root.querySelector(".briefing-details");
      new MutationObserver(() => bench.details.push(performance.now())).observe(panel, {
        childList: true,
        subtree: true,
        characterData: true,
      });
      return root.querySelectorAll(".js-plotly-plot").length;
    },

    clear() {
      bench.inputs = [];
      bench.paints = [];
      bench.details = [];
    },

    // Resolves once `kind` ("paints" or "details") has happened and nothing has for `quietMs`,
    // or after `timeoutMs`; with every timestamp taken.
    settle([kind, quietMs, timeoutMs]) {
      const started = performance.now();
      return new Promise((resolve) => {
        const check = () => {
          const now = performance.now();
          const last = Math.max(0, ...bench.paints, ...bench.details);
          const done = bench[kind].length > 0 && now - last >= quietMs;
          if (done || now - started > timeoutMs) {
            resolve({ inputs: bench.inputs, paints: bench.paints, details: bench.details, timedOut: !done });
          } else {
            setTimeout(check, 20);
          }
        };
        check();
      });
    },

    // Where a reader can click on figure `figure` of the explorer: every mark drawn (a bar, a dot)
    // of the traces it names (all if none), or the squares of a heatmap that hold a record.
    targets([figure, traces]) {
      const gd = bench.root.querySelectorAll(".js-plotly-plot")[figure];
      const found = [];
      const heatmap = (gd.data || []).findIndex((t) => t.type === "heatmap");
      if (heatmap >= 0) {
        const trace = gd.data[heatmap];
        trace.z.forEach((row, r) =>
          row.forEach((_, c) => {
            const cell = trace.customdata && trace.customdata[r] && trace.customdata[r][c];
            if (cell && cell[0]) found.push({ figure, heatmap, r, c });
          }),
        );
        return found;
      }
      gd.querySelectorAll("g.trace").forEach((group) => {
        if (group.closest(".legend")) return;
        const data = group.__data__;
        const index = data && data[0] && data[0].trace ? data[0].trace.index : null;
        if (index === null || (traces && !traces.includes(index))) return;
        group.querySelectorAll(".point").forEach((point, k) => {
          const box = point.getBoundingClientRect();
          if (box.width >= 2 && box.height >= 2) found.push({ figure, index, k });
        });
      });
      return found;
    },

    // The target's centre on the screen, once it is scrolled into view and the page stands still.
    async locate(target) {
      const gd = bench.root.querySelectorAll(".js-plotly-plot")[target.figure];
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      let top = null;
      for (let still = 0; still < 3; ) {
        await frame();
        const now = gd.getBoundingClientRect().top;
        still = now === top ? still + 1 : 0;
        top = now;
      }
      gd.scrollIntoView({ block: "center", behavior: "instant" });
      await frame();
      if (target.heatmap !== undefined) {
        const trace = gd.data[target.heatmap];
        const box = gd.getBoundingClientRect();
        const xa = gd._fullLayout.xaxis;
        const ya = gd._fullLayout.yaxis;
        return {
          x: box.left + xa._offset + xa.d2p(trace.x[target.c]),
          y: box.top + ya._offset + ya.d2p(trace.y[target.r]),
        };
      }
      const groups = Array.from(gd.querySelectorAll("g.trace")).filter(
        (g) => !g.closest(".legend") && g.__data__ && g.__data__[0] && g.__data__[0].trace && g.__data__[0].trace.index === target.index,
      );
      const point = groups[0].querySelectorAll(".point")[target.k];
      const box = point.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    },
  };
  window.briefingBench = bench;
})();
