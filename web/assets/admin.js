// The dashboard at "/admin": sign in with an admin token (kept in
// sessionStorage, so it ends with the tab) and decide on the proposed
// questions waiting in the moderation queue. Server text goes in with
// textContent only.
import { requestJson, describeError, ApiError } from './api.js';

const TOKEN_KEY = 'truthbyte.admin_token';
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

const token = () => sessionStorage.getItem(TOKEN_KEY);
const auth = () => ({ Authorization: `Bearer ${token()}` });

function showError(error) {
  const box = $('admin-error');
  box.textContent = error ? describeError(error) : '';
  box.hidden = !error;
}

function signedIn(yes) {
  document.getElementById('sign-in').hidden = yes;
  document.getElementById('queue').hidden = !yes;
}

async function loadQueue() {
  showError(null);
  try {
    const reply = await requestJson('GET', '/v1/moderation-queue', { headers: auth() });
    signedIn(true);
    render(Array.isArray(reply.submissions) ? reply.submissions : []);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      sessionStorage.removeItem(TOKEN_KEY);
      signedIn(false);
    }
    showError(error);
  }
}

function field(name, value) {
  const row = document.createElement('div');
  const dt = document.createElement('dt');
  const dd = document.createElement('dd');
  dt.textContent = name;
  dd.textContent = value;
  row.append(dt, dd);
  return row;
}

function render(submissions) {
  $('queue-count').textContent = submissions.length === 0 ? 'Nothing is waiting for review.'
    : `${submissions.length} proposal${submissions.length === 1 ? '' : 's'} waiting for review.`;
  const list = $('queue');
  list.replaceChildren();
  for (const s of submissions) {
    const item = document.createElement('li');
    item.className = 'submission';
    const question = document.createElement('p');
    question.className = 'question';
    question.textContent = String(s.question ?? '');
    const details = document.createElement('dl');
    details.append(field('Answer', s.answer ? 'true' : 'false'),
                   field('Categories', Array.isArray(s.categories) ? s.categories.join(', ') : ''),
                   field('Title', String(s.title ?? '')),
                   field('Passage', String(s.passage ?? '')),
                   field('Submitted', String(s.submitted_at ?? '')));
    const actions = document.createElement('div');
    actions.className = 'actions';
    for (const action of ['approve', 'reject']) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = action === 'approve' ? 'Approve' : 'Reject';
      b.className = action === 'approve' ? 'primary' : '';
      b.dataset.testid = action;
      b.dataset.submissionId = String(s.id);
      b.setAttribute('aria-label', `${b.textContent}: ${String(s.question ?? '')}`);
      b.addEventListener('click', () => decide(String(s.id), action));
      actions.append(b);
    }
    item.append(question, details, actions);
    list.append(item);
  }
}

async function decide(id, action) {
  showError(null);
  try {
    await requestJson('POST', '/v1/approve-question', { headers: auth(), body: { question_id: id, action } });
    await loadQueue();
  } catch (error) {
    showError(error);
  }
}

document.getElementById('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('admin-token').value.trim();
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  $('admin-token').value = '';
  loadQueue();
});
$('reload').addEventListener('click', loadQueue);
$('admin-logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  signedIn(false);
  $('admin-token').focus();
});

if (token()) loadQueue();
