(function () {
  "use strict";
  var deck = JSON.parse(document.getElementById("deck").textContent);
  var params = new URLSearchParams(location.search);
  var speaker = params.has("speaker");
  var words = JSON.parse(document.getElementById("words").textContent);
  var steps = deck.steps, scenes = deck.scenes;
  var channelName = "nll-present:" + location.pathname;
  var channel = ("BroadcastChannel" in window) ? new BroadcastChannel(channelName) : null;
  var peer = null;  // the other window (opener or the speaker view we opened)
  var seen = {};
  var me = Math.random().toString(36).slice(2);
  var serial = 0;

  function send(message) {
    message.from = me; message.serial = ++serial;
    if (channel) { try { channel.postMessage(message); } catch (e) {} }
    if (peer && !peer.closed) { try { peer.postMessage({nllPresent: message}, "*"); } catch (e) {} }
  }
  function listen(handler) {
    function take(message) {
      if (!message || message.from === me) { return; }
      var key = message.from + ":" + message.serial;
      if (seen[key]) { return; }
      seen[key] = true;
      handler(message);
    }
    if (channel) { channel.onmessage = function (event) { take(event.data); }; }
    window.addEventListener("message", function (event) {
      if (event.data && event.data.nllPresent) {
        if (!peer && event.source) { peer = event.source; }
        take(event.data.nllPresent);
      }
    });
  }
  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  // Keys shared by both windows: what each press asks for.
  function action(event) {
    var k = event.key;
    if (event.altKey || event.ctrlKey || event.metaKey) { return null; }
    if (/^[0-9]$/.test(k)) { return {do: "digit", digit: k}; }
    switch (k) {
      case "ArrowRight": case "PageDown": case " ": case "Spacebar": case "ArrowDown": case "n": case "N": return {do: "next"};
      case "Enter": return {do: "enter"};
      case "ArrowLeft": case "PageUp": case "ArrowUp": case "p": case "P": case "Backspace": return {do: "back"};
      case "Home": return {do: "home"};
      case "End": return {do: "end"};
      case "b": case "B": case ".": case "w": case "W": return {do: "blank"};
      case "f": case "F": return {do: "fullscreen"};
      case "c": case "C": return {do: "captions"};
      case "s": case "S": return {do: "speaker"};
      case "Escape": return {do: "escape"};
    }
    return null;
  }

  if (speaker) { speakerView(); } else { mainView(); }

  // The presentation ------------------------------------------------------------------
  function mainView() {
    var stage = document.getElementById("stage");
    var caption = document.getElementById("caption");
    var hud = document.getElementById("hud");
    var jumpBox = document.getElementById("jump");
    var players = [document.getElementById("video-a"), document.getElementById("video-b")];
    var webm = params.get("format") === "webm";
    var state = {step: 0, phase: "ready", blank: false, captions: params.has("captions"), startedAt: null};
    var typed = "";
    var hudTimer = null, jumpTimer = null;
    var active = null;  // the player on screen
    var watching = 0;   // generation of the current play: stale frame callbacks stop
    var speakerWindow = null;
    // Navigation asked for while the page is between states (a beat ending, a seek, a clip
    // loading: a phase "...-pending") waits here and is acted on, in order, once it settles:
    // a key is never lost. (A press in a beat's last END_GRACE_S seconds ends the beat and
    // plays the next one, as if it came at the pause.)
    var queued = [];
    var END_GRACE_S = 0.25;

    if (state.captions) { document.body.classList.add("captions"); }
    players.forEach(function (v) {
      v.muted = params.has("mute");
      v.playsInline = true;
      v.preload = "auto";
      v.addEventListener("ended", function () { if (v === active && state.phase === "playing") { finishStep(v); } });
    });

    function source(scene) {
      var s = scenes[scene];
      var mp4 = 'video/mp4' + (s.codecs ? '; codecs="' + s.codecs + '"' : "");
      if (!webm && players[0].canPlayType(mp4) !== "") { return s.clip; }
      return s.webm;
    }
    function frameTime(scene, frame) { return (frame + 0.5) / scenes[scene].fps; }
    // A player holding the scene's clip, loaded (the one on screen, or the other one).
    function playerFor(scene) {
      var src = source(scene);
      var found = players.filter(function (v) { return v.dataset.src === src; })[0];
      if (!found) {
        found = players.filter(function (v) { return v !== active; })[0];
        found.dataset.src = src;
        found.src = src;
        found.load();
      }
      return found;
    }
    function whenReady(v) {
      return new Promise(function (resolve) {
        if (v.readyState >= 1) { resolve(); return; }
        v.addEventListener("loadedmetadata", function once() { v.removeEventListener("loadedmetadata", once); resolve(); });
      });
    }
    function seek(v, time) {
      return new Promise(function (resolve) {
        if (Math.abs(v.currentTime - time) < 1e-4 && !v.seeking) { resolve(); return; }
        v.addEventListener("seeked", function once() { v.removeEventListener("seeked", once); resolve(); });
        v.currentTime = time;
      });
    }
    function show(v) {
      if (active === v) { return; }
      players.forEach(function (p) { if (p !== v) { p.pause(); p.classList.remove("shown"); } });
      v.classList.add("shown");
      active = v;
    }
    // Put step ``index`` on screen at its start ("ready") or its end ("done"), paused.
    function place(index, phase) {
      index = Math.max(0, Math.min(steps.length - 1, index));
      var step = steps[index];
      watching++;
      var generation = watching;
      state.step = index; state.phase = phase + "-pending";
      var v = playerFor(step.scene);
      return whenReady(v).then(function () {
        if (generation !== watching) { return; }
        v.pause();
        return seek(v, frameTime(step.scene, phase === "ready" ? step.start : step.end - 1)).then(function () {
          if (generation !== watching) { return; }
          show(v);
          state.phase = phase;
          update();
          preloadNext();
          settled();
        });
      });
    }
    function play(index) {
      index = Math.max(0, Math.min(steps.length - 1, index));
      var step = steps[index];
      if (state.startedAt === null) { state.startedAt = Date.now(); }
      watching++;
      var generation = watching;
      state.step = index; state.phase = "playing-pending";  // loading, seeking to the beat's start
      update();
      var v = playerFor(step.scene);
      return whenReady(v).then(function () {
        if (generation !== watching) { return; }
        var startAt = frameTime(step.scene, step.start);
        var go = function () {
          if (generation !== watching) { return; }
          show(v);
          state.phase = "playing";
          var endTime = (step.end - 1) / scenes[step.scene].fps;  // the last frame's start
          var stop = function (mediaTime) {
            if (generation !== watching || state.phase !== "playing") { return true; }
            if (mediaTime >= endTime - 0.25 / scenes[step.scene].fps) { finishStep(v); return true; }
            return false;
          };
          if (v.requestVideoFrameCallback) {
            var onFrame = function (_now, meta) { if (!stop(meta.mediaTime)) { v.requestVideoFrameCallback(onFrame); } };
            v.requestVideoFrameCallback(onFrame);
          }
          var poll = function () {  // fallback, and a guard for frames the callback misses
            if (!stop(v.currentTime)) { setTimeout(poll, 1000 / scenes[step.scene].fps / 2); }
          };
          setTimeout(poll, 0);
          state.endTime = endTime;
          var started = v.play();
          if (started && started.catch) {
            started.catch(function () { v.muted = true; v.play().catch(function () {}); });  // autoplay policy
          }
          update();
          settled();
        };
        if (Math.abs(v.currentTime - startAt) < 0.5 / scenes[step.scene].fps && !v.seeking) { go(); }
        else { seek(v, startAt).then(go); }
      });
    }
    function finishStep(v) {
      var step = steps[state.step];
      watching++;
      var generation = watching;
      v.pause();
      state.phase = "done-pending";
      seek(v, frameTime(step.scene, step.end - 1)).then(function () {
        if (generation !== watching) { return; }
        state.phase = "done";
        update();
        preloadNext();
        settled();
      });
    }
    function preloadNext() {
      var next = steps[state.step + 1];
      if (next && next.scene !== steps[state.step].scene) {
        var src = source(next.scene);
        var spare = players.filter(function (v) { return v !== active; })[0];
        if (spare.dataset.src !== src) {
          spare.dataset.src = src; spare.src = src; spare.load();
          whenReady(spare).then(function () { spare.currentTime = frameTime(next.scene, next.start); });
        }
      }
    }
    function busy() { return /-pending$/.test(state.phase); }
    // The page has reached a state: act on the first navigation that waited for it.
    function settled() {
      if (queued.length && !busy()) { navigate(queued.shift(), true); }
    }
    function navigate(a, fromQueue) {
      if (!fromQueue && (busy() || queued.length)) {
        if (queued.length < 16) { queued.push(a); }
        settled();
        return;
      }
      switch (a.do) {
        case "next": next(); break;
        case "back": back(); break;
        case "home": place(0, "ready"); break;
        case "end": place(steps.length - 1, "done"); break;
        case "goto": place(a.step, a.phase || "ready"); break;
        case "jump": jumpToScene(a.number); break;
      }
      settled();  // an action that changed nothing (next at the end) lets the next one go
    }
    function next() {
      if (state.phase === "playing") {
        var nearEnd = active && state.endTime - active.currentTime <= END_GRACE_S;
        finishStep(active);
        if (nearEnd && state.step + 1 < steps.length) { queued.unshift({do: "next"}); }  // pressed as it ended
        return;
      }
      if (state.phase === "ready") { play(state.step); return; }
      if (state.phase === "done" && state.step + 1 < steps.length) { play(state.step + 1); }
    }
    function back() {
      if (state.phase === "ready" || state.phase === "ready-pending") { place(state.step - 1, "ready"); }
      else { place(state.step, "ready"); }
    }
    function jumpToScene(number) {
      var position = -1;
      scenes.forEach(function (s, i) { if (s.index === number) { position = i; } });
      if (position < 0 && number >= 1 && number <= scenes.length) { position = number - 1; }
      if (position >= 0) { place(scenes[position].first_step, "ready"); }
    }
    function flashHud() {
      hud.classList.add("on");
      clearTimeout(hudTimer);
      hudTimer = setTimeout(function () { hud.classList.remove("on"); }, 2500);
    }
    function update() {
      var step = steps[state.step];
      var scene = scenes[step.scene];
      caption.textContent = step.text || "";
      hud.textContent = words.scene + " " + scene.index + " · " + (state.step + 1) + " / " + steps.length;
      document.body.classList.toggle("blank", state.blank);
      document.body.classList.toggle("captions", state.captions);
      send({type: "state", step: state.step, phase: state.phase, blank: state.blank, startedAt: state.startedAt});
    }
    function perform(a) {
      if (!a) { return false; }
      if (a.do !== "digit" && a.do !== "enter" && typed) {
        typed = ""; jumpBox.classList.remove("on");
      }
      switch (a.do) {
        case "digit":
          typed = (typed + a.digit).slice(-3);
          jumpBox.textContent = typed; jumpBox.classList.add("on");
          clearTimeout(jumpTimer);
          jumpTimer = setTimeout(function () { typed = ""; jumpBox.classList.remove("on"); }, 3000);
          return true;
        case "enter":
          if (typed) {
            var number = parseInt(typed, 10);
            typed = ""; jumpBox.classList.remove("on");
            navigate({do: "jump", number: number});
          } else { navigate({do: "next"}); }
          return true;
        case "next": case "back": case "home": case "end": case "goto": navigate(a); break;
        case "blank": state.blank = !state.blank; update(); break;
        case "captions": state.captions = !state.captions; update(); break;
        case "fullscreen":
          if (document.fullscreenElement) { document.exitFullscreen(); }
          else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () {}); }
          break;
        case "speaker": openSpeaker(); break;
        case "escape": if (state.blank) { state.blank = false; update(); } break;
      }
      flashHud();
      return true;
    }
    function openSpeaker() {
      var url = location.href.split("#")[0];
      url += (url.indexOf("?") >= 0 ? "&" : "?") + "speaker";
      speakerWindow = window.open(url, "nll-present-speaker", "width=1100,height=720");
      if (speakerWindow) { peer = speakerWindow; }
    }
    document.addEventListener("keydown", function (event) {
      if (perform(action(event))) { event.preventDefault(); }
    });
    stage.addEventListener("click", function () { perform({do: "next"}); });
    stage.addEventListener("contextmenu", function (event) { event.preventDefault(); perform({do: "back"}); });
    var pointerTimer = null;
    stage.addEventListener("mousemove", function () {
      stage.classList.add("pointer");
      clearTimeout(pointerTimer);
      pointerTimer = setTimeout(function () { stage.classList.remove("pointer"); }, 1500);
    });
    listen(function (message) {
      if (message.type === "hello") { update(); }
      else if (message.type === "action") { perform(message.action); }
    });
    window.present = {
      deck: deck,
      state: function () {
        return {step: state.step, phase: state.phase, blank: state.blank, captions: state.captions,
                scene: steps[state.step].scene, src: active ? active.currentSrc : null,
                time: active ? active.currentTime : null, paused: active ? active.paused : null,
                muted: active ? active.muted : null, caption: caption.textContent, queued: queued.length};
      },
      speakerWindow: function () { return speakerWindow; }
    };
    if (steps.length) { place(0, "ready"); }
  }

  // The speaker view ------------------------------------------------------------------
  function speakerView() {
    document.body.classList.add("speaker");
    document.getElementById("stage").remove();
    var view = document.getElementById("speaker");
    view.hidden = false;
    document.title = words.speaker + " · " + deck.title;
    var notes = document.getElementById("notes"), nextNotes = document.getElementById("next-notes");
    var where = document.getElementById("where"), elapsed = document.getElementById("elapsed");
    var now = document.getElementById("clock"), bar = document.getElementById("bar");
    // the beats' stills: made here, not in the HTML (an img without src is invalid HTML)
    function stillImage(id, before) {
      var img = document.createElement("img");
      img.id = id; img.alt = ""; img.hidden = true;
      before.parentNode.insertBefore(img, before);
      return img;
    }
    var nowImage = stillImage("now-still", notes), nextImage = stillImage("next-still", nextNotes);
    var state = {step: 0, phase: "ready", startedAt: null};
    if (window.opener) { peer = window.opener; }
    steps.forEach(function (step, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.title = scenes[step.scene].index + ". " + scenes[step.scene].title + " — " + step.text;
      if (i === scenes[step.scene].first_step && i > 0) { b.className = "scene-start"; }
      b.addEventListener("click", function () { send({type: "action", action: {do: "goto", step: i}}); });
      bar.appendChild(b);
    });
    function still(img, step) {
      if (step && step.still) { img.src = step.still; img.hidden = false; } else { img.removeAttribute("src"); img.hidden = true; }
    }
    function render() {
      var step = steps[state.step], after = steps[state.step + 1];
      var scene = scenes[step.scene];
      where.textContent = words.scene + " " + scene.index + ". " + scene.title + " · " + (state.step + 1) + " / " + steps.length;
      notes.textContent = step.text;
      nextNotes.textContent = after ? after.text : words.end;
      still(nowImage, step); still(nextImage, after);
      Array.prototype.forEach.call(bar.children, function (b, i) {
        b.classList.toggle("current", i === state.step);
        b.classList.toggle("done", i < state.step || (i === state.step && state.phase === "done"));
      });
      document.body.dataset.step = String(state.step);
      document.body.dataset.phase = state.phase;
    }
    function tick() {
      elapsed.textContent = state.startedAt ? clock((Date.now() - state.startedAt) / 1000) : "0:00";
      var d = new Date();
      now.textContent = (d.getHours() < 10 ? "0" : "") + d.getHours() + ":" + (d.getMinutes() < 10 ? "0" : "") + d.getMinutes();
    }
    listen(function (message) {
      if (message.type === "state") {
        state.step = message.step; state.phase = message.phase; state.startedAt = message.startedAt;
        render(); tick();
      }
    });
    document.addEventListener("keydown", function (event) {
      var a = action(event);
      if (!a) { return; }
      event.preventDefault();
      if (a.do === "speaker") { return; }
      if (a.do === "fullscreen") {
        if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen().catch(function () {}); }
        return;
      }
      send({type: "action", action: a});
    });
    window.present = {deck: deck, state: function () {
      return {step: state.step, phase: state.phase, notes: notes.textContent, next: nextNotes.textContent,
              where: where.textContent, elapsed: elapsed.textContent, clock: now.textContent,
              current: Array.prototype.indexOf.call(bar.children, bar.querySelector(".current"))};
    }};
    render(); tick();
    setInterval(tick, 500);
    send({type: "hello"});
  }
})();
