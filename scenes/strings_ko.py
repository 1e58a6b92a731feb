"""Every on-screen word and narration line of the Korean lecture, by scene id.

Keys ending in ``_say`` are narration (subcaptions); the rest appear on screen. Values may
hold ``{name}`` fields that scenes fill with mathcore's numbers or the data file's labels.
"""

STRINGS: dict[str, dict[str, str]] = {
    "common": {
        "lecture_name": "자연어처리를 위한 Negative Log Likelihood",
    },
    # --- title ---
    "title": {
        "title": "표지",
        "intro_say": "자연어처리를 위한 Negative Log Likelihood 강의를 시작합니다.",
        "outline_say": "가능도에서 출발해 로그 가능도, 음의 로그 가능도, 그리고 경사 하강법까지 차례로 살펴봅니다.",
    },
    # --- likelihood-continuous ---
    "likelihood-continuous": {
        "title": "Likelihood (연속확률분포)",
    },
    # --- likelihood-discrete ---
    "likelihood-discrete": {
        "title": "Likelihood (이산확률분포)",
    },
    # --- comparing-likelihoods ---
    "comparing-likelihoods": {
        "title": "가능도 비교",
    },
    # --- height-samples ---
    "height-samples": {
        "title": "사건으로부터 확률분포를 예측",
    },
    # --- maximum-likelihood ---
    "maximum-likelihood": {
        "title": "최대 가능도 추정",
    },
    # --- log-likelihood ---
    "log-likelihood": {
        "title": "Log Likelihood",
    },
    # --- negative-log-likelihood ---
    "negative-log-likelihood": {
        "title": "Negative Log Likelihood",
    },
    # --- phone-os ---
    "phone-os": {
        "title": "예제: 핸드폰 운영체제 점유율",
    },
    # --- gradient-descent ---
    "gradient-descent": {
        "title": "NLL 기울기와 경사 하강법",
    },
    # --- nll-in-nlp ---
    "nll-in-nlp": {
        "title": "자연어처리에서의 NLL",
    },
    # --- closing ---
    "closing": {
        "title": "마무리",
    },
}
