"""mathcore: the numbers behind every scene of the NLL lecture. Pure numpy/scipy, no manim."""

from .binary import (
    binary_likelihood,
    binary_log_likelihood,
    binary_nll,
    binary_nll_gradient,
    binomial_coefficient,
    p_hat,
    sampling_probability,
)
from .crossentropy import (
    EXAMPLE_LOGITS,
    EXAMPLE_TARGET,
    EXAMPLES,
    LogitDescent,
    NextTokenExample,
    categorical_nll,
    cross_entropy,
    cross_entropy_gradient,
    log_softmax,
    logit_descent,
    next_token_results,
    softmax,
)
from .datafile import (
    BUILTIN_SOURCE,
    Binary,
    DataError,
    Heights,
    LectureData,
    LectureText,
    NlpSection,
    char_name,
    default_candidates,
    default_data_text,
    load_data,
    load_data_text,
    snapshot_text,
)
from .korean import josa, with_josa
from .story import StoryText, StoryWords, story_hint, story_words
from .descent import DescentPath, DescentSettings, default_descent, descent_path
from .normal import (
    Scientific,
    UnderflowDemo,
    likelihood,
    likelihood_scientific,
    log_likelihood,
    log_likelihood_grid,
    mle_mu,
    mle_sigma,
    nll,
    normal_logpdf,
    normal_pdf,
    relative_likelihood_grid,
    underflow_demo,
)
from .summary import lecture_results

__all__ = [
    "BUILTIN_SOURCE", "Binary", "DataError", "DescentPath", "DescentSettings", "EXAMPLE_LOGITS",
    "EXAMPLE_TARGET", "Heights", "LectureData", "LectureText", "LogitDescent", "Scientific",
    "UnderflowDemo", "binary_likelihood", "binary_log_likelihood", "binary_nll",
    "binary_nll_gradient", "binomial_coefficient", "categorical_nll", "cross_entropy",
    "cross_entropy_gradient", "default_candidates", "default_data_text", "default_descent",
    "descent_path", "lecture_results", "likelihood", "likelihood_scientific", "load_data",
    "log_likelihood", "log_likelihood_grid", "log_softmax", "logit_descent", "mle_mu",
    "mle_sigma", "nll", "normal_logpdf", "normal_pdf", "p_hat", "relative_likelihood_grid",
    "sampling_probability", "softmax", "underflow_demo", "char_name", "load_data_text", "snapshot_text",
    "EXAMPLES", "NextTokenExample", "NlpSection", "next_token_results",
    "StoryText", "StoryWords", "josa", "story_hint", "story_words", "with_josa",
]
