"""The nll-lecture command: render the lecture and publish video, clips, captions and a page."""
