// The game at "/": the home screen and the arcade (seven questions chosen
// for labelling, mode=label). Every text from the server is inserted with
// textContent, never as HTML.
import { PlayerSession, describeError, ApiError } from './api.js';

const ARCADE_QUESTIONS = 7;

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const screens = ['home', 'loading', 'question', 'result', 'error'].map((name) => document.getElementById(`screen-${name}`));

function show(name, focus) {
  for (const s of screens) s.hidden = s.id !== `screen-${name}`;
  if (focus) focus.focus();
}

const player = new PlayerSession();

// One arcade round. Each answer is submitted as it is given: mode=label
// questions come without their answer, so the feedback needs the label
// that submit-answers returns, and an answer already sent is not lost if
// the player leaves halfway.
const round = {
  questions: [],
  index: 0,
  correct: 0,
  answered: false,
  shownAt: 0,
  trustScore: null,
  reliability: null,
};

// What Retry does: the step that failed.
let retry = null;

function fail(error, again) {
  retry = again;
  let text = describeError(error);
  if (error instanceof ApiError && error.status === 404 && error.code === 'not_found')
    text = 'You have answered every question there is for now. Come back when new ones have been added.';
  $('error-message').textContent = text;
  show('error', document.getElementById('error-title'));
}

async function startArcade() {
  show('loading');
  try {
    const reply = await player.call('GET', `/v1/fetch-questions?mode=label&num_questions=${ARCADE_QUESTIONS}`);
    const questions = Array.isArray(reply.questions) ? reply.questions : [];
    if (questions.length === 0) throw new ApiError(404, 'no questions', 'not_found');
    Object.assign(round, { questions, index: 0, correct: 0, trustScore: null, reliability: null });
    showQuestion();
  } catch (error) {
    fail(error, startArcade);
  }
}

function showQuestion() {
  const q = round.questions[round.index];
  round.answered = false;
  $('question-progress').textContent = `Question ${round.index + 1} of ${round.questions.length}`;
  const title = typeof q.title === 'string' ? q.title : '';
  $('question-title').textContent = title;
  $('question-title').hidden = title === '';
  $('question-text').textContent = String(q.question ?? '');
  for (const b of [$('answer-true'), $('answer-false')]) {
    b.disabled = false;
    b.removeAttribute('aria-pressed');
  }
  const feedback = $('feedback');
  feedback.textContent = '';
  feedback.className = 'feedback';
  $('passage').hidden = true;
  $('passage').textContent = '';
  $('next').hidden = true;
  show('question', $('question-text'));
  round.shownAt = performance.now();
}

async function answer(value) {
  const q = round.questions[round.index];
  if (!q || round.answered) return;
  round.answered = true;
  $('answer-true').disabled = true;
  $('answer-false').disabled = true;
  (value ? $('answer-true') : $('answer-false')).setAttribute('aria-pressed', 'true');
  const submission = {
    answers: [{
      question_id: q.id,
      answer: value,
      timestamp: Date.now() / 1000,
      response_time_ms: Math.round(performance.now() - round.shownAt),
    }],
  };
  const send = async () => {
    try {
      const reply = await player.call('POST', '/v1/submit-answers', submission);
      if (typeof reply.trust_score === 'number') round.trustScore = reply.trust_score;
      if (typeof reply.reliability === 'number') round.reliability = reply.reliability;
      const outcome = (reply.results ?? []).find((r) => r.question_id === q.id);
      showFeedback(q, value, outcome);
    } catch (error) {
      fail(error, async () => { show('question'); await send(); });
    }
  };
  await send();
}

function showFeedback(q, value, outcome) {
  const feedback = $('feedback');
  if (outcome && typeof outcome.label === 'boolean') {
    const right = outcome.correct === true;
    if (right) round.correct += 1;
    feedback.className = `feedback ${right ? 'right' : 'wrong'}`;
    feedback.textContent = `${right ? 'Right!' : 'Not quite.'} The answer is ${outcome.label ? 'true' : 'false'}.`;
  } else {
    feedback.className = 'feedback';
    feedback.textContent = `Your answer (${value ? 'true' : 'false'}) is recorded.`;
  }
  const passage = typeof q.passage === 'string' ? q.passage : '';
  $('passage').textContent = passage;
  $('passage').hidden = passage === '';
  const last = round.index + 1 >= round.questions.length;
  $('next').textContent = last ? 'See your score' : 'Next';
  $('next').hidden = false;
  show('question', $('next'));
}

function next() {
  if (!round.answered || $('next').hidden) return;
  round.index += 1;
  if (round.index < round.questions.length) showQuestion();
  else showResult();
}

function showResult() {
  $('result-score').textContent = `${round.correct}/${round.questions.length}`;
  $('result-trust').textContent = round.trustScore === null ? 'not yet known' : percent(round.trustScore);
  const hasReliability = round.reliability !== null;
  $('result-reliability-row').hidden = !hasReliability;
  $('result-reliability').textContent = hasReliability ? percent(round.reliability) : '';
  show('result', document.getElementById('result-title'));
}

const percent = (x) => `${Math.round(x * 100)}%`;

$('mode-arcade').addEventListener('click', startArcade);
$('answer-true').addEventListener('click', () => answer(true));
$('answer-false').addEventListener('click', () => answer(false));
$('next').addEventListener('click', next);
$('play-again').addEventListener('click', startArcade);
$('home').addEventListener('click', () => show('home', $('mode-arcade')));
$('error-home').addEventListener('click', () => show('home', $('mode-arcade')));
$('retry').addEventListener('click', () => { if (retry) retry(); });

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  if (document.getElementById('screen-question').hidden) return;
  const key = event.key.toLowerCase();
  if (key === 't' || key === 'f') {
    event.preventDefault();
    answer(key === 't');
  } else if (key === 'enter' && !(event.target instanceof HTMLButtonElement)) {
    // A focused button already takes Enter itself.
    event.preventDefault();
    next();
  }
});
