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
        "definition": "Likelihood: how likely the observed events are",
        "x_axis": "x ({unit})",
        "area_note": "area = probability of an interval (not the likelihood)",
        "model_say": "We model the data with a normal distribution, using the data's mean and standard deviation. The curve is its probability density.",
        "define_say": "Likelihood measures how likely the observed events are under this model.",
        "observe_say": "Let us take one observation from the data.",
        "height_say": "For a continuous distribution, the likelihood of this observation is the height of the density curve at that point: f of x given theta.",
        "area_say": "An area under the curve is something else: the probability that a value falls in that interval.",
        "point_say": "Shrink the interval to a single point and the area goes to zero, while the height stays. That is why a continuous likelihood is a height.",
        "move_say": "Move the observation away from the mean and the curve is lower, so the likelihood is smaller. Near the mean it is larger.",
        "conclude_say": "So for a continuous distribution, the likelihood is the density at the observed value.",
    },
    # --- likelihood-discrete ---
    "likelihood-discrete": {
        "title": "Likelihood (discrete distributions)",
        "observed": "Observed: {k} of {n} are {label}",
        "model": "Model: binomial",
        "x_axis": "k = number of {label}",
        "observed_mark": "observed k = {k}",
        "observed_say": "Now a discrete distribution. We observed {n} people, and {k} of them are '{label}'.",
        "pmf_say": "The model is a binomial with p = {p}. Each bar is the probability of one outcome k, and all the bars add up to one.",
        "likelihood_say": "For a discrete distribution, the likelihood is simply the probability of what was observed: the height of the bar at k = {k}.",
        "sweep_say": "Keep the observation fixed and change p: the same bar changes height, so the likelihood changes with the parameter.",
        "conclude_say": "So for a discrete distribution, the likelihood is the probability of the observed outcome.",
    },
    # --- comparing-likelihoods ---
    "comparing-likelihoods": {
        "title": "Comparing likelihoods",
    },
    # --- height-samples ---
    "height-samples": {
        "title": "Predicting the distribution from the events",
        "sigma_note": "σ = {sigma} {unit} (held fixed)",
        "subsample_note": "segments: {shown} of {n} samples · likelihood: all {n}",
        "samples_say": "Here are {n} observed samples, drawn as dots on an axis. From these events, let's predict the distribution that produced them.",
        "model_say": "Our model is a normal distribution. We hold σ fixed at {sigma} {unit} and move only the mean μ. The first candidate, θ₁, has mean {mu} {unit}.",
        "heights_say": "At each sample, the height of the segment up to the curve, f(xᵢ; θ), is that sample's likelihood.",
        "subsample_say": "With this many samples we draw segments for only {shown} of them, but the likelihood uses all {n}.",
        "product_say": "If the samples are independent, the likelihood of all of them together is the product of these heights.",
        "scientific_say": "Such products easily get extremely small or extremely large, so we compute them as a sum of logs and write them as a power of ten.",
        "move_up_say": "Slide the curve to candidate θ{k}: the heights over the samples grow, and so does the likelihood.",
        "move_down_say": "Slide on to candidate θ{k}: the curve moves away from the samples, the heights shrink, and the likelihood falls again.",
        "compare_say": "Side by side, the candidate that explains the samples best is the one with the largest likelihood: θ{best}.",
    },
    # --- maximum-likelihood ---
    "maximum-likelihood": {
        "title": "Maximum likelihood",
    },
    # --- log-likelihood ---
    "log-likelihood": {
        "title": "Log likelihood",
        "product_say": "The likelihood is the product of the densities of all the samples, one factor per sample.",
        "to_log_say": "Take the log of both sides: the product becomes a sum, and each factor becomes a log density.",
        "curves_say": "On the left the likelihood, on the right the log likelihood. Different shapes, but both peak at the same point, mu hat = {mu}.",
        "both_peak": "Both curves peak at μ̂ = {mu} {unit}",
        "demo_say": "Why bother with the log? Let's multiply {count} densities one by one, in floating point.",
        "demo_repeated": "the {n} samples, repeated: {count} densities at μ = μ̂",
        "demo_first": "densities of the first {count} samples at μ = μ̂",
        "factors_label": "factors multiplied",
        "product_label": "float product",
        "logsum_label": "sum of logs",
        "underflow_tag": "underflow",
        "overflow_tag": "overflow",
        "underflow_say": "The product keeps shrinking, and at factor {at} it underflows to exactly 0.0. The sum of logs is a perfectly ordinary {log_sum}.",
        "overflow_say": "Here most densities are above 1, so the product keeps growing, and at factor {at} it overflows to inf. The sum of logs is a perfectly ordinary {log_sum}.",
        "survive_say": "Here the densities are close to 1, so the product survives {count} factors. With more data it would still collapse; the sum of logs, {log_sum}, is always safe.",
        "why_say": "Multiplying many small numbers underflows, and a long product is awkward to differentiate. A sum is stable, and differentiates term by term.",
        "why_product": "Product ∏: collapses to 0.0 or inf, awkward to differentiate",
        "why_sum": "Sum Σ: stable values, differentiate term by term",
        "why_monotone": "log is increasing → the argmax stays put",
        "argmax_say": "And because log is increasing, the argmax does not move: maximising the log likelihood gives the same theta hat.",
    },
    # --- negative-log-likelihood ---
    "negative-log-likelihood": {
        "title": "Negative log likelihood",
        "peak_say": "The log likelihood curve is highest at mu hat = {mu}. Maximum likelihood estimation meant finding this peak.",
        "flip_say": "Now multiply the log likelihood by minus one and turn it upside down. The peak becomes a valley, and argmax becomes argmin.",
        "loss_say": "Optimisers are built to minimise, so the negative log likelihood is the loss function they walk down, into the valley.",
        "value_say": "At the bottom of the valley the loss is smallest, {nll}, and its position is the maximum likelihood estimate, theta hat.",
        "peak_label": "maximum",
        "valley_label": "minimum",
        "loss_name": "Loss function",
        "optimiser_note": "optimisers minimise the loss",
    },
    # --- phone-os ---
    "phone-os": {
        "title": "Example: phone OS share",
        "count": "{count}",
        "sampling_label": "Probability that {k} of {n} are {first}",
        "constant_note": "constant in p",
        "likelihood_name": "likelihood",
        "log_name": "log likelihood",
        "nll_name": "negative log likelihood (NLL)",
        "estimate_label": "estimated share",
        "survey_say": "We asked {n} passers-by which operating system their phone runs.",
        "counts_say": "{k} said {first}, {m} said {second}.",
        "model_say": "Say each person uses {first} with probability p; then {second} has probability 1 − p.",
        "sampling_say": "The probability of such a sample is binomial. The number of ways to choose {k} of {n}, {n} choose {k}, is {coefficient}.",
        "drop_say": "That count does not depend on p, so we drop it. What is left, p to the {k} times (1 − p) to the {m}, is the likelihood L(p).",
        "likelihood_say": "Plotted against p, the likelihood peaks at p hat = {p_hat}.",
        "likelihood_scaled_say": "The likelihood is tiny, so its axis counts in units of ten to the {exponent}. It peaks at p hat = {p_hat}.",
        "log_say": "Taking the log turns the product into a sum: {k} log p plus {m} log(1 − p). Log is increasing, so the peak stays where it was.",
        "nll_say": "Flip the sign and we get the negative log likelihood. The peak becomes a valley: now we look for the minimum.",
        "conclusion_say": "All three curves turn at p hat = {k}/{n} = {p_hat}: our estimate of the {first} share.",
    },
    # --- gradient-descent ---
    "gradient-descent": {
        "title": "NLL gradient and gradient descent",
    },
    # --- nll-in-nlp ---
    "nll-in-nlp": {
        "title": "NLL in NLP",
        "sentence": "The cat sat on the {blank}.",
        "chart_caption": "Next-word probabilities (softmax)",
        "token_0": "mat",
        "token_1": "sofa",
        "token_2": "floor",
        "token_3": "moon",
        "step_label": "Training step",
        "conclusion": "Min cross-entropy = max likelihood of the answer",
        "sentence_say": "Now to language. A language model predicts the next word of a sentence.",
        "softmax_say": "It scores every candidate word, and a softmax turns the scores into probabilities that sum to one.",
        "correct_say": "In the real sentence the next word is {word}, yet the model gives {word} a probability of only {p:.3f}.",
        "loss_say": "The loss is the negative log of the correct word's probability: minus log {p:.3f}, about {loss:.3f}.",
        "onehot_say": "Write the answer as a one-hot vector y: one at the correct word, zero elsewhere. The cross-entropy is defined like this.",
        "crossentropy_say": "Every term multiplied by zero drops out and only the correct word's term is left. Cross-entropy is the negative log likelihood of the correct word.",
        "descent_say": "Now lower this loss by gradient descent. With every step the correct word's bar rises and the loss falls.",
        "conclusion_say": "So the cross-entropy loss that trains language models is exactly the negative log likelihood we built in this lecture.",
    },
    # --- closing ---
    "closing": {
        "title": "Closing",
        "box_likelihood": "Likelihood",
        "box_log": "Log\nlikelihood",
        "box_nll": "Negative log\nlikelihood",
        "box_gradient": "Gradient\ndescent",
        "thanks": "Thank you",
        "chain_say": "Let us put the whole lecture into one chain.",
        "likelihood_say": "The likelihood measures how plausible the observed data are under the model: the product of the density at every sample.",
        "log_say": "Taking the log turns the product into a sum, which is stable to compute, and the maximum stays where it was.",
        "nll_say": "Flipping the sign turns maximising into minimising, and the negative log likelihood becomes a loss function.",
        "gradient_say": "Stepping down its gradient leads to the best parameters. Training a language model is this very process.",
        "thanks_say": "Thank you for listening.",
    },
}
