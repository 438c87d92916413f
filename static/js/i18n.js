// Every visible string of the page, in English and Korean. Keras names (Dense, relu, SGD…) are
// identifiers and stay as they are; everything said about them is translated.

const STRINGS = {
  en: {
    title: "Neural-network playground",
    subtitle: "Real Keras models, trained on the server",
    "lang.switch": "한국어",
    "lang.switchLabel": "Switch the page to Korean",
    "run.train": "Train",
    "run.pause": "Pause",
    "run.resume": "Resume",
    "run.step": "Step one epoch",
    "run.reset": "Reset",
    "run.epoch": "Epoch",
    "run.status.idle": "ready",
    "run.status.starting": "starting…",
    "run.status.running": "training",
    "run.status.paused": "paused",
    "run.status.done": "finished",
    "run.status.stopped": "stopped",
    "run.status.failed": "failed",
    "settings.epochs": "Epochs",
    "settings.learningRate": "Learning rate",
    "settings.schedule": "Schedule",
    "settings.scheduleNone": "constant",
    "settings.optimizer": "Optimizer",
    "settings.optimizerParams": "options",
    "settings.scheduleParams": "options",
    "settings.loss": "Loss",
    "settings.metrics": "Metrics",
    "settings.lrFromSchedule": "set by the schedule",
    "settings.lossGroup.classification": "for classes",
    "settings.lossGroup.regression": "for numbers",
    "data.heading": "Data",
    "data.datasets": "Data set",
    "data.noise": "Noise",
    "data.trainShare": "Training share",
    "data.batchSize": "Batch size",
    "data.regenerate": "Regenerate",
    "data.regenerateLabel": "Draw new data (a new data seed)",
    "data.classes": "{n} classes",
    "data.regression": "regression",
    "data.rows": "{n} rows",
    "network.heading": "Network",
    "network.palette": "Layers",
    "network.paletteHint": "Drag a layer into the stack, or press it to add it before the output layer.",
    "network.stack": "Layer stack",
    "network.stackHint": "Drag to reorder. Press a layer to edit it.",
    "network.empty": "No layers yet: add one from the palette.",
    "network.moveUp": "Move up",
    "network.moveDown": "Move down",
    "network.remove": "Remove",
    "network.edit": "Edit {name}",
    "network.added": "{name} added at position {index}.",
    "network.diagram": "Diagram",
    "network.features": "Input features",
    "network.featureToggle": "Use {name} as an input",
    "network.output": "Output",
    "network.unit": "unit {index}",
    "network.more": "+{n} more",
    "network.hoverHint": "Point at a unit or a line to read its values.",
    "network.weight": "weight {value}",
    "network.from": "from {a} to {b}",
    "network.bias": "bias {value}",
    "network.range": "output from {lo} to {hi}",
    "network.inputLayer": "input",
    "network.featuresFixed": "This table's columns are the inputs.",
    "summary.heading": "Model summary",
    "summary.layer": "Layer (type)",
    "summary.shape": "Output shape",
    "summary.params": "Param #",
    "summary.total": "Total params",
    "summary.trainable": "Trainable params",
    "summary.nonTrainable": "Non-trainable params",
    "summary.loading": "updating…",
    "output.heading": "Output",
    "output.showTest": "Show test data",
    "output.discretize": "Discretize output",
    "output.class": "class {name}",
    "output.probability": "probability of class 1",
    "output.value": "predicted value",
    "output.noPlane": "This data set is a table, so there is no picture of the input plane.",
    "chart.loss": "Loss",
    "chart.trainLoss": "training loss",
    "chart.testLoss": "test loss",
    "chart.logScale": "Log scale",
    "chart.metrics": "Metrics",
    "chart.train": "training {name}",
    "chart.test": "test {name}",
    "chart.epoch": "epoch",
    "chart.none": "Choose a metric (such as accuracy) to see it here.",
    "error.lead": "The server says:",
    "error.untranslated": "The server did not accept this setting.",
    "error.original": "Server's words",
    "error.layer": "Layer {index}:",
    "error.diverged": "Training stopped: the loss became NaN or infinite.",
    "error.unreachable": "The server cannot be reached.",
    "warning.lead": "Note:",
    "param.none": "none",
    "param.default": "default",
    "param.listHint": "numbers separated by commas",
    "param.pairHint": "one number, or two separated by a comma",
    "hidden.note": "Some controls are hidden by this exercise.",
    "home.heading": "Take it home",
    "home.downloads": "Downloads",
    "home.noRun": "Train a model first: the downloads belong to a run.",
    "home.model": "Model (.keras)",
    "home.modelTitle": "The trained model in Keras's native format, for keras.models.load_model",
    "home.weights": "Weights (.h5)",
    "home.weightsTitle": "The weights alone, for model.load_weights on the model the code builds",
    "home.code": "Code (.py)",
    "home.codeTitle": "A standalone Python script that reproduces this run in plain Keras",
    "home.historyCsv": "History (.csv)",
    "home.historyCsvTitle": "Loss and metrics per epoch, as Keras's CSVLogger writes them",
    "home.historyJson": "History (.json)",
    "home.historyJsonTitle": "Keras's history.history dict",
    "home.experiment": "Experiment (.json)",
    "home.experimentTitle": "The whole setup (data, model, compile and fit settings, seed), to open again later",
    "home.pictures": "Pictures",
    "home.chartPng": "Loss chart (.png)",
    "home.heatmapPng": "Output (.png)",
    "home.chartPngTitle": "Save the loss chart as a PNG picture",
    "home.heatmapPngTitle": "Save the output heatmap with its points as a PNG picture",
    "home.import": "Open a saved file",
    "home.importModel": "Model (.keras)",
    "home.importModelTitle": "Upload a model saved with model.save: see its summary, its boundary on the current data set, and train it further",
    "home.importExperiment": "Experiment (.json)",
    "home.importExperimentTitle": "Open an experiment file exported from this page: its setup is loaded and trained again",
    "home.importing": "opening {name}…",
    "home.importedModel": "Opened {name}: paused. Press ▶ to continue training it.",
    "home.importedExperiment": "Opened {name}: its setup is loaded and trains again.",
    "home.notJson": "{name} is not a JSON file.",
    "home.notExperiment": "{name} is not an experiment file from this playground.",
    "code.heading": "Keras code, summary and diagram",
    "code.noRun": "Train a model (or open one) to see the Keras code that reproduces it.",
    "code.style": "Style",
    "code.sequential": "Sequential",
    "code.functional": "Functional API",
    "code.copy": "Copy",
    "code.copied": "Copied",
    "code.copyFailed": "Select the code and copy it by hand",
    "code.loading": "loading…",
    "code.unavailable": "Not available from this server.",
    "code.summary": "model.summary()",
    "code.diagram": "Model diagram",
    "code.diagramAlt": "A diagram of the model's layers and their output shapes",
    "chart.pictureTitle": "Loss per epoch",
    "output.pictureTitle": "Output of the model",
  },
  ko: {
    title: "신경망 놀이터",
    subtitle: "서버에서 학습하는 진짜 Keras 모델",
    "lang.switch": "English",
    "lang.switchLabel": "페이지를 영어로 바꾸기",
    "run.train": "학습",
    "run.pause": "일시 정지",
    "run.resume": "계속",
    "run.step": "한 에포크 학습",
    "run.reset": "초기화",
    "run.epoch": "에포크",
    "run.status.idle": "준비",
    "run.status.starting": "시작하는 중…",
    "run.status.running": "학습 중",
    "run.status.paused": "일시 정지됨",
    "run.status.done": "완료",
    "run.status.stopped": "멈춤",
    "run.status.failed": "실패",
    "settings.epochs": "에포크 수",
    "settings.learningRate": "학습률",
    "settings.schedule": "학습률 일정",
    "settings.scheduleNone": "고정",
    "settings.optimizer": "옵티마이저",
    "settings.optimizerParams": "옵션",
    "settings.scheduleParams": "옵션",
    "settings.loss": "손실 함수",
    "settings.metrics": "평가 지표",
    "settings.lrFromSchedule": "일정에 따라 정해짐",
    "settings.lossGroup.classification": "분류용",
    "settings.lossGroup.regression": "회귀용",
    "data.heading": "데이터",
    "data.datasets": "데이터셋",
    "data.noise": "잡음",
    "data.trainShare": "학습 데이터 비율",
    "data.batchSize": "배치 크기",
    "data.regenerate": "새로 만들기",
    "data.regenerateLabel": "데이터를 새로 뽑기 (새 데이터 시드)",
    "data.classes": "{n}클래스",
    "data.regression": "회귀",
    "data.rows": "{n}행",
    "network.heading": "신경망",
    "network.palette": "층",
    "network.paletteHint": "층을 쌓기로 끌어 놓거나, 눌러서 출력층 앞에 추가하세요.",
    "network.stack": "층 쌓기",
    "network.stackHint": "끌어서 순서를 바꾸고, 층을 눌러 설정을 고치세요.",
    "network.empty": "아직 층이 없습니다: 위의 목록에서 추가하세요.",
    "network.moveUp": "위로",
    "network.moveDown": "아래로",
    "network.remove": "삭제",
    "network.edit": "{name} 설정",
    "network.added": "{index}번째 자리에 {name} 층을 추가했습니다.",
    "network.diagram": "구조도",
    "network.features": "입력 특성",
    "network.featureToggle": "{name}을(를) 입력으로 사용",
    "network.output": "출력",
    "network.unit": "유닛 {index}",
    "network.more": "외 {n}개",
    "network.hoverHint": "유닛이나 선에 마우스를 올리면 값이 보입니다.",
    "network.weight": "가중치 {value}",
    "network.from": "{a}에서 {b}(으)로",
    "network.bias": "편향 {value}",
    "network.range": "출력 범위 {lo} ~ {hi}",
    "network.inputLayer": "입력",
    "network.featuresFixed": "이 표의 열이 입력입니다.",
    "summary.heading": "모델 요약",
    "summary.layer": "층 (종류)",
    "summary.shape": "출력 모양",
    "summary.params": "파라미터 수",
    "summary.total": "전체 파라미터",
    "summary.trainable": "학습되는 파라미터",
    "summary.nonTrainable": "학습되지 않는 파라미터",
    "summary.loading": "갱신 중…",
    "output.heading": "출력",
    "output.showTest": "테스트 데이터 보기",
    "output.discretize": "출력 구간화",
    "output.class": "클래스 {name}",
    "output.probability": "클래스 1일 확률",
    "output.value": "예측값",
    "output.noPlane": "이 데이터셋은 표라서 입력 평면 그림이 없습니다.",
    "chart.loss": "손실",
    "chart.trainLoss": "학습 손실",
    "chart.testLoss": "테스트 손실",
    "chart.logScale": "로그 눈금",
    "chart.metrics": "평가 지표",
    "chart.train": "학습 {name}",
    "chart.test": "테스트 {name}",
    "chart.epoch": "에포크",
    "chart.none": "정확도 같은 평가 지표를 고르면 여기에 나타납니다.",
    "error.lead": "서버의 설명:",
    "error.untranslated": "서버가 이 설정을 받아들이지 않았습니다. 자세한 내용은 서버 원문을 펼쳐 보세요.",
    "error.original": "서버 원문",
    "error.layer": "{index}번 층:",
    "error.diverged": "학습이 멈췄습니다: 손실이 NaN 또는 무한대가 되었습니다.",
    "error.unreachable": "서버에 연결할 수 없습니다.",
    "warning.lead": "참고:",
    "param.none": "없음",
    "param.default": "기본값",
    "param.listHint": "쉼표로 구분한 숫자",
    "param.pairHint": "숫자 하나, 또는 쉼표로 구분한 두 개",
    "hidden.note": "이 실습에서는 일부 설정이 숨겨져 있습니다.",
    "home.heading": "가져가기",
    "home.downloads": "내려받기",
    "home.noRun": "먼저 모델을 학습하세요: 내려받을 파일은 학습마다 만들어집니다.",
    "home.model": "Keras 모델",
    "home.modelTitle": "학습된 모델 (Keras 기본 형식). keras.models.load_model로 불러옵니다",
    "home.weights": "가중치 (.h5)",
    "home.weightsTitle": "가중치만 담은 파일. 코드가 만드는 모델에 model.load_weights로 불러옵니다",
    "home.code": "코드 (.py)",
    "home.codeTitle": "이 학습을 순수 Keras로 다시 해 보는 파이썬 스크립트",
    "home.historyCsv": "학습 기록 (표)",
    "home.historyCsvTitle": "에포크별 손실과 지표를 담은 CSV 표 (Keras CSVLogger 형식)",
    "home.historyJson": "학습 기록 (사전)",
    "home.historyJsonTitle": "Keras의 history.history 딕셔너리 (JSON 파일)",
    "home.experiment": "실험 파일",
    "home.experimentTitle": "실험 설정 전체를 담은 JSON 파일 (데이터, 모델, compile과 fit 설정, 시드). 나중에 다시 열 수 있습니다",
    "home.pictures": "그림",
    "home.chartPng": "손실 그래프 그림",
    "home.heatmapPng": "출력 그림",
    "home.chartPngTitle": "손실 그래프를 PNG 그림 파일로 저장합니다",
    "home.heatmapPngTitle": "출력 히트맵과 데이터 점을 PNG 그림으로 저장합니다",
    "home.import": "저장한 파일 열기",
    "home.importModel": "Keras 모델",
    "home.importModelTitle": "model.save로 저장한 모델을 올립니다: 요약을 보고, 지금 데이터셋에서 경계를 보고, 이어서 학습할 수 있습니다",
    "home.importExperiment": "실험 파일",
    "home.importExperimentTitle": "이 페이지에서 내보낸 실험 파일을 엽니다: 설정을 불러와 다시 학습합니다",
    "home.importing": "{name} 여는 중…",
    "home.importedModel": "{name}을(를) 열었습니다: 일시 정지 상태입니다. ▶를 누르면 이어서 학습합니다.",
    "home.importedExperiment": "{name}을(를) 열었습니다: 설정을 불러와 다시 학습합니다.",
    "home.notJson": "{name}은(는) JSON 파일이 아닙니다.",
    "home.notExperiment": "{name}은(는) 이 플레이그라운드의 실험 파일이 아닙니다.",
    "code.heading": "Keras 코드, 요약, 구조도",
    "code.noRun": "모델을 학습하거나 열면, 그 모델을 다시 만드는 Keras 코드가 여기에 나타납니다.",
    "code.style": "방식",
    "code.sequential": "Sequential",
    "code.functional": "함수형 API",
    "code.copy": "복사",
    "code.copied": "복사했습니다",
    "code.copyFailed": "코드를 선택해 직접 복사하세요",
    "code.loading": "불러오는 중…",
    "code.unavailable": "이 서버에서는 제공하지 않습니다.",
    "code.summary": "model.summary()",
    "code.diagram": "모델 구조도",
    "code.diagramAlt": "모델의 층과 각 층의 출력 모양을 그린 구조도",
    "chart.pictureTitle": "에포크별 손실",
    "output.pictureTitle": "모델의 출력",
  },
};

// Names of parameters (layers, optimizers, schedules, regularizers) as a form shows them.
const PARAMS = {
  en: {
    units: "Units", activation: "Activation", use_bias: "Use bias", kernel_initializer: "Kernel initializer",
    bias_initializer: "Bias initializer", kernel_regularizer: "Kernel regularizer", bias_regularizer: "Bias regularizer",
    rate: "Rate", stddev: "Standard deviation", momentum: "Momentum", epsilon: "Epsilon", center: "Center (beta)",
    scale: "Scale (gamma)", target_shape: "Target shape", filters: "Filters", kernel_size: "Kernel size",
    strides: "Strides", padding: "Padding", pool_size: "Pool size", nesterov: "Nesterov",
    initial_accumulator_value: "Initial accumulator", rho: "Rho (decay)", centered: "Centered", beta_1: "Beta 1",
    beta_2: "Beta 2", amsgrad: "AMSGrad", weight_decay: "Weight decay", learning_rate_power: "Learning-rate power",
    l1_regularization_strength: "L1 strength", l2_regularization_strength: "L2 strength",
    initial_learning_rate: "Initial learning rate", decay_steps: "Decay steps", decay_rate: "Decay rate",
    staircase: "Staircase", boundaries: "Boundaries (steps)", values: "Values", alpha: "Alpha (final share)",
    l1: "L1 factor", l2: "L2 factor",
  },
  ko: {
    units: "유닛 수", activation: "활성화 함수", use_bias: "편향 사용", kernel_initializer: "가중치 초기화",
    bias_initializer: "편향 초기화", kernel_regularizer: "가중치 규제", bias_regularizer: "편향 규제",
    rate: "비율", stddev: "표준편차", momentum: "모멘텀", epsilon: "엡실론", center: "중심 이동 (beta)",
    scale: "크기 조정 (gamma)", target_shape: "목표 모양", filters: "필터 수", kernel_size: "커널 크기",
    strides: "스트라이드", padding: "패딩", pool_size: "풀 크기", nesterov: "네스테로프",
    initial_accumulator_value: "누적값 초기값", rho: "rho (감쇠)", centered: "중심화", beta_1: "베타 1",
    beta_2: "베타 2", amsgrad: "AMSGrad", weight_decay: "가중치 감쇠", learning_rate_power: "학습률 지수",
    l1_regularization_strength: "L1 강도", l2_regularization_strength: "L2 강도",
    initial_learning_rate: "초기 학습률", decay_steps: "감쇠 단계 수", decay_rate: "감쇠율",
    staircase: "계단식", boundaries: "경계 (단계)", values: "값", alpha: "alpha (마지막 비율)",
    l1: "L1 계수", l2: "L2 계수",
  },
};

// Korean descriptions of catalog entries; English ones come from the server's catalog.
const DESCRIPTIONS_KO = {
  layers: {
    Dense: "완전 연결 층: 출력 = 활성화(입력 · 가중치 + 편향)",
    Activation: "입력에 활성화 함수를 적용합니다.",
    Dropout: "학습하는 동안 입력의 일부를 무작위로 0으로 만듭니다 (규제).",
    GaussianNoise: "학습하는 동안 입력에 가우스 잡음을 더합니다 (규제).",
    BatchNormalization: "배치마다 각 특성을 정규화한 뒤 크기와 위치를 조정합니다.",
    LayerNormalization: "샘플마다 특성을 정규화한 뒤 크기와 위치를 조정합니다.",
    Flatten: "샘플마다 입력을 벡터 하나로 펼칩니다.",
    Reshape: "값의 개수는 그대로 두고 입력의 모양을 바꿉니다.",
    Conv2D: "이미지(높이, 너비, 채널)에 대한 2차원 합성곱입니다.",
    MaxPooling2D: "이미지의 각 창에서 가장 큰 값만 남깁니다.",
    AveragePooling2D: "이미지의 각 창을 평균합니다.",
    GlobalAveragePooling2D: "채널마다 이미지 전체를 평균합니다: 채널마다 값 하나.",
  },
  activations: {
    linear: "항등 함수: f(x) = x", relu: "ReLU: max(0, x)", leaky_relu: "음수 입력에 작은 기울기(0.2)를 주는 ReLU",
    elu: "지수 선형 유닛 (ELU)", selu: "스스로 정규화되는 ELU (SELU)", gelu: "가우스 오차 선형 유닛 (GELU)",
    tanh: "쌍곡탄젠트, 출력은 (-1, 1)", sigmoid: "로지스틱 함수, 출력은 (0, 1)",
    hard_sigmoid: "시그모이드의 구간별 선형 근사", hard_tanh: "-1과 1 사이에서 직선으로 자른 tanh",
    softsign: "x / (1 + |x|)", softplus: "log(1 + e^x), 부드러운 ReLU", silu: "x · sigmoid(x), swish라고도 함",
    swish: "x · sigmoid(x), silu라고도 함", hard_silu: "silu의 구간별 선형 근사", mish: "x · tanh(softplus(x))",
    relu6: "6에서 자른 ReLU", exponential: "e^x", softmax: "점수를 합이 1인 확률로 바꿉니다",
    log_softmax: "softmax의 로그",
  },
  losses: {
    mean_squared_error: "차이의 제곱 평균 (MSE)", mean_absolute_error: "차이의 절댓값 평균 (MAE)",
    mean_squared_logarithmic_error: "log(1 + 값)의 MSE (MSLE); 목표값이 -1보다 작으면 안 됩니다",
    mean_absolute_percentage_error: "목표값 대비 절대 차이의 백분율 평균 (MAPE)",
    kl_divergence: "목표 분포와 예측 분포 사이의 쿨백-라이블러 발산", poisson: "푸아송 손실: 예측 - 목표 · log(예측)",
    log_cosh: "log(cosh(차이)): 0 근처에서는 MSE, 멀리서는 MAE처럼", cosine_similarity: "벡터 사이 각도의 코사인에 음수를 붙인 값",
    huber: "작은 차이는 제곱, 큰 차이는 절댓값", binary_crossentropy: "두 클래스용 교차 엔트로피 (sigmoid 출력)",
    categorical_crossentropy: "원-핫 레이블용 교차 엔트로피 (softmax 출력)",
    sparse_categorical_crossentropy: "정수 레이블용 교차 엔트로피 (softmax 출력)",
    hinge: "레이블 -1/1에 대한 max(0, 1 - y·ŷ) (두 클래스)", squared_hinge: "힌지 손실의 제곱 (두 클래스)",
    categorical_hinge: "원-핫 레이블에 대한 힌지 손실 (여러 클래스)",
  },
  optimizers: {
    SGD: "경사 하강법; 모멘텀을 쓰면 이동 방향을 기억합니다.", Adagrad: "제곱 기울기가 쌓일수록 파라미터마다 학습률이 줄어듭니다.",
    Adadelta: "계속 커지는 합 대신 이동 창을 쓰는 Adagrad.", RMSprop: "각 기울기를 최근 크기의 이동 평균으로 나눕니다.",
    Adam: "모멘텀과 RMSprop식 크기 조정, 편향 보정까지.", AdamW: "가중치 감쇠를 분리한 Adam.",
    Adamax: "무한 노름을 쓰는 Adam.", Nadam: "네스테로프 모멘텀을 쓰는 Adam.",
    Ftrl: "L1, L2 규제가 들어 있는 FTRL 방법.", Lion: "보간한 모멘텀의 부호: 모든 단계의 크기가 같습니다.",
  },
  schedules: {
    ExponentialDecay: "학습률 = 초기값 · 감쇠율 ^ (단계 / 감쇠 단계 수)",
    PiecewiseConstantDecay: "계단식 감쇠: 경계[i] 단계까지 값[i], 그다음 값으로",
    CosineDecay: "초기 학습률에서 alpha · 초기값까지 코사인 모양으로 감쇠",
    InverseTimeDecay: "학습률 = 초기값 / (1 + 감쇠율 · 단계 / 감쇠 단계 수)",
  },
  regularizers: { L1: "L1 가중치 감쇠: 손실에 l1 · sum(|w|)를 더합니다.", L2: "L2 가중치 감쇠: 손실에 l2 · sum(w²)를 더합니다.", L1L2: "L1과 L2 가중치 감쇠를 함께." },
  initializers: {
    glorot_uniform: "Glorot(Xavier) 균등 분포: Keras의 가중치 기본값", glorot_normal: "Glorot(Xavier) 정규 분포",
    he_uniform: "He 균등 분포, ReLU에 알맞음", he_normal: "He 정규 분포, ReLU에 알맞음", lecun_uniform: "LeCun 균등 분포",
    lecun_normal: "LeCun 정규 분포, SELU에 알맞음", random_normal: "평균 0, 표준편차 0.05인 정규 분포",
    random_uniform: "[-0.05, 0.05] 균등 분포", truncated_normal: "양 끝을 잘라 낸 정규 분포",
    orthogonal: "무작위 직교 행렬", zeros: "모두 0: Keras의 편향 기본값", ones: "모두 1",
  },
  metrics: {
    accuracy: "맞힌 예측의 비율", mae: "평균 절대 오차", mse: "평균 제곱 오차", root_mean_squared_error: "평균 제곱 오차의 제곱근",
    r2_score: "결정 계수 R²", auc: "ROC 곡선 아래 넓이 (두 클래스)", precision: "정밀도 (두 클래스, 출력 유닛 하나)",
    recall: "재현율 (두 클래스, 출력 유닛 하나)",
  },
  datasets: {
    circle: "고리 안의 원판", xor: "마주 보는 사분면이 같은 클래스", gauss: "가우스 구름 두 개", spiral: "서로 감긴 나선 두 개",
    moons: "맞물린 반원 두 개", checkerboard: "4 × 4 체스판", blobs: "가우스 덩어리 세 개", blobs5: "가우스 덩어리 다섯 개",
    spiral3: "팔이 셋인 나선", plane: "기울어진 평면: 값 = (x1 + x2) / 10", multi_gaussian: "가우스 봉우리 여섯 개",
    xor_table: "XOR 진리표: 네 행; 테스트 데이터도 같은 네 행",
  },
};

// Data-set names as the thumbnails show them (the identifiers stay in the address and the API).
const DATASET_NAMES = {
  en: { multi_gaussian: "multi-gaussian", xor_table: "XOR table", blobs5: "blobs (5)", spiral3: "spiral (3)", xor: "XOR" },
  ko: {
    circle: "원", xor: "XOR", gauss: "가우스", spiral: "나선", moons: "초승달", checkerboard: "체스판", blobs: "덩어리",
    blobs5: "덩어리 (5)", spiral3: "나선 (3)", plane: "평면", multi_gaussian: "가우스 봉우리", xor_table: "XOR 표",
  },
};

export function datasetName(name) {
  return DATASET_NAMES[current][name] ?? name;
}

// Metric names as the charts and checkboxes show them.
const METRIC_NAMES = {
  en: { accuracy: "accuracy", mae: "MAE", mse: "MSE", root_mean_squared_error: "RMSE", r2_score: "R²", auc: "AUC", precision: "precision", recall: "recall" },
  ko: { accuracy: "정확도", mae: "MAE", mse: "MSE", root_mean_squared_error: "RMSE", r2_score: "R²", auc: "AUC", precision: "정밀도", recall: "재현율" },
};

const listeners = new Set();
let current = "en";

export const LANGUAGES = ["en", "ko"];

export function browserLanguage() {
  return (navigator.languages?.[0] || navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : "en";
  document.documentElement.lang = current;
  for (const listener of listeners) listener(current);
}

export function onLanguage(listener) {
  listeners.add(listener);
}

/** The string `key` in the page's language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function paramLabel(name) {
  return PARAMS[current][name] ?? PARAMS.en[name] ?? name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** What a catalog entry does, in the page's language ("" when there is no translation). */
export function describe(family, entry) {
  if (current === "en") return entry?.description ?? "";
  return DESCRIPTIONS_KO[family]?.[entry?.name] ?? "";
}

export function metricName(name) {
  return METRIC_NAMES[current][name] ?? name;
}

/** Fill every [data-i18n] text and [data-i18n-attr="attr:key;…"] attribute under `root`. */
export function translateTree(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      el.setAttribute(attr, t(key));
    }
  }
}

/** A number as a person reads it: few digits, no exponent for everyday sizes. */
export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toString();
}
