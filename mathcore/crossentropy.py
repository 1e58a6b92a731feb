"""Cross-entropy of a next-token softmax: the NLL of the correct token.

The NLP scene's example is a :class:`NextTokenExample`: the text before the blank, the
candidate next tokens, the model's logits for them and the correct token. Each language has
its own words (:data:`EXAMPLES`); both share the logits and the correct token's place, so
every number the scene shows is the same in Korean and English.

>>> round(cross_entropy([2.0, 1.0, 0.1], 0), 4)
0.417
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scipy.special import logsumexp

# The NLP scene's example: logits a language model gives four candidate next tokens (the
# words are in EXAMPLES below, one set per language). Index 0 is the correct token.
EXAMPLE_LOGITS: tuple[float, ...] = (1.2, 2.0, 0.4, -0.6)
EXAMPLE_TARGET = 0
# Gradient descent on the logits that scene 11 shows: a few visible steps.
DESCENT_RATE = 1.0
DESCENT_STEPS = 5


def softmax(logits: ArrayLike) -> NDArray[np.float64]:
    """exp(z_i) / sum_j exp(z_j), computed stably.

    >>> [round(float(v), 4) for v in softmax([0.0, 0.0])]
    [0.5, 0.5]
    """
    z = np.asarray(logits, dtype=float)
    return np.exp(z - logsumexp(z))


def log_softmax(logits: ArrayLike) -> NDArray[np.float64]:
    """log softmax(z), without forming the probabilities first."""
    z = np.asarray(logits, dtype=float)
    return z - logsumexp(z)


def categorical_nll(probabilities: ArrayLike, target: int) -> float:
    """-log p(target) under a categorical distribution.

    >>> round(categorical_nll([0.25, 0.75], 1), 4)
    0.2877
    """
    return float(-np.log(np.asarray(probabilities, dtype=float)[target]))


def cross_entropy(logits: ArrayLike, target: int) -> float:
    """Cross-entropy between the one-hot target and softmax(logits) = -log p(target)."""
    return float(-log_softmax(logits)[target])


def cross_entropy_gradient(logits: ArrayLike, target: int) -> NDArray[np.float64]:
    """d cross_entropy / d logits = softmax(logits) - onehot(target).

    >>> [round(float(v), 4) for v in cross_entropy_gradient([0.0, 0.0], 0)]
    [-0.5, 0.5]
    """
    grad = softmax(logits)
    grad[target] -= 1.0
    return grad


@dataclass(frozen=True)
class LogitDescent:
    """Logits, probabilities and loss at each step of gradient descent on the cross-entropy.

    >>> run = logit_descent(EXAMPLE_LOGITS, EXAMPLE_TARGET, learning_rate=1.0, steps=3)
    >>> run.losses[0] > run.losses[-1], run.probabilities[-1][0] > run.probabilities[0][0]
    (True, True)
    """

    logits: tuple[tuple[float, ...], ...]
    probabilities: tuple[tuple[float, ...], ...]
    losses: tuple[float, ...]


def logit_descent(logits: ArrayLike, target: int, learning_rate: float, steps: int) -> LogitDescent:
    """Lower the loss step by step: the correct token's probability rises."""
    z = np.asarray(logits, dtype=float).copy()
    all_logits, all_probs, losses = [], [], []
    for _ in range(steps + 1):
        all_logits.append(tuple(float(v) for v in z))
        all_probs.append(tuple(float(v) for v in softmax(z)))
        losses.append(cross_entropy(z, target))
        z = z - learning_rate * cross_entropy_gradient(z, target)
    return LogitDescent(tuple(all_logits), tuple(all_probs), tuple(losses))


@dataclass(frozen=True)
class NextTokenExample:
    """A next-token prediction: ``context`` then a blank; the model's ``logits`` for each of
    ``tokens``; ``correct`` is the token that really comes next (one of ``tokens``).

    >>> EXAMPLES["en"].target, EXAMPLES["ko"].correct
    (0, '앉았다')
    """

    context: str
    tokens: tuple[str, ...]
    logits: tuple[float, ...]
    correct: str

    @property
    def target(self) -> int:
        """The correct token's index."""
        return self.tokens.index(self.correct)


# The deck has no NLP example; these continue its spirit. Korean puts the verb last, so the
# blank (the next token) is the verb; English ends on the noun.
EXAMPLES: dict[str, NextTokenExample] = {
    "ko": NextTokenExample("고양이가 매트 위에", ("앉았다", "누웠다", "섰다", "날았다"), EXAMPLE_LOGITS, "앉았다"),
    "en": NextTokenExample("The cat sat on the", ("mat", "sofa", "floor", "moon"), EXAMPLE_LOGITS, "mat"),
}


def next_token_results(example: NextTokenExample, learning_rate: float = DESCENT_RATE,
                       steps: int = DESCENT_STEPS) -> dict:
    """Every number scene 11 shows for ``example``, JSON-ready: the softmax probabilities,
    the loss -log p(correct), and the descent on the logits that raises p(correct).

    >>> r = next_token_results(EXAMPLES["en"])
    >>> r["tokens"], r["correct"], round(r["loss"], 4), r["correct_is_most_likely"]
    (['mat', 'sofa', 'floor', 'moon'], 'mat', 1.3455, False)
    """
    target = example.target
    probabilities = softmax(example.logits)
    run = logit_descent(example.logits, target, learning_rate=learning_rate, steps=steps)
    return {
        "context": example.context,
        "tokens": list(example.tokens),
        "logits": list(example.logits),
        "probabilities": [float(p) for p in probabilities],
        "correct": example.correct,
        "correct_index": target,
        "correct_is_most_likely": bool(probabilities[target] >= probabilities.max()),
        "loss": cross_entropy(example.logits, target),
        "descent": {
            "learning_rate": learning_rate,
            "steps": steps,
            "final_probabilities": list(run.probabilities[-1]),
            "final_loss": run.losses[-1],
            "losses": list(run.losses),
            "probabilities": [list(p) for p in run.probabilities],  # after 0, 1, ..., steps steps
        },
    }
