"""The lecture's scenes in order: id, module, class and the data sections each reads.

Importing this module does not import manim, so the CLI can list scenes instantly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SceneSpec:
    """One scene of the lecture.

    >>> SCENES_IN_ORDER[0].file
    'scenes/s01_title.py'
    """

    index: int
    id: str
    module: str
    scene_class: str
    reads: tuple[str, ...]

    @property
    def file(self) -> str:
        return f"scenes/{self.module}.py"

    @property
    def import_path(self) -> str:
        return f"scenes.{self.module}"


SCENES_IN_ORDER: tuple[SceneSpec, ...] = tuple(
    SceneSpec(i, scene_id, module, cls, reads)
    for i, (scene_id, module, cls, reads) in enumerate(
        [
            ("title", "s01_title", "TitleScene", ("lecture", "heights", "binary")),
            ("likelihood-continuous", "s02_continuous", "ContinuousLikelihood", ("heights",)),
            ("likelihood-discrete", "s03_discrete", "DiscreteLikelihood", ("binary",)),
            ("comparing-likelihoods", "s04_compare", "CompareLikelihoods", ("heights",)),
            ("height-samples", "s05_heights", "HeightSamples", ("heights",)),
            ("maximum-likelihood", "s06_mle", "MaximumLikelihood", ("heights",)),
            ("log-likelihood", "s07_log", "LogLikelihood", ("heights",)),
            ("negative-log-likelihood", "s08_nll", "NegativeLogLikelihood", ("heights",)),
            ("phone-os", "s09_phone", "PhoneOsExample", ("binary",)),
            ("gradient-descent", "s10_descent", "GradientDescent", ("binary", "descent")),
            ("nll-in-nlp", "s11_nlp", "NextTokenLoss", ("nlp",)),
            ("closing", "s12_closing", "Closing", ("lecture",)),
        ],
        start=1,
    )
)

SCENES_BY_ID = {spec.id: spec for spec in SCENES_IN_ORDER}
