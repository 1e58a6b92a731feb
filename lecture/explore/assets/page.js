/* explore.html: the controls, the drawings and window.explore. The maths is maths.js
 * (window.ExploreMaths); this file only wires it to the page. */
(function () {
  "use strict";
  const M = window.ExploreMaths;
  const DATA = JSON.parse(document.getElementById("explore-data").textContent);
  const W = DATA.words;
  const H = DATA.heights, B = DATA.binary, D = DATA.descent, T = DATA.token;
  const $ = (id) => document.getElementById(id);
  const fill = (text, fields) => text.replace(/\{(\w+)\}/g, (m, k) => (k in fields ? String(fields[k]) : m));
  const minus = (text) => text.replace(/-/g, "−");  // a real minus, as the video writes it
  const reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const COLORS = { text: "#eceff4", muted: "#9aa5b1", line: "#333c47", curve: "#58c4dd", loss: "#ef476f",
    optimum: "#06d6a0", highlight: "#ff8c42", hist: "#2f3b48", segment: "rgba(88,196,221,0.6)",
    segmentDense: "rgba(88,196,221,0.22)" };  // the video's palette (scenes/theme.py)

  // --- the data, once ------------------------------------------------------------------------
  const samples = Float64Array.from(H.samples);
  let minX = Infinity, maxX = -Infinity;
  for (const x of samples) { if (x < minX) minX = x; if (x > maxX) maxX = x; }
  const muHat = M.mleMu(samples), sigmaHat = M.mleSigma(samples);
  const stats = M.gridStats(samples);
  const pad = 0.06 * (Math.max(maxX, muHat + 3 * sigmaHat) - Math.min(minX, muHat - 3 * sigmaHat));
  const view = { lo: Math.min(minX, muHat - 3 * sigmaHat) - pad, hi: Math.max(maxX, muHat + 3 * sigmaHat) + pad };
  const res = H.resolution;
  const heightsText = (v) => M.numberText(v, res);
  const k = B.k, n = B.n, pHat = M.pHat(k, n);
  const pHatText = pHat.toFixed(B.p_hat_decimals);

  // Learning rates on a 1-2-5 ladder three decades either side of the data's, and the data's own.
  const rates = (() => {
    const e0 = Math.floor(Math.log10(D.learning_rate));
    const list = [D.learning_rate];
    for (let e = e0 - 3; e <= e0 + 3; e++) for (const m of [1, 2, 5]) list.push(Number(m + "e" + e));
    return Array.from(new Set(list)).sort((a, b) => a - b);
  })();
  const maxSteps = Math.min(1000, Math.max(100, 2 * D.steps));
  const logitRange = Math.max(10, Math.ceil(Math.max(...T.logits.map(Math.abs))));

  // --- state ---------------------------------------------------------------------------------
  const state = {
    mu: muHat, sigma: H.sigma, p: 0.5, start: D.start, eta: D.learning_rate, steps: D.steps, shown: 0,
    logits: T.logits.slice(),
  };

  // --- controls ------------------------------------------------------------------------------
  function snap(v, step) { return Math.round(v / step) * step; }
  function range(id, min, max, step) {
    const el = $(id);
    el.min = String(min); el.max = String(max); el.step = String(step);
    return el;
  }
  const sigmaLo = Math.max(res, snap(Math.min(sigmaHat, H.sigma) / 5, res));
  const sliders = {
    mu: range("mu", snap(view.lo, res), snap(view.hi, res), res),
    sigma: range("sigma", sigmaLo, Math.max(sigmaLo + res, snap(3 * Math.max(sigmaHat, H.sigma), res)), res),
    p: range("p", 0.001, 0.999, 0.001),
    start: range("start", 0.001, 0.999, 0.001),
    eta: range("eta", 0, rates.length - 1, 1),
    steps: range("steps", 1, maxSteps, 1),
  };
  const logitSliders = T.tokens.map((token, i) => {
    const box = document.createElement("div");
    box.className = "control";
    const label = document.createElement("label");
    label.htmlFor = "logit-" + i;
    label.textContent = fill(W.logit_label, { token: token }) + (i === T.target ? " (" + W.correct + ")" : "");
    const row = document.createElement("div");
    row.className = "row";
    const input = document.createElement("input");
    input.type = "range"; input.id = "logit-" + i;
    input.min = String(-logitRange); input.max = String(logitRange); input.step = "0.1";
    const out = document.createElement("output");
    out.id = "logit-" + i + "-out"; out.htmlFor = input.id;
    row.append(input, out); box.append(label, row);
    $("logits").append(box);
    input.addEventListener("input", () => { state.logits[i] = Number(input.value); render(); });
    return input;
  });
  const bars = T.tokens.map((token, i) => {
    const bar = document.createElement("div");
    bar.className = "bar" + (i === T.target ? " correct" : "");
    const name = document.createElement("span"); name.className = "name";
    name.textContent = token + (i === T.target ? " ✓" : "");
    const track = document.createElement("div"); track.className = "track";
    track.setAttribute("aria-hidden", "true");
    const fillEl = document.createElement("div"); fillEl.className = "fill";
    const after = document.createElement("div"); after.className = "after";
    track.append(fillEl, after);
    const value = document.createElement("span"); value.className = "value";
    bar.append(name, track, value);
    $("bars").append(bar);
    return { fill: fillEl, after: after, value: value };
  });

  function nearestRate(eta) {
    let best = 0;
    for (let i = 1; i < rates.length; i++) {
      if (Math.abs(Math.log(rates[i] / eta)) < Math.abs(Math.log(rates[best] / eta))) best = i;
    }
    return best;
  }

  function syncSliders() {
    sliders.mu.value = String(state.mu);
    sliders.sigma.value = String(state.sigma);
    sliders.p.value = String(state.p);
    sliders.start.value = String(state.start);
    sliders.eta.value = String(nearestRate(state.eta));
    sliders.steps.value = String(state.steps);
    logitSliders.forEach((el, i) => { el.value = String(state.logits[i]); });
  }

  const onInput = (name, read, after) => sliders[name].addEventListener("input", () => {
    state[name] = read(sliders[name].value);
    if (after) after();
    render();  // at once: the slider's aria-valuetext and readouts follow the key or the drag
  });
  onInput("mu", Number);
  onInput("sigma", Number);
  onInput("p", Number);
  const descentChanged = () => { stopRun(); state.shown = state.steps; };
  onInput("start", Number, descentChanged);
  onInput("eta", (v) => rates[Number(v)], descentChanged);
  onInput("steps", Number, descentChanged);

  $("go-mle").addEventListener("click", () => { state.mu = muHat; state.sigma = sigmaHat; syncSliders(); schedule(); });
  $("go-p-hat").addEventListener("click", () => { state.p = pHat; syncSliders(); schedule(); });
  $("descent-step").addEventListener("click", () => { stopRun(); state.shown = Math.min(state.steps, state.shown + 1); schedule(); });
  $("descent-reset").addEventListener("click", () => { stopRun(); state.shown = 0; schedule(); });
  let runTimer = null;
  function stopRun() { if (runTimer !== null) { clearInterval(runTimer); runTimer = null; } }
  $("descent-run").addEventListener("click", () => {
    stopRun();
    if (reduceMotion) { state.shown = state.steps; schedule(); return; }
    runTimer = setInterval(() => {
      if (state.shown >= state.steps) { stopRun(); return; }
      state.shown += 1;
      schedule();
    }, Math.max(40, Math.min(250, 3000 / state.steps)));
  });
  $("token-step").addEventListener("click", () => { state.logits = M.logitStep(state.logits, T.target, T.rate); syncSliders(); schedule(); });
  $("token-reset").addEventListener("click", () => { state.logits = T.logits.slice(); syncSliders(); schedule(); });

  // --- the numbers ---------------------------------------------------------------------------
  const memo = {};
  function cached(key, args, compute) {
    const id = JSON.stringify(args);
    if (!memo[key] || memo[key].id !== id) memo[key] = { id: id, value: compute() };
    return memo[key].value;
  }

  function heightsValues() {
    const { mu, sigma } = state;
    const logL = cached("heights", [mu, sigma], () => M.logLikelihood(samples, mu, sigma));
    const sci = M.scientificFromLog(logL);
    const shownTerms = samples.length <= ALL_TERMS ? Array.from(samples.keys()) : [0, 1, 2, 3, samples.length - 2, samples.length - 1];
    return {
      mu: mu, sigma: sigma, n: samples.length, log_likelihood: logL, nll: -logL + 0.0,
      likelihood: { mantissa: sci.mantissa, exponent: sci.exponent },
      mle_mu: muHat, mle_sigma: sigmaHat,
      nll_curve_at_mu: -M.gridLogLikelihood(stats, mu, sigma) + 0.0,
      terms: shownTerms.map((i) => ({ index: i, x: samples[i], log_density: M.normalLogpdf(samples[i], mu, sigma) })),
    };
  }

  function binaryValues() {
    const p = state.p;
    const logL = M.binaryLogLikelihood(p, k, n);
    return {
      p: p, k: k, n: n, p_hat: pHat, likelihood: Math.exp(logL), log_likelihood: logL, nll: -logL + 0.0,
      gradient: p > 0 && p < 1 ? M.binaryNllGradient(p, k, n) : null,
    };
  }

  function verdictOf(path) {
    return path.diverged ? "diverged" : path.converged ? "converged" : "not_yet";
  }

  function descentValues() {
    const { start, eta, steps, shown } = state;
    const run = cached("descent", [start, eta, steps], () => M.descentPath(k, n, start, eta, steps));
    const prefix = cached("prefix", [start, eta, shown], () => M.descentPath(k, n, start, eta, shown));
    return {
      start: start, eta: eta, steps: steps, shown: shown, p_hat: pHat,
      path: run.ps.map((p, i) => ({ p: p, nll: run.nlls[i], gradient: run.gradients[i] })),
      converged: run.converged, diverged: run.diverged, converged_at: run.converged_at,
      tolerance: run.tolerance, gradient_vanished: run.gradient_vanished, final_p: run.final_p,
      verdict: verdictOf(run), shown_verdict: verdictOf(prefix),
    };
  }

  function tokenValues() {
    const z = state.logits.slice();
    const stepped = M.logitStep(z, T.target, T.rate);
    return {
      tokens: T.tokens.slice(), target: T.target, rate: T.rate, logits: z,
      probabilities: M.softmax(z), loss: M.crossEntropy(z, T.target), gradient: M.crossEntropyGradient(z, T.target),
      stepped_logits: stepped, stepped_probabilities: M.softmax(stepped), stepped_loss: M.crossEntropy(stepped, T.target),
    };
  }

  // --- drawing -------------------------------------------------------------------------------
  function surface(canvas) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    const g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = "12px system-ui, sans-serif";
    g.lineJoin = "round";
    return { g: g, w: w, h: h };
  }

  function niceStep(span, target) {
    const raw = span / (target || 5);
    const base = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * base >= raw) return m * base;
    return 10 * base;
  }

  function xTicks(g, box, lo, hi, toX, format) {
    const step = niceStep(hi - lo, Math.max(3, Math.floor((box.right - box.left) / 90)));
    g.fillStyle = COLORS.muted; g.strokeStyle = COLORS.muted; g.textAlign = "center"; g.textBaseline = "top";
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      const x = toX(v);
      g.beginPath(); g.moveTo(x, box.bottom); g.lineTo(x, box.bottom + 4); g.stroke();
      g.fillText(minus(format(v, step)), x, box.bottom + 14);
    }
  }

  function axisName(g, box, text) {  // above the axis at its right end, clear of the tick labels
    g.fillStyle = COLORS.muted; g.textAlign = "right"; g.textBaseline = "bottom";
    g.fillText(text, box.right, box.bottom - 3);
  }

  function yLabel(g, box, text, color) {
    g.fillStyle = color || COLORS.muted; g.textAlign = "left"; g.textBaseline = "top";
    g.fillText(minus(text), box.left + 4, box.top);
  }

  let columns = null;  // the samples per pixel column of the heights plot, for its width
  function heightsColumns(width, box) {
    if (columns && columns.width === width) return columns;
    const cols = Math.max(1, Math.floor(box.right - box.left));
    const counts = new Uint32Array(cols), sums = new Float64Array(cols);
    for (const x of samples) {
      const c = Math.min(cols - 1, Math.max(0, Math.floor((x - view.lo) / (view.hi - view.lo) * cols)));
      counts[c] += 1; sums[c] += x;
    }
    const bins = Math.min(80, Math.max(10, Math.round(Math.sqrt(samples.length))));
    const hist = new Float64Array(bins);
    for (const x of samples) hist[Math.min(bins - 1, Math.floor((x - view.lo) / (view.hi - view.lo) * bins))] += 1;
    const binWidth = (view.hi - view.lo) / bins;
    let maxCount = 0;
    for (const c of counts) if (c > maxCount) maxCount = c;
    columns = { width: width, counts: counts, sums: sums, maxCount: maxCount,
      hist: Array.from(hist, (c) => c / (samples.length * binWidth)), bins: bins };
    return columns;
  }

  const dense = samples.length > 60;
  const ALL_TERMS = 50;  // up to this many samples every term log f(xᵢ) is written out
  $("heights-dense").hidden = !dense;

  function drawHeights(v) {
    const { g, w, h } = surface($("heights-plot"));
    const box = { left: 12, right: w - 12, top: 8, bottom: h - 40 };
    const cols = heightsColumns(w, box);
    const toX = (x) => box.left + (x - view.lo) / (view.hi - view.lo) * (box.right - box.left);
    const peak = M.normalPdf(v.mu, v.mu, v.sigma);
    let top = peak;
    if (dense) for (const d of cols.hist) if (d > top) top = d;
    top *= 1.12;
    const toY = (y) => box.bottom - (y / top) * (box.bottom - box.top - 16);
    if (dense) {
      g.fillStyle = COLORS.hist;
      const bw = (box.right - box.left) / cols.bins;
      cols.hist.forEach((d, i) => { if (d > 0) g.fillRect(box.left + i * bw, toY(d), Math.max(1, bw - 1), box.bottom - toY(d)); });
    }
    // each sample's density (one segment per occupied pixel column; light where they fill the area)
    g.strokeStyle = dense ? COLORS.segmentDense : COLORS.segment; g.lineWidth = 1;
    g.beginPath();
    for (let c = 0; c < cols.counts.length; c++) {
      if (!cols.counts[c]) continue;
      const x = cols.sums[c] / cols.counts[c];
      const px = box.left + c + 0.5;
      g.moveTo(px, box.bottom); g.lineTo(px, Math.max(box.top, toY(M.normalPdf(x, v.mu, v.sigma))));
    }
    g.stroke();
    // the rug, under the axis
    for (let c = 0; c < cols.counts.length; c++) {
      if (!cols.counts[c]) continue;
      g.globalAlpha = Math.max(0.25, Math.sqrt(cols.counts[c] / cols.maxCount));
      g.fillStyle = COLORS.text;
      g.fillRect(box.left + c, box.bottom + 1, 1, 8);
    }
    g.globalAlpha = 1;
    // the normal curve
    g.strokeStyle = COLORS.curve; g.lineWidth = 2.5; g.beginPath();
    const points = Math.min(600, Math.floor(box.right - box.left));
    for (let i = 0; i <= points; i++) {
      const x = view.lo + (view.hi - view.lo) * i / points;
      const y = Math.max(box.top, toY(M.normalPdf(x, v.mu, v.sigma)));
      if (i === 0) g.moveTo(toX(x), y); else g.lineTo(toX(x), y);
    }
    g.stroke();
    // mu
    g.setLineDash([5, 4]); g.strokeStyle = COLORS.highlight; g.lineWidth = 1.5;
    g.beginPath(); g.moveTo(toX(v.mu), box.top); g.lineTo(toX(v.mu), box.bottom); g.stroke(); g.setLineDash([]);
    g.strokeStyle = COLORS.muted; g.lineWidth = 1;
    g.beginPath(); g.moveTo(box.left, box.bottom); g.lineTo(box.right, box.bottom); g.stroke();
    xTicks(g, { left: box.left, right: box.right, bottom: box.bottom + 9 }, view.lo, view.hi, toX, (x, step) => M.numberText(x, step));
    axisName(g, box, H.unit);
    yLabel(g, box, "f(x) ≤ " + M.numberText(top / 1.12, null, 3));
  }

  function drawHeightsNll(v) {
    const { g, w, h } = surface($("heights-nll"));
    const box = { left: 12, right: w - 12, top: 20, bottom: h - 32 };
    const toX = (x) => box.left + (x - view.lo) / (view.hi - view.lo) * (box.right - box.left);
    const points = 300, ys = [];
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i <= points; i++) {
      const y = -M.gridLogLikelihood(stats, view.lo + (view.hi - view.lo) * i / points, v.sigma);
      ys.push(y); if (y < lo) lo = y; if (y > hi) hi = y;
    }
    const toY = (y) => box.bottom - (y - lo) / ((hi - lo) || 1) * (box.bottom - box.top);
    g.strokeStyle = COLORS.loss; g.lineWidth = 2; g.beginPath();
    ys.forEach((y, i) => { const x = box.left + (box.right - box.left) * i / points; if (i === 0) g.moveTo(x, toY(y)); else g.lineTo(x, toY(y)); });
    g.stroke();
    g.strokeStyle = COLORS.optimum; g.lineWidth = 1.5; g.setLineDash([5, 4]);
    g.beginPath(); g.moveTo(toX(muHat), box.top); g.lineTo(toX(muHat), box.bottom); g.stroke(); g.setLineDash([]);
    g.fillStyle = COLORS.highlight; g.beginPath();
    g.arc(toX(v.mu), Math.max(box.top, Math.min(box.bottom, toY(v.nll_curve_at_mu))), 5, 0, 2 * Math.PI); g.fill();
    g.strokeStyle = COLORS.muted; g.lineWidth = 1;
    g.beginPath(); g.moveTo(box.left, box.bottom); g.lineTo(box.right, box.bottom); g.stroke();
    xTicks(g, box, view.lo, view.hi, toX, (x, step) => M.numberText(x, step));
    yLabel(g, { left: box.left, top: 4 }, "NLL(μ)", COLORS.loss);
  }

  function curvePanel(g, box, fn, lo, hi, color, label, marks) {
    const points = 300, ys = [];
    let ymin = Infinity, ymax = -Infinity;
    for (let i = 0; i <= points; i++) {
      const y = fn(lo + (hi - lo) * i / points);
      ys.push(y); if (y < ymin) ymin = y; if (y > ymax) ymax = y;
    }
    for (const m of marks) { if (m.y < ymin) ymin = m.y; if (m.y > ymax) ymax = m.y; }
    const toX = (x) => box.left + (x - lo) / (hi - lo) * (box.right - box.left);
    const toY = (y) => box.bottom - (y - ymin) / ((ymax - ymin) || 1) * (box.bottom - box.top);
    g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
    ys.forEach((y, i) => { const x = box.left + (box.right - box.left) * i / points; if (i === 0) g.moveTo(x, toY(y)); else g.lineTo(x, toY(y)); });
    g.stroke();
    g.strokeStyle = COLORS.muted; g.lineWidth = 1;
    g.beginPath(); g.moveTo(box.left, box.bottom); g.lineTo(box.right, box.bottom); g.stroke();
    yLabel(g, { left: box.left, top: box.top - 14 }, label, color);
    return { toX: toX, toY: toY };
  }

  function markP(g, box, axes, p, y, color, dashed) {
    const x = axes.toX(p);
    if (dashed) {
      g.setLineDash([5, 4]); g.strokeStyle = color; g.lineWidth = 1.5;
      g.beginPath(); g.moveTo(x, box.top); g.lineTo(x, box.bottom); g.stroke(); g.setLineDash([]);
    } else {
      g.fillStyle = color; g.beginPath(); g.arc(x, axes.toY(y), 5, 0, 2 * Math.PI); g.fill();
    }
  }

  function drawBinary(v) {
    const { g, w, h } = surface($("binary-plot"));
    const lo = 0.001, hi = 0.999;
    const top = M.binaryLogLikelihood(pHat, k, n);
    const panels = [
      { fn: (p) => Math.exp(M.binaryLogLikelihood(p, k, n) - top), y: Math.exp(v.log_likelihood - top), color: COLORS.curve,
        label: fill(W.curve_max, { value: M.likelihoodText(top) }) },
      { fn: (p) => M.binaryLogLikelihood(p, k, n), y: v.log_likelihood, color: COLORS.curve, label: W.log_p },
      { fn: (p) => M.binaryNll(p, k, n), y: v.nll, color: COLORS.loss, label: W.nll_p },
    ];
    const each = (h - 30) / 3;
    panels.forEach((panel, i) => {
      const box = { left: 12, right: w - 12, top: 20 + i * each, bottom: 20 + (i + 1) * each - 20 };
      const pin = Math.min(hi, Math.max(lo, v.p));
      const axes = curvePanel(g, box, panel.fn, lo, hi, panel.color, panel.label, []);
      markP(g, box, axes, pHat, 0, COLORS.optimum, true);
      markP(g, box, axes, pin, Math.max(Math.min(panel.y, 1e300), -1e300), COLORS.highlight, false);
      if (i === 2) xTicks(g, box, 0, 1, axes.toX, (x) => x.toFixed(1));
    });
  }

  function drawDescent(v) {
    const { g, w, h } = surface($("descent-plot"));
    const box = { left: 12, right: w - 12, top: 22, bottom: h - 32 };
    const shown = v.path.slice(0, v.shown + 1);
    let lo = Math.min(pHat, ...v.path.map((s) => s.p)), hi = Math.max(pHat, ...v.path.map((s) => s.p));
    const margin = Math.max(0.02, 0.1 * (hi - lo));
    lo = Math.max(1e-4, lo - margin); hi = Math.min(1 - 1e-4, hi + margin);
    const marks = shown.map((s) => ({ y: s.nll }));
    const axes = curvePanel(g, box, (p) => M.binaryNll(p, k, n), lo, hi, COLORS.loss, W.nll_p, marks);
    markP(g, box, axes, pHat, 0, COLORS.optimum, true);
    g.strokeStyle = COLORS.curve; g.lineWidth = 1.5;
    for (let i = 1; i < shown.length; i++) {
      const x0 = axes.toX(shown[i - 1].p), y0 = axes.toY(shown[i - 1].nll), x1 = axes.toX(shown[i].p), y1 = axes.toY(shown[i].nll);
      g.beginPath(); g.moveTo(x0, y0);
      g.quadraticCurveTo((x0 + x1) / 2, Math.min(y0, y1) - 18 - 0.15 * Math.abs(x1 - x0), x1, y1);
      g.stroke();
    }
    shown.forEach((s, i) => {
      g.fillStyle = i === shown.length - 1 ? COLORS.highlight : COLORS.curve;
      g.beginPath(); g.arc(axes.toX(s.p), axes.toY(s.nll), i === shown.length - 1 ? 5 : 3.5, 0, 2 * Math.PI); g.fill();
    });
    xTicks(g, box, lo, hi, axes.toX, (x, step) => M.numberText(x, step));
    axisName(g, box, "p");
  }

  // --- the page, from the state --------------------------------------------------------------
  const shownTexts = {};
  function setText(id, text) {
    const el = $(id);
    const written = minus(text);
    if (el.textContent !== written) el.textContent = written;
    shownTexts[id] = text;
  }
  function valueText(el, text) { el.setAttribute("aria-valuetext", minus(text)); }

  let lastRows = null;
  const drawn = {};  // per part, the state it was last drawn for: a slider redraws its own part only
  function render() {
    dirty = false;
    const width = document.body.clientWidth;  // a resize redraws every canvas
    const changed = (part, key) => { const id = JSON.stringify(key); if (drawn[part] === id) return false; drawn[part] = id; return true; };
    if (changed("heights", [state.mu, state.sigma, width])) {
      const hv = heightsValues();
      const muText = heightsText(hv.mu), sigmaText = heightsText(hv.sigma);
      setText("mu-out", muText + " " + H.unit); valueText(sliders.mu, "μ = " + muText + " " + H.unit);
      setText("sigma-out", sigmaText + " " + H.unit); valueText(sliders.sigma, "σ = " + sigmaText + " " + H.unit);
      setText("heights-likelihood", M.scientificText(hv.log_likelihood, 2));
      setText("heights-log", M.heightsLossText(hv.log_likelihood));
      setText("heights-nll-value", M.heightsLossText(hv.nll));
      // a sum written as the video writes one: −2.7210 − 2.5350 + 0.1234 …
      const terms = hv.terms.map((t, i) => {
        const text = M.heightsLossText(t.log_density);
        return i === 0 ? text : text.startsWith("-") ? "- " + text.slice(1) : "+ " + text;
      });
      const more = samples.length > ALL_TERMS ? [fill(W.terms_more, { count: samples.length - 6 })] : [];
      const termText = samples.length > ALL_TERMS ? [...terms.slice(0, 4), ...more, ...terms.slice(4)] : terms;
      setText("heights-terms", termText.join(" ") + " = " + M.heightsLossText(hv.log_likelihood));
      setText("heights-nll-caption", fill(W.nll_curve, { value: heightsText(muHat) + " " + H.unit }));
      drawHeights(hv);
      drawHeightsNll(hv);
    }
    if (changed("binary", [state.p, width])) {
      const bv = binaryValues();
      const pText = M.plainNumber(bv.p);
      setText("p-out", pText); valueText(sliders.p, "p = " + pText);
      setText("binary-likelihood", M.likelihoodText(bv.log_likelihood));
      setText("binary-log", M.lossText(bv.log_likelihood));
      setText("binary-nll", M.lossText(bv.nll));
      setText("binary-p-hat", fill(W.p_hat, { k: k, n: n, value: pHatText }));
      setText("binary-caption", fill(W.binary_plot, { value: pHatText }));
      drawBinary(bv);
    }
    if (changed("descent", [state.start, state.eta, state.steps, state.shown, width])) {
      const dv = descentValues();
      const tol = M.plainNumber(dv.tolerance);
      setText("descent-rule", fill(W.rule, { tol: tol }));
      const startText = M.plainNumber(dv.start), etaText = M.plainNumber(dv.eta);
      setText("start-out", startText); valueText(sliders.start, "p₀ = " + startText);
      setText("eta-out", etaText); valueText(sliders.eta, "η = " + etaText);
      setText("steps-out", String(dv.steps)); valueText(sliders.steps, W.steps_label + " " + dv.steps);
      setText("descent-shown", fill(W.shown_step, { step: dv.shown, steps: dv.steps }));
      const verdict = $("descent-verdict");
      verdict.className = "verdict " + dv.shown_verdict.replace("_", "-");
      setText("descent-verdict", fill(W[dv.shown_verdict], { tol: tol }));
      $("descent-plot").setAttribute("aria-label", fill(W.descent_plot, { step: dv.shown }));
      $("descent-step").disabled = $("descent-run").disabled = dv.shown >= dv.steps;
      $("descent-reset").disabled = dv.shown === 0;
      const rowsKey = JSON.stringify([dv.start, dv.eta, dv.shown]);
      if (rowsKey !== lastRows) {
        lastRows = rowsKey;
        const body = $("descent-rows");
        body.textContent = "";
        // written as scene 10's readouts write them over the whole run
        const nlls = dv.path.map((s) => s.nll), gradients = dv.path.map((s) => s.gradient);
        dv.path.slice(0, dv.shown + 1).forEach((s, i) => {
          const tr = document.createElement("tr");
          if (i === dv.shown) tr.className = "current";
          for (const text of [String(i), M.descentPText(s.p), M.liveText(nlls, s.nll), M.liveText(gradients, s.gradient)]) {
            const td = document.createElement("td"); td.textContent = minus(text); tr.append(td);
          }
          body.append(tr);
        });
        const wrap = body.closest(".table-wrap");
        wrap.scrollTop = wrap.scrollHeight;  // the current iterate in view
    }
    drawDescent(dv);
    }
    if (changed("token", [state.logits])) {
      const tv = tokenValues();
      tv.logits.forEach((z, i) => {
        const text = M.numberText(z, 0.1);
        setText("logit-" + i + "-out", text);
        valueText(logitSliders[i], fill(W.logit_label, { token: T.tokens[i] }) + " = " + text);
      });
      tv.probabilities.forEach((p, i) => {
        bars[i].fill.style.width = (100 * p).toFixed(3) + "%";
        bars[i].after.style.width = (100 * tv.stepped_probabilities[i]).toFixed(3) + "%";
        setText(bars[i].value.id || (bars[i].value.id = "prob-" + i), M.probabilityText(p));
      });
      setText("token-loss-label", fill(W.loss_label, { token: T.tokens[T.target] }));
      setText("token-loss", M.lossText(tv.loss));
      setText("token-after-label", fill(W.after_step, { rate: M.plainNumber(T.rate) }));
      setText("token-after", M.lossText(tv.stepped_loss) + "   (p = " + M.probabilityText(tv.stepped_probabilities[T.target]) + ")");
    }
  }

  let dirty = false;
  function schedule() {
    if (dirty) return;
    dirty = true;
    requestAnimationFrame(() => { if (dirty) render(); });
  }

  // --- window.explore ------------------------------------------------------------------------
  function finite(name, value) {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new RangeError(name + " must be a finite number, got " + value);
    return value;
  }
  const explore = {
    /* Move any of mu, sigma, p, start, eta, steps, shown, logits (exact values, not snapped to
     * the sliders' steps); returns values(). */
    set(changes) {
      const next = Object.assign({}, state, { logits: state.logits.slice() });
      for (const [key, value] of Object.entries(changes || {})) {
        if (key === "logits") {
          if (!Array.isArray(value) || value.length !== T.tokens.length) throw new RangeError("logits must be " + T.tokens.length + " numbers");
          next.logits = value.map((z) => finite("logit", z));
        } else if (key in state) {
          next[key] = finite(key, value);
        } else {
          throw new RangeError("unknown setting " + key);
        }
      }
      if (!(next.sigma > 0)) throw new RangeError("sigma must be > 0, got " + next.sigma);
      if (!(next.p >= 0 && next.p <= 1) || !Number.isFinite(M.binaryNll(next.p, k, n))) throw new RangeError("p must give a finite NLL, got " + next.p);
      if (!(next.start > 0 && next.start < 1)) throw new RangeError("start must lie in (0, 1), got " + next.start);
      if (!(next.eta > 0)) throw new RangeError("eta must be > 0, got " + next.eta);
      if (!Number.isInteger(next.steps) || next.steps < 1 || next.steps > 10000) throw new RangeError("steps must be a whole number from 1 to 10000");
      if ("start" in (changes || {}) || "eta" in (changes || {}) || "steps" in (changes || {})) {
        stopRun();
        if (!("shown" in changes)) next.shown = next.steps;
      }
      if (!Number.isInteger(next.shown) || next.shown < 0 || next.shown > next.steps) throw new RangeError("shown must be a whole number from 0 to steps");
      Object.assign(state, next);
      syncSliders();
      render();
      return explore.values();
    },
    /* Every number the page shows, unrounded, and the texts it writes ("shown", by element id). */
    values() {
      if (dirty) render();
      return {
        heights: heightsValues(), binary: binaryValues(), descent: descentValues(), token: tokenValues(),
        shown: Object.assign({}, shownTexts), rates: rates.slice(),
      };
    },
    maths: M,
  };
  window.explore = explore;

  syncSliders();
  render();
  new ResizeObserver(() => schedule()).observe(document.body);  // a new width redraws (render compares it)
})();
