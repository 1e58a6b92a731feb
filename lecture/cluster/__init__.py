"""Render scene jobs on a Dask distributed cluster (``nll-lecture render --cluster``), or
on threads of this machine for a batch, each cache key once.

Entry point: :class:`SceneService` (``SceneService.connect(address)`` or
``SceneService.local(jobs, area)``); its ``runner()`` is what the render pipeline calls
instead of starting local worker processes. The job that runs on a worker is
:func:`run_scene_job` (lecture/cluster/job.py): it refuses to render if the worker's code
or library versions give another cache key than the client's.

Importing this package imports neither dask nor distributed (only ``connect`` does).
"""

from __future__ import annotations

from .job import JobFailed, JobResult, SceneJob, VersionMismatch, default_area, run_scene_job
from .service import CONNECT_TIMEOUT_S, ClusterError, SceneRunner, SceneService, check_address, probe

__all__ = [
    "CONNECT_TIMEOUT_S", "ClusterError", "JobFailed", "JobResult", "SceneJob", "SceneRunner", "SceneService",
    "VersionMismatch", "check_address", "default_area", "probe", "run_scene_job",
]
