/* explore.html's maths: the same numbers as mathcore (normal.py, binary.py, descent.py,
 * crossentropy.py) and the same way of writing them as the scenes (scenes/number_format.py number_text,
 * probability_text, loss_text; scenes/readouts.py ScientificNumber; s10 plain_number), for the same inputs.
 * Pure functions, no DOM: the page (page.js) draws, this computes. Tests call it in Chromium
 * as window.ExploreMaths and compare with Python (tests/test_explore_chromium.py).
 */
(function (root) {
  "use strict";

  const LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);
  // mathcore/descent.py
  const CONVERGENCE_FRACTION = 0.01;
  const GRADIENT_ZERO_FRACTION = 0.001;
  const GRADIENT_ZERO = 0.005;
  const MAX_HALVINGS = 200;
  // mathcore/precision.py
  const PROBABILITY_DECIMALS = 4;
  const LOSS_DECIMALS = 4;

  /* Neumaier's compensated sum: within an ulp or two of the exact sum, so it agrees with
   * numpy's pairwise sum to far better than 1e-9 for 100 000 terms. */
  function sum(values, f) {
    let s = 0.0, c = 0.0;
    for (let i = 0; i < values.length; i++) {
      const v = f ? f(values[i]) : values[i];
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
      s = t;
    }
    return s + c;
  }

  // --- the normal model (mathcore/normal.py) ------------------------------------------------
  function normalLogpdf(x, mu, sigma) {
    const z = (x - mu) / sigma;
    return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI;
  }

  function normalPdf(x, mu, sigma) {
    return Math.exp(normalLogpdf(x, mu, sigma));
  }

  function logLikelihood(samples, mu, sigma) {
    const logSigma = Math.log(sigma);
    let s = 0.0, c = 0.0;
    for (let i = 0; i < samples.length; i++) {
      const z = (samples[i] - mu) / sigma;
      const v = -0.5 * z * z - logSigma - LOG_SQRT_2PI;
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
      s = t;
    }
    return s + c;
  }

  function nll(samples, mu, sigma) {
    return -logLikelihood(samples, mu, sigma) + 0.0;
  }

  function mleMu(samples) {
    return sum(samples) / samples.length;
  }

  function mleSigma(samples) {
    const m = mleMu(samples);
    return Math.sqrt(sum(samples, (x) => (x - m) * (x - m)) / samples.length);
  }

  /* What log_likelihood_grid needs of the samples, computed once: the centre and the centred
   * sums (so the NLL curve over mu costs O(1) a point, whatever n). */
  function gridStats(samples) {
    const centre = mleMu(samples);
    return {
      n: samples.length,
      centre: centre,
      s1: sum(samples, (x) => x - centre),
      s2: sum(samples, (x) => (x - centre) * (x - centre)),
    };
  }

  function gridLogLikelihood(stats, mu, sigma) {
    const muc = mu - stats.centre;
    const squares = stats.s2 - 2.0 * muc * stats.s1 + stats.n * muc * muc;
    return -0.5 * squares / (sigma * sigma) - stats.n * (Math.log(sigma) + LOG_SQRT_2PI);
  }

  /* A positive number as mantissa x 10^exponent from its natural log (Scientific.from_log). */
  function scientificFromLog(logValue) {
    const log10 = logValue / Math.LN10;
    let exponent = Math.floor(log10);
    let mantissa = Math.round(Math.pow(10.0, log10 - exponent) * 1e10) / 1e10;
    if (mantissa >= 10.0) {
      mantissa /= 10.0;
      exponent += 1;
    }
    return { mantissa: mantissa, exponent: exponent };
  }

  // --- two labels (mathcore/binary.py) ------------------------------------------------------
  function xlogy(x, y) {
    return x === 0 ? 0.0 : x * Math.log(y);
  }

  function xlog1py(x, y) {
    return x === 0 ? 0.0 : x * Math.log1p(y);
  }

  function binaryLogLikelihood(p, k, n) {
    return xlogy(k, p) + xlog1py(n - k, -p);
  }

  function binaryLikelihood(p, k, n) {
    return Math.exp(binaryLogLikelihood(p, k, n));
  }

  function binaryNll(p, k, n) {
    return -binaryLogLikelihood(p, k, n) + 0.0;
  }

  function binaryNllGradient(p, k, n) {
    if (!(p > 0.0 && p < 1.0)) throw new RangeError("the NLL gradient needs 0 < p < 1, got " + p);
    return -k / p + (n - k) / (1.0 - p);
  }

  function pHat(k, n) {
    return k / n;
  }

  // --- gradient descent on the two-label NLL (mathcore/descent.py) ---------------------------
  function convergenceTolerance(start, target) {
    return CONVERGENCE_FRACTION * Math.abs(start - target) + 1e-12;
  }

  function descentStep(p, gradient, rate) {
    let step = rate * gradient;
    for (let i = 0; i < MAX_HALVINGS; i++) {
      const candidate = p - step;
      if (candidate > 0.0 && candidate < 1.0) return [candidate, true];
      step /= 2.0;
    }
    return [p, false];
  }

  /* descent_path(k, n, start, learning_rate, steps), field for field. */
  function descentPath(k, n, start, rate, steps) {
    if (!(start > 0.0 && start < 1.0)) throw new RangeError("start must lie in (0, 1), got " + start);
    if (!(rate > 0.0)) throw new RangeError("learning_rate must be > 0, got " + rate);
    const target = pHat(k, n);
    const tolerance = convergenceTolerance(start, target);
    const ps = [start], nlls = [binaryNll(start, k, n)], gradients = [binaryNllGradient(start, k, n)];
    let diverged = false;
    let convergedAt = Math.abs(start - target) <= tolerance ? 0 : null;
    for (let index = 1; index <= steps; index++) {
      const [p, taken] = descentStep(ps[ps.length - 1], gradients[gradients.length - 1], rate);
      const value = binaryNll(p, k, n);
      const last = nlls[nlls.length - 1];
      if (!taken || !Number.isFinite(value) || value > last + 1e-12 * Math.max(1.0, Math.abs(last))) diverged = true;
      ps.push(p);
      nlls.push(value);
      gradients.push(binaryNllGradient(p, k, n));
      if (convergedAt === null && Math.abs(p - target) <= tolerance) convergedAt = index;
    }
    const converged = !diverged && Math.abs(ps[ps.length - 1] - target) <= tolerance;
    const lastGradient = Math.abs(gradients[gradients.length - 1]);
    return {
      start: start, learning_rate: rate, steps: steps, ps: ps, nlls: nlls, gradients: gradients,
      converged: converged, diverged: diverged, converged_at: converged ? convergedAt : null,
      tolerance: tolerance, final_p: ps[ps.length - 1],
      gradient_vanished: lastGradient <= GRADIENT_ZERO_FRACTION * Math.abs(gradients[0]) && lastGradient < GRADIENT_ZERO,
    };
  }

  // --- next token (mathcore/crossentropy.py) --------------------------------------------------
  function logsumexp(z) {
    let top = -Infinity;
    for (const v of z) if (v > top) top = v;
    if (!Number.isFinite(top)) top = 0.0;
    return Math.log(sum(z, (v) => Math.exp(v - top))) + top;
  }

  function logSoftmax(z) {
    const lse = logsumexp(z);
    return z.map((v) => v - lse);
  }

  function softmax(z) {
    return logSoftmax(z).map(Math.exp);
  }

  function crossEntropy(z, target) {
    return -logSoftmax(z)[target] + 0.0;
  }

  function crossEntropyGradient(z, target) {
    const g = softmax(z);
    g[target] -= 1.0;
    return g;
  }

  /* One step of logit_descent: z - rate * gradient. */
  function logitStep(z, target, rate) {
    const g = crossEntropyGradient(z, target);
    return z.map((v, i) => v - rate * g[i]);
  }

  // --- numbers as the video writes them -------------------------------------------------------
  const SUPERSCRIPT = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻" };

  function superscript(exponent) {
    return String(Math.trunc(exponent)).split("").map((c) => SUPERSCRIPT[c]).join("");
  }

  function fixed(value, decimals) {
    return (value + 0.0).toFixed(decimals);
  }

  /* scenes/number_format.py readout_exponent */
  function readoutExponent(magnitude, low, high) {
    low = low === undefined ? 1e-3 : low;
    high = high === undefined ? 1e5 : high;
    const m = Math.abs(magnitude);
    if (m === 0 || !Number.isFinite(m) || (low <= m && m < high)) return 0;
    return Math.floor(Math.log10(m));
  }

  function numberFormat(value, resolution, digits) {
    let exponent = readoutExponent(value);
    if (!(resolution > 0)) {
      const magnitude = value ? Math.floor(Math.log10(Math.abs(value))) : 0;
      resolution = Math.pow(10.0, magnitude - digits + 1);
    }
    let decimals = Math.trunc(Math.min(Math.max(0, exponent - Math.floor(Math.log10(resolution))), 15));
    if (exponent && Math.abs(Number(fixed(value / Math.pow(10.0, exponent), decimals))) >= 10.0) {
      exponent += 1;
      decimals = Math.min(decimals + 1, 15);
    }
    return [exponent, decimals];
  }

  /* scenes/number_format.py unsigned_zero: a zero (or a value rounded to zero) never shows "-0". */
  function unsignedZero(text) {
    if (text.startsWith("-") && !/[1-9]/.test(text.slice(1).split(/[×e ]/)[0])) return text.slice(1);
    return text;
  }

  /* number_text(value, resolution, "plain", digits): 168.34, 2.050×10¹² */
  function numberText(value, resolution, digits) {
    digits = digits === undefined ? 4 : digits;
    const [exponent, decimals] = numberFormat(value, resolution, digits);
    if (exponent === 0) return unsignedZero(fixed(value, decimals));
    return unsignedZero(fixed(value / Math.pow(10.0, exponent), decimals) + "×10" + superscript(exponent));
  }

  /* probability_text: 0.2668, 4.54×10⁻⁵ */
  function probabilityText(p) {
    if (p === 0 || Math.abs(p) >= 1e-3) return fixed(p, PROBABILITY_DECIMALS);
    return numberText(p, null, 3);
  }

  /* loss_text: 6.1086, 6.900×10¹⁴ */
  function lossText(value) {
    value = value + 0.0;
    if (value === 0 || (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5)) return fixed(value, LOSS_DECIMALS);
    return numberText(value, null, 4);
  }

  /* The heights' log likelihood, NLL and their terms, as scenes 7 and 8 write them (SansDecimal,
   * two decimals: NLL 23.82); mantissa×10^e with four digits where that would be huge or 0.00. */
  function heightsLossText(value) {
    value = value + 0.0;
    if (value === 0 || (Math.abs(value) >= 5e-3 && Math.abs(value) < 1e5)) return fixed(value, 2);
    return numberText(value, null, 4);
  }

  /* A likelihood from its log, as the video writes it: probability_text while exp(log) is at
   * least 0.001, else mantissa×10^e with two decimals from the log (scenes/readouts.py ScientificNumber),
   * so a likelihood of 10⁻⁴⁰⁰ reads as such instead of 0. */
  function likelihoodText(logValue) {
    if (logValue >= Math.log(1e-3) && logValue < Math.log(1e5)) return probabilityText(Math.exp(logValue));
    return scientificText(logValue, 2);
  }

  /* scenes/readouts.py ScientificNumber.parts: the mantissa rounded for display (9.996 becomes 1.00 x 10 more). */
  function scientificParts(logValue, decimals) {
    const sci = scientificFromLog(logValue);
    let mantissa = Number(fixed(sci.mantissa, decimals)), exponent = sci.exponent;
    if (mantissa >= 10.0) {
      mantissa = Number(fixed(mantissa / 10.0, decimals));
      exponent += 1;
    }
    return [mantissa, exponent];
  }

  function scientificText(logValue, decimals) {
    decimals = decimals === undefined ? 2 : decimals;
    const [mantissa, exponent] = scientificParts(logValue, decimals);
    return fixed(mantissa, decimals) + "×10" + superscript(exponent);
  }

  /* scenes/number_format.py sci_words, "plain" glyphs (1 × 10³⁰⁰) */
  function sciWords(value, digits) {
    digits = digits === undefined ? 3 : digits;
    if (value === 0 || !Number.isFinite(value) || (Math.abs(value) >= 1e-4 && Math.abs(value) < 1e5)) {
      return unsignedZero(pyGeneral(value, digits + 1));
    }
    let [mantissa, exponent] = value.toExponential(digits - 1).split("e");
    if (mantissa.includes(".")) mantissa = mantissa.replace(/0+$/, "").replace(/\.$/, "");
    return mantissa + " × 10" + superscript(Number(exponent));
  }

  /* Python's f"{value:.{precision}g}" for ordinary sizes (1e-4 <= |v| < 1e5). */
  function pyGeneral(value, precision) {
    if (value === 0) return "0";
    const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(precision)))));
    if (exponent < -4 || exponent >= precision) {
      let [m, e] = value.toExponential(precision - 1).split("e");
      if (m.includes(".")) m = m.replace(/0+$/, "").replace(/\.$/, "");
      const n = Number(e);
      return m + "e" + (n < 0 ? "-" : "+") + String(Math.abs(n)).padStart(2, "0");
    }
    let text = value.toFixed(Math.max(0, precision - 1 - exponent));
    if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text;
  }

  /* scenes/s10_descent.py plain_number: 0.7, 0.000197, -31.25, 1 × 10³⁰⁰ */
  function plainNumber(value, significant) {
    significant = significant === undefined ? 4 : significant;
    if (value === 0 || !Number.isFinite(value)) return pyGeneral(value, 6);
    if (!(Math.abs(value) >= 1e-4 && Math.abs(value) < 1e6)) return sciWords(value, significant);
    const decimals = Math.max(0, significant - 1 - Math.floor(Math.log10(Math.abs(value))));
    let text = fixed(value, decimals);
    if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text;
  }

  /* scenes/s10_descent.py LiveNumber over ``values`` (the path's NLLs or gradients), as shown:
   * LOSS_DECIMALS decimals while every value is ordinary, else each one as m.mm×10^e. */
  function liveScientific(values) {
    const finite = values.filter((v) => v !== 0 && Number.isFinite(v)).map(Math.abs);
    return finite.length > 0 && (Math.max(...finite) >= 1e5 || Math.min(...finite) < Math.pow(10.0, -LOSS_DECIMALS));
  }

  function liveText(values, value) {
    if (!liveScientific(values)) return fixed(value, LOSS_DECIMALS);
    if (value === 0 || !Number.isFinite(value)) return fixed(value, 2) + "×10⁰";
    let exponent = Math.floor(Math.log10(Math.abs(value)));
    let mantissa = Number(fixed(value / Math.pow(10.0, exponent), 2));
    if (Math.abs(mantissa) >= 10) {
      mantissa = Number(fixed(mantissa / 10, 2));
      exponent += 1;
    }
    return fixed(mantissa, 2) + "×10" + superscript(exponent);
  }

  /* p on scene 10's readout: P_HAT_MAX_DECIMALS (4) decimals. */
  function descentPText(p) {
    return fixed(p, 4);
  }

  const api = {
    CONVERGENCE_FRACTION, GRADIENT_ZERO_FRACTION, GRADIENT_ZERO,
    sum, normalLogpdf, normalPdf, logLikelihood, nll, mleMu, mleSigma, gridStats, gridLogLikelihood,
    scientificFromLog, binaryLogLikelihood, binaryLikelihood, binaryNll, binaryNllGradient, pHat,
    convergenceTolerance, descentPath, logsumexp, logSoftmax, softmax, crossEntropy, crossEntropyGradient,
    logitStep, superscript, readoutExponent, numberText, probabilityText, lossText, heightsLossText, likelihoodText,
    scientificParts, scientificText, sciWords, plainNumber, liveScientific, liveText, descentPText,
  };
  root.ExploreMaths = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
