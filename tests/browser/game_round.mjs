// Plays the game at "/" in a real headless Chromium (puppeteer-core, the
// Debian chromium at /usr/bin/chromium or $CHROMIUM): a whole arcade round at
// desktop size, one at 360 px wide, and one with the keyboard only; then a
// reload that must keep the player. Fails on any console error, page error
// or Content-Security-Policy violation. Writes a PNG of every screen into
// the screenshot directory.
//
// Usage: node game_round.mjs <base-url> <screenshot-dir>
// Exit code 0 and a last line "browser: all checks passed" when every check
// holds; otherwise 1, with the failed check on stderr.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const [baseUrl, shotDir] = process.argv.slice(2);
if (!baseUrl || !shotDir) {
  console.error('usage: node game_round.mjs <base-url> <screenshot-dir>');
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });

const ROUND = 7;
const STEP_TIMEOUT_MS = 30_000;
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 360, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

class CheckFailed extends Error {}
function check(condition, what) {
  if (!condition) throw new CheckFailed(what);
}

const testid = (id) => `[data-testid="${id}"]`;

// Problems the page reports by itself: console errors, uncaught errors,
// failed requests, CSP violations (caught in the page and handed over).
function watchProblems(page, label) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${label}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${label}: page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`${label}: request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.exposeFunction('reportCspViolation', (text) => problems.push(`${label}: CSP violation: ${text}`));
  page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
    // Counted so the keyboard round can prove it used no pointer.
    window.pointerEvents = 0;
    for (const type of ['pointerdown', 'mousedown', 'touchstart']) {
      window.addEventListener(type, () => { window.pointerEvents += 1; }, true);
    }
  });
  return problems;
}

async function visible(page, id) {
  return page.$eval(testid(id), (el) => !el.hidden && el.closest('[hidden]') === null && el.getClientRects().length > 0);
}

async function text(page, id) {
  return page.$eval(testid(id), (el) => el.textContent.trim());
}

async function noSidewaysScroll(page, screen) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  check(scrollWidth <= clientWidth, `${screen}: scrolls sideways (scrollWidth ${scrollWidth} > clientWidth ${clientWidth})`);
}

async function shoot(page, name, options) {
  if (options.mobile) await noSidewaysScroll(page, name);
  if (options.shots) await page.screenshot({ path: join(shotDir, `${options.label}-${name}.png`), fullPage: true });
}

// The focused element and whether it shows a focus ring.
async function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = el ? getComputedStyle(el) : null;
    return {
      testid: el?.getAttribute('data-testid') ?? el?.id ?? el?.tagName,
      outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : 'none',
      ringed: !!style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

async function expectFocusRing(page, id, where) {
  const focus = await focusState(page);
  check(focus.testid === id, `${where}: focus is on ${focus.testid}, expected ${id}`);
  check(focus.ringed, `${where}: the focused ${id} shows no focus ring (outline: ${focus.outline})`);
}

// Tabs forward until `id` has the focus (at most `limit` presses).
async function tabTo(page, id, where, limit = 10) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if ((await focusState(page)).testid === id) return;
  }
  check(false, `${where}: Tab never reaches ${id}`);
}

// One arcade round from the home screen. `keyboard`: T/F answer, Enter goes
// on, Tab moves; no click. Returns the score text ("N/7").
async function playRound(page, options) {
  const where = options.label;
  await page.waitForSelector(testid('mode-arcade'), { visible: true });
  await shoot(page, 'home', options);
  if (options.keyboard) {
    await tabTo(page, 'mode-arcade', `${where} home`);
    await expectFocusRing(page, 'mode-arcade', `${where} home`);
    await page.keyboard.press('Enter');
  } else {
    await page.click(testid('mode-arcade'));
  }

  for (let i = 1; i <= ROUND; i += 1) {
    const step = `${where} question ${i}`;
    await page.waitForFunction(
      (sel, n) => {
        const p = document.querySelector(sel);
        return p && !p.closest('[hidden]') && p.textContent.includes(`Question ${n} of`);
      },
      { timeout: STEP_TIMEOUT_MS }, testid('question-progress'), i);
    check(await visible(page, 'question-text'), `${step}: no question text`);
    check((await text(page, 'question-text')) !== '', `${step}: empty question text`);
    check(!(await visible(page, 'next')), `${step}: Next is shown before an answer`);
    check(!(await visible(page, 'passage')), `${step}: the passage is shown before an answer`);
    if (i === 1) await shoot(page, 'question', options);

    const value = i % 2 === 1;  // true, false, true, ...
    if (options.keyboard) {
      if (i === 1) {
        // Tab from the question reaches the answer buttons, with a ring.
        await tabTo(page, 'answer-true', step);
        await expectFocusRing(page, 'answer-true', step);
      }
      await page.keyboard.press(value ? 't' : 'f');
    } else {
      await page.click(testid(value ? 'answer-true' : 'answer-false'));
    }

    await page.waitForSelector(testid('next'), { visible: true, timeout: STEP_TIMEOUT_MS });
    const feedback = await text(page, 'feedback');
    check(/^(Right!|Not quite\.) The answer is (true|false)\.$/.test(feedback), `${step}: feedback is "${feedback}"`);
    check(await visible(page, 'passage'), `${step}: no passage after the answer`);
    check((await text(page, 'passage')) !== '', `${step}: empty passage after the answer`);
    check(await page.$eval(testid('answer-true'), (b) => b.disabled), `${step}: can still answer twice`);
    if (i === 1) await shoot(page, 'feedback', options);

    if (options.keyboard) {
      await expectFocusRing(page, 'next', step);
      await page.keyboard.press('Enter');
    } else {
      await page.click(testid('next'));
    }
  }

  await page.waitForSelector(testid('result-score'), { visible: true, timeout: STEP_TIMEOUT_MS });
  const score = await text(page, 'result-score');
  check(new RegExp(`^[0-${ROUND}]/${ROUND}$`).test(score), `${where}: the result score is "${score}"`);
  await shoot(page, 'result', options);
  if (options.keyboard) {
    await tabTo(page, 'play-again', `${where} result`);
    await expectFocusRing(page, 'play-again', `${where} result`);
    const pointer = await page.evaluate(() => window.pointerEvents);
    check(pointer === 0, `${where}: ${pointer} pointer events in a keyboard-only round`);
  }
  return score;
}

async function session(browser, viewport, options) {
  const context = await browser.createBrowserContext();  // its own localStorage: a new player
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  await page.setViewport(viewport);
  const problems = watchProblems(page, options.label);
  await page.goto(new URL('/', baseUrl).href, { waitUntil: 'load' });
  return { context, page, problems };
}

const userId = (page) => page.evaluate(() => localStorage.getItem('truthbyte.user_id'));

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Root in CI: Chromium's sandbox needs an unprivileged user.
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
const problems = [];
let failed = null;
try {
  // 1 and 4: a desktop round, then a reload keeps the player.
  {
    const s = await session(browser, DESKTOP, { label: 'desktop' });
    const score = await playRound(s.page, { label: 'desktop', shots: true });
    const before = await userId(s.page);
    check(/^[0-9a-f-]{36}$/.test(before ?? ''), `desktop: no user id in localStorage ("${before}")`);
    await s.page.reload({ waitUntil: 'load' });
    await s.page.waitForSelector(testid('mode-arcade'), { visible: true });
    const after = await userId(s.page);
    check(after === before, `desktop: the reload changed the player (${before} -> ${after})`);
    console.log(`desktop: round played, score ${score}; player ${before} kept across a reload`);
    problems.push(...s.problems);
    await s.context.close();
  }
  // 2: the same at 360 px wide, no sideways scrolling on any screen.
  {
    const s = await session(browser, MOBILE, { label: 'mobile' });
    const score = await playRound(s.page, { label: 'mobile', shots: true, mobile: true });
    console.log(`mobile: round played at 360x740, score ${score}; no sideways scrolling`);
    problems.push(...s.problems);
    await s.context.close();
  }
  // 3: keyboard only.
  {
    const s = await session(browser, DESKTOP, { label: 'keyboard' });
    const score = await playRound(s.page, { label: 'keyboard', keyboard: true });
    console.log(`keyboard: round played with T/F/Enter/Tab only, score ${score}; focus ring visible`);
    problems.push(...s.problems);
    await s.context.close();
  }
} catch (error) {
  failed = error;
} finally {
  await browser.close();
}

// 5: whatever the page reported, even when a check failed first.
for (const p of problems) console.error(p);
if (failed) {
  console.error(failed instanceof CheckFailed ? `check failed: ${failed.message}` : failed.stack);
  process.exit(1);
}
if (problems.length > 0) {
  console.error(`browser: ${problems.length} problem(s) reported by the page`);
  process.exit(1);
}
console.log('browser: all checks passed');
