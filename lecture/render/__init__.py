"""`nll-lecture render`: the scenes rendered by worker processes and published into OUT.

The command's arguments: ``command.py``; its vocabulary (quality presets, exit statuses,
options, failures): ``options.py``; the run: ``pipeline.py``, which starts ``worker.py``
per scene; the scene keys: ``cache.py``. This face imports none of them, so that a module
importing one of them (the cluster's job imports the worker) does not load the pipeline.
"""
