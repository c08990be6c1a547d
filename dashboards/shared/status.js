// Form status lines (admin page, incident actions): every API failure becomes a sentence in the current language that says what
// went wrong and what to do, with the server's own ProblemDetails message where it adds something.
import { t, onLangChange, getLang } from '/shared/i18n.js';

const shown = new Map(); // status element → function that renders its text (re-run when the language changes)
onLangChange(() => shown.forEach((render, el) => { el.textContent = render(); }));

/** The server's own words in the page's language: its messages say "English / 中文". */
export function inLang(message) {
  const parts = String(message).split(' / ');
  return (parts.length === 2 ? parts[getLang() === 'en' ? 0 : 1] : message).trim();
}

/**
 * Text for an ApiError; byStatus overrides the i18n key for one status (e.g. 403 on a password change = wrong current
 * password, 409 on a place = what is still in it), given the server's message as {0}.
 */
export function describeError(err, byStatus = {}) {
  const status = err?.status;
  const server = inLang(err?.detail || err?.title || err?.message || '').replace(/[.。]\s*$/, '');
  if (status === 0) return t('error.network');
  if (status === 401) return t('error.session');
  if (byStatus[status]) return t(byStatus[status], server);
  if (status === 400 || status === 404 || status === 409) return t(`apiError.${status}`, server);
  if (status === 403) return err?.detail ? `${t('apiError.403')} (${server})` : t('apiError.403');
  if (status === 429) return t('apiError.429');
  if (status >= 500) return t('apiError.5xx', status);
  return t('apiError.other', status ?? '?', server);
}

/** Shows a status line: kind 'ok' | 'error' | 'busy' (data-status, for styling and tests); text is a function of the language. */
export function setStatus(el, kind, text) {
  el.dataset.status = kind;
  el.textContent = text();
  shown.set(el, text);
}

export function clearStatus(el) {
  delete el.dataset.status;
  el.textContent = '';
  shown.delete(el);
}

/**
 * Runs a form's API call with the submit button disabled and a busy line, then shows success(result) or the error.
 * Returns whether the call succeeded.
 */
export async function submitWith(form, call, success, byStatus) {
  return actWith(form.querySelector('button[type="submit"]'), form.querySelector('[data-role="status"]'), call, success, byStatus);
}

/** The same for a button outside a form (a row's "deactivate", a tree node's "delete"), reporting on the given status line. */
export async function actWith(button, status, call, success, byStatus) {
  button.disabled = true;
  setStatus(status, 'busy', () => t('status.busy'));
  try {
    const result = await call();
    setStatus(status, 'ok', () => success(result));
    return true;
  } catch (err) {
    setStatus(status, 'error', () => describeError(err, byStatus));
    return false;
  } finally {
    button.disabled = false;
  }
}
