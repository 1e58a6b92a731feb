/* The SCORM runtime of the lecture's launch page (SCORM 1.2 or 2004 4th edition, from
 * #package-config). It finds the LMS's API object (API or API_1484_11) in a parent or opener
 * frame, initializes, resumes at the saved location, reports progress, completion and the
 * questions' score, commits, and finishes on unload. Without an LMS (the page opened from
 * disk) the lecture plays and asks as usual and nothing is reported. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("package-config").textContent);
  var version = config.scorm;
  var video = document.getElementById("lecture-video");
  var line = document.getElementById("lms-status");
  var words = config.words || {};
  if (!version || !video) { return; }

  var V12 = version === "1.2";
  var CALL = V12
    ? {api: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish"}
    : {api: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate"};
  var CMI = V12
    ? {location: "cmi.core.lesson_location", status: "cmi.core.lesson_status", raw: "cmi.core.score.raw",
       min: "cmi.core.score.min", max: "cmi.core.score.max", exit: "cmi.core.exit", session: "cmi.core.session_time",
       suspend: "cmi.suspend_data", mastery: "cmi.student_data.mastery_score", entry: "cmi.core.entry"}
    : {location: "cmi.location", completion: "cmi.completion_status", success: "cmi.success_status",
       progress: "cmi.progress_measure", scaled: "cmi.score.scaled", raw: "cmi.score.raw", min: "cmi.score.min",
       max: "cmi.score.max", exit: "cmi.exit", session: "cmi.session_time", suspend: "cmi.suspend_data",
       mastery: "cmi.scaled_passing_score", entry: "cmi.entry"};

  // The API: the nearest frame up from this window that has it, then from the opener's.
  function search(win) {
    for (var hops = 0; win && hops < 500; hops += 1) {
      try { if (win[CALL.api]) { return win[CALL.api]; } } catch (e) { /* another origin: look further up */ }
      var up;
      try { up = win.parent; } catch (e) { up = null; }
      if (!up || up === win) { break; }
      win = up;
    }
    return null;
  }
  var api = search(window);
  if (!api) { try { api = window.opener ? search(window.opener) : null; } catch (e) { api = null; } }

  var connected = false, finished = false;
  function call(name, a, b) {
    try { var r = api[name](a, b); return r === undefined || r === null ? "" : String(r); } catch (e) { return ""; }
  }
  function get(el) { return connected ? call(CALL.get, el) : ""; }
  function set(el, value) { if (connected) { call(CALL.set, el, String(value)); } }
  function commit() { if (connected) { call(CALL.commit, ""); } }

  if (api) { connected = call(CALL.init, "") === "true"; }
  function say(text) { if (line) { line.textContent = text; } }
  if (!connected) { say(words.no_lms || ""); return; }
  say(words.recorded || "");

  var started = Date.now();
  var state = {end: false, furthest: 0, answers: {}};
  try {
    var saved = JSON.parse(get(CMI.suspend) || "{}");
    state.end = !!saved.e; state.furthest = +saved.f || 0; state.answers = saved.a || {};
  } catch (e) { /* not ours or empty: start afresh */ }
  var quizAnswers = {};
  Object.keys(state.answers).forEach(function (id) {
    var v = state.answers[id];
    quizAnswers[id] = {correct: v === 1, skipped: v === -1, choice: null};
  });
  if (window.lectureQuiz) { window.lectureQuiz.restore(quizAnswers); }

  var mastery = parseFloat(get(CMI.mastery));
  if (!isFinite(mastery)) { mastery = V12 ? config.mastery : config.mastery / 100; }
  var total = window.lectureQuiz ? window.lectureQuiz.total : 0;

  function clock(seconds) {
    var s = Math.floor(seconds), m = Math.floor(s / 60);
    return m + ":" + ("0" + (s % 60)).slice(-2);
  }
  function sessionTime() {
    var seconds = (Date.now() - started) / 1000;
    if (!V12) { return "PT" + seconds.toFixed(2) + "S"; }
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = Math.floor(seconds % 60);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(h) + ":" + two(m) + ":" + two(s);
  }
  function score() {
    var right = 0, answered = 0;
    Object.keys(state.answers).forEach(function (id) {
      if (state.answers[id] === 1) { right += 1; }
      if (state.answers[id] !== -1) { answered += 1; }
    });
    return {right: right, answered: answered, scaled: total ? right / total : 0};
  }

  function report() {
    var sc = score();
    var raw = Math.round(100 * sc.scaled);
    set(CMI.suspend, JSON.stringify({e: state.end ? 1 : 0, f: Math.round(state.furthest), a: state.answers}));
    if (sc.answered > 0 && total > 0) {
      set(CMI.raw, raw); set(CMI.min, 0); set(CMI.max, 100);
      if (!V12) { set(CMI.scaled, sc.scaled.toFixed(4)); }
    }
    var duration = video.duration || 0;
    if (V12) {
      var status = "incomplete";
      if (state.end) { status = sc.answered > 0 && total > 0 ? (raw >= mastery ? "passed" : "failed") : "completed"; }
      set(CMI.status, status);
    } else {
      set(CMI.completion, state.end ? "completed" : "incomplete");
      var progress = state.end ? 1 : (duration > 0 ? Math.min(0.99, state.furthest / duration) : 0);
      set(CMI.progress, progress.toFixed(4));
      if (state.end && sc.answered > 0 && total > 0) { set(CMI.success, sc.scaled >= mastery ? "passed" : "failed"); }
    }
  }
  function saveLocation() { set(CMI.location, String(Math.floor(video.currentTime))); }

  // Resume where the learner left off.
  var resumeAt = parseFloat(get(CMI.location));
  function resume() {
    if (isFinite(resumeAt) && resumeAt > 0 && resumeAt < video.duration - 1) {
      video.currentTime = resumeAt;
      say(String(words.resumed || "").replace("{time}", clock(resumeAt)));
    }
  }
  if (video.readyState >= 1) { resume(); } else { video.addEventListener("loadedmetadata", resume, {once: true}); }

  report();
  commit();
  var lastSaved = 0;
  video.addEventListener("timeupdate", function () {
    var t = video.currentTime;
    if (!video.seeking && t > state.furthest) { state.furthest = t; }
    if (!state.end && video.duration && t >= video.duration - 0.5) { reachEnd(); }
    if (Math.abs(t - lastSaved) >= 5) { lastSaved = t; saveLocation(); }
  });
  function reachEnd() { state.end = true; state.furthest = video.duration || state.furthest; saveLocation(); report(); commit(); }
  video.addEventListener("ended", function () { if (!state.end) { reachEnd(); } });
  video.addEventListener("pause", function () { saveLocation(); report(); commit(); });
  // Each answer as an interaction: the question's id, the choice given (a, b, c...) and the right one.
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function interaction(d) {
    var n = parseInt(get("cmi.interactions._count"), 10);
    if (!isFinite(n)) { return; }
    var at = "cmi.interactions." + n + ".", now = new Date();
    set(at + "id", d.id);
    set(at + "type", "choice");
    if (d.right && d.right.length) { set(at + "correct_responses.0.pattern", LETTERS.charAt(d.right[0])); }
    if (V12) {
      set(at + "student_response", LETTERS.charAt(d.choice));
      set(at + "result", d.correct ? "correct" : "wrong");
      set(at + "time", two(now.getHours()) + ":" + two(now.getMinutes()) + ":" + two(now.getSeconds()));
    } else {
      set(at + "learner_response", LETTERS.charAt(d.choice));
      set(at + "result", d.correct ? "correct" : "incorrect");
      set(at + "timestamp", now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate()) + "T" +
          two(now.getHours()) + ":" + two(now.getMinutes()) + ":" + two(now.getSeconds()));
    }
  }
  window.addEventListener("lecture:answer", function (event) {
    var d = event.detail;
    state.answers[d.id] = d.skipped ? -1 : (d.correct ? 1 : 0);
    if (!d.skipped && typeof d.choice === "number") { interaction(d); }
    report();
    commit();
  });

  function finish() {
    if (finished) { return; }
    finished = true;
    saveLocation();
    report();
    set(CMI.session, sessionTime());
    set(CMI.exit, state.end ? (V12 ? "" : "normal") : "suspend");
    commit();
    call(CALL.finish, "");
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  window.addEventListener("unload", finish);
})();
