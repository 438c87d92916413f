"""One-click lessons: each course exercise as a run spec, with its explanation in English and Korean."""

from functools import cache
from typing import Any

from app.schemas.runs import RunCreate


def _dense(units: int, activation: str = "linear", **extra: Any) -> dict[str, Any]:
    return {"type": "Dense", "units": units, "activation": activation, **extra}


def _spec(dataset: dict[str, Any], layers: list[dict[str, Any]], loss: str, optimizer: dict[str, Any],
          epochs: int, batch_size: int = 10, metrics: tuple[str, ...] = ()) -> dict[str, Any]:  # fmt: skip
    return {
        "dataset": dataset,
        "model": {"layers": layers},
        "compile": {"loss": loss, "optimizer": optimizer, "metrics": list(metrics)},
        "fit": {"epochs": epochs, "batch_size": batch_size},
        "seed": 0,
    }


def _sgd(rate: float, **extra: Any) -> dict[str, Any]:
    return {"type": "SGD", "learning_rate": rate, **extra}


def _adam(rate: float = 0.01) -> dict[str, Any]:
    return {"type": "Adam", "learning_rate": rate}


XOR = {"name": "xor_table"}
SPIRAL7 = {"name": "spiral", "noise": 10, "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]}


def _xor(hidden: list[int], title_en: str, title_ko: str, text_en: str, text_ko: str, key: str) -> dict[str, Any]:
    layers = [_dense(n, "sigmoid") for n in hidden] + [_dense(1, "sigmoid")]
    return {
        "id": key,
        "topic": 5,
        "title": {"en": title_en, "ko": title_ko},
        "description": {"en": text_en, "ko": text_ko},
        "spec": _spec(XOR, layers, "binary_crossentropy", _adam(0.1), 500, 4, ("accuracy",)),
        "predict": [[0, 0], [0, 1], [1, 0], [1, 1]],
    }


PRESETS: list[dict[str, Any]] = [
    {
        "id": "linear-study-hours",
        "topic": 1,
        "title": {"en": "Linear regression: study hours → score", "ko": "선형 회귀: 학습시간 → 성적"},
        "description": {
            "en": "H(x) = Wx + b with mean squared error and plain gradient descent. Scores are exactly 20 × hours, "
            "so W should reach 20 and b 0. Watch the cost fall as the line turns onto the points.",
            "ko": "가설 H(x) = Wx + b, 비용은 평균 제곱 오차, 최적화는 경사 하강법입니다. 성적이 정확히 20 × 학습시간이므로 "
            "W는 20, b는 0에 가까워져야 합니다. 직선이 점들 위로 돌아가며 비용이 줄어드는 것을 보세요.",
        },
        "spec": _spec({"name": "study_hours"}, [_dense(1)], "mean_squared_error", _sgd(0.01), 1000),
        "predict": [[5], [7.5], [12]],
    },
    {
        "id": "linear-study-hours-noisy",
        "topic": 1,
        "title": {"en": "Linear regression with noisy scores", "ko": "오차가 있는 데이터의 선형 회귀"},
        "description": {
            "en": "The same hypothesis on measured scores (18, 39, 61, …). No line passes through every point; "
            "gradient descent finds the one with the least squared error.",
            "ko": "오차가 있는 데이터, 측정된 성적(18, 39, 61, …)에 같은 가설을 적용합니다. 모든 점을 지나는 직선은 없으므로 "
            "경사 하강법은 제곱 오차가 가장 작은 직선을 찾습니다.",
        },
        "spec": _spec({"name": "study_hours_noisy"}, [_dense(1)], "mean_squared_error", _sgd(0.01), 1000),
        "predict": [[5], [7.5], [12]],
    },
    {
        "id": "keras-x-plus-2",
        "topic": 1,
        "title": {"en": "Keras: learn y = x + 2", "ko": "Keras: y = x + 2 학습하기"},
        "description": {
            "en": "Dense(1, activation='linear'), SGD and MSE for about 1000 epochs on inputs 1..6. Then predict "
            "-3.1, 3.0, 3.5, 15.0 and 20.1: the answers should be close to input + 2, even far outside 1..6.",
            "ko": "입력 1..6에 Dense(1, activation='linear'), SGD, MSE로 약 1000 에포크 학습합니다. 그다음 "
            "-3.1, 3.0, 3.5, 15.0, 20.1을 예측하면 1..6 밖에서도 입력 + 2에 가까워야 합니다.",
        },
        "spec": _spec({"name": "x_plus_2"}, [_dense(1)], "mean_squared_error", _sgd(0.01), 1000, 6),
        "predict": [[-3.1], [3.0], [3.5], [15.0], [20.1]],
    },
    {
        "id": "linear-hours-score",
        "topic": 1,
        "title": {"en": "One feature: study hours → score", "ko": "피쳐 하나: 학습시간 → 성적"},
        "description": {
            "en": "The hours column of the hours-and-attendance table alone (10 → 90, 9 → 80, 3 → 50, 2 → 60, "
            "11 → 40), as `features=hours` picks it: H(x) = Wx + b with one weight. No straight line fits these "
            "five points well; compare with the next lesson, where attendance joins as a second feature.",
            "ko": "학습시간·출석 표에서 학습시간 열만 씁니다(10 → 90, 9 → 80, 3 → 50, 2 → 60, 11 → 40). "
            "`features=hours`로 고른 피쳐 하나에 가중치 하나인 H(x) = Wx + b 입니다. 다섯 점에 잘 맞는 직선은 "
            "없습니다. 출석이 두 번째 피쳐로 들어오는 다음 수업과 비교해 보세요.",
        },
        "spec": _spec(
            {"name": "hours_attendance", "features": ["hours"]}, [_dense(1)], "mean_squared_error", _adam(0.5), 1000, 5
        ),
        "predict": [[4], [8]],
    },
    {
        "id": "multi-feature-hours-attendance",
        "topic": 2,
        "title": {"en": "Several features: hours and attendance", "ko": "여러 피쳐: 학습시간과 출석"},
        "description": {
            "en": "H(X) = XW + b with two features: X is [n, 2], W is [2, 1]. Each feature gets its own weight.",
            "ko": "피쳐 두 개(학습시간, 출석)에 대한 H(X) = XW + b 입니다. X는 [n, 2], W는 [2, 1] 행렬이고 피쳐마다 "
            "가중치가 있습니다.",
        },
        "spec": _spec({"name": "hours_attendance"}, [_dense(1)], "mean_squared_error", _adam(0.5), 1000, 5),
    },
    {
        "id": "multi-feature-exam-scores",
        "topic": 2,
        "title": {"en": "Several features: quizzes and midterm → final", "ko": "여러 피쳐: 퀴즈와 중간고사 → 기말"},
        "description": {
            "en": "Three inputs, [n, 3] × [3, 1] = [n, 1]. The inputs are large (70–100), so the learning rate "
            "must be tiny; try 0.001 to see it diverge.",
            "ko": "피쳐가 셋이므로 [n, 3] × [3, 1] = [n, 1] 입니다. 입력 값이 크기(70–100) 때문에 학습률이 아주 "
            "작아야 합니다. 0.001로 바꿔 발산하는 것을 확인해 보세요.",
        },
        "spec": _spec({"name": "exam_scores"}, [_dense(1)], "mean_squared_error", _sgd(1e-5), 2000, 5),
    },
    {
        "id": "multi-output-exam-scores",
        "topic": 2,
        "title": {
            "en": "Two outputs: H(X) = XW with W of shape [3, 2]",
            "ko": "출력 두 개: W의 셰이프가 [3, 2]인 H(X) = XW",
        },
        "description": {
            "en": "The same quizzes and midterm, now with two targets per row: the final exam score and the total of "
            "the three scores (a second column added for this lesson, not in the course's table). Dense(2) makes W "
            "of shape [3, 2], so [n, 3] × [3, 2] = [n, 2]: one column of W (and one bias) per output. [1, 1, 1] would "
            "give the total exactly, but the three scores rise and fall together, so many columns give nearly the "
            "same totals and gradient descent stops at one of them: ask the model about 90, 90, 90 and see about 270.",
            "ko": "같은 퀴즈와 중간고사 피쳐에 행마다 목표값이 두 개입니다: 기말고사 점수와 세 점수의 합계입니다(합계 열은 이 "
            "수업을 위해 더한 것으로, 강의의 표에는 없습니다). Dense(2)는 셰이프 [3, 2]인 W를 만들어 [n, 3] × [3, 2] = "
            "[n, 2] 가 됩니다. 출력마다 W의 열 하나(와 편향 하나)가 있습니다. 열이 [1, 1, 1]이면 합계가 정확히 나오지만, "
            "세 점수가 함께 오르내리므로 거의 같은 합계를 내는 열이 많고 경사 하강법은 그중 하나에서 멈춥니다. "
            "90, 90, 90을 넣어 약 270이 나오는지 모델에 물어보세요.",
        },
        "spec": _spec({"name": "exam_scores_two"}, [_dense(2)], "mean_squared_error", _sgd(1e-5), 2000, 5),
        "predict": [[90, 90, 90], [70, 75, 80]],
    },
    {
        "id": "logistic-diabetes",
        "topic": 3,
        "title": {"en": "Logistic classification: diabetes", "ko": "로지스틱 분류: 당뇨병"},
        "description": {
            "en": "A logistic output: Dense(10, sigmoid) → Dense(5, sigmoid) → Dense(1, sigmoid) with binary "
            "cross-entropy gives the probability of label 1 (progression ≥ 140); 60/40 split with random_state 42; "
            "features min-max scaled on the training split. The next lesson is the course's softmax version.",
            "ko": "로지스틱 출력입니다. Dense(10, sigmoid) → Dense(5, sigmoid) → Dense(1, sigmoid)와 binary 크로스 "
            "엔트로피로 레이블 1(진행 정도 140 이상)의 확률을 냅니다. random_state 42로 60/40 분할, 피쳐는 학습 "
            "데이터 기준으로 최소-최대 정규화합니다. 다음 수업은 강의의 소프트맥스 버전입니다.",
        },
        "spec": _spec(
            {"name": "diabetes_binary", "scaling": "minmax"},
            [_dense(10, "sigmoid"), _dense(5, "sigmoid"), _dense(1, "sigmoid")],
            "binary_crossentropy",
            _adam(0.001),
            1000,
            32,
            ("accuracy",),
        ),
    },
    {
        "id": "softmax-diabetes",
        "topic": 3,
        "title": {
            "en": "Diabetes: the course's 10 → 5 → 2 softmax network",
            "ko": "당뇨병: 강의의 10 → 5 → 2 소프트맥스 신경망",
        },
        "description": {
            "en": "The course's network Dense(10, sigmoid) → Dense(5, sigmoid) → Dense(2, softmax) with Adam and "
            "sparse categorical cross-entropy: two outputs, one probability per class; label 1 when progression "
            "≥ 140; 60/40 split with random_state 42; features min-max scaled on the training split. Ask the model "
            "about a patient in the data's own units: the server scales the row as training did.",
            "ko": "강의의 신경망 Dense(10, sigmoid) → Dense(5, sigmoid) → Dense(2, softmax), Adam, sparse categorical "
            "크로스 엔트로피입니다. 출력은 클래스마다 확률 하나씩 두 개입니다. 진행 정도가 140 이상이면 레이블 1, "
            "random_state 42로 60/40 분할, 피쳐는 학습 데이터 기준으로 최소-최대 정규화합니다. 환자의 값을 원래 "
            "단위로 넣으면 서버가 학습 때와 같이 정규화해서 모델에 묻습니다.",
        },
        "spec": _spec(
            {"name": "diabetes_binary", "scaling": "minmax"},
            [_dense(10, "sigmoid"), _dense(5, "sigmoid"), _dense(2, "softmax")],
            "sparse_categorical_crossentropy",
            _adam(0.001),
            1000,
            32,
            ("accuracy",),
        ),
    },
    {
        "id": "softmax-grades",
        "topic": 4,
        "title": {"en": "Softmax: hours and attendance → grade", "ko": "다중 분류(소프트맥스): 학습시간과 출석 → 학점"},
        "description": {
            "en": "Multinomial classification into three classes A, B, C. Softmax turns the three scores into "
            "probabilities that sum to 1; integer labels go with sparse categorical cross-entropy (one-hot labels "
            "with categorical cross-entropy).",
            "ko": "클래스 A, B, C 셋의 다중 분류입니다. 소프트맥스는 세 점수를 합이 1인 확률로 바꿉니다. 정수 레이블에는 "
            "sparse categorical 크로스 엔트로피를, 원-핫 인코딩한 레이블에는 categorical 크로스 엔트로피를 씁니다.",
        },
        "spec": _spec(
            {"name": "grades"},
            [_dense(3, "softmax")],
            "sparse_categorical_crossentropy",
            _adam(0.1),
            500,
            5,
            ("accuracy",),
        ),  # fmt: skip
        "predict": [[11, 7], [3, 4], [1, 0]],
    },
    {
        "id": "softmax-iris",
        "topic": 4,
        "title": {"en": "Softmax on real data: iris flowers", "ko": "실제 데이터의 다중 분류(소프트맥스): 붓꽃"},
        "description": {
            "en": "Four measurements of a flower → one of three species. Standardised features, one hidden layer of "
            "8 ReLU units and a softmax output; the test split shows how well it does on flowers it never saw. "
            "Try the scikit-learn baseline beside it. The course's zoo animals (16 yes/no features → 7 classes) "
            "train the same way: open the course's CSV file under 'Your own data (CSV)' and pick its last column "
            "as the label.",
            "ko": "꽃의 네 가지 측정값(피쳐)으로 세 품종 중 하나를 고릅니다. 피쳐는 표준화하고, ReLU 유닛 8개인 은닉층 하나와 "
            "소프트맥스 출력을 씁니다. 테스트 데이터로 처음 보는 꽃을 얼마나 맞히는지 확인하고, 사이킷런 기준 모델과도 "
            "비교해 보세요. 강의의 동물(zoo) 데이터(예/아니오 피쳐 16개 → 7 클래스)는 강의 자료의 CSV 파일을 "
            "'내 데이터(CSV)'로 열고 레이블 열(마지막 열)을 고르면 같은 방식으로 학습됩니다.",
        },
        "spec": _spec(
            {"name": "iris", "scaling": "standard"},
            [_dense(8, "relu"), _dense(3, "softmax")],
            "sparse_categorical_crossentropy",
            _adam(0.01),
            200,
            16,
            ("accuracy",),
        ),  # fmt: skip
    },
    _xor(
        [],
        "XOR without a hidden layer (fails)",
        "은닉층 없는 XOR (실패)",
        "Logistic regression draws one straight line; no line separates XOR's classes, so accuracy stays at 50–75 %.",
        "로지스틱 회귀는 직선 하나를 긋습니다. XOR의 두 클래스를 나누는 직선은 없으므로 정확도가 50–75 %에 머뭅니다.",
        "xor-no-hidden",
    ),
    _xor(
        [3],
        "XOR with one hidden layer of 3",
        "은닉 노드 3개로 푸는 XOR",
        "One hidden layer of three sigmoid nodes bends the boundary: all four rows come out right.",
        "시그모이드 노드 3개인 은닉층 하나가 경계를 구부립니다. 네 행이 모두 맞게 나옵니다.",
        "xor-hidden-3",
    ),
    _xor(
        [2],
        "XOR with 2 hidden nodes",
        "은닉 노드 2개로 푸는 XOR",
        "Two hidden nodes are just enough in theory; compare how the training goes with three.",
        "이론상 은닉 노드 2개면 충분합니다. 3개일 때와 학습이 어떻게 다른지 비교해 보세요.",
        "xor-hidden-2",
    ),
    _xor(
        [1],
        "XOR with 1 hidden node",
        "은닉 노드 1개로 푸는 XOR",
        "One hidden node is a straight line again: it cannot solve XOR.",
        "은닉 노드 1개는 다시 직선 하나와 같아 XOR을 풀 수 없습니다.",
        "xor-hidden-1",
    ),
    _xor(
        [2, 3],
        "XOR with hidden layers of 2 and 3",
        "은닉층 2개(노드 2개, 3개)로 푸는 XOR",
        "Two hidden layers: a deeper network, the same four answers.",
        "은닉층이 두 개인 더 깊은 신경망도 같은 네 답을 냅니다.",
        "xor-hidden-2-3",
    ),
]


def _compare(
    key: str,
    en: str,
    ko: str,
    text_en: str,
    text_ko: str,
    spec: dict[str, Any],
    compare: dict[str, Any] | None = None,
    views: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A topic-7 lesson; `compare` is a second setup on the same data that the page trains beside it;
    `views` are figures the page opens with it ("gradients": each layer's gradient, live)."""
    preset = {"id": key, "topic": 7, "title": {"en": en, "ko": ko}, "description": {"en": text_en, "ko": text_ko}}
    return {**preset, "spec": spec, **({"compare": compare} if compare else {}), **({"views": list(views)} if views else {})}


def _deep(activation: str, **extra: Any) -> list[dict[str, Any]]:
    return [_dense(8, activation, **extra) for _ in range(5)] + [_dense(1, "sigmoid")]


TANH_8_8 = [_dense(8, "tanh"), _dense(8, "tanh"), _dense(1, "sigmoid")]
SIGMOID_DEEP = _spec(SPIRAL7, _deep("sigmoid"), "binary_crossentropy", _sgd(0.03), 1000, 10, ("accuracy",))
RELU_DEEP = _spec(SPIRAL7, _deep("relu"), "binary_crossentropy", _sgd(0.03), 1000, 10, ("accuracy",))
SGD_SPIRAL = _spec(SPIRAL7, TANH_8_8, "binary_crossentropy", _sgd(0.03), 1000, 10, ("accuracy",))
ADAM_SPIRAL = _spec(SPIRAL7, TANH_8_8, "binary_crossentropy", _adam(0.01), 1000, 10, ("accuracy",))
CIRCLE_NET = [_dense(4, "tanh"), _dense(2, "tanh"), _dense(1, "sigmoid")]
CIRCLE_USABLE_RATE = _spec({"name": "circle"}, CIRCLE_NET, "binary_crossentropy", _sgd(0.03), 500, 10, ("accuracy",))
OVERFIT = {"name": "gauss", "noise": 40, "train_ratio": 0.1}
NO_DROPOUT = _spec(OVERFIT, [_dense(32, "relu"), _dense(32, "relu"), _dense(1, "sigmoid")], "binary_crossentropy",
                   _adam(0.01), 1000, 10, ("accuracy",))  # fmt: skip
DROPOUT_L2 = _spec(
    OVERFIT,
    [
        _dense(32, "relu", kernel_regularizer={"type": "L2", "l2": 0.01}),
        {"type": "Dropout", "rate": 0.5},
        _dense(32, "relu", kernel_regularizer={"type": "L2", "l2": 0.01}),
        {"type": "Dropout", "rate": 0.5},
        _dense(1, "sigmoid"),
    ],
    "binary_crossentropy",
    _adam(0.01),
    1000,
    10,
    ("accuracy",),
)


PRESETS += [
    _compare(
        "activation-sigmoid-deep",
        "Vanishing gradients: five sigmoid layers",
        "경사도 소멸: 시그모이드 층 5개",
        "Deep stacks of sigmoid units learn very slowly: the gradient shrinks at every layer (see Gradients per "
        "layer under the loss). Compare with ReLU.",
        "시그모이드 활성화 함수 층을 깊게 쌓으면 층마다 경사도가 작아져(경사도 소멸) 학습이 매우 느립니다"
        "(손실 아래의 층별 경사도를 보세요). ReLU와 비교해 보세요.",
        SIGMOID_DEEP,
        RELU_DEEP,
        views=("gradients",),
    ),
    _compare(
        "activation-relu-deep",
        "The same network with ReLU",
        "같은 신경망을 ReLU로",
        "ReLU passes gradients through unchanged where it is active, so the deep stack trains.",
        "ReLU 활성화 함수는 활성 구간에서 경사도를 그대로 전달하므로 깊은 신경망도 학습됩니다.",
        RELU_DEEP,
        SIGMOID_DEEP,
        views=("gradients",),
    ),
    _compare(
        "optimizer-sgd",
        "Optimizers: plain SGD",
        "최적화: 기본 SGD",
        "Plain mini-batch gradient descent (batches of 10) on the spiral. Compare with momentum and Adam.",
        "나선 데이터에 기본 미니배치 경사 하강법(배치 크기 10)을 씁니다. 모멘텀, Adam과 비교해 보세요.",
        SGD_SPIRAL,
        ADAM_SPIRAL,
    ),
    _compare(
        "optimizer-momentum",
        "Optimizers: SGD with momentum",
        "최적화: 모멘텀 SGD",
        "Momentum 0.9 keeps a running direction, so it rolls through flat parts faster than plain SGD: "
        "compare how soon each loss falls.",
        "모멘텀 0.9는 이전 이동 방향을 기억해 평평한 구간을 기본 SGD보다 빨리 지나갑니다. 손실이 얼마나 빨리 "
        "줄어드는지 비교해 보세요.",
        _spec(SPIRAL7, TANH_8_8, "binary_crossentropy", _sgd(0.01, momentum=0.9), 1000, 10, ("accuracy",)),
        SGD_SPIRAL,
    ),
    _compare(
        "optimizer-adam",
        "Optimizers: Adam",
        "최적화: Adam",
        "Adam adapts the step of every weight; it usually needs the least tuning.",
        "Adam은 가중치마다 이동 크기를 조절하므로 보통 조정할 것이 가장 적습니다.",
        ADAM_SPIRAL,
        SGD_SPIRAL,
    ),
    _compare(
        "learning-rate-too-large",
        "Learning rate too large",
        "너무 큰 학습률",
        "With a learning rate of 10 every step overshoots: the loss jumps around or becomes NaN.",
        "학습률이 10이면 매 단계가 지나치게 커서 손실이 요동치거나 NaN이 됩니다.",
        _spec({"name": "circle"}, CIRCLE_NET, "binary_crossentropy", _sgd(10.0), 500, 10, ("accuracy",)),
        CIRCLE_USABLE_RATE,
    ),
    _compare(
        "learning-rate-too-small",
        "Learning rate too small",
        "너무 작은 학습률",
        "With 0.0001 every step is tiny: after 500 epochs the loss has barely moved.",
        "학습률이 0.0001이면 한 단계가 너무 작아 500 에포크 뒤에도 손실이 거의 줄지 않습니다.",
        _spec({"name": "circle"}, CIRCLE_NET, "binary_crossentropy", _sgd(0.0001), 500, 10, ("accuracy",)),
        CIRCLE_USABLE_RATE,
    ),
    _compare(
        "learning-rate-step-decay",
        "Learning-rate decay by steps",
        "단계별 학습률 감소",
        "Start large, then divide the rate by ten after 2,000 and 5,000 steps (piecewise-constant decay).",
        "처음에는 크게 시작하고 2,000 단계와 5,000 단계 뒤에 학습률을 10분의 1로 줄입니다.",
        _spec(
            {"name": "circle"},
            [_dense(4, "tanh"), _dense(2, "tanh"), _dense(1, "sigmoid")],
            "binary_crossentropy",
            _sgd(0.0)
            | {
                "learning_rate": {
                    "type": "PiecewiseConstantDecay",
                    "boundaries": [2000, 5000],
                    "values": [0.3, 0.03, 0.003],
                }
            },
            500,
            10,
            ("accuracy",),
        ),  # fmt: skip
    ),
    _compare(
        "normalisation-batchnorm",
        "Batch normalisation in a deep sigmoid stack",
        "깊은 시그모이드 신경망의 배치 정규화",
        "The vanishing-gradient network with BatchNormalization before each sigmoid: it trains again.",
        "경사도가 소멸되던 신경망의 시그모이드 앞마다 배치 정규화를 넣으면 다시 학습됩니다.",
        _spec(
            SPIRAL7,
            [
                layer
                for _ in range(5)
                for layer in (
                    _dense(8),
                    {"type": "BatchNormalization"},
                    {"type": "Activation", "activation": "sigmoid"},
                )
            ]
            + [_dense(1, "sigmoid")],
            "binary_crossentropy",
            _sgd(0.03),
            1000,
            10,
            ("accuracy",),
        ),  # fmt: skip
        SIGMOID_DEEP,
        views=("gradients",),
    ),
    _compare(
        "overfitting-no-dropout",
        "Overfitting: a big network, little data",
        "과적합: 큰 신경망, 적은 데이터",
        "Only 10 % of noisy points train a large network: training loss falls, test loss rises — the gap is overfitting.",
        "잡음 섞인 점의 10 %만으로 큰 신경망을 학습합니다. 학습 손실은 줄고 테스트 손실은 오릅니다. 그 차이가 과적합입니다.",
        NO_DROPOUT,
        DROPOUT_L2,
    ),
    _compare(
        "overfitting-dropout-l2",
        "Against overfitting: dropout and L2",
        "과적합 줄이기: 드롭아웃과 L2 규제화",
        "The same network with Dropout(0.5) and L2 weight decay: the gap between training and test loss narrows.",
        "같은 신경망에 Dropout(0.5)과 L2 규제화를 넣으면 학습 손실과 테스트 손실의 차이가 줄어듭니다.",
        DROPOUT_L2,
        NO_DROPOUT,
    ),
    {
        "id": "cnn-digits",
        "topic": 6,
        "title": {"en": "A small CNN on 8 × 8 digits", "ko": "8 × 8 숫자 이미지의 작은 CNN"},
        "description": {
            "en": "Conv2D → MaxPooling2D → Flatten → Dense(10, softmax) on scikit-learn's digits (8 × 8 × 1 images, "
            "10 classes). Read one softmax output as ten probabilities. MNIST's 28 × 28 pictures are not shipped "
            "offline: bring them as a CSV of 784 pixel columns and a label column (Your own data), or learn here on "
            "the 8 × 8 digits scikit-learn ships.",
            "ko": "사이킷런의 숫자 이미지(8 × 8 × 1, 10개 클래스)에 Conv2D → MaxPooling2D → Flatten → "
            "Dense(10, softmax)를 씁니다. 소프트맥스 출력 하나를 열 개의 확률로 읽어 보세요. MNIST(28 × 28)는 "
            "오프라인으로 들어 있지 않으니, 픽셀 784열과 레이블 열로 된 CSV를 '내 데이터'로 열거나 여기의 8 × 8 "
            "숫자로 학습하세요.",
        },
        "spec": _spec(
            {"name": "digits", "scaling": "minmax"},
            [
                {"type": "Conv2D", "filters": 8, "kernel_size": 3, "activation": "relu"},
                {"type": "MaxPooling2D"},
                {"type": "Flatten"},
                _dense(10, "softmax"),
            ],
            "sparse_categorical_crossentropy",
            _adam(0.01),
            30,
            32,
            ("accuracy",),
        ),  # fmt: skip
    },
]


# --- graph models (the functional API) ---------------------------------------------------------------


def _node(name: str, layer: dict[str, Any], *inputs: str) -> dict[str, Any]:
    return {"name": name, "layer": layer, "inputs": list(inputs)}


def _graph(inputs: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """A graph model whose output is its last node."""
    return {"graph": {"inputs": inputs, "nodes": nodes, "outputs": [nodes[-1]["name"]]}}


def _with_model(spec: dict[str, Any], model: dict[str, Any]) -> dict[str, Any]:
    return {**spec, "model": model}


def _residual(skip: bool) -> dict[str, Any]:
    """Five sigmoid layers of 8 on the spiral, with two skip connections (Add) or without them."""
    sig = lambda n: _dense(n, "sigmoid")  # noqa: E731
    if skip:
        nodes = [
            _node("d1", sig(8), "x"),
            _node("d2", sig(8), "d1"),
            _node("d3", sig(8), "d2"),
            _node("skip1", {"type": "Add"}, "d1", "d3"),
            _node("d4", sig(8), "skip1"),
            _node("d5", sig(8), "d4"),
            _node("skip2", {"type": "Add"}, "skip1", "d5"),
            _node("out", sig(1), "skip2"),
        ]
    else:
        names = ["x", "d1", "d2", "d3", "d4", "d5"]
        nodes = [_node(n, sig(8), names[i]) for i, n in enumerate(names[1:])] + [_node("out", sig(1), "d5")]
    return _spec(SPIRAL7, [], "binary_crossentropy", _sgd(0.03), 1000, 10, ("accuracy",)) | {
        "model": _graph([{"name": "x"}], nodes)
    }


RESIDUAL_SKIP = _residual(True)
RESIDUAL_PLAIN = _residual(False)
# The course's Sequential-versus-functional lesson: the circle network both ways, the same layers and names.
CIRCLE_FUNCTIONAL = _with_model(
    CIRCLE_USABLE_RATE,
    _graph(
        [{"name": "input_layer"}],
        [
            _node("dense", _dense(4, "tanh"), "input_layer"),
            _node("dense_1", _dense(2, "tanh"), "dense"),
            _node("dense_2", _dense(1, "sigmoid"), "dense_1"),
        ],
    ),
)

PRESETS += [
    _compare(
        "graph-residual-spiral",
        "A residual block: skip connections on the spiral",
        "잔차 블록: 나선 데이터의 스킵 연결",
        "Five sigmoid layers, as in the vanishing-gradient lesson, but built as a graph with the functional API: "
        "two Add nodes carry a layer's output past the next two (output = x + f(x)), so the gradient reaches the "
        "first layers through the skip. Compare with the same layers without the skip.",
        "경사도 소멸 수업과 같은 시그모이드 층 5개를 함수형 API로 그래프로 만들었습니다. Add 노드 두 개가 층의 출력을 "
        "다음 두 층 너머로 건너뛰어 더해 주므로(출력 = x + f(x), 스킵 연결) 경사도가 스킵을 따라 첫 층까지 전달됩니다. "
        "스킵 연결이 없는 같은 층들과 비교해 보세요.",
        RESIDUAL_SKIP,
        RESIDUAL_PLAIN,
        views=("gradients",),
    ),
    _compare(
        "graph-residual-spiral-plain",
        "The same layers without the skip",
        "스킵 연결이 없는 같은 층들",
        "The residual block's five sigmoid layers as a plain chain: the gradient must pass through every layer, "
        "shrinks on the way and the spiral trains slowly. Compare with the skip connections.",
        "잔차 블록의 시그모이드 층 5개를 그냥 이어 붙였습니다. 경사도가 모든 층을 거치며 작아지므로(경사도 소멸) 나선 "
        "데이터가 느리게 학습됩니다. 스킵 연결이 있는 그래프와 비교해 보세요.",
        RESIDUAL_PLAIN,
        RESIDUAL_SKIP,
        views=("gradients",),
    ),
    {
        "id": "graph-two-inputs-hours-attendance",
        "topic": 2,
        "title": {"en": "Two inputs: hours and attendance joined", "ko": "입력 두 개: 학습시간과 출석을 연결"},
        "description": {
            "en": "The functional API takes several inputs: keras.Input for hours and another for attendance, "
            "joined by Concatenate into [n, 2], then Dense(1). It is the same H(X) = XW + b as the lesson with "
            "two features, built from two inputs.",
            "ko": "함수형 API는 입력을 여러 개 받을 수 있습니다. 학습시간과 출석을 각각 keras.Input으로 받고, "
            "Concatenate(연결)로 이어 [n, 2]로 만든 뒤 Dense(1)을 씁니다. 피쳐 두 개 수업과 같은 H(X) = XW + b를 "
            "입력 두 개로 만든 것입니다.",
        },
        "spec": _spec({"name": "hours_attendance"}, [], "mean_squared_error", _adam(0.5), 1000, 5)
        | {
            "model": _graph(
                [{"name": "hours", "features": ["hours"]}, {"name": "attendance", "features": ["attendance"]}],
                [
                    _node("joined", {"type": "Concatenate"}, "hours", "attendance"),
                    _node("score", _dense(1), "joined"),
                ],
            )
        },
        "predict": [[10, 5], [2, 4]],
    },
    _compare(
        "graph-sequential-vs-functional",
        "Sequential versus functional: the same model both ways",
        "Sequential과 함수형 API: 같은 모델을 두 가지 방법으로",
        "keras.Sequential stacks layers; the functional API calls each layer on a tensor: inputs = keras.Input(...), "
        "x = Dense(4)(inputs), …, keras.Model(inputs, outputs). Here the circle network is built the functional "
        "way and, beside it, as a Sequential stack: the same layers, the same parameter count (25) and the same initial "
        "weights, so the two curves lie on top of each other.",
        "keras.Sequential은 층을 차례로 쌓고, 함수형 API는 층을 텐서에 호출합니다: inputs = keras.Input(...), "
        "x = Dense(4)(inputs), …, keras.Model(inputs, outputs). 원 데이터 신경망을 함수형으로 만들고, 옆에 "
        "Sequential로도 만들었습니다. 층과 파라미터 수(25개), 초기 가중치가 같으므로 두 학습 곡선이 "
        "거의 겹칩니다.",
        CIRCLE_FUNCTIONAL,
        CIRCLE_USABLE_RATE,
    ),
]


@cache
def presets() -> list[dict[str, Any]]:
    """Every preset, its spec (and the setup it is compared with) checked and filled with defaults by the run schema."""
    return [{**p, **{key: _checked(p[key]) for key in ("spec", "compare") if key in p}} for p in PRESETS]


def _checked(spec: dict[str, Any]) -> dict[str, Any]:
    return RunCreate.model_validate(spec).model_dump(mode="json", exclude={"paused"})
