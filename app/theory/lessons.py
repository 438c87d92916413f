"""The theory lessons: what each figure shows, in English and Korean (the course's words)."""

from typing import Any


def _lesson(key: str, topic: int, en: str, ko: str, text_en: str, text_ko: str) -> dict[str, Any]:
    return {
        "id": key,
        "topic": topic,
        "figure": key,
        "title": {"en": en, "ko": ko},
        "description": {"en": text_en, "ko": text_ko},
        "path": f"/api/theory/{key}",
    }


LESSONS: list[dict[str, Any]] = [
    _lesson(
        "cost", 1, "cost(W) and one step of gradient descent", "비용 함수 cost(W)와 경사 하강법 한 단계",
        "H(x) = Wx on the study-hours table. The cost is a parabola in W; at the current W its slope "
        "∂cost/∂W (from tf.GradientTape) says which way is down, and W ← W − α·∂cost/∂W takes one step. "
        "Step by hand, and try a learning rate so large that the steps climb the other wall.",
        "학습시간 표에 H(x) = Wx 를 씁니다. 비용은 W에 대한 포물선이고, 현재 W에서의 기울기 ∂cost/∂W"
        "(tf.GradientTape로 계산)가 내려가는 방향을 알려 줍니다. W ← W − α·∂cost/∂W 로 한 단계씩 직접 "
        "움직여 보고, 학습률이 너무 크면 반대편 벽으로 튀어 오르는 것도 확인해 보세요.",
    ),
    _lesson(
        "tensors", 2, "Tensors: rank, shape, dtype and H(X) = XW", "텐서: 랭크, 셰이프, 데이터 타입과 H(X) = XW",
        "What a lesson feeds the model is a tensor: quizzes and midterm are x of shape [5, 3], the scores y of "
        "shape [5]. H(X) = XW multiplies [n, 3] by [3, 1] into [n, 1] — or by [3, 2] into two outputs per row.",
        "수업에서 모델에 넣는 데이터는 텐서입니다. 퀴즈와 중간고사는 셰이프 [5, 3]인 x, 점수는 셰이프 [5]인 y 입니다. "
        "H(X) = XW 는 [n, 3] × [3, 1] = [n, 1] 이고, [3, 2]를 곱하면 행마다 출력이 두 개가 됩니다.",
    ),
    _lesson(
        "logistic", 3, "Sigmoid, the logistic cost and the decision boundary",
        "시그모이드, 로지스틱 비용 함수와 결정 경계",
        "σ(z) squeezes any score into (0, 1). The cost is −log(h) when the label is 1 and −log(1 − h) when it "
        "is 0: the two curves punish a confident wrong answer without limit. On the plane, σ(w1·x1 + w2·x2 + b) "
        "is 0.5 on the straight line w1·x1 + w2·x2 + b = 0, the decision boundary: move the weights.",
        "σ(z)는 어떤 점수든 (0, 1) 사이로 바꿉니다. 비용은 레이블이 1이면 −log(h), 0이면 −log(1 − h) 이어서, 확신을 "
        "가지고 틀린 답에 끝없이 큰 벌점을 줍니다. 평면에서 σ(w1·x1 + w2·x2 + b)는 직선 w1·x1 + w2·x2 + b = 0 "
        "위에서 0.5가 되며, 이 직선이 결정 경계입니다. 가중치를 움직여 보세요.",
    ),
    _lesson(
        "softmax", 4, "Softmax, one-hot labels and cross-entropy", "소프트맥스, 원-핫 인코딩과 크로스 엔트로피",
        "Softmax turns the scores 2.0, 1.0, 0.1 into the probabilities 0.7, 0.2, 0.1 (e to each score, divided by "
        "their sum). The label as a one-hot row picks one term of the cross-entropy −Σ yᵢ·log(pᵢ): only the "
        "true class's −log(p) counts. Change the scores and the label.",
        "소프트맥스는 점수 2.0, 1.0, 0.1을 확률 0.7, 0.2, 0.1로 바꿉니다(각 점수의 e 거듭제곱을 그 합으로 나눔). "
        "원-핫 인코딩한 레이블은 크로스 엔트로피 −Σ yᵢ·log(pᵢ)에서 항 하나만 남깁니다. 정답 클래스의 −log(p)만 "
        "더해집니다. 점수와 레이블을 바꿔 보세요.",
    ),
    _lesson(
        "activations", 7, "Activation functions and their derivatives", "활성화 함수와 그 도함수",
        "Each activation beside its derivative (from tf.GradientTape). Sigmoid's slope is at most 0.25, so "
        "through five sigmoid layers a gradient keeps at most 0.25⁵ ≈ 0.001 of itself: the vanishing gradient. "
        "ReLU's slope is 1 where it is active. Open a run to see its layers' gradients now.",
        "활성화 함수와 그 도함수(tf.GradientTape로 계산)를 나란히 봅니다. 시그모이드의 기울기는 최대 0.25라서 "
        "시그모이드 층 5개를 지나면 기울기가 많아야 0.25⁵ ≈ 0.001 만 남습니다. 이것이 경사도 소멸입니다. ReLU는 "
        "활성 구간에서 기울기가 1입니다. 실행 중인 모델의 층별 기울기도 확인해 보세요.",
    ),
    _lesson(
        "backprop", 5, "Backpropagation step by step (XOR, 2 → 2 → 1)", "역전파 단계별로 보기 (XOR, 2 → 2 → 1)",
        "One batch of XOR's four rows through a 2 → 2 → 1 sigmoid network: the forward values, then the chain "
        "rule from the loss back — ∂L/∂z2 = (a2 − y)/n, ∂L/∂W2 = a1ᵀ·∂L/∂z2, ∂L/∂a1 = ∂L/∂z2·W2ᵀ, "
        "∂L/∂z1 = ∂L/∂a1 ⊙ a1(1 − a1), ∂L/∂W1 = xᵀ·∂L/∂z1 — the same numbers tf.GradientTape gives, then the update.",
        "XOR의 네 행을 한 배치로 2 → 2 → 1 시그모이드 신경망에 통과시킵니다. 순전파 값을 보고, 손실에서 거꾸로 "
        "연쇄 법칙을 적용합니다: ∂L/∂z2 = (a2 − y)/n, ∂L/∂W2 = a1ᵀ·∂L/∂z2, ∂L/∂a1 = ∂L/∂z2·W2ᵀ, "
        "∂L/∂z1 = ∂L/∂a1 ⊙ a1(1 − a1), ∂L/∂W1 = xᵀ·∂L/∂z1. tf.GradientTape와 같은 값이 나오고, "
        "그다음 가중치를 갱신합니다.",
    ),
    _lesson(
        "perceptron", 5, "The perceptron: AND, OR and XOR", "퍼셉트론: AND, OR, XOR",
        "A step activation and the perceptron rule w ← w + η(y − ŷ)x. AND and OR are separated by a line within "
        "a few epochs; XOR never is, however long it trains (Minsky's point). A hidden layer (the MLP) is the answer.",
        "계단 활성화 함수와 퍼셉트론 학습 규칙 w ← w + η(y − ŷ)x 를 씁니다. AND와 OR은 몇 에포크 안에 직선으로 "
        "나뉘지만, XOR은 아무리 오래 학습해도 나뉘지 않습니다(민스키의 지적). "
        "은닉층을 둔 다층 퍼셉트론(MLP)이 답입니다.",
    ),
]  # fmt: skip
