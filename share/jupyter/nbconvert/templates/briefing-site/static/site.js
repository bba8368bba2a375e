// The static site's one script: draws each chart from the figure the kernel held (the JSON beside
// it), lets a reader answer the quizzes, and, for printing (?print in the address), swaps each drawn
// chart for an image of itself. When everything is drawn, <html data-briefing-ready="yes">.
(function () {
  "use strict";
  const printing = new URLSearchParams(window.location.search).has("print");
  const config = { responsive: true, displaylogo: false };

  function draw(figure) {
    const spec = JSON.parse(figure.querySelector("script.briefing-plot-spec").textContent);
    const plot = figure.querySelector(".briefing-plot");
    const layout = Object.assign({}, spec.layout || {});
    if (printing) {
      layout.width = 680; // the printable width of an A4 page at the handouts' margins, in CSS px
      if (layout.xaxis && layout.xaxis.rangeslider) {
        layout.xaxis = Object.assign({}, layout.xaxis, { rangeslider: { visible: false } });
      }
    }
    return window.Plotly.newPlot(plot, spec.data || [], layout, config).then(function (drawn) {
      if (!printing) {
        return drawn;
      }
      const height = drawn._fullLayout.height;
      return window.Plotly.toImage(drawn, { format: "svg", width: 680, height: height }).then(function (url) {
        const image = document.createElement("img");
        image.src = url;
        image.alt = figure.querySelector("figcaption").textContent;
        image.className = "briefing-plot-image";
        window.Plotly.purge(drawn);
        drawn.replaceWith(image);
        return image.decode ? image.decode() : image;
      });
    });
  }

  function answerable(fieldset) {
    const verdict = fieldset.nextElementSibling;
    fieldset.addEventListener("change", function (event) {
      const choice = event.target;
      verdict.textContent = choice.dataset.feedback; // "Correct: ..." or "Not quite: the answer is ..."
      verdict.className = "briefing-verdict " + (choice.dataset.correct === "yes" ? "right" : "wrong");
    });
  }

  document.querySelectorAll("fieldset.briefing-choices").forEach(answerable);
  const charts = Array.from(document.querySelectorAll("figure.briefing-chart")).map(draw);
  Promise.all(charts).then(
    function () {
      document.documentElement.dataset.briefingReady = "yes";
    },
    function (error) {
      document.documentElement.dataset.briefingReady = "failed";
      console.error(error);
    }
  );
})();
