// The server explains problems in English. In Korean the page shows a Korean sentence: a
// translation when the message follows a known pattern, otherwise a Korean lead-in, with the
// server's own words folded away under "서버 원문" so the screen itself is not mixed.

import { language, t } from "./i18n.js";

/** [pattern, Korean template using $1…$n] for the messages the server is known to send. */
const KO = [
  [/^must be at least (\S+) \(got (.*)\)$/, "$1 이상이어야 합니다 (입력값: $2)"],
  [/^must be more than (\S+) \(got (.*)\)$/, "$1보다 커야 합니다 (입력값: $2)"],
  [/^must be at most (\S+) \(got (.*)\)$/, "$1 이하여야 합니다 (입력값: $2)"],
  [/^must be less than (\S+) \(got (.*)\)$/, "$1보다 작아야 합니다 (입력값: $2)"],
  [/^must be a whole number \(got (.*)\)$/, "정수여야 합니다 (입력값: $1)"],
  [/^must be a number \(got (.*)\)$/, "숫자여야 합니다 (입력값: $1)"],
  [/^must be true or false \(got (.*)\)$/, "참 또는 거짓이어야 합니다 (입력값: $1)"],
  [/^needs at least (\d+) item\(s\)$/, "항목이 $1개 이상 필요합니다"],
  [/^takes at most (\d+) item\(s\)$/, "항목은 최대 $1개까지입니다"],
  [/^is required$/, "값이 필요합니다"],
  [/^'(.*)' is not a known choice; choose one of: (.*)$/, "'$1'은(는) 고를 수 없는 값입니다. 다음 중에서 고르세요: $2"],
  [/^(\S+) needs image-shaped input \(height, width, channels\), but its input has shape (.*); use an image data set, or Reshape first$/,
    "$1 층은 이미지 모양(높이, 너비, 채널)의 입력이 필요한데, 들어오는 입력의 모양은 $2입니다. 이미지 데이터셋을 쓰거나 앞에 Reshape 층을 두세요"],
  [/^(\S+) cannot take input of shape (.*?): (.*)$/, "$1 층은 모양이 $2인 입력을 받을 수 없습니다 (Keras: $3)"],
  [/^(\S+) leaves nothing: its output shape is (.*)$/, "$1 층을 지나면 남는 값이 없습니다: 출력 모양이 $2입니다"],
  [/^the model ends with (\d+) outputs, but '(.*)' has one target value: end with Dense\(1\)$/,
    "모델의 출력이 $1개인데 '$2' 데이터의 목표값은 하나입니다: 마지막 층을 Dense(1)로 하세요"],
  [/^(\S+) needs one output unit per class: (\d+) for '(.*)', but the last layer gives (\d+) \(or use binary_crossentropy with one sigmoid unit\)$/,
    "$1 손실은 클래스마다 출력 유닛이 하나씩 필요합니다. '$3'에는 $2개가 필요한데 마지막 층은 $4개를 냅니다 (또는 sigmoid 유닛 하나와 binary_crossentropy를 쓰세요)"],
  [/^(\S+) needs one output unit per class: (\d+) for '(.*)', but the last layer gives (\d+)$/,
    "$1 손실은 클래스마다 출력 유닛이 하나씩 필요합니다. '$3'에는 $2개가 필요한데 마지막 층은 $4개를 냅니다"],
  [/^(\S+) on '(.*)' needs 1 output unit \(two classes\), but the last layer gives (\d+)$/,
    "'$2'에 $1 손실을 쓰려면 출력 유닛이 1개(두 클래스)여야 하는데 마지막 층은 $3개를 냅니다"],
  [/^(\S+) on '(.*)' needs (\d+) output units \(one per class\), but the last layer gives (\d+); for several classes use sparse_categorical_crossentropy with softmax$/,
    "'$2'에 $1 손실을 쓰려면 출력 유닛이 $3개(클래스마다 하나)여야 하는데 마지막 층은 $4개를 냅니다. 여러 클래스에는 softmax와 sparse_categorical_crossentropy를 쓰세요"],
  [/^(\S+) is for class labels, but '(.*)' is a regression data set with numeric targets: choose a regression loss such as mean_squared_error$/,
    "$1 손실은 클래스 레이블용인데 '$2'은(는) 숫자를 맞히는 회귀 데이터셋입니다: mean_squared_error 같은 회귀 손실을 고르세요"],
  [/^(\S+) expects probabilities between 0 and 1, but the last layer's activation is (\S+): use (\S+) on the output layer$/,
    "$1 손실은 0과 1 사이의 확률을 기대하는데 마지막 층의 활성화 함수는 $2입니다: 출력층에 $3을(를) 쓰세요"],
  [/^(\S+) expects targets that are not negative, but '(.*)' has negative targets$/, "$1 손실은 음수가 아닌 목표값을 기대하는데 '$2'에는 음수 목표값이 있습니다"],
  [/^(\S+) needs class labels; '(.*)' is a regression set: use mae or mse$/, "$1 지표는 클래스 레이블이 필요한데 '$2'은(는) 회귀 데이터셋입니다: mae나 mse를 쓰세요"],
  [/^(\S+) works for two classes with one output unit$/, "$1 지표는 출력 유닛이 하나인 두 클래스 문제에만 쓸 수 있습니다"],
  [/^(\S+) is for regression; '(.*)' is a classification set$/, "$1 지표는 회귀용인데 '$2'은(는) 분류 데이터셋입니다"],
  [/^(\d+) layers is more than the limit of (\d+)$/, "층이 $1개로, 한도 $2개를 넘습니다"],
  [/^the model has (.*) parameters, more than the limit of (.*)$/, "모델의 파라미터가 $1개로, 한도 $2개를 넘습니다"],
  [/^the model's output has shape \((.*)\) but must be one vector per sample: end with Flatten \(or GlobalAveragePooling2D\) and a Dense layer for '(.*)'$/,
    "모델의 출력 모양이 ($1)인데 샘플마다 벡터 하나여야 합니다: '$2'에 맞게 Flatten(또는 GlobalAveragePooling2D)과 Dense 층으로 끝내세요"],
  [/^training diverged at epoch (\d+): the loss became NaN or infinite\. Try a smaller learning rate(?: \(now (.*)\))?, for example a tenth of it\.$/,
    "$1번째 에포크에서 학습이 발산했습니다: 손실이 NaN 또는 무한대가 되었습니다. 학습률을 더 작게, 예를 들어 지금의 10분의 1로 해 보세요."],
  [/^this run's learning rate follows a schedule, so it cannot be set by hand$/, "이 학습의 학습률은 일정을 따르므로 직접 바꿀 수 없습니다"],
  [/^cannot (\w+): the run has already ended \((\w+)\)$/, "이미 끝난 학습입니다"],
  // Opening a .keras file (POST /api/models/import).
  [/^the file is empty$/, "빈 파일입니다"],
  [/^this is not a \.keras file \(a \.keras file is a zip archive made by model\.save\)$/, ".keras 파일이 아닙니다 (.keras 파일은 model.save가 만드는 zip 압축 파일입니다)"],
  [/^the \.keras file is incomplete or damaged \((.*)\)$/, ".keras 파일이 불완전하거나 손상되었습니다 ($1)"],
  [/^the model contains (.*): Lambda layers and custom objects run code, so they are refused$/,
    "모델에 $1이(가) 들어 있습니다: Lambda 층과 사용자 정의 객체는 코드를 실행하므로 받지 않습니다"],
  [/^the model uses (.*) from '(.*)', which is not part of Keras: refused$/, "모델이 Keras에 없는 '$2'의 $1을(를) 씁니다: 받지 않습니다"],
  [/^a (.*) model cannot be imported: save a Sequential model$/, "$1 모델은 가져올 수 없습니다: Sequential 모델로 저장하세요"],
  [/^the model must have exactly one input$/, "모델의 입력은 정확히 하나여야 합니다"],
  [/^layer (\d+) \((.*)\) has several inputs: only a plain stack of layers can be imported$/,
    "$1번 층($2)의 입력이 여럿입니다: 층을 차례로 쌓은 모델만 가져올 수 있습니다"],
  [/^layer (\d+) is a (.*), which the playground does not offer: (.*)$/, "$1번 층은 플레이그라운드에 없는 $2입니다. 쓸 수 있는 층: $3"],
  [/^layer (\d+) \((.*)\) uses the activation (.*), which is not offered$/, "$1번 층($2)이 쓰는 활성화 함수 $3은(는) 플레이그라운드에 없습니다"],
  [/^Keras could not load this file: (.*)$/, "Keras가 이 파일을 불러오지 못했습니다: $1"],
  [/^the file is larger than the limit of (.*) bytes$/, "파일이 한도 $1바이트보다 큽니다"],
  [/^the server cannot be reached$/, "서버에 연결할 수 없습니다"],
  [/^the server hit an unexpected problem; it has been logged$/, "서버에 예상하지 못한 문제가 생겼습니다. 서버 기록에 남겨 두었습니다"],
];

/** A server message in the page's language: {text, original} (`original` only when translated loosely). */
export function localize(message) {
  if (language() === "en") return { text: message, original: "" };
  for (const [pattern, template] of KO) {
    const match = pattern.exec(message);
    if (match) return { text: template.replace(/\$(\d)/g, (_, i) => match[Number(i)] ?? ""), original: "" };
  }
  return { text: t("error.untranslated"), original: message };
}

/** Build the element that shows a server message (with the original folded away when needed). */
export function messageElement(message, { lead = "", testid = "", translated = false } = {}) {
  const { text, original } = translated ? { text: message, original: "" } : localize(message);
  const box = document.createElement("div");
  box.className = "message";
  box.setAttribute("role", "alert");
  if (testid) box.dataset.testid = testid;
  const line = document.createElement("span");
  line.textContent = lead ? `${lead} ${text}` : text;
  box.append(line);
  if (original) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = t("error.original");
    const code = document.createElement("code");
    code.textContent = original;
    details.append(summary, code);
    box.append(details);
  }
  return box;
}
