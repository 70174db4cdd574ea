// The client of the TruthByte API v1 (docs/API.md), same origin only.
// Requests fail with an ApiError: status 0 when the server could not be
// reached, else the HTTP status with the body's error and error_code and,
// for 429, the seconds to wait (Retry-After).

export class ApiError extends Error {
  constructor(status, message, code = '', retryAfter = 0) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// One request; resolves with the parsed JSON body of a 2xx answer.
export async function requestJson(method, path, { headers = {}, body } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (response.ok) return json ?? {};
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  throw new ApiError(response.status, (json && typeof json.error === 'string') ? json.error : `HTTP ${response.status}`,
                     (json && typeof json.error_code === 'string') ? json.error_code : '',
                     Number.isFinite(retryAfter) ? retryAfter : 0);
}

// A sentence for a player or an operator.
export function describeError(error) {
  if (!(error instanceof ApiError)) return 'Something unexpected happened. Please try again.';
  if (error.status === 0) return error.message;
  if (error.status === 429) {
    if (error.retryAfter > 0) return `Too many requests for now. Please come back in ${waitText(error.retryAfter)}.`;
    return `Too many requests for now (${error.message}). Please come back a little later.`;
  }
  if (error.status >= 500) return `The server had a problem (${error.status}): ${error.message}. Please try again.`;
  return `${error.message} (${error.code || error.status}).`;
}

function waitText(seconds) {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${Math.ceil(minutes / 60)} hours`;
}

// A UUID v4: crypto.randomUUID where the page is a secure context, else
// from crypto.getRandomValues (available everywhere).
function newUserId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const KEYS = { user: 'truthbyte.user_id', access: 'truthbyte.access_token', refresh: 'truthbyte.refresh_token',
               expires: 'truthbyte.access_expires_ms' };
// Refreshed a minute early, so a token never expires on its way.
const EARLY_MS = 60_000;

// A player: the user id and tokens live in localStorage, so a player stays
// the same player across visits. Tokens are refreshed transparently.
export class PlayerSession {
  constructor(storage = window.localStorage) {
    this.storage = storage;
    this.userId = storage.getItem(KEYS.user);
    if (!this.userId) {
      this.userId = newUserId();
      storage.setItem(KEYS.user, this.userId);
    }
  }

  // A protected call as this player.
  async call(method, path, body) {
    await this.ensureToken();
    try {
      return await requestJson(method, path, { headers: this.headers(), body });
    } catch (error) {
      // An access token the server no longer takes (expired early, a new
      // secret): a fresh one, then the call once more.
      // A token bound to another user id (storage half cleared): a new session.
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'user_mismatch') await this.newSession();
      else if (error.status === 401) await this.renew();
      else throw error;
      return requestJson(method, path, { headers: this.headers(), body });
    }
  }

  headers() {
    return { Authorization: `Bearer ${this.storage.getItem(KEYS.access)}`, 'X-User-ID': this.userId };
  }

  async ensureToken() {
    const expires = Number(this.storage.getItem(KEYS.expires) ?? 0);
    if (!this.storage.getItem(KEYS.access)) return this.newSession();
    if (Date.now() >= expires - EARLY_MS) return this.renew();
  }

  // A new access token from the refresh token, or a new session when the
  // refresh token is gone or refused.
  async renew() {
    const refreshToken = this.storage.getItem(KEYS.refresh);
    if (refreshToken) {
      try {
        const grant = await requestJson('POST', '/v1/refresh', { body: { refresh_token: refreshToken } });
        this.store(grant);
        return;
      } catch (error) {
        if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) throw error;
      }
    }
    await this.newSession();
  }

  async newSession() {
    const grant = await requestJson('GET', '/v1/session', { headers: { 'X-User-ID': this.userId } });
    this.store(grant);
  }

  store(grant) {
    this.storage.setItem(KEYS.access, grant.access_token);
    if (grant.refresh_token) this.storage.setItem(KEYS.refresh, grant.refresh_token);
    this.storage.setItem(KEYS.expires, String(Date.now() + Number(grant.expires_in ?? 0) * 1000));
  }
}
