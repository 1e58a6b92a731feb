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
        "definition": "가능도: 관측된 사건이 얼마나 그럴듯한가",
        "x_axis": "x ({unit})",
        "area_note": "넓이 = 구간의 확률 (가능도가 아님)",
        "model_say": "데이터의 평균과 표준편차로 정규분포 모델을 세웠습니다. 이 곡선이 확률밀도 함수입니다.",
        "define_say": "가능도는 관측된 사건이 이 모델 아래에서 얼마나 그럴듯한지를 나타냅니다.",
        "observe_say": "데이터에서 관측값 하나를 골라 봅시다.",
        "height_say": "연속확률분포에서 이 관측값의 가능도는 그 위치에서 확률밀도 곡선의 높이, 즉 f(x; θ)입니다.",
        "area_say": "곡선 아래의 넓이는 다른 것입니다. 값이 그 구간에 들어갈 확률이지요.",
        "point_say": "구간을 한 점으로 좁히면 넓이는 0이 되지만 높이는 그대로입니다. 그래서 연속확률분포에서는 높이를 가능도로 씁니다.",
        "move_say": "관측값이 평균에서 멀어지면 곡선이 낮아지고 가능도도 작아집니다. 평균에 가까울수록 커집니다.",
        "conclude_say": "정리하면, 연속확률분포에서 가능도는 관측값에서의 확률밀도 값입니다.",
    },
    # --- likelihood-discrete ---
    "likelihood-discrete": {
        "title": "Likelihood (이산확률분포)",
        "observed": "관측: {n}명 중 {k}명이 {label}",
        "model": "모델: 이항분포",
        "x_axis": "k = {label}의 수",
        "observed_mark": "관측값 k = {k}",
        "observed_say": "이번에는 이산확률분포입니다. 관측 결과는 {n}명 중 {k}명이 '{label}'입니다.",
        "pmf_say": "모델은 p = {p}인 이항분포입니다. 막대 하나하나가 결과 k가 나올 확률이고, 막대를 모두 더하면 1입니다.",
        "likelihood_say": "이산확률분포에서는 관측된 결과의 확률이 곧 가능도입니다. k = {k}인 막대의 높이를 읽으면 됩니다.",
        "sweep_say": "관측값은 그대로 두고 p를 바꾸면, 같은 막대의 높이, 즉 가능도가 달라집니다.",
        "conclude_say": "정리하면, 이산확률분포에서 가능도는 관측된 결과의 확률입니다.",
    },
    # --- comparing-likelihoods ---
    "comparing-likelihoods": {
        "title": "가능도 비교",
    },
    # --- height-samples ---
    "height-samples": {
        "title": "사건으로부터 확률분포를 예측",
        "sigma_note": "σ = {sigma} {unit} (고정)",
        "subsample_note": "선분은 표본 {n}개 중 {shown}개만 표시 · 가능도는 {n}개 모두로 계산",
        "samples_say": "관측한 표본 {n}개를 축 위에 점으로 찍었습니다. 이 사건들로부터, 이 값들을 만들어 낸 확률분포를 예측해 봅시다.",
        "model_say": "모델은 정규분포입니다. 표준편차 σ는 {sigma} {unit}에 고정하고 평균 μ만 바꿔 봅니다. 첫 번째 후보 θ₁의 평균은 {mu} {unit}입니다.",
        "heights_say": "각 표본 위치에서 곡선까지 세운 선분의 높이, f(xᵢ; θ)가 그 표본의 가능도입니다.",
        "subsample_say": "표본이 많아서 선분은 {shown}개만 골라 그렸지만, 가능도는 표본 {n}개 모두로 계산합니다.",
        "product_say": "표본들이 서로 독립이라면, 전체 가능도는 이 높이들을 모두 곱한 값입니다.",
        "scientific_say": "이런 곱은 아주 작거나 아주 커지기 쉬워서, 로그의 합으로 계산한 뒤 10의 거듭제곱 꼴로 적었습니다.",
        "move_up_say": "곡선을 후보 θ{k}로 옮기면, 표본 위의 높이들이 커지면서 가능도도 커집니다.",
        "move_down_say": "후보 θ{k}로 더 옮기면, 곡선이 표본에서 멀어져 높이들이 작아지고 가능도가 다시 줄어듭니다.",
        "compare_say": "세 후보의 가능도를 나란히 놓고 보면, 표본을 가장 잘 설명하는 분포는 가능도가 가장 큰 θ{best}입니다.",
    },
    # --- maximum-likelihood ---
    "maximum-likelihood": {
        "title": "최대 가능도 추정",
    },
    # --- log-likelihood ---
    "log-likelihood": {
        "title": "Log Likelihood",
        "product_say": "가능도는 표본 하나하나의 확률밀도를 모두 곱한 값입니다.",
        "to_log_say": "양변에 로그를 취하면 곱은 합으로 바뀌고, 각 항은 로그 밀도가 됩니다.",
        "curves_say": "왼쪽은 가능도, 오른쪽은 로그 가능도입니다. 모양은 달라도 가장 높은 점은 똑같이 μ̂ = {mu} 입니다.",
        "both_peak": "두 곡선 모두 μ̂ = {mu} {unit}에서 최대",
        "demo_say": "그런데 왜 굳이 로그를 쓸까요? 밀도 {count}개를 컴퓨터의 부동소수점으로 차례차례 곱해 보겠습니다.",
        "demo_repeated": "표본 {n}개를 되풀이한 밀도 {count}개, μ = μ̂",
        "demo_first": "처음 표본 {count}개의 밀도, μ = μ̂",
        "factors_label": "곱한 개수",
        "product_label": "부동소수점 곱",
        "logsum_label": "로그의 합",
        "underflow_tag": "언더플로",
        "overflow_tag": "오버플로",
        "underflow_say": "곱은 점점 작아지다가 {at}번째 밀도에서 정확히 0.0이 되어 버립니다. 반면 로그의 합은 {log_sum}입니다. 아무 문제 없는 유한한 값이죠.",
        "overflow_say": "이 데이터는 밀도가 대부분 1보다 커서 곱이 점점 커지다가 {at}번째 밀도에서 inf로 넘쳐 버립니다. 반면 로그의 합은 {log_sum}입니다. 아무 문제 없는 유한한 값이죠.",
        "survive_say": "이 데이터는 밀도가 1에 가까워 곱이 {count}번을 버텼습니다. 표본이 더 많아지면 결국 0이나 무한대가 됩니다. 로그의 합은 {log_sum}입니다. 합은 언제나 안전합니다.",
        "why_say": "작은 수를 많이 곱하면 언더플로가 나고, 곱은 미분하기도 번거롭습니다. 합은 안정적이고 항별로 미분할 수 있습니다.",
        "why_product": "곱 ∏: 0.0이나 inf로 무너지고, 미분이 번거롭다",
        "why_sum": "합 Σ: 값이 안정적이고, 항별로 미분한다",
        "why_monotone": "log는 증가함수 → 최댓값의 위치는 그대로",
        "argmax_say": "로그는 증가함수이므로 최댓값의 위치는 변하지 않습니다. 그래서 로그 가능도를 최대화해도 같은 θ̂를 얻습니다.",
    },
    # --- negative-log-likelihood ---
    "negative-log-likelihood": {
        "title": "Negative Log Likelihood",
        "peak_say": "로그 가능도 곡선은 μ̂ = {mu}에서 가장 높습니다. 최대 가능도 추정은 바로 이 봉우리를 찾는 일이었습니다.",
        "flip_say": "이제 로그 가능도에 -1을 곱해 위아래로 뒤집어 봅시다. 봉우리는 골짜기가 되고, argmax는 argmin이 됩니다.",
        "loss_say": "최적화 알고리즘은 함수를 최소화하도록 만들어져 있습니다. 그래서 음의 로그 가능도를 손실 함수로 쓰고, 골짜기를 향해 내려갑니다.",
        "value_say": "골짜기 바닥에서 손실이 가장 작고, 그 값은 {nll}입니다. 이 위치가 바로 최대 가능도 추정값 θ̂입니다.",
        "peak_label": "최댓값",
        "valley_label": "최솟값",
        "loss_name": "손실 함수",
        "optimiser_note": "최적화 알고리즘은 손실을 최소화",
    },
    # --- phone-os ---
    "phone-os": {
        "title": "예제: 핸드폰 운영체제 점유율",
        "count": "{count}명",
        "sampling_label": "{n}명 중 {first} {k}명이 나올 확률",
        "constant_note": "p와 무관한 상수",
        "likelihood_name": "가능도 (Likelihood)",
        "log_name": "로그 가능도 (Log Likelihood)",
        "nll_name": "음의 로그 가능도 (NLL)",
        "estimate_label": "점유율 추정값",
        "survey_say": "길가는 사람 {n}명의 핸드폰 운영체제를 조사했습니다.",
        "counts_say": "{first} {k}명, {second} {m}명입니다.",
        "model_say": "한 사람이 {first}일 확률을 p라고 하면, {second}일 확률은 1 − p입니다.",
        "sampling_say": "이런 표본이 나올 확률은 이항분포로 씁니다. {n}명 중 {k}명을 고르는 조합의 수 {n}C{k}는 {coefficient}입니다.",
        "drop_say": "조합의 수는 p와 상관없는 상수이므로 떼어 내고, 남은 p의 {k}제곱 곱하기 (1 − p)의 {m}제곱을 가능도 L(p)로 씁니다.",
        "likelihood_say": "가능도 L(p)를 p에 대해 그리면 p̂ = {p_hat}에서 가장 높습니다.",
        "likelihood_scaled_say": "가능도 값이 아주 작아서 세로축은 10의 {exponent}제곱 단위로 그렸습니다. p̂ = {p_hat}에서 가장 높습니다.",
        "log_say": "로그를 취하면 곱이 합이 됩니다. {k} log p 더하기 {m} log(1 − p). 로그는 증가함수라 최댓값의 위치는 그대로입니다.",
        "nll_say": "부호를 뒤집으면 음의 로그 가능도, NLL입니다. 산봉우리가 골짜기가 되고, 이제 최솟값을 찾으면 됩니다.",
        "conclusion_say": "세 곡선의 최고점과 최저점은 모두 p̂ = {k}/{n} = {p_hat}에 있습니다. 이것이 {first} 점유율의 추정값입니다.",
    },
    # --- gradient-descent ---
    "gradient-descent": {
        "title": "NLL 기울기와 경사 하강법",
    },
    # --- nll-in-nlp ---
    "nll-in-nlp": {
        "title": "자연어처리에서의 NLL",
        "sentence": "고양이가 {blank} 위에 앉았다.",
        "chart_caption": "다음 단어의 확률 (softmax)",
        "token_0": "매트",
        "token_1": "소파",
        "token_2": "바닥",
        "token_3": "달",
        "step_label": "학습 단계",
        "conclusion": "교차 엔트로피 최소화 = 정답의 가능도 최대화",
        "sentence_say": "이제 자연어처리로 넘어가 봅시다. 언어 모델은 문장에서 다음에 올 단어를 예측합니다.",
        "softmax_say": "모델은 후보 단어마다 점수를 내고, 소프트맥스가 그 점수를 합이 1인 확률로 바꿉니다.",
        "correct_say": "실제 문장의 다음 단어는 {word}입니다. 그런데 모델은 {word}에 {p:.3f}의 확률만 주었습니다.",
        "loss_say": "손실은 정답 단어 확률의 음의 로그입니다. 마이너스 로그 {p:.3f}, 약 {loss:.3f}입니다.",
        "onehot_say": "정답을 원-핫 벡터 y로 쓰면 정답 자리만 1이고 나머지는 0입니다. 교차 엔트로피는 이렇게 정의됩니다.",
        "crossentropy_say": "0이 곱해진 항은 모두 사라지고 정답 항 하나만 남습니다. 교차 엔트로피가 곧 정답 단어의 음의 로그 가능도입니다.",
        "descent_say": "경사 하강법으로 이 손실을 줄여 봅시다. 단계마다 정답 단어의 막대가 올라가고 손실은 내려갑니다.",
        "conclusion_say": "언어 모델을 학습시키는 교차 엔트로피 손실은 바로 우리가 배운 음의 로그 가능도입니다.",
    },
    # --- closing ---
    "closing": {
        "title": "마무리",
        "box_likelihood": "가능도",
        "box_log": "로그 가능도",
        "box_nll": "음의 로그\n가능도 (NLL)",
        "box_gradient": "경사 하강법",
        "thanks": "감사합니다",
        "chain_say": "오늘 배운 내용을 하나의 흐름으로 정리해 봅시다.",
        "likelihood_say": "가능도는 관측한 데이터가 모델 아래에서 얼마나 그럴듯한지를 재는 값으로, 표본마다의 확률 밀도를 곱한 것입니다.",
        "log_say": "로그를 취하면 곱이 합으로 바뀌어 계산이 안정되고, 최댓값의 위치는 그대로입니다.",
        "nll_say": "부호를 뒤집으면 최대화가 최소화로 바뀌고, 음의 로그 가능도가 손실 함수가 됩니다.",
        "gradient_say": "그 기울기를 따라 한 걸음씩 내려가면 최적의 파라미터에 도달합니다. 언어 모델의 학습도 바로 이 과정입니다.",
        "thanks_say": "끝까지 들어 주셔서 감사합니다.",
    },
}
