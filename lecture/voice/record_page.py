"""The page of ``nll-lecture record``: one self-contained HTML file (inline CSS and JS, no
network), served by ``record.py``. Keys: Space record / stop, P play back, arrows move."""

PAGE = r"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Recording the narration</title>
<style>
  :root { color-scheme: light dark; --accent: #c62828; --done: #2e7d32; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic",
         system-ui, sans-serif; background: Canvas; color: CanvasText; display: grid;
         grid-template-columns: minmax(0, 1fr) 20rem; min-height: 100vh; }
  main { padding: 1.5rem 2.5rem; display: flex; flex-direction: column; gap: 1rem; }
  header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
  #where { font-size: 1.1rem; opacity: .8; font-family: ui-monospace, monospace; }
  #progress { font-size: 1.1rem; }
  #text { font-size: clamp(1.8rem, 3.4vw, 3rem); line-height: 1.5; font-weight: 500; margin: .5rem 0;
          word-break: keep-all; overflow-wrap: anywhere; }
  #poster { max-width: min(100%, 40rem); max-height: 40vh; border: 1px solid #8886; border-radius: 4px; }
  #poster[hidden] { display: none; }
  .controls { display: flex; gap: .6rem; flex-wrap: wrap; align-items: center; }
  button { font: inherit; font-size: 1.05rem; padding: .5rem 1rem; border-radius: 6px; border: 1px solid #8889;
           background: ButtonFace; color: ButtonText; cursor: pointer; }
  button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
  button:disabled { opacity: .45; cursor: default; }
  kbd { font-family: ui-monospace, monospace; font-size: .85em; border: 1px solid #8889; border-radius: 3px;
        padding: 0 .3em; }
  #rec.recording { background: var(--accent); color: white; }
  #status { min-height: 1.6em; font-size: 1.1rem; }
  #status.error { color: var(--accent); font-weight: 600; }
  #badge { font-weight: 600; }
  #badge.done { color: var(--done); }
  #badge.recording { color: var(--accent); }
  audio { width: min(100%, 30rem); }
  nav { border-left: 1px solid #8885; padding: 1rem; overflow-y: auto; max-height: 100vh; position: sticky; top: 0; }
  nav h2 { font-size: .85rem; font-weight: 500; margin: .2rem 0 .6rem; overflow-wrap: anywhere; opacity: .8; }
  nav ol { list-style: none; margin: 0; padding: 0; }
  nav li button { width: 100%; text-align: left; border: 0; border-radius: 4px; padding: .3rem .5rem;
                  font-size: .9rem; background: transparent; font-family: ui-monospace, monospace; }
  nav li button[aria-current="true"] { background: #8884; font-weight: 700; }
  nav li.done button::before { content: "✓ "; color: var(--done); }
  nav li:not(.done) button::before { content: "○ "; opacity: .6; }
  nav .scene { margin-top: .7rem; font-size: .8rem; opacity: .7; }
  .help { font-size: .95rem; opacity: .8; }
  @media (max-width: 50rem) { body { grid-template-columns: 1fr; } nav { border-left: 0; max-height: none; } }
</style>
</head>
<body>
<main>
  <header>
    <div id="where" aria-label="현재 비트 (beat)">…</div>
    <div id="progress" role="status" aria-live="polite"></div>
  </header>
  <p id="text" lang="ko" aria-live="polite" aria-label="읽을 문장 (line to read)">불러오는 중… (loading)</p>
  <img id="poster" alt="" hidden>
  <div class="controls">
    <button id="rec" type="button" aria-keyshortcuts="Space">● 녹음 (Record) <kbd>Space</kbd></button>
    <button id="play" type="button" aria-keyshortcuts="P" disabled>▶ 재생 (Play back) <kbd>P</kbd></button>
    <button id="prev" type="button" aria-keyshortcuts="ArrowLeft" aria-label="이전 비트 (previous beat)">← <kbd>←</kbd></button>
    <button id="next" type="button" aria-keyshortcuts="ArrowRight" aria-label="다음 비트 (next beat)">→ <kbd>→</kbd></button>
    <span id="badge" aria-live="polite"></span>
  </div>
  <audio id="take" controls preload="auto" aria-label="녹음한 테이크 (the recorded take)"></audio>
  <div id="status" role="status" aria-live="polite"></div>
  <p class="help"><kbd>Space</kbd> 녹음 시작/정지 (다시 누르면 재녹음) · <kbd>P</kbd> 재생 · <kbd>←</kbd> <kbd>→</kbd> 이동 ·
    start/stop, a new take replaces the old one · play back · move</p>
</main>
<nav aria-label="비트 목록 (beats)">
  <h2 id="folder" title="녹음 폴더 (recordings folder)"></h2>
  <ol id="list"></ol>
</nav>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const state = { beats: [], i: 0, stream: null, recorder: null, chunks: [], started: 0, timer: null, blobs: {} };

function setStatus(text, error) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

function takeUrl(b) {
  return "take/" + encodeURIComponent(b.stem) + "/" + encodeURIComponent(b.name);
}

function renderList() {
  const list = $("list");
  list.textContent = "";
  let scene = null;
  state.beats.forEach((b, i) => {
    if (b.stem !== scene) {
      scene = b.stem;
      const head = document.createElement("li");
      head.className = "scene";
      head.textContent = b.stem;
      head.setAttribute("aria-hidden", "true");
      list.appendChild(head);
    }
    const li = document.createElement("li");
    li.className = b.done ? "done" : "";
    li.dataset.id = b.id;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = b.name;
    button.setAttribute("aria-label", b.id + (b.done ? " — 녹음됨 (recorded)" : " — 아직 (not recorded)"));
    if (i === state.i) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => { button.blur(); go(i); });
    li.appendChild(button);
    list.appendChild(li);
  });
  const done = state.beats.filter((b) => b.done).length;
  $("progress").textContent = done + " / " + state.beats.length + " 완료 (done)";
}

function show() {
  const b = state.beats[state.i];
  if (!b) return;
  $("where").textContent = b.id + "  ·  " + (state.i + 1) + " / " + state.beats.length;
  $("text").textContent = b.text;
  const poster = $("poster");
  if (b.poster) {
    poster.src = b.poster;
    poster.alt = b.stem + " 장면의 포스터 (poster frame of the scene)";
    poster.hidden = false;
  } else {
    poster.removeAttribute("src");
    poster.hidden = true;
  }
  const audio = $("take");
  audio.pause();
  const src = state.blobs[b.id] || (b.done ? takeUrl(b) + "?v=" + b.version : null);
  if (src) { loadTake(src); } else { audio.removeAttribute("src"); audio.load(); }
  $("play").disabled = !src;
  badge();
  renderList();
  history.replaceState(null, "", "#" + encodeURIComponent(b.id));
}

function badge() {
  const b = state.beats[state.i];
  const el = $("badge");
  if (state.recorder) {
    el.className = "recording";
    el.textContent = "● 녹음 중 (recording) " + ((performance.now() - state.started) / 1000).toFixed(1) + " s";
  } else if (b && b.done) {
    el.className = "done";
    el.textContent = "✓ 녹음됨 (recorded" + (b.file && !b.file.endsWith(".webm") ? ": " + b.file : "") + ")";
  } else {
    el.className = "";
    el.textContent = "아직 녹음 안 됨 (not recorded yet)";
  }
}

// MediaRecorder's WebM has no duration in its header: seek to the end once to learn it.
function loadTake(src) {
  const audio = $("take");
  audio.src = src;
  audio.addEventListener("loadedmetadata", function fix() {
    audio.removeEventListener("loadedmetadata", fix);
    if (audio.duration === Infinity || isNaN(audio.duration)) {
      audio.addEventListener("durationchange", function back() {
        if (audio.duration !== Infinity && !isNaN(audio.duration)) {
          audio.removeEventListener("durationchange", back);
          audio.currentTime = 0;
        }
      });
      audio.currentTime = 1e7;
    }
  });
  audio.load();
}

function go(i) {
  if (state.recorder) { setStatus("먼저 Space로 녹음을 멈추세요 (stop recording first)", true); return; }
  if (i < 0 || i >= state.beats.length) return;
  state.i = i;
  setStatus("");
  show();
}

async function startRecording() {
  try {
    if (!state.stream) state.stream = await navigator.mediaDevices.getUserMedia({ audio: {
      echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  } catch (err) {
    setStatus("마이크를 열 수 없습니다 (cannot open the microphone): " + err.message, true);
    return;
  }
  const type = ["audio/webm;codecs=opus", "audio/webm"].find((t) => MediaRecorder.isTypeSupported(t));
  if (!type) { setStatus("이 브라우저는 WebM 녹음을 못 합니다 (no WebM recording in this browser)", true); return; }
  const beat = state.beats[state.i];
  const recorder = new MediaRecorder(state.stream, { mimeType: type });
  state.chunks = [];
  recorder.ondataavailable = (e) => { if (e.data.size) state.chunks.push(e.data); };
  recorder.onstop = () => upload(beat, new Blob(state.chunks, { type: "audio/webm" }));
  recorder.start(250);
  state.recorder = recorder;
  state.started = performance.now();
  state.timer = setInterval(badge, 100);
  $("rec").classList.add("recording");
  $("rec").innerHTML = "■ 정지 (Stop) <kbd>Space</kbd>";
  $("take").pause();
  setStatus("녹음 중… (recording) — Space로 정지 (Space to stop)");
  badge();
}

function stopRecording() {
  const recorder = state.recorder;
  if (!recorder) return;
  state.recorder = null;
  clearInterval(state.timer);
  $("rec").classList.remove("recording");
  $("rec").innerHTML = "● 다시 녹음 (Re-take) <kbd>Space</kbd>";
  recorder.stop();
  badge();
}

async function upload(beat, blob) {
  setStatus("저장 중… (saving " + (blob.size / 1024).toFixed(0) + " KB)");
  try {
    const response = await fetch(takeUrl(beat), { method: "POST", body: blob, headers: { "Content-Type": "audio/webm" } });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || response.status);
    beat.done = true;
    beat.file = beat.name + ".webm";
    beat.version = answer.version;
    if (state.blobs[beat.id]) URL.revokeObjectURL(state.blobs[beat.id]);
    state.blobs[beat.id] = URL.createObjectURL(blob);
    setStatus("저장됨 (saved): " + answer.saved);
    if (state.beats[state.i] === beat) show(); else renderList();
  } catch (err) {
    setStatus("저장 실패 (not saved): " + err.message, true);
  }
}

function toggle() { if (state.recorder) stopRecording(); else startRecording(); }

function play() {
  const audio = $("take");
  if (!audio.getAttribute("src")) return;
  if (!audio.paused) { audio.pause(); return; }
  audio.currentTime = 0;
  audio.play().catch((err) => setStatus("재생 실패 (cannot play): " + err.message, true));
}

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.code === "Space" || e.key === " ") {
    e.preventDefault();
    if (!e.repeat) toggle();
  } else if (e.key === "ArrowRight" || e.key === "ArrowDown") {
    e.preventDefault(); go(state.i + 1);
  } else if (e.key === "ArrowLeft" || e.key === "ArrowUp") {
    e.preventDefault(); go(state.i - 1);
  } else if (e.key === "p" || e.key === "P") {
    e.preventDefault(); play();
  }
});
// Space must not also "click" a focused button
document.addEventListener("keyup", (e) => { if (e.code === "Space" || e.key === " ") e.preventDefault(); });
$("rec").addEventListener("click", (e) => { e.currentTarget.blur(); toggle(); });
$("play").addEventListener("click", (e) => { e.currentTarget.blur(); play(); });
$("prev").addEventListener("click", (e) => { e.currentTarget.blur(); go(state.i - 1); });
$("next").addEventListener("click", (e) => { e.currentTarget.blur(); go(state.i + 1); });

fetch("api/beats").then((r) => r.json()).then((data) => {
  state.beats = data.beats;
  document.documentElement.lang = data.lang;
  $("text").lang = data.lang;
  $("folder").textContent = "녹음 폴더 (folder): " + data.folder;
  const wanted = decodeURIComponent(location.hash.slice(1));
  const at = state.beats.findIndex((b) => b.id === wanted);
  const firstOpen = state.beats.findIndex((b) => !b.done);
  state.i = at >= 0 ? at : Math.max(0, firstOpen);
  show();
}).catch((err) => setStatus("비트 목록을 불러올 수 없습니다 (cannot load the beats): " + err.message, true));
</script>
</body>
</html>
"""
