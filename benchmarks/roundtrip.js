// Timestamps for the browser round trips (benchmarks/roundtrip.py), installed on one explorer.
// All times are the page's performance.now(), in ms: the input event (a select's "change", a
// press of the mouse on a chart), each repaint of a chart (plotly's "plotly_afterplot") and each
// change of the details panel's content (a MutationObserver). A change's end is known from what
// the charts hold: each chart's `state` (a hash of its data and layout) is compared with the state
// that choice leads to, so that a chart repainted late (its message queued behind the others') is
// waited for rather than missed.
(() => {
  // A check that throws (inside a timer) would leave its promise unsettled and the benchmark
  // waiting for ever: it resolves instead with `failed()` and the error, which the caller reports.
  const guarded = (resolve, failed, check) => () => {
    try {
      check();
    } catch (error) {
      resolve({ ...failed(), error: `${error && error.stack ? error.stack : error}` });
    }
  };

  const bench = {
    root: null,
    inputs: [],
    paints: [],
    paintsBy: [],
    details: [],

    watch([selector, nth]) {
      const root = document.querySelectorAll(selector)[nth];
      bench.root = root;
      for (const type of ["change", "mousedown"]) {
        root.addEventListener(type, () => bench.inputs.push(performance.now()), true);
      }
      root.querySelectorAll(".js-plotly-plot").forEach((gd, index) => {
        bench.paintsBy[index] = [];
        gd.on("plotly_afterplot", () => {
          const now = performance.now();
          bench.paints.push(now);
          bench.paintsBy[index].push(now);
        });
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
      bench.paintsBy = bench.paintsBy.map(() => []);
      bench.details = [];
    },

    // Each chart's state: a hash of its data and layout (plotly's own keys, "_...", left out).
    states() {
      const hash = (text) => {
        let h = 0;
        for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
        return `${text.length}:${h}`;
      };
      // Typed arrays (as a widget's state arrives) written as plain ones (as a refill writes them).
      const own = (key, value) => (key.startsWith("_") ? undefined : ArrayBuffer.isView(value) ? Array.from(value) : value);
      return Array.from(bench.root.querySelectorAll(".js-plotly-plot")).map((gd) =>
        hash(JSON.stringify({ data: gd.data, layout: gd.layout }, own)),
      );
    },

    // Resolves once every chart holds `target` (the states this choice led to before), each chart
    // whose state changed has repainted, and nothing has repainted for `quietMs`; or after
    // `timeoutMs` (timedOut). With no `target` yet (the choice's first time), once something has
    // repainted and nothing has for `quietMs` (the caller gives a long one). The time is the last
    // repaint of a chart whose state changed; `states` what the charts hold at the end.
    reach([before, target, quietMs, timeoutMs]) {
      const started = performance.now();
      const changedFrom = (states) => states.map((state, index) => state !== before[index]);
      return new Promise((resolve) => {
        const check = guarded(resolve, () => ({ inputs: bench.inputs, last: 0, changed: 0, states: before, timedOut: true }), () => {
          const now = performance.now();
          const quiet = bench.paints.length > 0 && now - Math.max(...bench.paints) >= quietMs;
          let states = null;
          let done = quiet;
          if (done && target) {
            const painted = changedFrom(target).every((yes, index) => !yes || bench.paintsBy[index].length > 0);
            states = bench.states();
            done = painted && states.every((state, index) => state === target[index]);
          }
          if (done || now - started > timeoutMs) {
            states = states || bench.states();
            const changed = changedFrom(states);
            const last = Math.max(0, ...changed.flatMap((yes, index) => (yes ? bench.paintsBy[index] : [])));
            resolve({ inputs: bench.inputs, last, changed: changed.filter(Boolean).length, states, timedOut: !done });
          } else {
            setTimeout(check, 20);
          }
        });
        check();
      });
    },

    // Resolves once `kind` ("paints" or "details") has happened and nothing has for `quietMs`,
    // or after `timeoutMs`; with every timestamp taken.
    settle([kind, quietMs, timeoutMs]) {
      const started = performance.now();
      return new Promise((resolve) => {
        const check = guarded(resolve, () => ({ inputs: bench.inputs, paints: bench.paints, details: bench.details, timedOut: true }), () => {
          const now = performance.now();
          const last = Math.max(0, ...bench.paints, ...bench.details);
          const done = bench[kind].length > 0 && now - last >= quietMs;
          if (done || now - started > timeoutMs) {
            resolve({ inputs: bench.inputs, paints: bench.paints, details: bench.details, timedOut: !done });
          } else {
            setTimeout(check, 20);
          }
        });
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
