"""`nll-lecture render`: the scenes rendered by worker processes and published into OUT.

The command's arguments: ``command.py``; its vocabulary (quality presets, exit statuses,
options parsed once, failures): ``options.py``; the run: ``pipeline.py``, with its checks
(``preflight.py``), the worker protocol (``protocol.py``: a scene's request and result),
where scenes run (``executors.py``: ``worker.py`` per scene, N at a time) and the publishing
step (``publishing.py``); the scene keys: ``cache.py``. This face imports none of them, so that a module
importing one of them (the cluster's job imports the worker) does not load the pipeline.
"""
