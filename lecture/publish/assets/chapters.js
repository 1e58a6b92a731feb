/* The chapter list beside the lecture video (index.html and the course package's launch page):
   a click seeks to the chapter, the playing one is marked (class "active", aria-current). */
(function () {
  "use strict";
  var video = document.getElementById("lecture-video");
  if (!video) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("#chapters li"));
  items.forEach(function (li) {
    li.querySelector("button").addEventListener("click", function () {
      video.currentTime = parseFloat(li.dataset.start) + 0.001;
      var playing = video.play();
      if (playing && playing.catch) { playing.catch(function () {}); }
    });
  });
  video.addEventListener("timeupdate", function () {
    var t = video.currentTime;
    items.forEach(function (li) {
      var on = t >= parseFloat(li.dataset.start) && t < parseFloat(li.dataset.end);
      li.classList.toggle("active", on);
      if (on) { li.querySelector("button").setAttribute("aria-current", "true"); } else { li.querySelector("button").removeAttribute("aria-current"); }
    });
  });
})();
