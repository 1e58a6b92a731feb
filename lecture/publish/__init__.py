"""Publishing: the output folder (lock, staging, atomic swap), the scene and lecture files,
manifest.json and index.html.

Entry point: ``assemble.assemble`` builds the next OUT in a staging tree; ``outdir`` swaps it in.

The modules: ``assemble.py`` (the next OUT: scene and lecture files, manifest.json,
index.html), ``outdir.py`` (lock, staging, atomic swap), ``state.py`` (what OUT holds),
``files.py`` (writing files safely), ``webpage.py`` (index.html). This face imports none
of them: the explorer and the presenter write through ``files`` and ``webpage`` while
``assemble`` calls the explorer and the presenter.
"""
