"""present.html: the lecture as a live presentation, one beat at a time.

One self-contained page (no network, no external files but the clips and stills it shows;
works opened from disk and from any server). It plays one beat of a scene's clip and pauses
on the beat's last frame; the lecturer advances with the keys clickers send:

=========================  ===============================================================
Right, Space, PageDown,    play the next beat (while a beat plays: jump to its last frame)
Down, Enter, click
Left, PageUp, Up           back to the start of the beat just played (again: the one before)
Home / End                 the first beat / the end of the last beat
digits, then Enter         the first beat of that scene (its number, 1-12)
B or .                     blank (black) screen, again to show it
F                          full screen
C                          captions (the beat's narration) on / off
S                          the speaker view in a second window
=========================  ===============================================================

``present.html?speaker`` is the speaker view (opened by S): the current beat's narration as
notes, the next beat's, the elapsed time and the clock, and a bar of beats (click one to go
there); it stays in step with the main window over a BroadcastChannel (and ``postMessage``
between the two windows, which also works where file:// pages get no shared channel), and
its keys drive the main window. ``?mute`` presents silently (a voiced render otherwise
plays each beat's voice), ``?captions`` starts with captions on, ``?format=webm`` plays the
WebM files.

A *step* is a beat as presented: it starts at the beat's first frame (a scene's first beat
at the clip's first frame) and ends at the next beat's start (a scene's last beat at its own
end: a scene's closing fade is not shown). Seeks go to the middle of a frame, so the frame
shown is exact whatever the container's time rounding.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, Mapping

__all__ = ["PRESENT_PAGE", "build", "deck"]

PRESENT_PAGE = "present.html"

_WORDS = {
    "ko": {"notes": "지금", "next": "다음", "elapsed": "경과", "clock": "시각", "end": "끝",
           "speaker": "발표자 보기", "help": "→ 다음 · ← 이전 · 번호+Enter 장면 · B 화면 끄기 · F 전체 화면 · C 자막 · S 발표자 보기",
           "scene": "장면", "none": "(장면 없음)"},
    "en": {"notes": "Now", "next": "Next", "elapsed": "Elapsed", "clock": "Clock", "end": "End",
           "speaker": "Speaker view", "help": "→ next · ← back · number+Enter scene · B blank · F full screen · C captions · S speaker view",
           "scene": "Scene", "none": "(no scenes)"},
}


def deck(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What the page needs from the manifest: per scene its clips and its beats (frames).

    >>> d = deck({"lecture": {"title": "T", "lang": "en", "fps": 15, "has_audio": False}, "scenes": [
    ...     {"index": 1, "id": "title", "title": "Title", "clip": "c.mp4", "webm": "c.webm", "poster": "p.png",
    ...      "codecs": None, "fps": 15.0, "frames": 90, "has_audio": False,
    ...      "beats": [{"id": "01-title/a_say", "key": "a_say", "text": "A", "start_frame": 3, "end_frame": 40,
    ...                 "still": "frames/01-title/a_say.png"},
    ...                {"id": "01-title/b_say", "key": "b_say", "text": "B", "start_frame": 40, "end_frame": 80,
    ...                 "still": "frames/01-title/b_say.png"}]}]})
    >>> [(s["id"], s["start"], s["end"]) for s in d["steps"]]
    [('01-title/a_say', 0, 40), ('01-title/b_say', 40, 80)]
    """
    lecture = manifest["lecture"]
    scenes, steps = [], []
    for position, scene in enumerate(manifest.get("scenes", [])):
        scenes.append({"index": scene["index"], "id": scene["id"], "title": scene["title"], "clip": scene["clip"],
                       "webm": scene["webm"], "poster": scene["poster"], "codecs": scene.get("codecs"),
                       "fps": scene["fps"], "frames": scene["frames"], "first_step": len(steps)})
        beats = scene.get("beats") or []
        if not beats:  # rendered before beats were noted: the whole clip is one step
            steps.append({"scene": position, "id": f"{scene['index']:02d}-{scene['id']}", "text": "", "still": None,
                          "start": 0, "end": scene["frames"]})
            continue
        for number, beat in enumerate(beats):
            start = 0 if number == 0 else beat["start_frame"]
            end = beats[number + 1]["start_frame"] if number + 1 < len(beats) else beat["end_frame"]
            steps.append({"scene": position, "id": beat["id"], "text": beat["text"], "still": beat.get("still"),
                          "start": start, "end": min(max(end, start + 1), scene["frames"])})
    return {"title": lecture["title"], "lang": lecture["lang"], "has_audio": bool(lecture.get("has_audio")),
            "scenes": scenes, "steps": steps}


_STYLE = """
:root { color-scheme: dark; --accent: #58c4dd; --muted: #9aa5b1; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: #000; color: #eceff4; overflow: hidden;
  font: 18px/1.45 "Noto Sans CJK KR", "Noto Sans", system-ui, sans-serif; word-break: keep-all; overflow-wrap: anywhere; }
#stage { position: fixed; inset: 0; cursor: none; }
#stage.pointer { cursor: default; }
#stage video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; background: #000; visibility: hidden; }
#stage video.shown { visibility: visible; }
#blank { position: fixed; inset: 0; background: #000; display: none; z-index: 5; }
body.blank #blank { display: block; }
#caption { position: fixed; left: 50%; bottom: 5vh; transform: translateX(-50%); max-width: 86vw; z-index: 4;
  background: rgba(0,0,0,.78); padding: .35em .8em; border-radius: 4px; font-size: 2.6vh; text-align: center; display: none; }
body.captions #caption:not(:empty) { display: block; }
#hud { position: fixed; right: 1rem; bottom: 1rem; z-index: 6; background: rgba(16,20,24,.85); color: var(--muted);
  padding: .3rem .7rem; border-radius: 4px; font-size: .85rem; opacity: 0; transition: opacity .4s; pointer-events: none; }
#hud.on { opacity: 1; }
#jump { position: fixed; left: 50%; top: 40%; transform: translate(-50%, -50%); z-index: 7; font-size: 12vh;
  background: rgba(16,20,24,.85); padding: .1em .5em; border-radius: 8px; display: none; }
#jump.on { display: block; }
/* speaker view */
body.speaker { overflow: auto; background: #101418; }
#speaker { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); grid-template-rows: auto 1fr auto; gap: 1rem;
  padding: 1rem; height: 100vh; }
#speaker header { grid-column: 1 / -1; display: flex; gap: 2rem; align-items: baseline; }
#speaker header .big { font-size: 2rem; font-variant-numeric: tabular-nums; color: #fff; }
#speaker header .label { color: var(--muted); font-size: .85rem; margin-right: .4rem; }
#speaker .panel { background: #1a2027; border-radius: 6px; padding: 1rem; overflow: auto; }
#speaker h2 { margin: 0 0 .5rem; font-size: .9rem; color: var(--muted); font-weight: normal; text-transform: uppercase; letter-spacing: .05em; }
#notes { font-size: 1.9rem; line-height: 1.5; }
#next-notes { font-size: 1.2rem; color: #c8d0d9; }
#speaker img { max-width: 100%; max-height: 34vh; border-radius: 4px; background: #000; display: block; margin-bottom: .75rem; }
#where { color: var(--accent); }
#bar { grid-column: 1 / -1; display: flex; gap: 2px; height: 26px; }
#bar button { all: unset; flex: 1 1 0; min-width: 3px; background: #2b3540; cursor: pointer; border-radius: 2px; }
#bar button.scene-start { margin-left: 6px; }
#bar button.done { background: #3e6b7a; }
#bar button.current { background: var(--accent); }
"""

_SCRIPT = r"""
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
        });
      });
    }
    function play(index) {
      index = Math.max(0, Math.min(steps.length - 1, index));
      var step = steps[index];
      if (state.startedAt === null) { state.startedAt = Date.now(); }
      watching++;
      var generation = watching;
      state.step = index; state.phase = "playing";
      update();
      var v = playerFor(step.scene);
      return whenReady(v).then(function () {
        if (generation !== watching) { return; }
        var startAt = frameTime(step.scene, step.start);
        var go = function () {
          if (generation !== watching) { return; }
          show(v);
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
          var started = v.play();
          if (started && started.catch) {
            started.catch(function () { v.muted = true; v.play().catch(function () {}); });  // autoplay policy
          }
        };
        if (Math.abs(v.currentTime - startAt) < 0.5 / scenes[step.scene].fps && !v.seeking) { go(); }
        else { seek(v, startAt).then(go); }
      });
    }
    function finishStep(v) {
      var step = steps[state.step];
      watching++;
      v.pause();
      state.phase = "done-pending";
      seek(v, frameTime(step.scene, step.end - 1)).then(function () {
        state.phase = "done";
        update();
        preloadNext();
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
    function next() {
      if (state.phase === "playing") { finishStep(active); return; }
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
            jumpToScene(number);
          } else { next(); }
          return true;
        case "next": next(); break;
        case "back": back(); break;
        case "home": place(0, "ready"); break;
        case "end": place(steps.length - 1, "done"); break;
        case "blank": state.blank = !state.blank; update(); break;
        case "captions": state.captions = !state.captions; update(); break;
        case "fullscreen":
          if (document.fullscreenElement) { document.exitFullscreen(); }
          else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () {}); }
          break;
        case "speaker": openSpeaker(); break;
        case "goto": place(a.step, a.phase || "ready"); break;
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
                muted: active ? active.muted : null, caption: caption.textContent};
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
    var nowImage = document.getElementById("now-still"), nextImage = document.getElementById("next-still");
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
"""


def _json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def build(manifest: Mapping[str, Any]) -> str:
    """present.html for ``manifest``."""
    data = deck(manifest)
    lang = data["lang"]
    words = _WORDS.get(lang, _WORDS["en"])
    title = escape(data["title"])
    first_poster = escape(data["scenes"][0]["poster"]) if data["scenes"] else ""
    from ..publish.webpage import page_start

    return "\n".join([
        *page_start(lang, title, _STYLE),
        f'<div id="stage" title="{escape(words["help"])}">',
        f'<video id="video-a" poster="{first_poster}" playsinline></video>',
        '<video id="video-b" playsinline></video>',
        "</div>",
        '<div id="caption" aria-live="polite"></div>',
        '<div id="blank"></div>',
        '<div id="hud" aria-hidden="true"></div>',
        '<div id="jump" aria-hidden="true"></div>',
        '<div id="speaker" hidden>',
        f'<header><span class="big" id="where">{escape(words["none"]) if not data["steps"] else ""}</span>'
        f'<span><span class="label">{words["elapsed"]}</span><span class="big" id="elapsed">0:00</span></span>'
        f'<span><span class="label">{words["clock"]}</span><span class="big" id="clock"></span></span></header>',
        f'<section class="panel"><h2>{words["notes"]}</h2><img id="now-still" alt=""><div id="notes"></div></section>',
        f'<section class="panel"><h2>{words["next"]}</h2><img id="next-still" alt=""><div id="next-notes"></div></section>',
        f'<nav id="bar" aria-label="{words["speaker"]}"></nav>',
        "</div>",
        f'<script type="application/json" id="deck">{_json(data)}</script>',
        f'<script type="application/json" id="words">{_json(words)}</script>',
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])
