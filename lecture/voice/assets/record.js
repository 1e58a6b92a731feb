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
