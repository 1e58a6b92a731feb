/* The checks of understanding: each question stops the lecture video just before its scene
 * ends, asks, gives feedback with the explanation, and plays on. Keyboard: the radio buttons
 * (arrows), Enter checks, Escape skips; the question's text takes the focus when it appears and
 * the feedback is announced (role=status). A learner can skip any question, or switch them all
 * off. Data: <script type="application/json" id="lecture-questions"> {"words", "questions"}.
 * Others (the SCORM runtime) listen to the window events "lecture:answer" (detail {id, correct,
 * skipped, choice, right: the right choices' indices}) and read window.lectureQuiz.results(). */
(function () {
  "use strict";
  var video = document.getElementById("lecture-video");
  var dataNode = document.getElementById("lecture-questions");
  var box = document.getElementById("quiz");
  if (!video || !dataNode || !box) { return; }
  var data = JSON.parse(dataNode.textContent);
  var words = data.words || {};
  var questions = (data.questions || []).filter(function (q) { return typeof q.time_s === "number"; });
  var answers = {};          // id -> {correct, skipped, choice}
  var current = null;        // the question on screen
  var enabled = true;
  var toggle = document.getElementById("quiz-enabled");
  if (toggle) { toggle.addEventListener("change", function () { enabled = toggle.checked; }); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function fill(template, fields) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, k) { return k in fields ? fields[k] : m; });
  }

  function record(q, result) {
    answers[q.id] = result;
    var right = [];
    q.choices.forEach(function (c, i) { if (c.correct) { right.push(i); } });
    window.dispatchEvent(new CustomEvent("lecture:answer", {detail: {id: q.id, correct: result.correct,
      skipped: result.skipped, choice: result.choice, right: right}}));
  }

  function finish() {
    box.hidden = true;
    box.textContent = "";
    current = null;
    video.focus();
    var playing = video.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  }

  function ask(q) {
    current = q;
    video.pause();
    box.textContent = "";
    var form = el("form", {"novalidate": ""});
    var heading = el("h2", {"id": "quiz-heading"}, words.heading || "");
    var fieldset = el("fieldset", {});
    var legend = el("legend", {"id": "quiz-prompt", "tabindex": "-1"}, q.prompt);
    fieldset.appendChild(legend);
    q.choices.forEach(function (c, i) {
      var label = el("label", {});
      var input = el("input", {"type": "radio", "name": "quiz-choice", "value": String(i)});
      label.appendChild(input);
      label.appendChild(el("span", {}, c.text));
      fieldset.appendChild(label);
    });
    var feedback = el("p", {"class": "feedback", "role": "status", "aria-live": "polite"});
    var actions = el("div", {"class": "actions"});
    var check = el("button", {"type": "submit", "class": "check"}, words.submit);
    var skip = el("button", {"type": "button", "class": "secondary skip"}, words.skip);
    actions.appendChild(check); actions.appendChild(skip);
    form.appendChild(fieldset); form.appendChild(actions); form.appendChild(feedback);
    box.appendChild(heading); box.appendChild(form);
    box.setAttribute("aria-labelledby", "quiz-heading");
    box.hidden = false;
    legend.focus();

    function done(message, cls) {
      feedback.textContent = "";
      if (message) { var s = el("strong", {"class": cls}, message); feedback.appendChild(s); feedback.appendChild(document.createTextNode(" ")); }
      feedback.appendChild(document.createTextNode(q.explanation));
      fieldset.disabled = true;
      check.remove(); skip.remove();
      var next = el("button", {"type": "button", "class": "continue"}, words["continue"]);
      next.addEventListener("click", finish);
      actions.appendChild(next);
      next.focus();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var picked = form.querySelector("input[name=quiz-choice]:checked");
      if (!picked) { feedback.textContent = words.choose || ""; return; }
      var i = parseInt(picked.value, 10);
      var right = !!q.choices[i].correct;
      form.querySelectorAll("label").forEach(function (label, j) {
        if (q.choices[j].correct) { label.classList.add("right"); } else if (j === i) { label.classList.add("wrong"); }
      });
      record(q, {correct: right, skipped: false, choice: i});
      var answer = q.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.text; }).join(" / ");
      done(right ? words.correct : words.incorrect + " " + fill(words.answer_was, {answer: answer}), right ? "right" : "wrong");
    });
    skip.addEventListener("click", function () {
      record(q, {correct: false, skipped: true, choice: null});
      done(words.skipped, "");
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !fieldset.disabled) { event.preventDefault(); skip.click(); }
    });
  }

  var last = video.currentTime;
  var timer = null;
  function stopAt(q) {  // the scene's last frame stays on screen while the question is asked
    if (Math.abs(video.currentTime - q.time_s) > 0.05) { video.currentTime = q.time_s; }
    ask(q);
  }
  function check() {
    var t = video.currentTime;
    if (current || !enabled || video.seeking) { last = t; return; }
    // asked when playback crosses the question's time (not when a seek jumps over it)
    var pending = questions.filter(function (q) { return !(q.id in answers); });
    var due = pending.filter(function (q) { return last <= q.time_s && t >= q.time_s && t - last < 1.5; });
    last = t;
    if (due.length) { stopAt(due[0]); return; }
    // timeupdate comes every quarter second or so: a question due sooner is timed exactly
    var soon = pending.filter(function (q) { return q.time_s > t && q.time_s - t < 0.4; })[0];
    if (soon && !timer && !video.paused) {
      timer = setTimeout(function () { timer = null; check(); }, (soon.time_s - t) * 1000 / (video.playbackRate || 1));
    }
  }
  video.addEventListener("timeupdate", check);
  video.addEventListener("seeked", function () { last = video.currentTime; });

  window.lectureQuiz = {
    total: questions.length,
    results: function () {
      var right = 0, answered = 0;
      Object.keys(answers).forEach(function (id) { if (!answers[id].skipped) { answered += 1; } if (answers[id].correct) { right += 1; } });
      return {total: questions.length, answered: answered, right: right, answers: answers};
    },
    restore: function (saved) {  // answers kept by the LMS (a resumed SCORM attempt): not asked again
      Object.keys(saved || {}).forEach(function (id) { answers[id] = saved[id]; });
    },
    ask: function (id) { var q = questions.filter(function (x) { return x.id === id; })[0]; if (q && !current) { ask(q); } }
  };
})();
