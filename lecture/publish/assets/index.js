
(function () {
  // Every video is preload="none" in the HTML, so none loads before its source is settled.
  // index.html?format=webm plays the VP9 files even where H.264 would be chosen: each video
  // gets its WebM as src, once (setting src keeps preload="none"; load() would make Chromium
  // fetch every clip). Then the lecture player may preload.
  if (new URLSearchParams(location.search).get("format") === "webm") {
    document.querySelectorAll("video").forEach(function (v) {
      var webm = v.querySelector('source[type^="video/webm"]');
      v.querySelectorAll('source[type^="video/mp4"]').forEach(function (s) { s.remove(); });
      if (webm) { v.src = webm.src; }
    });
  }
  var video = document.getElementById("lecture-video");
  if (video) { video.preload = "auto"; }
  // The chapter list is chapters.js (the package's launch page has it too).
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var area = document.getElementById(button.dataset.target);
      var done = function () { button.textContent = button.dataset.done; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(done, function () { area.select(); document.execCommand("copy"); done(); });
      } else { area.select(); document.execCommand("copy"); done(); }
    });
  });
})();
