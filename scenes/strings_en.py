"""Every on-screen word and narration line of the English lecture, by scene id.

Keys ending in ``_say`` are narration (subcaptions); the rest appear on screen. Values may
hold ``{name}`` fields that scenes fill with mathcore's numbers or the data file's labels.
"""

STRINGS: dict[str, dict[str, str]] = {
    "common": {
        "lecture_name": "Negative Log Likelihood for NLP",
    },
    # --- title ---
    "title": {
        "title": "Title",
        "intro_say": "Welcome to this lecture on negative log likelihood for natural language processing.",
        "outline_say": "We start from likelihood, then take its log, flip its sign, and finish with gradient descent.",
    },
    # --- likelihood-continuous ---
    "likelihood-continuous": {
        "title": "Likelihood (continuous distributions)",
    },
    # --- likelihood-discrete ---
    "likelihood-discrete": {
        "title": "Likelihood (discrete distributions)",
    },
    # --- comparing-likelihoods ---
    "comparing-likelihoods": {
        "title": "Comparing likelihoods",
    },
    # --- height-samples ---
    "height-samples": {
        "title": "Predicting the distribution from the events",
    },
    # --- maximum-likelihood ---
    "maximum-likelihood": {
        "title": "Maximum likelihood",
    },
    # --- log-likelihood ---
    "log-likelihood": {
        "title": "Log likelihood",
    },
    # --- negative-log-likelihood ---
    "negative-log-likelihood": {
        "title": "Negative log likelihood",
    },
    # --- phone-os ---
    "phone-os": {
        "title": "Example: phone OS share",
    },
    # --- gradient-descent ---
    "gradient-descent": {
        "title": "NLL gradient and gradient descent",
    },
    # --- nll-in-nlp ---
    "nll-in-nlp": {
        "title": "NLL in NLP",
    },
    # --- closing ---
    "closing": {
        "title": "Closing",
    },
}
